"""Coverage inside real kernels: project modules and cells, against hand-counted lines.

One kernel run (module fixture) measures a small package and a notebook with
a line magic, a shell escape, a multi-line string, an empty cell, a skipped
cell, a branch never taken and a function never called. Its numbers are
checked against hand counts and against ``coverage run`` on the same code as a
script.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pytest_nbgate.cov import kernel as cov_kernel
from pytest_nbgate.cov.kernel import CoverageSettings
from pytest_nbgate.cov.statements import NotebookCoverage, cell_hash
from pytest_nbgate.execution.run import ExecutionOptions, execute
from pytest_nbgate.notebook.model import Notebook
from tests import factory as f

CALC = """\
def classify(x):
    if x > 0:
        return "pos"
    return "non-pos"


def unused():
    return 42
"""

CELLS = (
    "%matplotlib inline\nfrom pkg.calc import classify\n",
    "",
    'TEXT = """\nnot code\n"""\nresult = classify(5)\nif result == "neg":\n    print("never")\n',
    "def helper():\n    return 1\n\n!echo hi\nresult",
    "x = 1\nx += 1\n",
)
SCRIPT = (
    "from pkg.calc import classify\n"
    'TEXT = """\nnot code\n"""\nresult = classify(5)\nif result == "neg":\n    print("never")\n'
    "def helper():\n    return 1\n"
)


def project(root: Path) -> Notebook:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "calc.py").write_text(CALC)
    nb = f.notebook(
        f.markdown("# Title"),
        *(f.code(source) for source in CELLS[:4]),
        f.code(CELLS[4], tags=("nbgate-skip",)),
    )
    return Notebook.read(f.write(root / "analysis.ipynb", nb), root)


def run_kernel(notebook: Notebook, settings: CoverageSettings) -> Path:
    raw = cov_kernel.kernel_data_file(settings)
    options = ExecutionOptions(
        setup_code=(cov_kernel.setup_code(settings, raw),),
        teardown_code=(cov_kernel.teardown_code(),),
    )
    result = execute(notebook, options)
    assert result.ok, (result.start_error, result.failures)
    return raw


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NotebookCoverage]:
    root = tmp_path_factory.mktemp("proj")
    notebook = project(root)
    settings = CoverageSettings.from_section({"source": ["pkg"]}, root)
    raw = run_kernel(notebook, settings)
    pytest_cov_file = root / "cov" / ".coverage"
    pytest_cov_file.parent.mkdir()
    cells = cov_kernel.collect(raw, notebook, settings, pytest_cov_file, pytest_cov_branch=True)
    assert not raw.exists()
    return root, cells


def test_cell_coverage_matches_hand_counted_lines(
    measured: tuple[Path, NotebookCoverage],
) -> None:
    _, cells = measured
    by_index = {c.index: (c.statements, c.executed, c.missing) for c in cells.cells}
    # Cell 2 is empty: no statements, no entry. Cell 5 is skipped: nothing ran.
    assert by_index == {
        1: (2, 2, ()),
        3: (4, 3, (6,)),
        4: (4, 3, (2,)),
        5: (2, 0, (1, 2)),
    }
    assert (cells.statements, cells.executed) == (12, 8)
    assert cells.to_dict()["percent"] == pytest.approx(66.67)
    assert NotebookCoverage.from_dict(cells.to_dict()) == cells


def test_module_coverage_matches_coverage_run_on_the_same_code(
    measured: tuple[Path, NotebookCoverage],
) -> None:
    root, _ = measured
    settings = CoverageSettings.from_section({"source": ["pkg"]}, root)
    combined = cov_kernel.combine(settings, root)
    assert combined is not None
    calc = next(m for m in combined.modules if m.path == "pkg/calc.py")
    assert (calc.statements, calc.missing, calc.missing_lines) == (6, 2, (4, 8))
    assert (calc.branches, calc.partial) == (2, 1)

    script = root / "script.py"
    script.write_text(SCRIPT)
    report = root / "script.json"
    coverage = [sys.executable, "-m", "coverage"]
    data = ["--data-file", str(root / ".script-coverage")]
    subprocess.run(
        [*coverage, "run", *data, "--branch", "--source=pkg", str(script)], cwd=root, check=True
    )
    subprocess.run([*coverage, "json", *data, "-o", str(report)], cwd=root, check=True)
    expected = json.loads(report.read_text())
    assert combined.percent == pytest.approx(expected["totals"]["percent_covered"])
    assert {m.path: m.missing_lines for m in combined.modules} == {
        path: tuple(entry["missing_lines"]) for path, entry in expected["files"].items()
    }


def test_exported_data_combines_with_pytest_cov_data(
    measured: tuple[Path, NotebookCoverage],
) -> None:
    root, _ = measured
    folder = root / "cov"
    exported = list(folder.glob(".coverage.nbgate.*"))
    assert len(exported) == 1
    # What pytest-cov's own run leaves: a parallel data file for the unit tests.
    test = root / "test_calc.py"
    test.write_text("from pkg.calc import classify\nassert classify(-1) == 'non-pos'\n")
    coverage = [sys.executable, "-m", "coverage"]
    data = ["--data-file", str(folder / ".coverage")]
    subprocess.run(
        [*coverage, "run", *data, "-p", "--branch", "--source=pkg", str(test)], cwd=root, check=True
    )
    subprocess.run([*coverage, "combine", *data], cwd=root, check=True, capture_output=True)
    out = subprocess.run(
        [*coverage, "report", *data, "-m"], cwd=root, check=True, capture_output=True, text=True
    ).stdout
    calc = next(line for line in out.splitlines() if "calc.py" in line)
    # Unit test took the negative branch, the notebook the positive one: only unused() is left.
    assert calc.split()[1:] == ["6", "1", "2", "0", "88%", "8"]
    assert not list(folder.glob(".coverage.nbgate.*"))


def test_line_only_export_for_pytest_cov_without_branch(tmp_path: Path) -> None:
    from coverage import CoverageData

    raw = CoverageData(basename=str(tmp_path / "raw"))
    raw.add_arcs({"/x/mod.py": [(-1, 1), (1, 2), (2, -1)], "/tmp/ipykernel_7/123.py": [(-1, 1)]})
    raw.write()
    settings = CoverageSettings(source=("/x",), data_file=tmp_path / ".nbgate-coverage")
    kernel = cov_kernel.kernel_data_file(settings)
    (tmp_path / "raw").rename(kernel)
    notebook = f.load(f.notebook(f.code("a = 1")))
    cov_kernel.collect(kernel, notebook, settings, tmp_path / ".coverage", pytest_cov_branch=False)
    (export,) = tmp_path.glob(".coverage.nbgate.*")
    data = CoverageData(basename=str(export))
    data.read()
    assert not data.has_arcs()
    assert data.measured_files() == {"/x/mod.py"}
    assert sorted(data.lines("/x/mod.py") or ()) == [1, 2]


def test_cells_map_by_the_hash_ipykernel_names_them_with() -> None:
    compiler: Any = importlib.import_module("ipykernel.compiler")
    assert Path(compiler.get_file_name("x = 1\n")).stem == cell_hash("x = 1\n")


def test_no_data_file_means_unmeasured_notebook(tmp_path: Path) -> None:
    settings = CoverageSettings(source=("pkg",), data_file=tmp_path / ".nbgate-coverage")
    notebook = f.load(f.notebook(f.code("a = 1\nb = 2")))
    cells = cov_kernel.collect(tmp_path / "missing", notebook, settings)
    assert not cells.measured
    assert (cells.statements, cells.executed) == (2, 0)


def test_setup_code_carries_user_paths_only_as_one_literal(tmp_path: Path) -> None:
    hostile = "src'\"); import os; os.system('boom') #\n"
    settings = CoverageSettings(source=(hostile,), data_file=tmp_path / hostile)
    code = cov_kernel.setup_code(settings, tmp_path / hostile)
    tree = ast.parse(code)
    literals = [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and "boom" in str(n.value)
    ]
    assert all(isinstance(value, str) for value in literals)
    assert len(literals) == 1
    assert json.loads(str(literals[0]))["source"] == [hostile]
    assert "os.system" not in code.replace(repr(literals[0]), "")
    ast.parse(cov_kernel.teardown_code())


def test_kernel_data_files_never_collide(tmp_path: Path) -> None:
    settings = CoverageSettings(data_file=tmp_path / ".nbgate-coverage")
    names = {cov_kernel.kernel_data_file(settings).name for _ in range(200)}
    assert len(names) == 200
    assert not any(name.startswith(".nbgate-coverage.") for name in names)


def test_erase_removes_only_our_data(tmp_path: Path) -> None:
    settings = CoverageSettings(data_file=tmp_path / ".nbgate-coverage")
    for name in (
        ".nbgate-coverage",
        ".nbgate-coverage.a",
        ".nbgate-coverage-kernel.1.x",
        ".coverage",
    ):
        (tmp_path / name).write_text("")
    (tmp_path / ".nbgate-coverageX").write_text("")
    cov_kernel.erase(settings)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".coverage", ".nbgate-coverageX"]


def test_low_cell_coverage_is_a_finding_listing_cells(
    measured: tuple[Path, NotebookCoverage],
) -> None:
    root, cells = measured
    notebook = Notebook.read(root / "analysis.ipynb", root)
    (finding,) = cov_kernel.notebook_findings(notebook, cells, 90)
    assert finding.rule_id == "COV101"
    assert finding.message == (
        "Cell coverage 66.7% (min 90.0%); not fully run: cell 3 (3/4), cell 4 (3/4), cell 5 (0/2)"
    )
    assert "cell 4: 3/4 statements ran; never ran: lines 2" in finding.detail
    assert cov_kernel.notebook_findings(notebook, cells, 60) == []


def test_low_module_coverage_is_a_finding_listing_modules() -> None:
    stat = cov_kernel.ModuleStat("pkg/calc.py", 6, 2, 2, 1, 62.5, (4, 8))
    report = cov_kernel.ModuleCoverage(62.5, (stat,), ".nbgate-coverage")
    (finding,) = cov_kernel.module_findings(report, 80, "pkg")
    assert (finding.rule_id, finding.location.path) == ("COV102", "pkg")
    assert finding.message == "Module coverage 62.5% (min 80.0%); least covered: pkg/calc.py 62%"
    assert finding.detail == "pkg/calc.py: 62.5% missing lines 4, 8"
    assert report.to_dict()["modules"][0]["missing_lines"] == [4, 8]


def test_settings_from_section(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    section = {"source": ["src", "somepkg"], "branch": False, "fail-under": 80}
    settings = CoverageSettings.from_section(section, tmp_path)
    assert settings.source == (str((tmp_path / "src").resolve()), "somepkg")
    assert (settings.branch, settings.fail_under, settings.cells) == (False, 80.0, True)
    assert settings.data_file == tmp_path / ".nbgate-coverage"
    cli = CoverageSettings.from_section(section, tmp_path, source=["other"])
    assert cli.source == ("other",)


def test_summary_lines_per_notebook_then_modules(
    measured: tuple[Path, NotebookCoverage],
) -> None:
    _, cells = measured
    stat = cov_kernel.ModuleStat("pkg/calc.py", 6, 2, 2, 1, 62.5, (4, 7, 8))
    report = cov_kernel.ModuleCoverage(62.5, (stat,), ".nbgate-coverage")
    unmeasured = NotebookCoverage("b.ipynb", (), measured=False)
    assert cov_kernel.summary_lines([unmeasured, cells], report) == [
        "analysis.ipynb: cells 66.7% (8/12 statements); cells not fully run: 3, 4, 5",
        "b.ipynb: cells not measured (the kernel did not finish)",
        "pkg/calc.py: 62.5%  missing 4, 7-8",
        "modules total: 62.5%",
    ]


def test_pytest_cov_settings_are_read_from_its_controller(tmp_path: Path) -> None:
    import types

    import coverage

    cov = coverage.Coverage(data_file=".coverage", branch=True)
    controller = types.SimpleNamespace(cov=cov, topdir=str(tmp_path), cov_source=["src"])
    found = cov_kernel.pytest_cov(types.SimpleNamespace(cov_controller=controller))
    assert found == cov_kernel.PytestCov(tmp_path / ".coverage", True, ("src",))
    assert cov_kernel.pytest_cov(types.SimpleNamespace(cov_controller=None)) is None
    assert cov_kernel.pytest_cov(None) is None

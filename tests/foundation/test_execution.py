"""Executing notebooks in real kernels: failures name the cell, kernels never outlive items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import factory


def write(pytester: pytest.Pytester, name: str, *cells: dict, **kwargs: object) -> Path:
    return factory.write(pytester.path / name, factory.notebook(*cells, **kwargs))  # type: ignore[arg-type]


def test_passing_notebook_runs_in_its_own_folder_and_is_not_modified(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    path = write(
        pytester,
        "sub/nb.ipynb",
        factory.code("import os\nassert os.path.basename(os.getcwd()) == 'sub', os.getcwd()"),
        factory.code("open('data.txt').read()"),
    )
    (pytester.path / "sub" / "data.txt").write_text("hello")
    before = path.read_bytes()
    result = pytester.runpytest("--nbgate")
    result.assert_outcomes(passed=2)
    assert path.read_bytes() == before


def test_raising_cell_names_cell_source_and_traceback(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    write(
        pytester,
        "nb.ipynb",
        factory.code("x = {'a': 1}", cell_id="first"),
        factory.code("y = 2\nx['missing']", cell_id="boom"),
        factory.code("print('never runs')"),
    )
    result = pytester.runpytest("--nbgate")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "nb.ipynb:cell 1 [[]2[]]:2: NB301 [[]error[]] KeyError: 'missing'",
            "*cell 1 (id boom):",
            "*| y = 2",
            "*| x[[]'missing'[]]",
            "*KeyError*Traceback (most recent call last)*",
        ]
    )
    assert "\x1b[" not in result.stdout.str()


def test_timeout_names_the_cell_and_the_limit(pytester: pytest.Pytester, process_mark: str) -> None:
    write(
        pytester, "slow.ipynb", factory.code("x = 1"), factory.code("import time\ntime.sleep(60)")
    )
    result = pytester.runpytest("--nbgate", "--nbgate-timeout=2")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*slow.ipynb:cell 1*: NB303*longer than 2s*", "*stopped after 2.*s*"]
    )


def test_notebook_timeout_bounds_the_sum_of_cells(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    cells = [factory.code("import time\ntime.sleep(1)") for _ in range(5)]
    write(pytester, "long.ipynb", *cells)
    result = pytester.runpytest("--nbgate", "--nbgate-notebook-timeout=2.5")
    result.stdout.fnmatch_lines(["*long.ipynb:cell 2*: NB304*longer than 2.5s*"])


@pytest.mark.parametrize(
    ("source", "status"),
    [
        ("import os\nos._exit(3)", "exit code 3"),
        ("import ctypes\nctypes.string_at(0)", "killed by signal SIGSEGV"),
    ],
    ids=["os-exit", "segfault"],
)
def test_dying_kernel_reports_its_exit_status(
    pytester: pytest.Pytester, process_mark: str, source: str, status: str
) -> None:
    write(pytester, "dies.ipynb", factory.code(source))
    result = pytester.runpytest("--nbgate")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([f"*dies.ipynb:cell 0*: NB305*Kernel died*({status})*"])


def test_missing_kernel_lists_the_installed_ones(pytester: pytest.Pytester) -> None:
    write(pytester, "jl.ipynb", factory.code("1 + 1"), kernel="julia-9.9")
    result = pytester.runpytest("--nbgate")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*jl.ipynb: NB306*No kernel named 'julia-9.9'*available: *python3*"]
    )


def test_kernel_option_overrides_the_kernelspec(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    write(pytester, "jl.ipynb", factory.code("1 + 1"), kernel="julia-9.9")
    result = pytester.runpytest("--nbgate", "--nbgate-kernel=python3")
    result.assert_outcomes(passed=2)


@pytest.mark.parametrize(
    "cell",
    [
        factory.code("raise SystemError('skip me')", tags=("nbgate-skip",)),
        factory.code("raise SystemError('skip me')", tags=("skip-execution",)),
        factory.code("# NBVAL_SKIP\nraise SystemError('skip me')"),
    ],
    ids=["nbgate-tag", "nbmake-tag", "nbval-comment"],
)
def test_skip_markers_are_not_executed(
    pytester: pytest.Pytester, process_mark: str, cell: dict
) -> None:
    write(pytester, "nb.ipynb", cell, factory.code("print('after')"))
    pytester.runpytest("--nbgate").assert_outcomes(passed=2)


@pytest.mark.parametrize(
    "marker",
    [
        {"tags": ("nbgate-raises-exception",)},
        {"tags": ("raises-exception",)},
        {"tags": ("nbval-raises-exception",)},
        {"comment": "# NBVAL_RAISES_EXCEPTION\n"},
    ],
    ids=["nbgate-tag", "nbmake-tag", "nbval-tag", "nbval-comment"],
)
def test_expected_exceptions_pass_and_their_absence_fails(
    pytester: pytest.Pytester, process_mark: str, marker: dict
) -> None:
    tags = marker.get("tags", ())
    comment = marker.get("comment", "")
    write(
        pytester,
        "expects.ipynb",
        factory.code(f"{comment}1 / 0", tags=tags),
        factory.code("print('continues after the expected error')"),
    )
    write(pytester, "absent.ipynb", factory.code(f"{comment}1 / 1", tags=tags))
    result = pytester.runpytest("--nbgate", "-k", "execute")
    result.assert_outcomes(passed=1, failed=1, deselected=2)
    result.stdout.fnmatch_lines(["*absent.ipynb:cell 0*: NB302*tagged to raise an exception*"])


def test_json_report_of_failures_names_notebook_and_cell(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    write(pytester, "nb.ipynb", factory.code("1 / 0", cell_id="zero"))
    pytester.runpytest("--nbgate", "--nbgate-report=json:out/report.json")
    report = json.loads((pytester.path / "out" / "report.json").read_text())
    (finding,) = report["findings"]
    assert finding["rule_id"] == "NB301"
    assert (finding["path"], finding["cell_index"], finding["cell_id"]) == ("nb.ipynb", 0, "zero")
    assert (
        finding["file_line"]
        == factory.dumps(factory.notebook(factory.code("1 / 0", cell_id="zero")))
        .splitlines()
        .index('    "1 / 0"')
        + 1
    )
    assert report["notebooks"] == [
        {"path": "nb.ipynb", "items": {"execute": "failed", "lint": "passed"}}
    ]

"""pylint over notebooks: real pylint, positions counted by hand.

Every expected (cell, line, column) below was counted on the cell sources in
this file; the ``.ipynb`` line is checked by reading that line of the file
text, which must hold the JSON of the same source line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.linters.pylint import (
    PylintError,
    PylintSettings,
    build_module,
    lint_notebooks,
    run_pylint,
)
from pytest_nbgate.notebook.model import Notebook
from tests import factory as f

CELLS = (
    "import os\nimport sys\n%matplotlib inline\n",
    "",
    'DOC = """\nline one\nline two\n"""\n!ls -la\nprint(undefined_name)\n',
    "%%bash\necho $HOME\n",
    "def f(a):\n    leftover = 1\n    return a\nsys.argv\n",
    "x = [1,\n     2]\nx[0]\nlen(x)\n",
)


def magic_notebook(tmp_path: Path, name: str = "nbs/magic.ipynb") -> Notebook:
    nb = f.notebook(f.markdown("# Intro"), *(f.code(source) for source in CELLS))
    return Notebook.read(f.write(tmp_path / name, nb), tmp_path)


def positions(findings: list[Finding]) -> set[tuple[str, int | None, int | None, int | None]]:
    return {
        (x.rule_name, x.location.cell_index, x.location.line, x.location.column) for x in findings
    }


def test_messages_land_on_hand_counted_cell_lines(tmp_path: Path) -> None:
    notebook = magic_notebook(tmp_path)
    findings = lint_notebooks([notebook], PylintSettings())["nbs/magic.ipynb"]
    assert positions(findings) == {
        ("unused-import", 1, 1, 1),
        ("undefined-variable", 3, 6, 7),
        ("missing-function-docstring", 5, 1, 1),
        ("unused-variable", 5, 2, 5),
        ("pointless-statement", 6, 3, 1),
    }
    by_name = {x.rule_name: x for x in findings}
    assert by_name["unused-import"].rule_id == "PLW0611"
    assert by_name["unused-import"].message == "Unused import os"
    assert by_name["undefined-variable"].severity is Severity.ERROR
    assert by_name["missing-function-docstring"].severity is Severity.INFO


def test_file_lines_point_at_the_source_line_in_the_ipynb_text(tmp_path: Path) -> None:
    notebook = magic_notebook(tmp_path)
    lines = notebook.text.splitlines()
    for finding in lint_notebooks([notebook], PylintSettings())["nbs/magic.ipynb"]:
        loc = finding.location
        assert loc.cell_index is not None and loc.line is not None and loc.file_line
        source_line = notebook.cells[loc.cell_index].lines[loc.line - 1]
        assert json.dumps(source_line + "\n")[1:-1] in lines[loc.file_line - 1]


def test_last_expression_of_a_cell_is_reported_only_when_asked(tmp_path: Path) -> None:
    notebook = magic_notebook(tmp_path)
    settings = PylintSettings(display_last_expression=False)
    findings = lint_notebooks([notebook], settings)["nbs/magic.ipynb"]
    assert ("pointless-statement", 5, 4, 1) in positions(findings)


def test_virtual_module_keeps_every_cell_line_in_place(tmp_path: Path) -> None:
    module = build_module(magic_notebook(tmp_path))
    lines = module.text.split("\n")
    assert lines[0] == "# %% cell 1"
    assert module.locate(1) == (1, None)
    assert module.locate(2) == (1, 1)
    assert module.locate(5) == (2, None)  # the empty cell is its marker alone
    assert module.locate(12) == (3, 6)
    assert lines[11] == "print(undefined_name)"
    assert module.locate(len(lines) + 5) is None
    # Bare expressions ending a cell, calls included (IPython displays their value).
    assert module.display_lines == {(1, 3), (3, 6), (5, 4), (6, 4)}


def test_one_run_lints_every_notebook_and_scores_each(tmp_path: Path) -> None:
    clean = f.notebook(f.code('"""Clean."""\nVALUE = 1\nprint(VALUE)\n'))
    r_lang = f.notebook(f.code("x <- 1"), metadata={"language_info": {"name": "R"}})
    notebooks = [
        magic_notebook(tmp_path),
        Notebook.read(f.write(tmp_path / "clean.ipynb", clean), tmp_path),
        Notebook.read(f.write(tmp_path / "r.ipynb", r_lang), tmp_path),
    ]
    run = run_pylint(notebooks, PylintSettings(min_score=5))
    assert run.problems == ()
    assert run.findings["clean.ipynb"] == []
    assert run.findings["r.ipynb"] == []
    assert run.scores["clean.ipynb"] == 10.0
    assert run.scores["r.ipynb"] is None
    # 14 statements (3 + 3 + the %%bash cell's pass + 4 + 3), one error and four others.
    assert run.scores["nbs/magic.ipynb"] == pytest.approx(10 - (5 + 4) / 14 * 10)
    score = [x for x in run.findings["nbs/magic.ipynb"] if x.rule_id == "PL"]
    assert [x.message for x in score] == ["pylint score 3.57/10 (min 5.00)"]
    assert score[0].location.cell_index is None


def test_modules_next_to_the_notebook_are_importable(tmp_path: Path) -> None:
    (tmp_path / "nbs").mkdir()
    (tmp_path / "nbs" / "helpers.py").write_text("def helper():\n    return 1\n")
    nb = f.notebook(f.code("from helpers import helper, missing\nhelper()\n"))
    notebook = Notebook.read(f.write(tmp_path / "nbs" / "uses.ipynb", nb), tmp_path)
    findings = lint_notebooks([notebook], PylintSettings())["nbs/uses.ipynb"]
    assert [x.message for x in findings] == [
        "No name 'missing' in module 'helpers'",
        "Unused missing imported from helpers",
    ]


def test_project_pylint_settings_and_profile_options_pass_through(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.pylint.format]\nmax-line-length = 12\n")
    nb = f.notebook(f.code("value_one = 1\nprint(value_one)\n"))
    notebook = Notebook.read(f.write(tmp_path / "long.ipynb", nb), tmp_path)
    settings = PylintSettings.from_section({}, tmp_path)
    assert settings.rcfile == tmp_path / "pyproject.toml"
    found = lint_notebooks([notebook], settings)["long.ipynb"]
    assert {(x.rule_name, x.location.line) for x in found} == {
        ("line-too-long", 1),
        ("line-too-long", 2),
    }
    section = {"options": {"max-line-length": 100}, "enable": ["invalid-name"]}
    wider = PylintSettings.from_section(section, tmp_path)
    found = lint_notebooks([notebook], wider)["long.ipynb"]
    assert {x.rule_name for x in found} == {"invalid-name"}


def test_settings_from_section_defaults(tmp_path: Path) -> None:
    settings = PylintSettings.from_section({}, tmp_path)
    assert not settings.enabled
    assert "missing-module-docstring" in settings.disable
    assert settings.rcfile is None and settings.min_score is None
    assert "--rcfile=" in settings.arguments()
    custom = PylintSettings.from_section({"enabled": True, "disable": [], "min-score": 8}, tmp_path)
    assert custom.enabled and custom.disable == () and custom.min_score == 8.0


def test_unknown_pylint_option_is_an_error(tmp_path: Path) -> None:
    settings = PylintSettings(options={"no-such-option": "1"})
    with pytest.raises(PylintError, match="pylint refused"):
        run_pylint([magic_notebook(tmp_path)], settings)


def test_semicolon_hiding_a_cells_last_value_is_not_reported(tmp_path: Path) -> None:
    nb = f.notebook(f.code("value = 1;\nprint(value);\n"), f.code("print(2);\n\n# done\n"))
    notebook = Notebook.read(f.write(tmp_path / "semi.ipynb", nb), tmp_path)
    found = lint_notebooks([notebook], PylintSettings())["semi.ipynb"]
    assert positions(found) == {("unnecessary-semicolon", 0, 1, 1)}
    everything = lint_notebooks([notebook], PylintSettings(display_last_expression=False))
    assert len(everything["semi.ipynb"]) == 3

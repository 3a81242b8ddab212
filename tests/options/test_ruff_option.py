"""The ::ruff item: opt-in, ruff's own codes at the right cell, line and .ipynb line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import factory

PYPROJECT = """
[tool.ruff.lint]
select = ["F", "B006", "E402"]
"""


def _findings(pytester: pytest.Pytester, *args: str) -> list[dict[str, Any]]:
    result = pytester.runpytest("--nbgate", "--nbgate-report=json:r.json", "-k", "ruff", *args)
    assert result.ret in (0, 1), result.stdout.str()
    report = json.loads((pytester.path / "r.json").read_text())
    findings: list[dict[str, Any]] = report["findings"]
    return findings


def test_ruff_items_only_when_asked(pytester: pytest.Pytester) -> None:
    factory.write(pytester.path / "a.ipynb", factory.notebook(factory.code("x = 1")))
    assert "::ruff" not in pytester.runpytest("--nbgate", "--collect-only", "-q").stdout.str()
    result = pytester.runpytest("--nbgate", "--nbgate-ruff", "--collect-only", "-q")
    assert "a.ipynb::ruff" in result.stdout.str()
    pytester.makefile(".yaml", p="ruff: {enabled: true}\n")
    result = pytester.runpytest("--nbgate", "--nbgate-profile=p.yaml", "--collect-only", "-q")
    assert "a.ipynb::ruff" in result.stdout.str()


def test_ruff_messages_land_on_the_cells_past_magics_and_markdown(
    pytester: pytest.Pytester,
) -> None:
    nb = factory.notebook(
        factory.markdown("# Title"),
        factory.code("%matplotlib inline\n!ls -l\nimport os", cell_id="imports"),
        factory.markdown("Some prose"),
        factory.code("def f(x=[]):\n    return x\n\n\nvalue = undefined_name", cell_id="fn"),
        factory.code("import sys\nsys.path"),
    )
    factory.write(pytester.path / "a.ipynb", nb)
    pytester.makepyprojecttoml(PYPROJECT)
    findings = _findings(pytester, "--nbgate-ruff")
    by_id = {f["rule_id"]: f for f in findings}
    text = factory.dumps(nb).splitlines()
    assert (by_id["F401"]["cell_id"], by_id["F401"]["line"]) == ("imports", 3)
    assert by_id["F401"]["rule_name"] == "unused-import"
    assert "import os" in text[by_id["F401"]["file_line"] - 1]
    assert (by_id["F821"]["cell_id"], by_id["F821"]["line"], by_id["F821"]["column"]) == (
        "fn",
        5,
        9,
    )
    assert by_id["F821"]["severity"] == "error"
    assert "undefined_name" in text[by_id["F821"]["file_line"] - 1]
    # From the project's [tool.ruff]; E402 is selected there but is notebook noise here.
    assert (by_id["B006"]["cell_id"], by_id["B006"]["line"]) == ("fn", 1)
    assert "E402" not in by_id
    assert len(findings) == 3


def test_profile_ruff_section_chooses_rules(pytester: pytest.Pytester) -> None:
    nb = factory.notebook(factory.code("import os\nx = 1;\ny = 2;"), factory.code("import json"))
    factory.write(pytester.path / "a.ipynb", nb)
    pytester.makefile(".yaml", p="ruff: {enabled: true, select: [E7], ignore: []}\n")
    findings = _findings(pytester, "--nbgate-profile=p.yaml")
    assert [(f["rule_id"], f["cell_index"]) for f in findings] == [("E703", 0)]


def test_unparsable_cell_is_an_error_finding(pytester: pytest.Pytester) -> None:
    nb = factory.notebook(factory.code("x = 1"), factory.code("def broken(:\n    pass"))
    factory.write(pytester.path / "a.ipynb", nb)
    findings = _findings(pytester, "--nbgate-ruff")
    assert findings
    assert {(f["rule_id"], f["cell_index"], f["severity"]) for f in findings} == {
        ("RUFF", 1, "error")
    }


def test_bad_ruff_configuration_is_a_finding_not_a_crash(pytester: pytest.Pytester) -> None:
    factory.write(pytester.path / "a.ipynb", factory.notebook(factory.code("x = 1")))
    pytester.makepyprojecttoml('[tool.ruff.lint]\nselect = "not a list"\n')
    result = pytester.runpytest("--nbgate", "--nbgate-ruff", "-k", "ruff")
    result.assert_outcomes(failed=1)
    assert "INTERNALERROR" not in result.stdout.str()
    assert "RUFF [error] ruff exited with status 2" in result.stdout.str()


def test_notebook_outside_ruff_project_config_still_linted(tmp_path: Path) -> None:
    from pytest_nbgate.linters.ruff import RuffSettings, run_ruff
    from pytest_nbgate.notebook.model import Notebook

    path = factory.write(tmp_path / "n.ipynb", factory.notebook(factory.code("import os")))
    (tmp_path / "pyproject.toml").write_text('[tool.ruff]\nextend-exclude = ["*.ipynb"]\n')
    notebook = Notebook.read(path, tmp_path)
    found = run_ruff([notebook], RuffSettings(enabled=True), tmp_path)
    assert [f.rule_id for f in found["n.ipynb"]] == ["F401"]


def test_notebooks_in_other_languages_are_not_given_to_ruff(tmp_path: Path) -> None:
    from pytest_nbgate.linters.ruff import RuffSettings, run_ruff
    from pytest_nbgate.notebook.model import Notebook

    r_notebook = factory.notebook(factory.code("x <- c(1, 2)\nlibrary(dplyr)"), kernel="ir")
    r_notebook["metadata"]["language_info"] = {"name": "R"}
    path = factory.write(tmp_path / "r.ipynb", r_notebook)
    found = run_ruff([Notebook.read(path, tmp_path)], RuffSettings(enabled=True), tmp_path)
    assert found == {"r.ipynb": []}

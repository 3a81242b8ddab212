"""Text notebooks read with jupytext: collected only with a header, findings on their own lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.notebook.reading import NotebookError
from tests import factory

HEADER = """# ---
# jupyter:
#   jupytext:
#     formats: {formats}
#     text_representation:
#       extension: .py
#       format_name: {name}
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---
"""
PERCENT = (
    HEADER.format(formats="py:percent", name="percent")
    + "\n# %% [markdown]\n# # Title\n\n# %%\nx = 1\nprint(x)\n"
    + "\n# %%\ny = x + 1\nprint(y, undefined_thing)\n"
)
LIGHT = HEADER.format(formats="py:light", name="light") + "\nx = 1\n\nprint(x)\n"
MYST = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Title

```{code-cell} ipython3
print(21 * 2)
```
"""


def run(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict]:
    result = pytester.runpytest("--nbgate", "--nbgate-report=json:report.json", *args)
    return result, json.loads((pytester.path / "report.json").read_text())


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_text_notebooks_are_collected_only_with_a_header_and_findings_use_their_lines(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    (pytester.path / "pct.py").write_text(PERCENT)
    (pytester.path / "light.py").write_text(LIGHT)
    (pytester.path / "myst.md").write_text(MYST)
    (pytester.path / "script.py").write_text("print(undefined_in_a_plain_script)\n")
    (pytester.path / "README.md").write_text("---\ntitle: not a notebook\n---\n\n# Hi\n")
    result, report = run(pytester)
    outcomes = {entry["path"]: entry["items"] for entry in report["notebooks"]}
    assert outcomes == {
        "light.py": {"lint": "passed", "execute": "passed"},
        "myst.md": {"lint": "passed", "execute": "passed"},
        "pct.py": {"lint": "failed", "execute": "failed"},
    }
    lines = {(f["rule_id"], f["file_line"]) for f in report["findings"]}
    expected = line_of(PERCENT, "undefined_thing")
    assert lines == {("NB207", expected), ("NB301", expected)}
    result.stdout.fnmatch_lines(["*pct.py:cell 2:2: NB301*NameError*"])


def test_external_goldens_work_and_the_notebook_store_is_a_configuration_error(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    (pytester.path / "myst.md").write_text(MYST)
    (pytester.path / "ext.yaml").write_text("extends: default\nsnapshots:\n  store: external\n")
    run(pytester, "--nbgate-profile=ext.yaml", "--nbgate-update")[0].assert_outcomes(passed=2)
    golden = pytester.path / "__snapshots__" / "myst.md.golden.txt"
    assert "42" in golden.read_text()
    (pytester.path / "myst.md").write_text(MYST.replace("21 * 2", "21 * 3"))
    result, report = run(pytester, "--nbgate-profile=ext.yaml")
    result.assert_outcomes(passed=1, failed=1)
    assert [f["rule_id"] for f in report["findings"]] == ["NB401"]
    (pytester.path / "nb.yaml").write_text("extends: default\nsnapshots:\n  store: notebook\n")
    result = pytester.runpytest("--nbgate", "--nbgate-profile=nb.yaml")
    result.stdout.fnmatch_lines(
        ["*myst.md: a text notebook has no outputs*snapshots.store: external*"]
    )
    assert "INTERNALERROR" not in result.stdout.str()


def paired(path: Path, code_cells: list[str]) -> None:
    cells = [factory.code(source) for source in code_cells]
    nb = factory.notebook(*cells, metadata={"jupytext": {"formats": "ipynb,py:percent"}})
    factory.write(path, nb)


def test_a_pair_is_gated_once_and_drift_is_a_finding(
    pytester: pytest.Pytester,
) -> None:
    header = HEADER.format(formats="ipynb,py:percent", name="percent")
    paired(pytester.path / "same.ipynb", ["x = 1", "print(x)"])
    (pytester.path / "same.py").write_text(header + "\n# %%\nx = 1\n\n# %%\nprint(x)\n")
    paired(pytester.path / "drift.ipynb", ["x = 1", "print(x)"])
    (pytester.path / "drift.py").write_text(header + "\n# %%\nx = 2\n\n# %%\nprint(x)\n")
    report = run(pytester, "--nbgate-no-execute")[1]
    outcomes = {entry["path"]: entry["items"] for entry in report["notebooks"]}
    assert outcomes == {"drift.ipynb": {"lint": "failed"}, "same.ipynb": {"lint": "passed"}}
    (finding,) = report["findings"]
    assert (finding["rule_id"], finding["cell_index"]) == ("NB208", 0)
    assert "drift.py" in finding["message"]


def test_a_plain_script_named_explicitly_is_a_clear_reading_error(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text("print('hello')\n")
    with pytest.raises(NotebookError, match=r"script.py: a \.py file is a notebook only with"):
        Notebook.read(script, tmp_path)


def test_markdown_and_code_cells_of_a_myst_file_map_to_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "myst.md"
    path.write_text(MYST)
    notebook = Notebook.read(path, tmp_path)
    assert notebook.text_format == "md:myst"
    code_cell = notebook.code_cells[0]
    assert notebook.file_line(code_cell.index, 1) == line_of(MYST, "print(21 * 2)")
    assert notebook.file_line(0, 1) == line_of(MYST, "# Title")

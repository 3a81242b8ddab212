"""The notebook model maps cells, source lines and outputs to lines of the raw .ipynb text."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from pytest_nbgate.notebook.model import Notebook, NotebookError
from tests import factory

SOURCE = "import os\n\nx = 1\nprint(x)"
CELLS = (
    factory.markdown("# Title\nsome text"),
    factory.code(SOURCE, outputs=[factory.stream("1\n"), factory.stream("warn\n", "stderr")]),
    factory.code("y = 2"),
)


def _line_of(text: str, needle: str, start: int = 0) -> int:
    """1-based line of the first line containing ``needle`` at or after line ``start``."""
    lines = text.splitlines()
    return next(i for i, line in enumerate(lines[start:], start) if needle in line) + 1


def _layouts() -> dict[str, str]:
    nb = factory.notebook(*CELLS)
    minified = json.dumps(nb)
    hand = json.dumps(nb, indent=4).replace('"source": [\n', '"source":\n    [\n')
    return {
        "nbformat-writer": nbformat.writes(nbformat.from_dict(nb)),
        "jupyterlab-indent": json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
        "hand-formatted": hand,
        "minified": minified,
    }


@pytest.mark.parametrize("layout", list(_layouts()))
def test_source_lines_and_outputs_map_to_file_lines(layout: str) -> None:
    text = _layouts()[layout]
    nb = Notebook.from_bytes(text.encode(), Path("nb.ipynb").absolute(), "nb.ipynb")
    code = nb.cells[1]
    assert code.lines == SOURCE.split("\n")
    for number, line in enumerate(code.lines, start=1):
        if not line:
            continue
        file_line = nb.file_line(1, number)
        assert file_line is not None
        assert json.dumps(line)[1:-1] in text.splitlines()[file_line - 1], (layout, number)
    stderr_line = nb.file_line(1, output_index=1)
    assert stderr_line is not None
    assert stderr_line <= _line_of(text, "warn") if layout != "minified" else stderr_line == 1


def test_string_source_maps_every_line_to_the_string() -> None:
    nb = factory.notebook(factory.code("a = 1"))
    nb["cells"][0]["source"] = "a = 1\nb = 2\n"
    text = json.dumps(nb, indent=1)
    model = Notebook.from_bytes(text.encode(), Path("x.ipynb"), "x.ipynb")
    expected = _line_of(text, "a = 1")
    assert model.file_line(0, 1) == model.file_line(0, 2) == expected


def test_model_is_immutable_and_joins_multiline_strings() -> None:
    nb = factory.load(
        factory.notebook(factory.code("x", outputs=[factory.result({"text/plain": "a\nb"})]))
    )
    output = nb.cells[0].outputs[0]
    assert output.data["text/plain"] == "a\nb"
    with pytest.raises(AttributeError):
        nb.cells[0].source = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        nb.metadata["kernelspec"] = {}  # type: ignore[index]


def test_bom_and_crlf_files_are_read() -> None:
    text = factory.dumps(factory.notebook(factory.code("x = 1"))).replace("\n", "\r\n")
    nb = Notebook.from_bytes(b"\xef\xbb\xbf" + text.encode(), Path("b.ipynb"), "b.ipynb")
    assert nb.cells[0].source == "x = 1"
    assert nb.file_line(0, 1) == _line_of(text, '"x = 1"')


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.ipynb"
    with pytest.raises(NotebookError, match=r"gone\.ipynb: cannot read file") as info:
        Notebook.read(path, tmp_path)
    assert info.value.rule_id == "NB004"

"""Both stores without kernels: fresh outputs are built in code, as a kernel would give them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.snapshots import (
    SnapshotSettings,
    compare_notebook,
    remove_unused,
    unused_goldens,
    write_golden,
)
from pytest_nbgate.snapshots.external import GoldenCell, GoldenFormatError, parse, render
from tests import factory


def cells(*outputs: list[dict[str, Any]], tags: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [
        factory.code(f"cell_{i}()", out, execution_count=i + 1, cell_id=f"c{i}", tags=tags)
        for i, out in enumerate(outputs)
    ]


def fresh(golden: Notebook, *outputs: list[dict[str, Any]]) -> Notebook:
    raw = json.loads(json.dumps(dict(golden.raw)))
    for cell, out in zip(raw["cells"], outputs, strict=True):
        cell["outputs"] = out
    return Notebook.from_dict(raw, golden.path, golden.relpath)


def everything(notebook: Notebook) -> frozenset[int]:
    return frozenset(cell.index for cell in notebook.code_cells)


def setup(tmp_path: Path, *outputs: list[dict[str, Any]], **section: Any) -> tuple:
    path = factory.write(tmp_path / "nb.ipynb", factory.notebook(*cells(*outputs)))
    return Notebook.read(path, tmp_path), SnapshotSettings.from_section(section, tmp_path)


def test_missing_external_golden_fails_with_update_hint_then_update_creates_it(
    tmp_path: Path,
) -> None:
    golden, settings = setup(tmp_path, [factory.stream("hi\n")], store="external")
    run = fresh(golden, [factory.stream("hi\n")])
    (finding,) = compare_notebook(golden, run, settings, executed_cells=everything(golden))
    assert finding.rule_id == "NB402"
    assert "run pytest --nbgate --nbgate-update" in finding.message
    written = write_golden(golden, run, settings, everything(golden))
    assert written == tmp_path / "__snapshots__" / "nb.ipynb.golden.txt"
    assert compare_notebook(golden, run, settings, executed_cells=everything(golden)) == []
    assert write_golden(golden, run, settings, everything(golden)) is None


def test_new_cell_without_section_is_missing_and_create_missing_adds_only_it(
    tmp_path: Path,
) -> None:
    golden, settings = setup(tmp_path, [factory.stream("a\n")], store="external")
    write_golden(golden, fresh(golden, [factory.stream("a\n")]), settings, everything(golden))
    path = factory.write(golden.path, factory.notebook(*cells([], [])))
    golden = Notebook.read(path, tmp_path)
    run = fresh(golden, [factory.stream("CHANGED\n")], [factory.stream("new\n")])
    ids = [
        f.rule_id
        for f in compare_notebook(golden, run, settings, executed_cells=everything(golden))
    ]
    assert sorted(ids) == ["NB401", "NB402"]
    write_golden(golden, run, settings, everything(golden), missing_only=True)
    findings = compare_notebook(golden, run, settings, executed_cells=everything(golden))
    assert [(f.rule_id, f.location.cell_id) for f in findings] == [("NB401", "c0")]


def test_only_executed_cells_are_compared(tmp_path: Path) -> None:
    golden, settings = setup(tmp_path, [factory.stream("a\n")], [factory.stream("b\n")])
    run = fresh(golden, [factory.stream("X\n")], [factory.stream("Y\n")])
    findings = compare_notebook(golden, run, settings, executed_cells=frozenset({1}))
    assert [f.location.cell_index for f in findings] == [1]


def test_mismatch_names_cell_id_first_line_mime_and_output_line(tmp_path: Path) -> None:
    golden, settings = setup(tmp_path, [factory.result({"text/plain": "41"})])
    run = fresh(golden, [factory.result({"text/plain": "42"})])
    (finding,) = compare_notebook(golden, run, settings, executed_cells=everything(golden))
    assert finding.message == "Output differs from the golden copy in output 0 text/plain"
    assert finding.detail.startswith("cell 0, id 'c0', first line: 'cell_0()'\nnormalisers: ")
    assert finding.detail.endswith("@@ -1 +1 @@\n-41\n+42")
    assert finding.location.output_index == 0
    assert golden.text.splitlines()[finding.location.file_line - 1].strip() == "{"


def test_huge_diff_is_capped_in_the_finding(tmp_path: Path) -> None:
    many = "".join(f"line {i}\n" for i in range(5000))
    golden, settings = setup(tmp_path, [factory.stream(many)], **{"max-diff-lines": 50})
    run = fresh(golden, [factory.stream(many.replace("line", "LINE"))])
    (finding,) = compare_notebook(golden, run, settings, executed_cells=everything(golden))
    lines = finding.detail.splitlines()
    assert len(lines) == 51 and lines[-1].endswith("more lines not shown")


def test_stripped_notebook_in_notebook_store_is_missing_goldens_when_required(
    tmp_path: Path,
) -> None:
    path = factory.write(tmp_path / "nb.ipynb", factory.notebook(factory.code("print(1)")))
    golden = Notebook.read(path, tmp_path)
    run = fresh(golden, [factory.stream("1\n")])
    lenient = SnapshotSettings.from_section({}, tmp_path)
    assert compare_notebook(golden, run, lenient, executed_cells=everything(golden)) == []
    settings = SnapshotSettings.from_section({"require-outputs": True}, tmp_path)
    (finding,) = compare_notebook(golden, run, settings, executed_cells=everything(golden))
    assert finding.rule_id == "NB402" and finding.location.cell_index is None


def test_external_golden_file_is_plain_text_and_round_trips() -> None:
    cells_in = [
        GoldenCell("a1", "print(x)", {"stdout": "| not structure\n[cell x]\n\nend", "stderr": ""}),
        GoldenCell("#3", "", {"output 0 image/png": "nb.images/a.png 2x2 sha256:00"}),
    ]
    text = render("nb.ipynb", cells_in, frozenset({"image/png"}))
    assert "| | not structure\n| [cell x]\n|\n| end\nstderr:\n|\n" in text
    parsed = parse(text)
    assert [c.items for c in parsed.values()] == [c.items for c in cells_in]


def test_broken_golden_file_is_reported_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(GoldenFormatError, match="line 3"):
        parse("[cell a]\nstdout:\n<<<<<<< HEAD\n")
    golden, settings = setup(tmp_path, [], store="external")
    (tmp_path / "__snapshots__").mkdir()
    (tmp_path / "__snapshots__" / "nb.ipynb.golden.txt").write_text("[cell c0]\n=======\n")
    (finding,) = compare_notebook(golden, golden, settings, executed_cells=everything(golden))
    assert finding.rule_id == "NB404" and "line 2" in finding.message


def test_unused_goldens_are_reported_and_removed(tmp_path: Path) -> None:
    golden, settings = setup(tmp_path, [factory.stream("a\n")], [], store="external")
    write_golden(golden, golden, settings, everything(golden))
    orphan = tmp_path / "__snapshots__" / "gone" / "old.ipynb.golden.txt"
    orphan.parent.mkdir(parents=True)
    orphan.write_text("[cell x]\nstdout:\n| old\n")
    golden = Notebook.read(factory.write(golden.path, factory.notebook(*cells([]))), tmp_path)
    findings = unused_goldens(settings, [golden], [golden.path])
    assert sorted(f.message for f in findings) == [
        "Golden file of gone/old.ipynb (notebook not found) is unused; "
        "pytest --nbgate --nbgate-update removes it",
        "Golden section [cell c1] of nb.ipynb is unused; "
        "pytest --nbgate --nbgate-update removes it",
    ]
    section = next(f for f in findings if "c1" in f.message)
    assert section.location.path == "__snapshots__/nb.ipynb.golden.txt"
    assert section.location.file_line == 8
    remove_unused(settings, [golden], [golden.path])
    assert not orphan.exists() and not orphan.parent.exists()
    assert unused_goldens(settings, [golden], [golden.path]) == []
    assert "[cell c0]" in (tmp_path / "__snapshots__" / "nb.ipynb.golden.txt").read_text()


def test_deselected_notebook_keeps_its_golden(tmp_path: Path) -> None:
    golden, settings = setup(tmp_path, [factory.stream("a\n")], store="external")
    write_golden(golden, golden, settings, everything(golden))
    assert unused_goldens(settings, [], [golden.path]) == []
    assert unused_goldens(settings, [], []) == []


@pytest.mark.parametrize("folder", ["../outside", "/somewhere/else", "a/../../b"])
def test_snapshot_folders_outside_the_project_are_rejected(tmp_path: Path, folder: str) -> None:
    with pytest.raises(ValueError, match="outside the project root"):
        SnapshotSettings.from_section({"folder": folder}, tmp_path)
    with pytest.raises(ValueError, match="outside the project root"):
        SnapshotSettings.from_section({"image-diff-folder": folder}, tmp_path)


def test_notebook_outside_the_project_has_no_external_golden(tmp_path: Path) -> None:
    settings = SnapshotSettings.from_section({"store": "external"}, tmp_path)
    with pytest.raises(ValueError, match="outside the project root"):
        settings.golden_path("/elsewhere/nb.ipynb")
    with pytest.raises(ValueError, match="outside the project root"):
        settings.golden_path("../../nb.ipynb")


def test_update_keeps_file_mode_and_leaves_no_temp_files(tmp_path: Path) -> None:
    golden, settings = setup(tmp_path, [factory.stream("a\n")])
    os.chmod(golden.path, 0o640)
    write_golden(golden, fresh(golden, [factory.stream("b\n")]), settings, everything(golden))
    assert golden.path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["nb.ipynb"]

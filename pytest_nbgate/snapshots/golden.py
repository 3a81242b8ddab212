"""Compare a notebook's fresh outputs with its goldens, and write goldens on update."""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

from pytest_nbgate.checks.snapshots import GoldenInvalid, GoldenMissing, OutputMismatch
from pytest_nbgate.files import inside_root, remove_file, write_bytes
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Cell, Notebook
from pytest_nbgate.snapshots import ipynb, nbreg, store
from pytest_nbgate.snapshots.comparable import (
    IMAGE_MIMES,
    Item,
    cell_items,
    cell_key,
    output_checked,
)
from pytest_nbgate.snapshots.compare import CellComparison, compare_cell, describe, image_stem
from pytest_nbgate.snapshots.external import GoldenCell, render
from pytest_nbgate.snapshots.images import digest, extension, size_of
from pytest_nbgate.snapshots.settings import SnapshotSettings

Verdicts = dict[int, CellComparison | None]
"""Checked, executed cell index -> comparison, or ``None`` when it has no golden."""


def _verdicts(
    golden_source: Notebook,
    executed: Notebook,
    settings: SnapshotSettings,
    executed_cells: frozenset[int],
    goldens: store.Goldens,
    *,
    image_diffs: bool,
) -> Verdicts:
    verdicts: Verdicts = {}
    for index in sorted(executed_cells):
        cell = golden_source.cells[index]
        if not output_checked(cell, settings):
            continue
        golden = goldens.cells.get(index)
        if golden is None:
            verdicts[index] = None
            continue
        fresh = cell_items(executed.cells[index], settings)
        golden, fresh = nbreg.adjusted(golden_source, index, golden, fresh)
        stem = image_stem(cell, golden_source.relpath, settings) if image_diffs else None
        if stem is not None:
            inside_root(settings.root, stem, "image diff")
        verdicts[index] = compare_cell(cell, golden, fresh, settings, image_stem=stem)
    return verdicts


def compare_notebook(
    golden_source: Notebook,
    executed: Notebook,
    settings: SnapshotSettings,
    *,
    executed_cells: frozenset[int],
) -> list[Finding]:
    """NB401/NB402/NB404 findings for the cells in ``executed_cells``."""
    if not settings.enabled:
        return []
    goldens = store.load(golden_source, settings)
    if goldens.invalid is not None:
        return [goldens.invalid]
    verdicts = _verdicts(
        golden_source, executed, settings, executed_cells, goldens, image_diffs=True
    )
    if _notebook_missing(golden_source, executed, settings, goldens, verdicts):
        return [GoldenMissing.at(golden_source, what=golden_source.relpath)]
    findings: list[Finding] = []
    for index, verdict in verdicts.items():
        cell = golden_source.cells[index]
        if verdict is None and settings.store == "external":
            findings.append(GoldenMissing.at(golden_source, cell, what=_cell_name(cell)))
        elif verdict is not None and not verdict.equal:
            findings.append(_mismatch(golden_source, cell, verdict, settings))
    return findings


def check(
    notebook: Notebook,
    executed: Notebook,
    executed_cells: frozenset[int],
    settings: SnapshotSettings,
    *,
    update: bool,
    safe_to_write: bool,
) -> list[Finding]:
    """The golden decision for one finished run: compare, or write on update.

    Goldens are never written when a fresh output leaks a secret or personal
    datum (``safe_to_write`` false): the leak would be saved to disk. With
    ``create-missing``, absent goldens are written and not reported.
    """
    try:
        if update and safe_to_write:
            write_golden(notebook, executed, settings, executed_cells)
            return []
        found = compare_notebook(notebook, executed, settings, executed_cells=executed_cells)
        missing = [f for f in found if f.rule_id == GoldenMissing.id]
        if missing and settings.create_missing and safe_to_write:
            write_golden(notebook, executed, settings, executed_cells, missing_only=True)
            return [f for f in found if f.rule_id != GoldenMissing.id]
        return found
    except ValueError as exc:
        # A golden path outside the project (a notebook collected from outside it).
        return [GoldenInvalid.at(notebook, path=notebook.relpath, problem=str(exc))]


def _notebook_missing(
    golden_source: Notebook,
    executed: Notebook,
    settings: SnapshotSettings,
    goldens: store.Goldens,
    verdicts: Verdicts,
) -> bool:
    """No golden at all: the external file is missing, or a stripped notebook prints."""
    if settings.store == "external":
        return not goldens.exists and bool(verdicts)
    if not settings.require_outputs:
        # A stripped notebook (nbstripout) has nothing to compare; the external store is for it.
        return False
    return not goldens.cells and any(executed.cells[index].outputs for index in verdicts)


def _cell_name(cell: Cell) -> str:
    return f"Cell {cell.index}" + (f" (id {cell.id})" if cell.id else "")


def _mismatch(
    notebook: Notebook, cell: Cell, verdict: CellComparison, settings: SnapshotSettings
) -> Finding:
    keys = [section.key for section in verdict.sections]
    what = ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
    return OutputMismatch.at(
        notebook,
        cell,
        output_index=verdict.sections[0].output_index,
        evidence="\x1f".join(keys),
        detail=describe(cell, verdict, settings),
        what=what,
    )


def write_golden(
    golden_source: Notebook,
    executed: Notebook,
    settings: SnapshotSettings,
    executed_cells: frozenset[int],
    *,
    missing_only: bool = False,
) -> Path | None:
    """Write the fresh goldens of ``executed_cells`` atomically; returns the path if it changed.

    Items equal to their golden after normalisation keep the golden's bytes,
    so an update only shows real changes. ``missing_only`` (``create-missing``)
    adds goldens that do not exist and leaves differing ones alone.
    """
    if not settings.enabled:
        return None
    goldens = store.load(golden_source, settings)
    verdicts = _verdicts(
        golden_source, executed, settings, executed_cells, goldens, image_diffs=False
    )
    if settings.store == "notebook":
        return _write_notebook(golden_source, executed, executed_cells, verdicts, missing_only)
    return _write_external(
        golden_source, executed, settings, executed_cells, verdicts, goldens, missing_only
    )


def _write_notebook(
    golden_source: Notebook,
    executed: Notebook,
    executed_cells: frozenset[int],
    verdicts: Verdicts,
    missing_only: bool,
) -> Path | None:
    changes: dict[int, tuple[list[Any], int | None]] = {}
    for index in sorted(executed_cells):
        cell = golden_source.cells[index]
        if not cell.is_code:
            continue
        unrun = cell.execution_count is None and not cell.outputs
        verdict = verdicts.get(index)
        missing = unrun if index not in verdicts else verdict is None
        if missing_only and not missing:
            continue
        count = executed.cells[index].execution_count
        fresh = missing or (verdict is not None and not verdict.equal)
        outputs = _raw(executed.cells[index]) if fresh else _recounted(_raw(cell), count)
        changes[index] = (outputs, count)
    if not changes:
        return None
    text = ipynb.rewrite(golden_source.text, changes)
    if text == golden_source.text:
        return None
    bom = codecs.BOM_UTF8 if golden_source.path.read_bytes().startswith(codecs.BOM_UTF8) else b""
    write_bytes(golden_source.path, bom + text.encode("utf-8"))
    return golden_source.path


def _raw(cell: Cell) -> list[Any]:
    return [json.loads(json.dumps(dict(output.raw))) for output in cell.outputs]


def _recounted(outputs: list[Any], count: int | None) -> list[Any]:
    """Kept outputs get the fresh execution count, so counts stay in order after an update."""
    for output in outputs:
        if output.get("output_type") == "execute_result":
            output["execution_count"] = count
    return outputs


def _write_external(
    golden_source: Notebook,
    executed: Notebook,
    settings: SnapshotSettings,
    executed_cells: frozenset[int],
    verdicts: Verdicts,
    goldens: store.Goldens,
    missing_only: bool,
) -> Path | None:
    path = settings.golden_path(golden_source.relpath)
    images: dict[Path, bytes] = {}
    cells: list[GoldenCell] = []
    for cell in golden_source.code_cells:
        old = goldens.external.get(cell_key(cell))
        if not output_checked(cell, settings):
            continue
        if cell.index not in executed_cells or (missing_only and old is not None):
            cells.extend([old] if old is not None else [])
            continue
        fresh = cell_items(executed.cells[cell.index], settings)
        verdict = verdicts.get(cell.index)
        equal = verdict.equal_keys if verdict is not None and old is not None else frozenset()
        items = {
            key: old.items[key]
            if old is not None and key in equal
            else _stored(item, cell, path, images)
            for key, item in fresh.items()
        }
        cells.append(GoldenCell(cell_key(cell), _first_line(cell), items))
    text = render(golden_source.relpath, cells, IMAGE_MIMES)
    for image_path, data in images.items():
        if not image_path.exists():
            write_bytes(image_path, data)
    changed = not path.is_file() or path.read_text(encoding="utf-8") != text
    if changed:
        write_bytes(path, text.encode("utf-8"))
    prune_images(path, cells, settings)
    return path if changed else None


def _stored(item: Item, cell: Cell, golden_path: Path, images: dict[Path, bytes]) -> str:
    if item.image is None:
        return item.text
    folder = images_folder(golden_path)
    position = item.key.split(" ")[1]
    # The digest in the name keeps the old file until the text stops referring to it.
    name = f"{_safe(cell_key(cell))}-out{position}-{digest(item.image)}.{extension(item.mime)}"
    images[folder / name] = item.image
    return f"{folder.name}/{name} {size_of(item.image)} sha256:{digest(item.image)}"


def _safe(text: str) -> str:
    return "".join(char if char.isalnum() or char in "-_" else "_" for char in text)


def _first_line(cell: Cell) -> str:
    return next((line.strip() for line in cell.lines if line.strip()), "")


def prune_images(golden_path: Path, cells: list[GoldenCell], settings: SnapshotSettings) -> None:
    """Remove side images no section refers to (after the text file was written)."""
    folder = images_folder(golden_path)
    if not folder.is_dir():
        return
    used = {
        (golden_path.parent / store.image_reference(text)).resolve()
        for cell in cells
        for key, text in cell.items.items()
        if store.item_mime(key) in IMAGE_MIMES
    }
    for image in folder.iterdir():
        if image.is_file() and image.resolve() not in used:
            remove_file(image, settings.folder)


def images_folder(golden_path: Path) -> Path:
    return golden_path.parent / (golden_path.name.removesuffix(".golden.txt") + ".images")

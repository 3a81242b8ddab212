"""Reading goldens from either store into comparable items, per cell index."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pytest_nbgate.checks.snapshots import GoldenInvalid
from pytest_nbgate.files import inside_root
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Cell, Notebook
from pytest_nbgate.snapshots.comparable import (
    IMAGE_MIMES,
    Item,
    cell_items,
    cell_key,
    output_checked,
    stderr_checked,
)
from pytest_nbgate.snapshots.external import GoldenCell, GoldenFormatError, parse
from pytest_nbgate.snapshots.settings import SnapshotSettings


@dataclass
class Goldens:
    """The golden side of one notebook."""

    cells: dict[int, dict[str, Item]] = field(default_factory=dict)
    """Cell index -> items, for checked code cells that have a golden."""
    exists: bool = True
    """False when the external golden file is missing."""
    invalid: Finding | None = None
    external: dict[str, GoldenCell] = field(default_factory=dict)
    path: Path | None = None


def load(notebook: Notebook, settings: SnapshotSettings) -> Goldens:
    if settings.store == "notebook":
        return _from_notebook(notebook, settings)
    return _from_file(notebook, settings)


def _from_notebook(notebook: Notebook, settings: SnapshotSettings) -> Goldens:
    goldens = Goldens()
    for cell in notebook.code_cells:
        # nbval: a reference cell that never ran has nothing to compare against.
        if output_checked(cell, settings) and (cell.execution_count is not None or cell.outputs):
            goldens.cells[cell.index] = cell_items(cell, settings)
    return goldens


def _from_file(notebook: Notebook, settings: SnapshotSettings) -> Goldens:
    path = settings.golden_path(notebook.relpath)
    if not path.is_file():
        return Goldens(exists=False, path=path)
    try:
        parsed = parse(path.read_text(encoding="utf-8"))
    except (GoldenFormatError, UnicodeDecodeError, OSError) as exc:
        shown = _relative(path, settings.root)
        return Goldens(invalid=GoldenInvalid.at(notebook, path=shown, problem=str(exc)), path=path)
    goldens = Goldens(external=parsed, path=path)
    for cell in notebook.code_cells:
        stored = parsed.get(cell_key(cell))
        if stored is not None and output_checked(cell, settings):
            goldens.cells[cell.index] = _items(cell, stored, path.parent, settings)
    return goldens


def _items(
    cell: Cell, stored: GoldenCell, base: Path, settings: SnapshotSettings
) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for key, text in stored.items.items():
        mime = item_mime(key)
        if mime == "stream" and key == "stderr" and not stderr_checked(cell, settings):
            continue
        if mime not in ("stream", "error") and mime not in settings.mime_types:
            continue
        if mime in IMAGE_MIMES:
            items[key] = Item(key, mime, text, image=_read_image(base, text, settings))
        else:
            items[key] = Item(key, mime, settings.normalization.text(text, mime))
    return items


def item_mime(key: str) -> str:
    """``stream`` for ``stdout``/``stderr``, else the mime (or ``error``) of ``output K MIME``."""
    parts = key.split(" ", 2)
    return "stream" if len(parts) == 1 else parts[2]


def image_reference(text: str) -> str:
    """The side file named by an image item (``path WxH sha256:...``)."""
    return text.split(" ", 1)[0]


def _read_image(base: Path, text: str, settings: SnapshotSettings) -> bytes | None:
    try:
        path = inside_root(
            settings.folder,
            base.relative_to(settings.folder) / image_reference(text),
            "golden image",
        )
        return path.read_bytes()
    except (OSError, ValueError):
        return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()

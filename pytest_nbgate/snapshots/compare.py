"""Comparing one cell's golden items with its fresh items, and saying how they differ."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pytest_nbgate.notebook.markers import tolerance_tag
from pytest_nbgate.notebook.model import Cell
from pytest_nbgate.snapshots.comparable import IMAGE_MIMES, Item, cell_key
from pytest_nbgate.snapshots.images import compare_images, write_diff_images
from pytest_nbgate.snapshots.normalize import Tolerance, compare_text, unified
from pytest_nbgate.snapshots.settings import SnapshotSettings

_HOW = {
    "text/html": "compared as markup tokens (attribute order and whitespace ignored)",
    "image/svg+xml": "compared as markup tokens, ids renumbered",
    "application/json": "compared as sorted JSON",
    "stream": "carriage returns collapsed as a terminal shows them",
    "error": "exception name and message only",
}


@dataclass(frozen=True)
class Section:
    """One differing item: its key, where it is, and the lines that show the difference."""

    key: str
    mime: str
    output_index: int | None
    lines: tuple[str, ...]


@dataclass(frozen=True)
class CellComparison:
    """The verdict on one cell: ``equal_keys`` may be kept as they are on update."""

    sections: tuple[Section, ...] = ()
    equal_keys: frozenset[str] = field(default_factory=frozenset)

    @property
    def equal(self) -> bool:
        return not self.sections


def cell_tolerance(cell: Cell, settings: SnapshotSettings) -> Tolerance:
    """The profile's tolerance; an ``nbgate-tolerance=`` tag overrides its relative part."""
    rel = tolerance_tag(cell)
    return settings.tolerance if rel is None else Tolerance(rel=rel, abs=settings.tolerance.abs)


def compare_cell(
    cell: Cell,
    golden: dict[str, Item],
    fresh: dict[str, Item],
    settings: SnapshotSettings,
    *,
    image_stem: Path | None = None,
) -> CellComparison:
    """Every item of either side compared; image diffs written under ``image_stem`` if given."""
    tolerance = cell_tolerance(cell, settings)
    sections: list[Section] = []
    equal: set[str] = set()
    for key in [*golden, *(k for k in fresh if k not in golden)]:
        old, new = golden.get(key), fresh.get(key)
        lines = _compare_item(old, new, tolerance, settings, image_stem)
        if lines is None:
            equal.add(key)
        else:
            item = old or new
            assert item is not None
            index = old.output_index if old is not None else item.output_index
            sections.append(Section(key, item.mime, index, tuple(lines)))
    return CellComparison(tuple(sections), frozenset(equal))


def _compare_item(
    old: Item | None,
    new: Item | None,
    tolerance: Tolerance,
    settings: SnapshotSettings,
    image_stem: Path | None,
) -> list[str] | None:
    """``None`` when equal, else the lines explaining the difference."""
    item = old or new
    assert item is not None
    if item.mime in IMAGE_MIMES:
        return _compare_image(old, new, settings, image_stem)
    if old is None or new is None:
        side = "golden" if old is None else "fresh output"
        present = (old or new or item).text
        diff = unified(
            [] if old is None else present.split("\n"),
            [] if new is None else present.split("\n"),
            item.key,
        )
        return [f"not in the {side}", *diff]
    same, shown = compare_text(old.text, new.text, tolerance)
    if same:
        return None
    return unified(old.text.split("\n"), shown, item.key)


def _compare_image(
    old: Item | None, new: Item | None, settings: SnapshotSettings, image_stem: Path | None
) -> list[str] | None:
    if old is None or new is None:
        return [f"image not in the {'golden' if old is None else 'fresh output'}"]
    if old.image is None or new.image is None:
        return [f"golden image file is missing ({old.text})"]
    verdict = compare_images(old.image, new.image, settings.image)
    if verdict.equal:
        return None
    lines = [verdict.reason]
    if image_stem is not None:
        stem = diff_stem(image_stem, old.key)
        for path in write_diff_images(
            old.image, new.image, old.mime, verdict, image_stem.parent, stem
        ):
            lines.append(f"  {path.stem.rsplit('-', 1)[-1]}: {_shown(path, settings.root)}")
    return lines


def diff_stem(image_stem: Path, key: str) -> str:
    """File-name prefix of an image item's golden, fresh and diff files."""
    return f"{image_stem.name}-{_slug(key)}"


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "-", text).strip("-")


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def image_stem(cell: Cell, relpath: str, settings: SnapshotSettings) -> Path:
    """Prefix of the image-diff files of ``cell``; one folder per notebook keeps workers apart."""
    return settings.image_diff_folder / relpath / f"cell{cell.index}-{_slug(cell_key(cell))}"


def describe(cell: Cell, comparison: CellComparison, settings: SnapshotSettings) -> str:
    """The finding's detail: where, how it was compared, and one diff per item."""
    first = next((line.strip() for line in cell.lines if line.strip()), "")
    where = f"cell {cell.index}" + (f", id {cell.id!r}" if cell.id else "")
    lines = [
        f"{where}, first line: {first[:80]!r}",
        f"normalisers: {settings.normalization.describe()}; "
        f"float tolerance {cell_tolerance(cell, settings).describe()}",
    ]
    for section in comparison.sections:
        how = _HOW.get(section.mime, "")
        if section.mime in IMAGE_MIMES:
            how = f"compared by pixels ({settings.image.describe()})"
        lines.append(f"{section.key}" + (f" [{how}]:" if how else ":"))
        lines.extend(section.lines)
    if len(lines) > settings.max_diff_lines:
        hidden = len(lines) - settings.max_diff_lines
        lines = [*lines[: settings.max_diff_lines], f"... {hidden} more lines not shown"]
    return "\n".join(lines)


def shorten(detail: str, max_lines: int = 40) -> str:
    """A terminal-sized excerpt of a long detail; the JSON report keeps the whole."""
    lines = detail.split("\n")
    if len(lines) <= max_lines:
        return detail
    hidden = len(lines) - max_lines
    return "\n".join(
        [*lines[:max_lines], f"... {hidden} more lines (full diff in the JSON report)"]
    )

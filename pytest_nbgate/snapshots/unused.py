"""Goldens nothing uses any more, found on the controller once every item has run.

Like syrupy, only what this session can judge is reported: the cells of
notebooks that ran, and golden files whose notebook no longer exists (a
notebook merely deselected with ``-k`` keeps its golden).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pytest_nbgate.checks.snapshots import GoldenUnused
from pytest_nbgate.files import remove_file, write_bytes
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.snapshots import store
from pytest_nbgate.snapshots.comparable import IMAGE_MIMES, cell_key, output_checked
from pytest_nbgate.snapshots.external import GoldenFormatError, parse, render
from pytest_nbgate.snapshots.golden import images_folder
from pytest_nbgate.snapshots.settings import SnapshotSettings

SUFFIX = ".golden.txt"
_VARIANT = re.compile(r"\[[^\[\]/]+\]$")


@dataclass(frozen=True)
class Unused:
    path: Path
    """The golden file, or the image file."""
    notebook: str
    cell: str | None = None
    line: int | None = None

    @property
    def what(self) -> str:
        if self.cell is not None:
            return f"Golden section [cell {self.cell}] of {self.notebook}"
        if self.path.name.endswith(SUFFIX):
            return f"Golden file of {self.notebook} (notebook not found)"
        return f"Golden image {self.path.name} of {self.notebook}"


def find_unused(
    settings: SnapshotSettings, ran: Iterable[Notebook], collected: Iterable[str | Path]
) -> list[Unused]:
    if settings.store != "external" or not settings.enabled or not settings.folder.is_dir():
        return []
    ran_by_path = {notebook.relpath: notebook for notebook in ran}
    known = {_relpath(path, settings.root) for path in collected}
    found: list[Unused] = []
    for golden in sorted(settings.folder.rglob(f"*{SUFFIX}")):
        relpath = golden.relative_to(settings.folder).as_posix().removesuffix(SUFFIX)
        relpath = _VARIANT.sub("", relpath)  # a parameter set's golden belongs to its notebook
        if relpath in ran_by_path:
            found.extend(_stale(golden, ran_by_path[relpath], settings))
        elif relpath not in known and not (settings.root / relpath).exists():
            found.append(Unused(golden, relpath))
            found.extend(_images(golden, relpath, used=set()))
    return found


def _relpath(path: str | Path, root: Path) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            return candidate.resolve().relative_to(root).as_posix()
        except ValueError:
            return candidate.as_posix()
    return candidate.as_posix()


def _stale(golden: Path, notebook: Notebook, settings: SnapshotSettings) -> list[Unused]:
    text = golden.read_text(encoding="utf-8")
    try:
        cells = parse(text)
    except GoldenFormatError:
        return []  # reported as NB404 by the comparison
    expected = {cell_key(c) for c in notebook.code_cells if output_checked(c, settings)}
    lines = {key: _header_line(text, key) for key in cells}
    found = [
        Unused(golden, notebook.relpath, key, lines[key]) for key in cells if key not in expected
    ]
    used = {
        (golden.parent / store.image_reference(value)).resolve()
        for key, cell in cells.items()
        if key in expected
        for item_key, value in cell.items.items()
        if store.item_mime(item_key) in IMAGE_MIMES
    }
    return found + _images(golden, notebook.relpath, used)


def _images(golden: Path, relpath: str, used: set[Path]) -> list[Unused]:
    folder = images_folder(golden)
    if not folder.is_dir():
        return []
    return [
        Unused(image, relpath)
        for image in sorted(folder.iterdir())
        if image.is_file() and image.resolve() not in used
    ]


def _header_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"[cell {key}]"):
            return number
    return None


def unused_goldens(
    settings: SnapshotSettings,
    notebooks_that_ran: Iterable[Notebook],
    all_collected_paths: Iterable[str | Path],
) -> list[Finding]:
    """NB403 findings, located in the golden file (on the section's line for a cell)."""
    findings = []
    for unused in find_unused(settings, notebooks_that_ran, all_collected_paths):
        shown = _relpath(unused.path, settings.root)
        anchor = Notebook(path=unused.path, relpath=shown, cells=())
        finding = GoldenUnused.at(anchor, what=unused.what)
        if unused.line is not None:
            location = dataclasses.replace(finding.location, file_line=unused.line)
            finding = dataclasses.replace(finding, location=location)
        findings.append(finding)
    return findings


def remove_unused(
    settings: SnapshotSettings,
    notebooks_that_ran: Iterable[Notebook],
    all_collected_paths: Iterable[str | Path],
) -> list[Path]:
    """Delete unused golden files and images, drop stale sections; returns what changed."""
    changed: list[Path] = []
    stale: dict[Path, list[Unused]] = {}
    for unused in find_unused(settings, notebooks_that_ran, all_collected_paths):
        if unused.cell is not None:
            stale.setdefault(unused.path, []).append(unused)
            continue
        remove_file(unused.path, settings.folder)
        if unused.path.name.endswith(SUFFIX):
            shutil.rmtree(images_folder(unused.path), ignore_errors=True)
        changed.append(unused.path)
    for golden, entries in stale.items():
        cells = parse(golden.read_text(encoding="utf-8"))
        for entry in entries:
            cells.pop(str(entry.cell), None)
        write_bytes(golden, render(entries[0].notebook, list(cells.values()), IMAGE_MIMES).encode())
        changed.append(golden)
    return changed

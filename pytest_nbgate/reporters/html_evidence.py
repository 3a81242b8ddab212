"""What the HTML report shows beyond a finding: cell sources, golden and fresh outputs, images.

A :class:`~pytest_nbgate.findings.Finding` says where and what; a reviewer also
wants to see the cell, the two outputs side by side and the three images. That
is gathered where the notebook is at hand (the items, ``nbgate check``), only
when an HTML report is wanted, as plain JSON-able dicts: they travel through
pytest-xdist in the report's per-notebook extras under :data:`EXTRA_PREFIX`.

Text is redacted here, so no detected secret crosses a process boundary in
clear, and the reporter redacts again before rendering. A source line a
SEC/PII rule flagged that the redactor leaves unchanged is hidden whole: the
rule saw something there that must not be shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pytest_nbgate import registry
from pytest_nbgate.checks.snapshots import OutputMismatch
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Cell, Notebook
from pytest_nbgate.redaction import Redactor, TextScanner
from pytest_nbgate.snapshots import store
from pytest_nbgate.snapshots.comparable import IMAGE_MIMES, Item, cell_items
from pytest_nbgate.snapshots.compare import compare_cell, diff_stem, image_stem
from pytest_nbgate.snapshots.images import extension
from pytest_nbgate.snapshots.settings import SnapshotSettings

EXTRA_PREFIX = "html."
"""Extras keys ``html.lint``, ``html.execute``...: one per item, so items never overwrite."""
MAX_SOURCE_LINES = 400
MAX_TEXT_CHARS = 20_000
"""Per golden or fresh output; past it the text is cut and the report says so."""
SENSITIVE_PREFIXES = registry.SENSITIVE_PREFIXES
HIDDEN_LINE = "«line hidden: {rule} found sensitive data here»"
HIDDEN_OUTPUT = "«output hidden: {rule} found sensitive data in this cell's output»"


def collect(
    notebook: Notebook,
    findings: Sequence[Finding],
    *,
    executed: Notebook | None = None,
    snapshots: SnapshotSettings | None = None,
    redactor: Redactor | None = None,
) -> dict[str, Any]:
    """``{"cells": {index: source}, "snapshots": {index: [item, ...]}}`` for ``findings``.

    ``redactor`` is the notebook's; without one it is made here from the
    notebook (and its executed copy), so a value detected in one cell is
    masked in every other cell shown.
    """
    cells: dict[str, Any] = {}
    snaps: dict[str, Any] = {}
    by_cell: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        index = finding.location.cell_index
        if index is not None and 0 <= index < len(notebook.cells):
            by_cell[index].append(finding)
    if not by_cell:
        return {}
    clean = (redactor or Redactor.for_notebooks(TextScanner(), (notebook, executed))).text
    goldens: store.Goldens | None = None
    for index, here in sorted(by_cell.items()):
        cell = notebook.cells[index]
        cells[str(index)] = cell_source(cell, here, clean)
        mismatch = any(f.rule_id == OutputMismatch.id for f in here)
        if mismatch and executed is not None and snapshots is not None:
            # Loaded once per notebook, and only when a cell's output differs.
            goldens = goldens or store.load(notebook, snapshots)
            golden = goldens.cells.get(index, {})
            snaps[str(index)] = snapshot_items(
                notebook, executed, cell, snapshots, here, golden, clean
            )
    return {"cells": cells, "snapshots": snaps} if cells else {}


def cell_source(
    cell: Cell, findings: Iterable[Finding], clean: Callable[[str], str]
) -> dict[str, Any]:
    """The cell's redacted source lines, with flagged sensitive lines hidden whole."""
    sensitive: dict[int, str] = {}
    for f in findings:
        line = f.location.line
        if f.rule_id.startswith(SENSITIVE_PREFIXES) and f.location.output_index is None and line:
            sensitive[line] = f.rule_id
    lines = cell.lines[:MAX_SOURCE_LINES]
    # Redacted whole: a private key spans lines, and only the whole block is recognised.
    shown = clean("\n".join(lines)).split("\n") if lines else []
    for number, rule in sensitive.items():
        aligned = len(shown) == len(lines) and 0 < number <= len(lines)
        if aligned and shown[number - 1] == lines[number - 1]:
            shown[number - 1] = HIDDEN_LINE.format(rule=rule)
    return {
        "id": cell.id,
        "type": cell.cell_type,
        "lines": shown,
        "total": len(cell.lines),
    }


def snapshot_items(
    notebook: Notebook,
    executed: Notebook,
    cell: Cell,
    settings: SnapshotSettings,
    findings: Sequence[Finding],
    golden: dict[str, Item],
    clean: Callable[[str], str],
) -> list[dict[str, Any]]:
    """Golden and fresh text (or image files) of each differing item of ``cell``."""
    fresh = cell_items(executed.cells[cell.index], settings)
    leak = next(
        (
            f.rule_id
            for f in findings
            if f.rule_id.startswith(SENSITIVE_PREFIXES) and f.location.output_index is not None
        ),
        None,
    )
    stem = image_stem(cell, notebook.relpath, settings)
    items = []
    for section in compare_cell(cell, golden, fresh, settings).sections:
        entry: dict[str, Any] = {"key": section.key, "mime": section.mime}
        if section.mime in IMAGE_MIMES:
            entry["images"] = _image_files(stem, section.key, section.mime)
        elif leak is not None:
            entry["hidden"] = HIDDEN_OUTPUT.format(rule=leak)
        else:
            old, new = golden.get(section.key), fresh.get(section.key)
            entry["golden"] = _text(old.text, clean) if old is not None else None
            entry["fresh"] = _text(new.text, clean) if new is not None else None
        items.append(entry)
    return items


def _image_files(stem: Path, key: str, mime: str) -> dict[str, str]:
    """The golden, fresh and diff files the comparison wrote, those that exist."""
    prefix = diff_stem(stem, key)
    names = {
        "golden": f"{prefix}-golden.{extension(mime)}",
        "fresh": f"{prefix}-fresh.{extension(mime)}",
        "diff": f"{prefix}-diff.png",
    }
    found = {role: stem.parent / name for role, name in names.items()}
    return {role: str(path) for role, path in found.items() if path.is_file()}


def _text(text: str, clean: Callable[[str], str]) -> dict[str, Any]:
    cut = len(text) > MAX_TEXT_CHARS
    return {"text": clean(text[:MAX_TEXT_CHARS]), "truncated": len(text) if cut else 0}


def merged(extra: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """One notebook's evidence from all its items' extras (``cells`` and ``snapshots``)."""
    cells: dict[str, Any] = {}
    snaps: dict[str, Any] = {}
    for key, value in extra.items():
        if key.startswith(EXTRA_PREFIX) and isinstance(value, dict):
            cells.update(value.get("cells", {}))
            snaps.update(value.get("snapshots", {}))
    return {"cells": cells, "snapshots": snaps}

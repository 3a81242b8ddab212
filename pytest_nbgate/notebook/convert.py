"""Two conversions of raw notebook data: old nbformat versions to v4, list sources to lines."""

from __future__ import annotations

import json
from typing import Any

import nbformat

from pytest_nbgate.notebook.positions import CellPositions
from pytest_nbgate.notebook.reading import NotebookError

SUPPORTED_MAJOR = 4
# nbformat is untyped; one Any-typed handle keeps mypy --strict honest elsewhere.
_NBF: Any = nbformat


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return "" if value is None else str(value)


def line_map(source: Any, positions: CellPositions | None) -> tuple[int, ...]:
    if positions is None or not positions.source_lines:
        return ()
    if not positions.source_is_list:
        count = max(1, _text(source).count("\n") + 1)
        return (positions.source_lines[0],) * count
    # A list element normally holds one line; a hand-written one may hold several or half of one.
    mapped: list[int] = []
    at_line_start = True
    for element, line in zip(source, positions.source_lines, strict=False):
        piece = str(element)
        if not piece:
            continue
        starts = int(at_line_start) + piece.count("\n") - int(piece.endswith("\n"))
        mapped.extend([line] * starts)
        at_line_start = piece.endswith("\n")
    return tuple(mapped)


def upgrade(raw: dict[str, Any], relpath: str) -> dict[str, Any]:
    try:
        node = _NBF.convert(_NBF.from_dict(raw), SUPPORTED_MAJOR)
    # nbformat's v1-v3 readers trust their input: any failure is a finding, not a crash.
    except Exception as exc:
        reason = f"{type(exc).__name__}: {str(exc)[:200]}".rstrip(": ")
        version = raw.get("nbformat")
        raise NotebookError(
            relpath, f"nbformat {version} notebook could not be read ({reason})", "NB003"
        ) from exc
    upgraded: dict[str, Any] = json.loads(json.dumps(node))
    return upgraded

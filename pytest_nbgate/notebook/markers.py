"""What a cell asks of the gate: our ``nbgate-*`` tags plus nbval's and nbmake's spellings.

Users migrate by keeping their markers: nbval's ``# NBVAL_*`` first-line
comments and ``nbval-*`` tags, and nbmake's ``skip-execution`` /
``raises-exception`` tags mean the same here as there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pytest_nbgate.notebook.model import Cell

_COMMENT = re.compile(r"^\s*#\s*(NBVAL_[A-Z_]+)\s*$", re.MULTILINE)

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "skip": ("nbgate-skip", "nbval-skip", "skip-execution", "NBVAL_SKIP"),
    "raises": (
        "nbgate-raises-exception",
        "nbval-raises-exception",
        "raises-exception",
        "NBVAL_RAISES_EXCEPTION",
    ),
    "ignore_output": ("nbgate-ignore-output", "nbval-ignore-output", "NBVAL_IGNORE_OUTPUT"),
    "check_output": ("nbgate-check-output", "nbval-check-output", "NBVAL_CHECK_OUTPUT"),
    "ignore_stderr": ("nbgate-ignore-stderr", "nbval-ignore-stderr", "NBVAL_IGNORE_STDERR"),
}


@dataclass(frozen=True)
class CellMarkers:
    skip: bool = False
    raises: bool = False
    ignore_output: bool = False
    check_output: bool = False
    ignore_stderr: bool = False


def nbval_comments(source: str) -> set[str]:
    """``NBVAL_*`` comment markers on their own line, as nbval reads them."""
    return set(_COMMENT.findall(source)) if "NBVAL_" in source else set()


def markers(cell: Cell) -> CellMarkers:
    """The markers of ``cell`` from its tags and (code cells only) its nbval comments."""
    present = set(cell.tags)
    if cell.is_code:
        present |= nbval_comments(cell.source)
    if not present:
        return CellMarkers()
    return CellMarkers(
        **{key: any(s in present for s in names) for key, names in _SYNONYMS.items()}
    )


def tolerance_tag(cell: Cell) -> float | None:
    """A per-cell relative float tolerance from a ``nbgate-tolerance=1e-6`` tag."""
    for tag in cell.tags:
        if tag.startswith("nbgate-tolerance="):
            try:
                return float(tag.partition("=")[2])
            except ValueError:
                return None
    return None

"""What a cell asks of the gate: our ``nbgate-*`` tags plus nbval's and nbmake's spellings.

The one place marker spellings live. Users migrate by keeping their markers:
nbval's ``# NBVAL_*`` comments (any number of leading ``#``, on any line, as
nbval strips them) and ``nbval-*`` tags, and nbmake's ``skip-execution`` /
``raises-exception`` tags mean the same here as there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pytest_nbgate.notebook.model import Cell

_COMMENT = re.compile(
    r"^[ \t]*#+[ \t]*(NBVAL_[A-Z_]+|PYTEST_VALIDATE_IGNORE_OUTPUT)[ \t]*$", re.MULTILINE
)
_COMMENT_HINTS = ("NBVAL_", "PYTEST_VALIDATE_")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "skip": ("nbgate-skip", "nbval-skip", "skip-execution", "NBVAL_SKIP"),
    "raises": (
        "nbgate-raises-exception",
        "nbval-raises-exception",
        "raises-exception",
        "NBVAL_RAISES_EXCEPTION",
    ),
    "ignore_output": (
        "nbgate-ignore-output",
        "nbval-ignore-output",
        "NBVAL_IGNORE_OUTPUT",
        "PYTEST_VALIDATE_IGNORE_OUTPUT",
        "pytest-validate-ignore-output",
    ),
    "check_output": ("nbgate-check-output", "nbval-check-output", "NBVAL_CHECK_OUTPUT"),
    "ignore_stderr": ("nbgate-ignore-stderr", "nbval-ignore-stderr", "NBVAL_IGNORE_STDERR"),
}
SUPPRESS_TAG = "nbgate-ignore"
TOLERANCE_TAG = "nbgate-tolerance="
TIMEOUT_TAG = "nbgate-timeout="
PARAMETERS_TAG = "parameters"
INJECTED_TAG = "injected-parameters"


@dataclass(frozen=True)
class CellMarkers:
    skip: bool = False
    raises: bool = False
    ignore_output: bool = False
    check_output: bool = False
    ignore_stderr: bool = False


def nbval_comments(source: str) -> list[str]:
    """``NBVAL_*`` comment markers on their own line, in order, as nbval reads them."""
    if not any(hint in source for hint in _COMMENT_HINTS):
        return []
    return _COMMENT.findall(source)


def ordered_tags(cell: Cell) -> list[str]:
    """The cell's tags in the order the notebook stores them (``Cell.tags`` is a set)."""
    tags = cell.metadata.get("tags")
    if not isinstance(tags, list | tuple):
        return sorted(cell.tags)
    return [tag for tag in tags if isinstance(tag, str)]


def markers(cell: Cell) -> CellMarkers:
    """The markers of ``cell`` from its tags and (code cells only) its nbval comments."""
    present = set(cell.tags)
    if cell.is_code:
        present.update(nbval_comments(cell.source))
    if not present:
        return CellMarkers()
    return CellMarkers(
        **{key: any(s in present for s in names) for key, names in _SYNONYMS.items()}
    )


def output_decision(cell: Cell) -> bool | None:
    """nbval's rule: the last check/ignore marker wins, comments over tags; ``None`` if none."""
    check, ignore = _SYNONYMS["check_output"], _SYNONYMS["ignore_output"]
    decision: bool | None = None
    for name in (*ordered_tags(cell), *nbval_comments(cell.source)):
        if name in check or name in ignore:
            decision = name in check
    return decision


def tolerance_tag(cell: Cell) -> float | None:
    """A per-cell relative float tolerance from a ``nbgate-tolerance=1e-6`` tag."""
    return _number_tag(cell, TOLERANCE_TAG)


def timeout_tag(cell: Cell) -> float | None:
    """A per-cell timeout in seconds from a ``nbgate-timeout=30`` tag (``None``: the default)."""
    value = _number_tag(cell, TIMEOUT_TAG)
    return value if value is not None and value > 0 else None


def _number_tag(cell: Cell, prefix: str) -> float | None:
    for tag in cell.tags:
        if tag.startswith(prefix):
            return _float(tag)
    return None


def _float(tag: str) -> float | None:
    try:
        return float(tag.partition("=")[2])
    except ValueError:
        return None


def suppression_tags(cell: Cell) -> Iterator[str | None]:
    """``nbgate-ignore`` (``None``: every rule) and ``nbgate-ignore:CODES`` (the codes)."""
    for tag in ordered_tags(cell):
        if tag == SUPPRESS_TAG:
            yield None
        elif tag.startswith(SUPPRESS_TAG + ":"):
            yield tag.partition(":")[2]


def is_parameters(cell: Cell) -> bool:
    return PARAMETERS_TAG in cell.tags


def is_injected(cell: Cell) -> bool:
    return INJECTED_TAG in cell.tags

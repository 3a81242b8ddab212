"""Edits of a notebook's JSON text that touch nothing outside their spans.

The golden writer (:mod:`pytest_nbgate.snapshots.ipynb`) splices new outputs
into the text; the fixer also removes object members (metadata keys) and
trailing array items (cells) and replaces scalars (``nbformat_minor``). The
spans come from the one JSON scanner (:mod:`pytest_nbgate.notebook.positions`);
each edit is a span of the original text and its replacement, so every other
byte, indentation and key order included, stays where it was.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from pytest_nbgate.notebook.positions import element_spans, member_spans

Members = dict[str, tuple[int, int, int]]
"""Per key: key start, value start, value end."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Layout:
    """The spans the fixer edits: the top level, its metadata, each cell and its metadata."""

    text: str
    top: Members

    @classmethod
    def of(cls, text: str) -> Layout:
        return cls(text, member_spans(text, 1 if text.startswith("\ufeff") else 0))

    def value(self, key: str) -> tuple[int, int]:
        _key, start, end = self.top[key]
        return start, end

    def members(self, offset: int) -> Members:
        return member_spans(self.text, offset)

    def cells(self) -> list[tuple[int, int]]:
        return element_spans(self.text, self.value("cells")[0])

    def cell_metadata(self, cell_start: int) -> tuple[int, int]:
        _key, start, end = self.members(cell_start)["metadata"]
        return start, end


def remove_members(layout: Layout, span: tuple[int, int], keys: list[str]) -> list[Edit]:
    """Edits removing ``keys`` from the object at ``span`` with their commas."""
    members = layout.members(span[0])
    names = list(members)
    doomed = [name in keys for name in names]
    if not any(doomed):
        return []
    if all(doomed):
        return [Edit(span[0], span[1], "{}")]
    edits = []
    for first, last in _runs(doomed):
        if last + 1 < len(names):
            # Up to the next kept key: the members, their commas and the gap after them.
            end = members[names[last + 1]][0]
            edits.append(Edit(members[names[first]][0], end, ""))
        else:
            # A run at the end: from the end of the last kept member, taking its comma.
            start = members[names[first - 1]][2]
            edits.append(Edit(start, members[names[last]][2], ""))
    return edits


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(first, last) index of each run of ``True``."""
    runs: list[tuple[int, int]] = []
    for index, flag in enumerate(flags):
        if not flag:
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def remove_tail(span: tuple[int, int], items: list[tuple[int, int]], first: int) -> list[Edit]:
    """An edit removing the ``items`` of the array at ``span`` from index ``first`` on."""
    if first >= len(items):
        return []
    if first == 0:
        return [Edit(span[0], span[1], "[]")]
    return [Edit(items[first - 1][1], items[-1][1], "")]


def apply(text: str, edits: list[Edit]) -> str:
    """``text`` with ``edits`` (non-overlapping spans of it) applied."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:
            raise ValueError(f"overlapping edits at offset {after.start}")
    pieces = []
    position = 0
    for edit in ordered:
        pieces.append(text[position : edit.start])
        pieces.append(edit.text)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)

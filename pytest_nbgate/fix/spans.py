"""Byte spans of a notebook's JSON, and edits that touch nothing outside them.

The golden writer (:mod:`pytest_nbgate.snapshots.ipynb`) splices new outputs
into the text; the fixer also removes object members (metadata keys) and
trailing array items (cells) and replaces scalars (``nbformat_minor``). Each
edit is a span of the original text and its replacement, so every other byte,
indentation and key order included, stays where it was.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
DEPTH = 3
"""Objects and arrays nested deeper than cell metadata are skipped, not scanned."""


@dataclass
class Node:
    """One JSON value: its span, and its members or items when it was scanned."""

    start: int
    end: int
    members: dict[str, Member] = field(default_factory=dict)
    items: list[Node] = field(default_factory=list)


@dataclass
class Member:
    key_start: int
    value: Node


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def ws(self) -> None:
        match = _WS.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos

    def char(self) -> str:
        self.ws()
        return self.text[self.pos : self.pos + 1]

    def take(self, char: str) -> None:
        if self.char() != char:
            raise ValueError(f"expected {char!r} at offset {self.pos}")
        self.pos += 1

    def value(self, depth: int) -> Node:
        first = self.char()
        start = self.pos
        if depth > DEPTH or first not in "{[":
            _value, self.pos = _DECODER.raw_decode(self.text, self.pos)
            return Node(start, self.pos)
        node = Node(start, start)
        if first == "{":
            self._object(node, depth)
        else:
            self._array(node, depth)
        node.end = self.pos
        return node

    def _object(self, node: Node, depth: int) -> None:
        self.take("{")
        while self.char() not in ("}", ""):
            key_start = self.pos
            key, self.pos = _DECODER.raw_decode(self.text, self.pos)
            self.take(":")
            node.members[str(key)] = Member(key_start, self.value(depth + 1))
            if self.char() == ",":
                self.pos += 1
        self.take("}")

    def _array(self, node: Node, depth: int) -> None:
        self.take("[")
        while self.char() not in ("]", ""):
            node.items.append(self.value(depth + 1))
            if self.char() == ",":
                self.pos += 1
        self.take("]")


def scan(text: str) -> Node:
    """The span tree of ``text`` down to cell metadata (a leading BOM is skipped)."""
    scanner = _Scanner(text)
    if text.startswith("\ufeff"):
        scanner.pos = 1
    return scanner.value(0)


def remove_members(node: Node, keys: list[str]) -> list[Edit]:
    """Edits removing ``keys`` from the object ``node`` with their commas."""
    names = list(node.members)
    doomed = [name in keys for name in names]
    if not any(doomed):
        return []
    if all(doomed):
        return [Edit(node.start, node.end, "{}")]
    edits = []
    for first, last in _runs(doomed):
        if last + 1 < len(names):
            # Up to the next kept key: the members, their commas and the gap after them.
            end = node.members[names[last + 1]].key_start
            edits.append(Edit(node.members[names[first]].key_start, end, ""))
        else:
            # A run at the end: from the end of the last kept member, taking its comma.
            start = node.members[names[first - 1]].value.end
            edits.append(Edit(start, node.members[names[last]].value.end, ""))
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


def remove_tail(node: Node, first: int) -> list[Edit]:
    """An edit removing the items of the array ``node`` from index ``first`` on."""
    if first >= len(node.items):
        return []
    if first == 0:
        return [Edit(node.start, node.end, "[]")]
    return [Edit(node.items[first - 1].end, node.items[-1].end, "")]


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

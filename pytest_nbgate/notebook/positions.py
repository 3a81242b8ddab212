"""Where each cell, source line and output sits in the raw ``.ipynb`` text.

CI annotations must land on the line a reviewer sees in the notebook's diff,
so we walk the JSON text once more after :func:`json.loads` has accepted it.
The same walk gives the golden writer the byte spans it splices new outputs
into (:func:`cell_value_spans`): one JSON scanner for both.
The walk is lazy and two-level: the first question finds where every cell
starts (one C-level decode per cell, so 100,000 cells cost a fraction of a
second); a cell's source and outputs are located only when a finding is in
that cell. Works for any valid JSON layout: nbformat's one-space indent,
JupyterLab's, hand-formatted or minified files, nbformat 3 ``worksheets``.
Never raises: a layout it does not recognise maps to nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_FAILURES = (ValueError, IndexError, RecursionError)


@dataclass
class CellPositions:
    start_line: int
    source_lines: list[int] = field(default_factory=list)
    """File line of each source element (list source) or of the one string."""
    source_is_list: bool = True
    output_lines: list[int] = field(default_factory=list)


class _Scanner:
    def __init__(self, text: str, pos: int = 0, line: int = 1) -> None:
        self.text = text
        self.pos = pos
        self._line = line
        self._line_pos = pos

    def line(self) -> int:
        """1-based line of the current position; positions only move forward."""
        self._line += self.text.count("\n", self._line_pos, self.pos)
        self._line_pos = self.pos
        return self._line

    def skip_ws(self) -> None:
        match = _WS.match(self.text, self.pos)
        if match:
            self.pos = match.end()

    def peek(self) -> str:
        self.skip_ws()
        return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected {char!r} at offset {self.pos}")
        self.pos += 1

    def skip_value(self) -> object:
        self.skip_ws()
        value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        return value

    def iter_members(self) -> Iterator[str]:
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            key = str(self.skip_value())
            self.expect(":")
            self.skip_ws()
            yield key
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("}")
            return

    def iter_elements(self) -> Iterator[int]:
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            self.skip_ws()
            yield self.line()
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]")
            return


def _scan_cell(scanner: _Scanner) -> CellPositions:
    positions = CellPositions(start_line=scanner.line())
    if scanner.peek() != "{":
        scanner.skip_value()
        return positions
    for key in scanner.iter_members():
        if key in ("source", "input") and scanner.peek() == "[":
            positions.source_lines = list(_consume_elements(scanner))
        elif key in ("source", "input"):
            positions.source_lines = [scanner.line()]
            positions.source_is_list = False
            scanner.skip_value()
        elif key == "outputs" and scanner.peek() == "[":
            positions.output_lines = list(_consume_elements(scanner))
        else:
            scanner.skip_value()
    return positions


def _consume_elements(scanner: _Scanner) -> Iterator[int]:
    for line in scanner.iter_elements():
        yield line
        scanner.skip_value()


def _cell_starts(scanner: _Scanner) -> list[tuple[int, int]]:
    """``(offset, line)`` of each element of the cells list at the scanner."""
    if scanner.peek() != "[":
        scanner.skip_value()
        return []
    starts: list[tuple[int, int]] = []
    for line in scanner.iter_elements():
        starts.append((scanner.pos, line))
        scanner.skip_value()
    return starts


def _worksheet_cells(scanner: _Scanner) -> list[tuple[int, int]]:
    """nbformat 3: the cells of the first worksheet."""
    starts: list[tuple[int, int]] = []
    for index, _line in enumerate(scanner.iter_elements()):
        if index == 0 and scanner.peek() == "{":
            for key in scanner.iter_members():
                if key == "cells":
                    starts = _cell_starts(scanner)
                else:
                    scanner.skip_value()
        else:
            scanner.skip_value()
    return starts


def cell_starts(text: str) -> list[tuple[int, int]]:
    """``(offset, line)`` where each cell's JSON value starts; empty for an unknown layout."""
    scanner = _Scanner(text)
    starts: list[tuple[int, int]] = []
    try:
        for key in scanner.iter_members():
            if key == "cells":
                starts = _cell_starts(scanner)
            elif key == "worksheets" and scanner.peek() == "[":
                starts = _worksheet_cells(scanner)
            else:
                scanner.skip_value()
    except _FAILURES:
        return []
    return starts


class CellMap:
    """Positions of the cells of one notebook text, computed on demand and cached."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[tuple[int, int]] | None = None
        self._cells: dict[int, CellPositions] = {}

    def __len__(self) -> int:
        if self._starts is None:
            self._starts = cell_starts(self._text) if self._text else []
        return len(self._starts)

    def get(self, index: int) -> CellPositions | None:
        """The positions of cell ``index``, or ``None`` when there is no such cell."""
        if not 0 <= index < len(self):
            return None
        if index not in self._cells:
            assert self._starts is not None
            offset, line = self._starts[index]
            try:
                self._cells[index] = _scan_cell(_Scanner(self._text, offset, line))
            except _FAILURES:
                self._cells[index] = CellPositions(start_line=line)
        return self._cells[index]


def cell_value_spans(text: str, keys: frozenset[str]) -> list[dict[str, tuple[int, int]]]:
    """Per cell of a v4 notebook, the ``(start, end)`` offsets of the values of ``keys``.

    For rewriting a file in place, so unlike the line map it raises
    ``ValueError`` on a layout it cannot walk instead of guessing.
    """
    scanner = _Scanner(text, 1 if text.startswith("\ufeff") else 0)
    spans: list[dict[str, tuple[int, int]]] = []
    for key in scanner.iter_members():
        if key != "cells":
            scanner.skip_value()
            continue
        for _line in scanner.iter_elements():
            found: dict[str, tuple[int, int]] = {}
            for cell_key in scanner.iter_members():
                start = scanner.pos
                scanner.skip_value()
                if cell_key in keys:
                    found[cell_key] = (start, scanner.pos)
            spans.append(found)
    return spans


def cell_positions(text: str) -> list[CellPositions]:
    """Positions of every cell of an already-validated JSON notebook text."""
    cells = CellMap(text)
    return [position for index in range(len(cells)) if (position := cells.get(index))]


def member_spans(text: str, offset: int) -> dict[str, tuple[int, int, int]]:
    """The object starting at ``offset``: per key, (key start, value start, value end).

    For the fixer's edits (a metadata key removed with its comma); raises
    ``ValueError`` on a layout it cannot walk, like :func:`cell_value_spans`.
    """
    scanner = _Scanner(text, offset)
    scanner.expect("{")
    members: dict[str, tuple[int, int, int]] = {}
    while scanner.peek() not in ("}", ""):
        key_start = scanner.pos
        key = str(scanner.skip_value())
        scanner.expect(":")
        scanner.skip_ws()
        value_start = scanner.pos
        scanner.skip_value()
        members[key] = (key_start, value_start, scanner.pos)
        if scanner.peek() == ",":
            scanner.pos += 1
    scanner.expect("}")
    return members


def element_spans(text: str, offset: int) -> list[tuple[int, int]]:
    """The array starting at ``offset``: (start, end) of each element; raises ``ValueError``."""
    scanner = _Scanner(text, offset)
    spans: list[tuple[int, int]] = []
    for _line in scanner.iter_elements():
        start = scanner.pos
        scanner.skip_value()
        spans.append((start, scanner.pos))
    return spans

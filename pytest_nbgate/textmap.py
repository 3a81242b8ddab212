"""Where each cell, source line and output sits in the raw ``.ipynb`` text.

CI annotations must land on the line a reviewer sees in the notebook's diff,
so we walk the JSON text once more after :func:`json.loads` has accepted it,
descending by hand only into ``cells`` (``worksheets[*].cells`` for nbformat
3), each cell's ``source``/``input`` and ``outputs``; every other value is
skipped by the C decoder. Works for any valid JSON layout: nbformat's
one-space indent, JupyterLab's, hand-formatted or minified files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


@dataclass
class CellPositions:
    start_line: int
    source_lines: list[int] = field(default_factory=list)
    """File line of each source element (list source) or of the one string."""
    source_is_list: bool = True
    output_lines: list[int] = field(default_factory=list)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self._line = 1
        self._line_pos = 0

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


def _scan_cells(scanner: _Scanner) -> list[CellPositions]:
    if scanner.peek() != "[":
        scanner.skip_value()
        return []
    cells: list[CellPositions] = []
    for _line in scanner.iter_elements():
        cells.append(_scan_cell(scanner))
    return cells


def cell_positions(text: str) -> list[CellPositions]:
    """Positions of every cell of an already-validated JSON notebook text.

    Returns an empty list when the layout is not the one expected (the caller
    then reports findings without file lines rather than failing).
    """
    scanner = _Scanner(text)
    try:
        cells: list[CellPositions] = []
        for key in scanner.iter_members():
            if key == "cells":
                cells = _scan_cells(scanner)
            elif key == "worksheets" and scanner.peek() == "[":
                for index, _line in enumerate(scanner.iter_elements()):
                    if index == 0 and scanner.peek() == "{":
                        for sheet_key in scanner.iter_members():
                            if sheet_key == "cells":
                                cells = _scan_cells(scanner)
                            else:
                                scanner.skip_value()
                    else:
                        scanner.skip_value()
            else:
                scanner.skip_value()
        return cells
    except (ValueError, IndexError):
        return []

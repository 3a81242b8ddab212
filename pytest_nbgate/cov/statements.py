"""Which statements of which cells ran: coverage of the notebook's own code.

ipykernel compiles a cell under a file named after the murmur2 hash of its
source (see ``ipykernel.compiler.get_file_name``), so the executed lines that
coverage records for ``<hash>.py`` belong to the code cells with that source.
Statements are counted by coverage's own parser on the code IPython actually
compiles (its ``TransformerManager`` output, which keeps line magics on their
line), so the numbers read like any coverage report.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from pytest_nbgate.notebook.ipython import ipython_transform
from pytest_nbgate.notebook.model import Notebook


@dataclass(frozen=True)
class CellCoverage:
    index: int
    statements: int
    executed: int
    missing: tuple[int, ...]
    """Lines in the cell (1-based) of statements that never ran."""

    @property
    def percent(self) -> float:
        return 100.0 * self.executed / self.statements if self.statements else 100.0

    def describe(self) -> str:
        missing = ", ".join(map(str, self.missing[:20])) + (
            " ..." if len(self.missing) > 20 else ""
        )
        text = f"cell {self.index}: {self.executed}/{self.statements} statements ran"
        return f"{text}; never ran: lines {missing}" if self.missing else text


@dataclass(frozen=True)
class NotebookCoverage:
    """Cell coverage of one notebook; ``measured`` is false when no data came back."""

    relpath: str
    cells: tuple[CellCoverage, ...]
    measured: bool = True

    @property
    def statements(self) -> int:
        return sum(c.statements for c in self.cells)

    @property
    def executed(self) -> int:
        return sum(c.executed for c in self.cells)

    @property
    def percent(self) -> float:
        return 100.0 * self.executed / self.statements if self.statements else 100.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.relpath,
            "measured": self.measured,
            "statements": self.statements,
            "executed": self.executed,
            "percent": round(self.percent, 2),
            "cells": [
                {
                    "index": c.index,
                    "statements": c.statements,
                    "executed": c.executed,
                    "missing": list(c.missing),
                }
                for c in self.cells
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NotebookCoverage:
        cells = tuple(
            CellCoverage(c["index"], c["statements"], c["executed"], tuple(c["missing"]))
            for c in data["cells"]
        )
        return cls(data["path"], cells, bool(data.get("measured", True)))


def cell_hash(source: str) -> str:
    """The stem of the file name ipykernel compiles ``source`` under."""
    compiler: Any = importlib.import_module("ipykernel.compiler")
    return str(compiler.murmur2_x86(source, compiler.get_tmp_hash_seed()))


@functools.lru_cache(maxsize=4096)
def cell_statements(source: str) -> tuple[frozenset[int], Any]:
    """Statement lines of the code IPython compiles for ``source``, and the parser."""
    from coverage.config import DEFAULT_EXCLUDE
    from coverage.exceptions import NotPython
    from coverage.parser import PythonParser

    code = ipython_transform(source)
    parser = PythonParser(text=code, exclude="|".join(f"(?:{p})" for p in DEFAULT_EXCLUDE))
    try:
        parser.parse_source()
    except (NotPython, SyntaxError, ValueError):
        return frozenset(), None
    last = source.count("\n") + 1
    lines = {n for n in parser.statements - parser.excluded if n <= last}
    return frozenset(lines), parser


def cell_coverage(
    notebook: Notebook, executed: Mapping[str, Collection[int]], *, measured: bool = True
) -> NotebookCoverage:
    """Per code cell: statements, how many ran, which lines never did."""
    cells = []
    for cell in notebook.code_cells:
        statements, parser = cell_statements(cell.source)
        if not statements:
            continue
        ran = executed.get(cell_hash(cell.source), ())
        hit = set(parser.translate_lines(ran)) & statements if ran else set()
        missing = tuple(sorted(statements - hit))
        cells.append(CellCoverage(cell.index, len(statements), len(hit), missing))
    return NotebookCoverage(notebook.relpath, tuple(cells), measured)

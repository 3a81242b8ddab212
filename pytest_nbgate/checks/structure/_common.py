"""Helpers shared by the structure rules: which cells hold Python, and their ASTs."""

from __future__ import annotations

import ast

from pytest_nbgate.notebook import ipython
from pytest_nbgate.notebook.model import Cell, Notebook

NON_PYTHON_CELL_MAGICS = (
    "%%bash", "%%sh", "%%script", "%%html", "%%javascript", "%%js", "%%latex", "%%markdown",
    "%%svg", "%%writefile", "%%file", "%%perl", "%%ruby", "%%system", "%%cmd", "%%powershell",
    "%%sql", "%%R",
)  # fmt: skip


def is_python(notebook: Notebook) -> bool:
    """Notebooks without language metadata are treated as Python, the common case."""
    return notebook.language in (None, "python", "python3", "python2", "ipython")


def nonblank(cell: Cell) -> int:
    return sum(1 for line in cell.lines if line.strip())


def tree(cell: Cell) -> ast.Module | None:
    """The cell's shared (read-only) AST, or ``None`` if it is not Python."""
    if not cell.is_code or not cell.source.strip():
        return None
    if cell.source.lstrip().startswith(NON_PYTHON_CELL_MAGICS):
        return None
    return as_python(cell)[1]


def as_python(cell: Cell) -> tuple[str, ast.Module | None]:
    """The cell as plain Python (:func:`ipython.convert`) and its AST, once per cell."""
    return cell.derived(_convert)


def _convert(cell: Cell) -> tuple[str, ast.Module | None]:
    return ipython.convert(cell.source)


_BODIES = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def definitions(
    module: ast.Module,
) -> list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef]:
    """Every ``def``/``class`` in ``module``, nested ones included, in ``ast.walk`` order.

    Definitions are statements, so only statement bodies are walked: expressions,
    most of a tree, cannot hold one.
    """
    found: list[ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef] = []
    nodes: list[ast.AST] = [module]
    for node in nodes:  # grows while iterated: breadth-first, like ast.walk
        if isinstance(node, _DEFINITIONS):
            found.append(node)
        for name in node._fields:
            if name in _BODIES:
                nodes.extend(getattr(node, name))
    return found

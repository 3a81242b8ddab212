"""NB101-NB105: cells, functions and notebooks too long or too complex to review."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.structure._common import definitions, is_python, nonblank, tree
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook.model import Notebook


class CellTooLong(Rule):
    """A code cell has too many non-blank lines.

    What it does:
        Counts the non-blank lines (comments included) of each code cell.

    Why is this bad?
        A long cell hides several steps behind one output, cannot be re-run
        piecewise, and is where notebooks grow into untested programs.
        In the reference corpus 99% of code cells have at most 27 non-blank lines.

    Example:
        A 120-line cell that loads, cleans, fits and plots.

    Use instead:
        Split it into cells of one step each, or move the code to a module
        and import it.

    Options:
        ``max-lines`` (int, default 40): the most non-blank lines allowed.
    """

    @dataclass(frozen=True)
    class Options:
        max_lines: int = 40

    id = "NB101"
    name = "cell-too-long"
    severity = Severity.WARNING
    message = "Cell has {lines} non-blank lines (max {max_lines})"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        limit = self.options.max_lines
        for cell in notebook.code_cells:
            lines = nonblank(cell)
            if lines > limit:
                yield self.at(notebook, cell, line=1, lines=lines, max_lines=limit)


class TooManyCells(Rule):
    """The notebook has too many cells.

    What it does:
        Counts all cells (code, markdown and raw) of the notebook.

    Why is this bad?
        A notebook past a hundred cells is several notebooks: slow to run,
        hard to review, and its hidden state grows with every cell.
        The longest notebook of the reference corpus (a book chapter) has 114.

    Example:
        A 300-cell "analysis.ipynb" holding a whole project.

    Use instead:
        Split it by topic into notebooks that each run on their own.

    Options:
        ``max-cells`` (int, default 120): the most cells allowed.
    """

    @dataclass(frozen=True)
    class Options:
        max_cells: int = 120

    id = "NB102"
    name = "too-many-cells"
    severity = Severity.WARNING
    message = "Notebook has {cells} cells (max {max_cells})"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        if len(notebook.cells) > self.options.max_cells:
            yield self.at(notebook, cells=len(notebook.cells), max_cells=self.options.max_cells)


class DefinitionTooLong(Rule):
    """A function or class defined in a cell is too long.

    What it does:
        Counts the non-blank lines of each ``def`` and ``class`` (nested ones
        included, each on its own), from its first line to its last.

    Why is this bad?
        A long function in a notebook is library code without tests or
        imports of its own; it belongs in a module.

    Example:
        A 90-line ``def plot_everything(df):`` in a cell.

    Use instead:
        Move it to a ``.py`` module next to the notebook and import it.

    Options:
        ``max-lines`` (int, default 50): most non-blank lines of a function.
        ``max-class-lines`` (int, default 100): most non-blank lines of a class.
    """

    @dataclass(frozen=True)
    class Options:
        max_lines: int = 50
        max_class_lines: int = 100

    id = "NB103"
    name = "definition-too-long"
    severity = Severity.WARNING
    message = "{kind} {definition} has {lines} non-blank lines (max {max_lines})"
    evidence_fields = ("kind", "definition")

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        if not is_python(notebook):
            return
        for cell in notebook.code_cells:
            module = tree(cell)
            if module is None or ("def " not in cell.source and "class " not in cell.source):
                continue
            lines = cell.lines
            for node in definitions(module):
                is_class = isinstance(node, ast.ClassDef)
                limit = self.options.max_class_lines if is_class else self.options.max_lines
                end = node.end_lineno or node.lineno
                count = sum(1 for line in lines[node.lineno - 1 : end] if line.strip())
                if count > limit:
                    kind = "Class" if is_class else "Function"
                    yield self.at(
                        notebook,
                        cell,
                        line=node.lineno,
                        column=node.col_offset + 1,
                        kind=kind,
                        definition=node.name,
                        lines=count,
                        max_lines=limit,
                    )


class TooManyStatements(Rule):
    """A code cell has too many top-level statements.

    What it does:
        Counts the statements at the top level of each code cell (a ``for``
        loop or a ``def`` is one statement however long it is).

    Why is this bad?
        A cell doing twenty things shows one output for all of them; a
        reader cannot see which step produced what.
        In the reference corpus 99% of code cells have at most 13.

    Example:
        A cell of 30 assignments and plot calls.

    Use instead:
        Split the cell where its output would help a reader.

    Options:
        ``max-statements`` (int, default 20): the most top-level statements.
    """

    @dataclass(frozen=True)
    class Options:
        max_statements: int = 20

    id = "NB104"
    name = "too-many-statements"
    severity = Severity.WARNING
    message = "Cell has {statements} top-level statements (max {max_statements})"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        if not is_python(notebook):
            return
        limit = self.options.max_statements
        for cell in notebook.code_cells:
            module = tree(cell)
            if module is not None and len(module.body) > limit:
                yield self.at(
                    notebook, cell, line=1, statements=len(module.body), max_statements=limit
                )


_BRANCHES = (ast.If, ast.IfExp, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.match_case)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


_DECISION_WORDS = re.compile(r"\b(?:if|for|while|except|and|or|case)\b")


def complexity(nodes: list[ast.stmt] | list[ast.AST]) -> int:
    """McCabe-style: one plus each branch, loop, handler, boolean operand and comprehension ``if``.

    Nested functions and classes are not counted here; each is measured on its own.
    """
    total = 1
    stack: list[ast.AST] = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, _BRANCHES):
            total += 1
        elif isinstance(node, ast.BoolOp):
            total += len(node.values) - 1
        elif isinstance(node, ast.comprehension):
            total += 1 + len(node.ifs)
        stack.extend(ast.iter_child_nodes(node))
    return total


class TooComplex(Rule):
    """A cell or a function defined in it has too high a cyclomatic complexity.

    What it does:
        Measures the McCabe complexity of each code cell's top-level code and
        of each function defined in it (branches, loops, ``except``, boolean
        operators, comprehension filters each add one).

    Why is this bad?
        Branchy code in a notebook runs one path when the author ran it; the
        others are never exercised, and the outputs do not show which ran.

    Example:
        A cell with nested ``for``/``if``/``try`` choosing what to plot.

    Use instead:
        Move the logic into functions in a module with tests, and keep the
        cell a call.

    Options:
        ``max-complexity`` (int, default 10): the highest complexity allowed.
    """

    @dataclass(frozen=True)
    class Options:
        max_complexity: int = 10

    id = "NB105"
    name = "too-complex"
    severity = Severity.WARNING
    message = "{what} has cyclomatic complexity {complexity} (max {max_complexity})"
    evidence_fields = ("what",)

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        if not is_python(notebook):
            return
        limit = self.options.max_complexity
        for cell in notebook.code_cells:
            # Every decision point needs one of these words, so few words means low complexity.
            if len(_DECISION_WORDS.findall(cell.source)) < limit:
                continue
            module = tree(cell)
            if module is None:
                continue
            score = complexity(module.body)
            if score > limit:
                yield self.at(
                    notebook, cell, line=1, what="Cell", complexity=score, max_complexity=limit
                )
            for node in definitions(module):
                if not isinstance(node, ast.ClassDef):
                    score = complexity(node.body)
                    if score > limit:
                        yield self.at(
                            notebook,
                            cell,
                            line=node.lineno,
                            column=node.col_offset + 1,
                            what=f"Function {node.name}",
                            complexity=score,
                            max_complexity=limit,
                        )


RULES: tuple[type[Rule], ...] = (
    CellTooLong,
    TooManyCells,
    DefinitionTooLong,
    TooManyStatements,
    TooComplex,
)

"""NB201-NB205: what the stored execution counts say about how the notebook was run.

Jupyter numbers each execution. A notebook produced by "Restart & Run All"
has counts 1, 2, 3... top to bottom; anything else means its outputs came
from a different order, from re-runs, or from cells that no longer exist.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook.markers import markers
from pytest_nbgate.notebook.model import Cell, Notebook


def executed(notebook: Notebook) -> list[Cell]:
    return [cell for cell in notebook.code_cells if cell.execution_count is not None]


def count(cell: Cell) -> int:
    return cell.execution_count or 0


def _pairs(notebook: Notebook) -> Iterator[tuple[Cell, Cell]]:
    """Consecutive executed code cells, top to bottom."""
    cells = executed(notebook)
    return itertools.pairwise(cells)


class ExecutionOrder(Rule):
    """A cell's execution count is lower than that of an executed cell above it.

    What it does:
        Compares the stored execution count of each executed code cell with
        the nearest executed code cell above it.

    Why is this bad?
        The cells ran out of order: the saved outputs may depend on state a
        top-to-bottom run does not produce.

    Example:
        ``[5]`` above ``[3]``: the lower cell ran first.

    Use instead:
        Restart the kernel, run all cells, and commit that.

    Options:
        None.
    """

    id = "NB201"
    name = "execution-out-of-order"
    severity = Severity.WARNING
    message = "Cell ran as [{count}] after the cell above ran as [{previous}]"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for above, cell in _pairs(notebook):
            if count(cell) < count(above):
                yield self.at(
                    notebook, cell, count=cell.execution_count, previous=above.execution_count
                )


class ExecutionGap(Rule):
    """Execution counts skip numbers between consecutive cells, or do not start at 1.

    What it does:
        Reports each executed code cell whose count is more than one above the
        executed cell above it (and the first one when it is not ``[1]``).

    Why is this bad?
        The missing numbers are executions whose cells were re-run, edited or
        deleted afterwards: the outputs were produced with state the notebook
        no longer shows.

    Example:
        ``[1]``, ``[2]``, ``[7]``: five executions happened in between.

    Use instead:
        Restart the kernel, run all cells, and commit that.

    Options:
        None.
    """

    id = "NB202"
    name = "execution-count-gap"
    severity = Severity.INFO
    message = "Execution count jumps from [{previous}] to [{count}]"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        cells = executed(notebook)
        if cells and cells[0].execution_count != 1:
            yield self.at(notebook, cells[0], count=cells[0].execution_count, previous=0)
        for above, cell in itertools.pairwise(cells):
            if count(cell) > count(above) + 1:
                yield self.at(
                    notebook, cell, count=cell.execution_count, previous=above.execution_count
                )


class DuplicateExecutionCount(Rule):
    """Two cells store the same execution count.

    What it does:
        Reports each code cell whose execution count another cell above
        already has.

    Why is this bad?
        One kernel never gives two executions the same number: the outputs
        come from different kernel sessions, or cells were copied with
        their outputs.

    Example:
        Two cells both marked ``[4]``.

    Use instead:
        Restart the kernel, run all cells, and commit that.

    Options:
        None.
    """

    id = "NB203"
    name = "duplicate-execution-count"
    severity = Severity.WARNING
    message = "Execution count [{count}] is also that of cell {other}"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        seen: dict[int, int] = {}
        for cell in executed(notebook):
            if count(cell) in seen:
                yield self.at(notebook, cell, count=count(cell), other=seen[count(cell)])
            seen.setdefault(count(cell), cell.index)


class OutputWithoutCount(Rule):
    """A code cell has stored outputs but no execution count.

    What it does:
        Reports code cells with outputs whose ``execution_count`` is null.

    Why is this bad?
        The outputs cannot be placed in the run: they were pasted, kept
        from an edit, or the counts were stripped while outputs were not.

    Example:
        A plot under a cell showing ``[ ]``.

    Use instead:
        Re-run the notebook, or clear outputs and counts together
        (``nbstripout``).

    Options:
        None.
    """

    id = "NB204"
    name = "output-without-execution-count"
    severity = Severity.WARNING
    message = "Cell has {outputs} output(s) but no execution count"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for cell in notebook.code_cells:
            if cell.outputs and cell.execution_count is None:
                yield self.at(notebook, cell, outputs=len(cell.outputs))


class SkippedCell(Rule):
    """A code cell was not executed although cells above and below it were.

    What it does:
        Reports non-empty code cells with neither execution count nor output
        that sit between executed code cells. Cells tagged to be skipped
        (``nbgate-skip``, ``skip-execution``, ``nbval-skip``) are not reported.

    Why is this bad?
        The outputs below were produced without this cell; when "Run All"
        does run it, it may change or break them.

    Example:
        ``[1]``, ``[ ]``, ``[2]``.

    Use instead:
        Run all cells, or tag the cell ``nbgate-skip`` if it must not run.

    Options:
        None.
    """

    id = "NB205"
    name = "unexecuted-cell"
    severity = Severity.WARNING
    message = "Cell was not executed but cells {above} and {below} around it were"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        runs = executed(notebook)
        if len(runs) < 2:
            return
        first, last = runs[0].index, runs[-1].index
        previous = first
        for cell in notebook.code_cells:
            if cell.execution_count is not None:
                previous = cell.index
            elif first < cell.index < last and self._skipped(cell):
                below = next(c.index for c in runs if c.index > cell.index)
                yield self.at(notebook, cell, above=previous, below=below)

    @staticmethod
    def _skipped(cell: Cell) -> bool:
        return not cell.outputs and bool(cell.source.strip()) and not markers(cell).skip


RULES: tuple[type[Rule], ...] = (
    ExecutionOrder,
    ExecutionGap,
    DuplicateExecutionCount,
    OutputWithoutCount,
    SkippedCell,
)

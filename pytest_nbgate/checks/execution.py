"""NB3xx: does the notebook run top to bottom in a fresh kernel?

All reported by the ``::execute`` item from an
:class:`~pytest_nbgate.execution.run.ExecutionResult`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytest_nbgate.checks.base import Phase, Rule
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook.model import Cell, Notebook

if TYPE_CHECKING:
    from pytest_nbgate.execution.run import CellFailure, ExecutionResult

HEAD_LINES = 3


class _ExecutionRule(Rule):
    severity = Severity.ERROR
    phase = Phase.REPORTED


class CellRaised(_ExecutionRule):
    """A cell raised an exception it was not expected to raise.

    What it does:
        Executes the notebook in a fresh kernel and reports the first cell
        whose execution ends in an error, with its traceback; an ``error``
        output recorded after the cell's code finished (a post-execute hook,
        a figure the inline backend cannot draw) counts too, as in nbmake
        and nbval.

    Why is this bad?
        The notebook no longer runs top to bottom: its saved outputs came from
        a state nobody can reproduce.

    Example:
        ``df.groupby("regoin")`` after a column was renamed.

    Use instead:
        Fix the cell, or, when the error is the point of the cell, tag it
        ``nbgate-raises-exception``.

    Options:
        None.
    """

    id = "NB301"
    name = "cell-raised"
    message = "{ename}: {evalue}"


class ExpectedExceptionMissing(_ExecutionRule):
    """A cell tagged to raise an exception finished without one.

    What it does:
        Checks that every cell tagged ``nbgate-raises-exception`` (or nbmake's
        ``raises-exception``, or marked ``# NBVAL_RAISES_EXCEPTION``) raised.

    Why is this bad?
        The cell documents a failure mode that no longer happens: the
        teaching point or the guard it demonstrates is gone.

    Example:
        A cell showing ``int("x")`` raising, later changed to ``int("1")``.

    Use instead:
        Remove the tag or restore the failing example.

    Options:
        None.
    """

    id = "NB302"
    name = "expected-exception-missing"
    message = "Cell is tagged to raise an exception but finished without one"


class CellTimeout(_ExecutionRule):
    """A cell ran longer than the per-cell timeout.

    What it does:
        Interrupts (then kills) the kernel when one cell runs past
        ``execution.timeout`` seconds (``--nbgate-timeout``).

    Why is this bad?
        A hung cell blocks CI for hours; a slow one makes the gate useless.

    Example:
        ``while not done: poll()`` waiting on a service that is not there.

    Use instead:
        Make the cell fast (sample the data), or raise the timeout in the
        profile for notebooks that need it.

    Options:
        None (``execution.timeout`` in the profile).
    """

    id = "NB303"
    name = "cell-timeout"
    message = "Cell ran longer than {timeout:g}s and was stopped"


class NotebookTimeout(_ExecutionRule):
    """The notebook as a whole ran longer than the per-notebook timeout.

    What it does:
        Stops execution when the sum of all cells passes
        ``execution.notebook-timeout`` seconds.

    Why is this bad?
        Many medium-slow cells add up to a notebook nobody reruns.

    Example:
        Forty cells of one minute each.

    Use instead:
        Work on a sample of the data, or raise the budget in the profile.

    Options:
        None (``execution.notebook-timeout`` in the profile).
    """

    id = "NB304"
    name = "notebook-timeout"
    message = "Notebook ran longer than {timeout:g}s; stopped in this cell"


class KernelDied(_ExecutionRule):
    """The kernel process died while a cell ran.

    What it does:
        Reports the cell during which the kernel exited, with its exit code
        or signal.

    Why is this bad?
        A segfault, an out-of-memory kill or ``os._exit`` means the notebook
        cannot run to the end.

    Example:
        ``ctypes.string_at(0)``, or loading a dataset larger than memory.

    Use instead:
        Fix the crash; for memory, work on a sample.

    Options:
        None.
    """

    id = "NB305"
    name = "kernel-died"
    message = "Kernel died while this cell ran ({status})"


class KernelMissing(_ExecutionRule):
    """The notebook's kernel is not installed where the gate runs.

    What it does:
        Resolves the kernel from ``--nbgate-kernel``, the profile, or the
        notebook's kernelspec, and reports it with the kernels that exist.

    Why is this bad?
        The notebook cannot be executed, so nothing about it is verified.

    Example:
        ``"kernelspec": {"name": "conda-env-old-py"}``.

    Use instead:
        Install the kernel in CI, or set ``execution.kernel`` in the profile.

    Options:
        None (``execution.kernel`` in the profile).
    """

    id = "NB306"
    name = "kernel-missing"
    message = "No kernel named {kernel!r} is installed (available: {available})"


class KernelStartFailed(_ExecutionRule):
    """The kernel did not start or never became ready.

    What it does:
        Reports a kernel that failed to launch or did not answer within the
        start-up timeout.

    Why is this bad?
        The notebook cannot be executed, so nothing about it is verified.

    Example:
        A kernelspec whose ``argv`` points at a Python that was removed.

    Use instead:
        Repair the kernel's environment or its kernelspec.

    Options:
        None (``execution.startup-timeout`` in the profile).
    """

    id = "NB307"
    name = "kernel-start-failed"
    message = "Kernel {kernel!r} failed to start: {reason}"


class InstallRefused(_ExecutionRule):
    """A cell installs packages while the profile forbids it.

    What it does:
        With ``execution: {install-magics: fail}``, reports the first code
        cell holding a ``%pip``, ``%conda``, ``%mamba`` or ``!pip`` line,
        before that cell runs. ``install-magics: skip`` drops such lines
        instead, and ``run`` (the default) runs them.

    Why is this bad?
        A notebook that installs its own packages changes the CI environment
        as it runs: versions drift between runs and the lock file is bypassed.

    Example:
        ``%pip install pandas`` in the first cell.

    Use instead:
        Declare the package in the project's dependencies and remove the line.

    Options:
        None.
    """

    id = "NB308"
    name = "install-refused"
    message = "Installs packages ({command}); the profile's install-magics policy is 'fail'"


RULES: tuple[type[Rule], ...] = (
    CellRaised,
    ExpectedExceptionMissing,
    CellTimeout,
    NotebookTimeout,
    KernelDied,
    KernelMissing,
    KernelStartFailed,
    InstallRefused,
)


def findings_of(notebook: Notebook, result: ExecutionResult) -> list[Finding]:
    """The NB3xx findings of one run: a missing or failed kernel, or each failing cell."""
    if result.missing_kernel is not None:
        available = ", ".join(result.missing_kernel) or "none"
        return [KernelMissing.at(notebook, kernel=result.kernel, available=available)]
    if result.start_error:
        return [KernelStartFailed.at(notebook, kernel=result.kernel, reason=result.start_error)]
    return [_failure_finding(notebook, failure) for failure in result.failures]


def _failure_finding(notebook: Notebook, failure: CellFailure) -> Finding:
    cell = notebook.cells[failure.cell_index]
    head = cell_header(cell)
    if failure.kind == "error":
        finding = CellRaised.at(
            notebook,
            cell,
            line=_error_line(failure.traceback),
            ename=failure.ename,
            evalue=_first_line(failure.evalue),
            detail=f"{head}\n{failure.traceback}",
        )
    elif failure.kind == "missing-exception":
        finding = ExpectedExceptionMissing.at(notebook, cell, detail=head)
    elif failure.kind == "install":
        finding = InstallRefused.at(notebook, cell, command=failure.evalue, detail=head)
    elif failure.kind == "died":
        finding = KernelDied.at(notebook, cell, status=failure.status, detail=head)
    else:
        timeout_rule = CellTimeout if failure.kind == "timeout" else NotebookTimeout
        detail = f"{head}\nstopped after {failure.elapsed:.1f}s in this cell"
        finding = timeout_rule.at(notebook, cell, timeout=failure.limit, detail=detail)
    return finding


def cell_header(cell: Cell) -> str:
    """``cell 3 (id 1a2b)`` and its first source lines, for failure output."""
    ident = f" (id {cell.id})" if cell.id else ""
    lines = cell.lines[:HEAD_LINES]
    more = "\n    | ..." if len(cell.lines) > HEAD_LINES else ""
    body = "\n".join(f"    | {line}" for line in lines)
    return f"cell {cell.index}{ident}:\n{body}{more}"


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:300] if lines else ""


def _error_line(traceback: str) -> int | None:
    """The cell line of the innermost ``----> N`` frame of the cell itself."""
    line = None
    for text in traceback.splitlines():
        stripped = text.strip()
        if stripped.startswith("Cell In["):
            line = None
            marker = stripped.rpartition("line ")[2]
            line = int(marker) if marker.isdigit() else None
            break
    return line

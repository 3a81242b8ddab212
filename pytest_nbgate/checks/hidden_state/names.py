"""NB206-NB207: names read before any cell binds them, or bound by no cell at all.

The notebook is replayed top to bottom as "Run All" would run it, one
top-level statement at a time (see :mod:`._dataflow`). Whatever could
inject names we cannot see (``from m import *``, ``%run``, ``%pylab``,
``exec``, ``globals()``) makes every later read count as defined, and a
cell that does not parse binds every identifier it contains: the analysis
prefers silence to a false alarm.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.hidden_state._dataflow import Read, Step, steps
from pytest_nbgate.checks.structure._common import (
    NON_PYTHON_CELL_MAGICS,
    as_python,
    is_python,
)
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook import ipython
from pytest_nbgate.notebook.markers import markers
from pytest_nbgate.notebook.model import Cell, Notebook

IPYTHON_NAMES = frozenset(
    {"get_ipython", "display", "In", "Out", "exit", "quit", "_", "__", "___", "_i", "_ii",
     "_iii", "_ih", "_oh", "_dh", "__IPYTHON__", "__builtins__", "__name__", "__doc__",
     "__spec__", "__loader__", "__package__", "__builtin__"}
)  # fmt: skip
PYTHON2_BUILTINS = frozenset(
    {"xrange", "unicode", "basestring", "long", "raw_input", "reduce", "unichr", "execfile",
     "file", "reload", "cmp", "apply", "buffer", "intern", "coerce"}
)  # fmt: skip
KNOWN = frozenset(dir(builtins)) | IPYTHON_NAMES | PYTHON2_BUILTINS
_HISTORY = re.compile(r"^_i{0,3}\d+$")
_DYNAMIC = re.compile(
    r"^\s*%(?:run|pylab|load|store\s+-r|macro|recall|rerun)\b|\bexec\s*\(|\bglobals\s*\(\)"
    r"|\blocals\s*\(\)|\bvars\s*\(\)|\b__builtins__\b|\buser_ns\b|\.push\s*\(|\bexecfile\b",
    re.MULTILINE,
)
# A literal every _DYNAMIC match contains: plain substring tests skip the slow regex.
_DYNAMIC_HINTS = ("%", "exec", "globals", "locals", "vars", "__builtins__", "user_ns", ".push")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class Issue:
    """A read that fails on Run All; ``bound_in`` is the later cell that binds it, if any."""

    cell: Cell
    read: Read
    bound_in: int | None


@dataclass
class _Cell:
    cell: Cell
    steps: tuple[Step, ...]
    dynamic: bool


def _prepare(notebook: Notebook) -> list[_Cell] | None:
    if not is_python(notebook):
        return None
    prepared = []
    for cell in notebook.code_cells:
        source = cell.source
        if not source.strip() or source.lstrip().startswith(NON_PYTHON_CELL_MAGICS):
            continue
        if markers(cell).skip:
            # Never run: its reads cannot fail and its bindings never happen.
            continue
        tree = as_python(cell)[1]
        dynamic = _is_dynamic(source)
        extra = Step(binds=set(ipython.magic_assigned_names(source)))
        after = _nbmake_after(cell)
        if tree is None:
            # Unparseable: assume it binds every identifier in it, so it never causes a finding.
            extra.binds.update(_IDENTIFIER.findall(source))
            prepared.append(_Cell(cell, (extra, *after), dynamic))
        else:
            prepared.append(_Cell(cell, (extra, *steps(tree), *after), dynamic))
    return prepared


def _nbmake_after(cell: Cell) -> tuple[Step, ...]:
    """nbmake runs ``mock`` assignments and ``post_cell_execute`` lines after the cell."""
    section = cell.metadata.get("nbmake")
    if not isinstance(section, Mapping):
        return ()
    mocks = section.get("mock")
    found = [Step(binds={str(name) for name in mocks})] if isinstance(mocks, Mapping) else []
    lines = section.get("post_cell_execute")
    if isinstance(lines, list) and lines:
        # Code that does not parse fails the cell when run; nothing it binds is known.
        with contextlib.suppress(SyntaxError, ValueError):
            found.extend(steps(ast.parse("\n".join(str(line) for line in lines))))
    return tuple(found)


def _is_dynamic(source: str) -> bool:
    return any(hint in source for hint in _DYNAMIC_HINTS) and bool(_DYNAMIC.search(source))


def _binders(cells: list[_Cell]) -> dict[str, list[int]]:
    """Each name's binding cells, top to bottom."""
    found: dict[str, list[int]] = {}
    for item in cells:
        for step in item.steps:
            for name in step.binds:
                indexes = found.setdefault(name, [])
                if not indexes or indexes[-1] != item.cell.index:
                    indexes.append(item.cell.index)
    return found


def _known(name: str) -> bool:
    return name in KNOWN or bool(_HISTORY.match(name))


def issues(notebook: Notebook) -> list[Issue]:
    """Every failing read of ``notebook`` (replayed once: two rules ask)."""
    return notebook.derived(_replay)


def _replay(notebook: Notebook) -> list[Issue]:
    cells = _prepare(notebook)
    if not cells:
        return []
    binders = _binders(cells)
    ever_dynamic = any(item.dynamic or any(s.star for s in item.steps) for item in cells)
    found: list[Issue] = []
    defined: set[str] = set()
    dynamic = False
    for item in cells:
        for step in item.steps:
            if not dynamic:
                found.extend(_step_issues(item.cell, step, defined, binders, ever_dynamic))
            defined |= step.binds
            defined -= step.deletes
            dynamic = dynamic or step.star
        dynamic = dynamic or item.dynamic
    return found


def _step_issues(
    cell: Cell, step: Step, defined: set[str], binders: dict[str, list[int]], ever_dynamic: bool
) -> Iterator[Issue]:
    seen: set[str] = set()
    for read in step.reads:
        name = read.name
        if name in seen or name in defined or name in step.binds or _known(name):
            continue
        seen.add(name)
        if name not in binders:
            if not ever_dynamic:
                yield Issue(cell, read, None)
            continue
        later = next((index for index in binders[name] if index >= cell.index), None)
        # Deferred reads run when called; a name deleted for good is left alone (rare, unclear).
        if not read.deferred and later is not None:
            yield Issue(cell, read, later)


class UsedBeforeDefinition(Rule):
    """A name is read in a cell but first bound only in a cell below it.

    What it does:
        Replays the code cells top to bottom and reports a read of a name
        that no earlier cell (or earlier statement of the same cell) binds,
        but a later one does. Reads inside function bodies are not reported
        here: they run when the function is called.

    Why is this bad?
        The notebook only worked because its cells were run out of order;
        "Restart & Run All", CI and every new reader get a ``NameError``.

    Example:
        Cell 3 ``df.plot()`` and cell 5 ``df = pd.read_csv("data.csv")``.

    Use instead:
        Move the defining cell above its first use, then restart the kernel
        and run all cells to check.

    Options:
        None.
    """

    id = "NB206"
    name = "used-before-definition"
    severity = Severity.ERROR
    message = "{name!r} is read before it is bound (first bound later, in cell {bound_in})"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for issue in issues(notebook):
            if issue.bound_in is not None:
                yield self.at(
                    notebook,
                    issue.cell,
                    line=issue.read.line,
                    column=issue.read.column,
                    name=issue.read.name,
                    bound_in=issue.bound_in,
                    evidence=issue.read.name,
                )


class UndefinedName(Rule):
    """A name is read that no cell binds and that is not a builtin.

    What it does:
        Reports reads (function bodies included) of names that no code cell
        assigns, imports or defines (cells marked not to run, ``nbgate-skip``,
        ``skip-execution``, ``# NBVAL_SKIP``, neither read nor bind), that are not Python or IPython
        builtins, and that no ``import *``, ``%run`` or ``exec`` could have
        provided.

    Why is this bad?
        The cell that defined the name was deleted or rewritten after it
        ran: the saved outputs came from kernel state that no longer exists,
        and the notebook fails on a fresh kernel.

    Example:
        ``model.predict(X)`` where the cell ``model = fit(...)`` was deleted.

    Use instead:
        Restore the definition (or remove the use), restart the kernel and
        run all cells.

    Options:
        None.
    """

    id = "NB207"
    name = "undefined-name"
    severity = Severity.ERROR
    message = "{name!r} is bound by no cell (deleted definition?)"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for issue in issues(notebook):
            if issue.bound_in is None:
                yield self.at(
                    notebook,
                    issue.cell,
                    line=issue.read.line,
                    column=issue.read.column,
                    name=issue.read.name,
                    evidence=issue.read.name,
                )


RULES: tuple[type[Rule], ...] = (UsedBeforeDefinition, UndefinedName)

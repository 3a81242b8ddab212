"""PLxxxx, ruff's codes and COVxxx: code quality measured by pylint, ruff and coverage.

All four are *reported* rules: :mod:`pytest_nbgate.linters.pylint` builds the
pylint findings (one per pylint message, ``PL`` + pylint's own id),
:mod:`pytest_nbgate.linters.ruff` the ruff ones (ruff's own codes) and
:mod:`pytest_nbgate.cov.kernel` the coverage ones. They are described here so
that ``nbgate explain``, selection by prefix and severity overrides know them.
"""

from __future__ import annotations

from pytest_nbgate.checks.base import Phase, Rule
from pytest_nbgate.findings import Severity


class PylintMessage(Rule):
    """A pylint message on a notebook's code, mapped to its cell and line.

    What it does:
        Runs pylint once over every notebook's code cells (each notebook as
        one module, IPython magics turned into harmless lines) and reports
        each message as ``PL`` + pylint's id (``PLW0611`` unused-import) at
        the cell and line it is about. A notebook whose pylint score is
        below ``min-score`` gets one ``PL`` finding stating the score.

    Why is this bad?
        Notebook code is code: unused imports, undefined names and shadowed
        builtins hide bugs the same way they do in a module, and nobody
        reviews a notebook's JSON diff as carefully as a ``.py`` file.

    Example:
        ```python
        import os
        df = load()
        df.head()
        ```
        ``PLW0611 Unused import os`` at cell 1, line 1.

    Use instead:
        Fix the message, or select and ignore pylint messages in the
        profile (``ignore: [PLC0301]``, or the ``pylint:`` section's
        ``disable``). A cell's last bare expression, which is how a notebook
        displays a value, is not reported as pointless.

    Options:
        The profile's ``pylint:`` section: ``enabled``, ``disable``,
        ``enable``, ``rcfile``, ``options``, ``min-score``,
        ``display-last-expression``, ``jobs``.
    """

    id = "PL"
    name = "pylint"
    severity = Severity.WARNING
    message = "{text}"
    phase = Phase.REPORTED


class RuffMessage(Rule):
    """A ruff message on a notebook's code cells, with ruff's own code.

    What it does:
        Runs ``ruff check`` once over every notebook of the process (ruff
        reads ``.ipynb`` files and IPython magics itself) with the project's
        ruff configuration (``[tool.ruff]`` in ``pyproject.toml``,
        ``ruff.toml``), and reports each message under ruff's code
        (``F401`` unused-import) at the cell and line it is about. A cell
        ruff cannot parse is reported as ``RUFF`` (error); syntax errors,
        undefined names and the other ``E9``, ``F63``, ``F7``, ``F82``
        messages are errors, the rest warnings.

    Why is this bad?
        Notebook code is code: an unused import or an undefined name in a
        cell is the same bug as in a module, and ruff finds it in
        milliseconds.

    Example:
        ```python
        import os
        df = load()
        ```
        ``F401 `os` imported but unused`` at cell 1, line 1.

    Use instead:
        Fix the message, silence it with ruff's ``# noqa: F401``, or choose
        ruff's rules in ``[tool.ruff.lint]`` or the profile's ``ruff:``
        section. Ignored by default, as notebook noise: ``E402`` (NB107
        reports late imports), ``E501``, ``B018``, ``T201``, ``T203``,
        ``D100``, ``INP001``.

    Options:
        The profile's ``ruff:`` section: ``enabled``, ``select``,
        ``extend-select``, ``ignore`` (replaces the noise list), ``config``.
    """

    id = "RUFF"
    name = "ruff"
    severity = Severity.WARNING
    message = "{text}"
    phase = Phase.REPORTED


class NotebookCoverageLow(Rule):
    """Too few of a notebook's own code lines ran.

    What it does:
        Measures, in the notebook's kernel, which statements of which code
        cells ran, and reports a notebook whose share of executed statements
        is below ``coverage: cells-fail-under``, listing the cells with
        statements that never ran.

    Why is this bad?
        Code that does not run in CI is not tested: a cell skipped by a tag,
        a branch never taken, a function defined and never called, or cells
        after an early stop. Its outputs and its claims are unchecked.

    Example:
        ```python
        if FULL_RUN:
            model = train(data)  # never runs in CI
        ```

    Use instead:
        Make the notebook exercise its code on a small input in CI (a
        parameter cell with ``FULL_RUN = False`` still running ``train`` on
        a sample), or delete dead cells.

    Options:
        ``coverage: cells-fail-under`` (percent, off when absent).
    """

    id = "COV101"
    name = "notebook-coverage-low"
    severity = Severity.WARNING
    message = "Cell coverage {percent:.1f}% (min {minimum:.1f}%); not fully run: {cells}"
    phase = Phase.REPORTED


class ModuleCoverageLow(Rule):
    """The project modules the notebooks import are too little exercised.

    What it does:
        Measures line (and branch) coverage of ``coverage: source`` inside
        every notebook's kernel, combines the data of all notebooks, and
        reports when the total is below ``coverage: fail-under``, listing
        the least covered modules.

    Why is this bad?
        Notebooks are often the only place library code is exercised end to
        end; a falling number says that code drifted away from them.

    Example:
        ``src/pkg/clean.py`` has 40 statements and the notebooks run 12.

    Use instead:
        Add the missing cases to a notebook, or unit tests, and run both
        with ``--cov`` so one report counts them together.

    Options:
        ``coverage: fail-under`` (percent, off when absent).
    """

    id = "COV102"
    name = "module-coverage-low"
    severity = Severity.ERROR
    message = "Module coverage {percent:.1f}% (min {minimum:.1f}%); least covered: {modules}"
    phase = Phase.REPORTED


RULES: tuple[type[Rule], ...] = (
    PylintMessage,
    RuffMessage,
    NotebookCoverageLow,
    ModuleCoverageLow,
)

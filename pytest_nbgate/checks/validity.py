"""NB0xx: is the file a notebook we can check at all?

These rules are reported by the reader (:mod:`pytest_nbgate.notebook.model`): a
file that cannot be parsed gives one NB001/NB004 finding and no other; a
notebook that parses but breaks the schema gives NB002 findings and is still
linted.
"""

from __future__ import annotations

from collections.abc import Iterator

from pytest_nbgate.checks.base import Phase, Rule
from pytest_nbgate.findings import Finding, Location, Severity
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.notebook.reading import NotebookError


class InvalidNotebook(Rule):
    """The file is not a notebook: empty, not UTF-8, not JSON, or not a JSON object.

    What it does:
        Reports a ``.ipynb`` file that cannot be parsed, with the JSON line
        and column of the first error, and a cell whose ``cell_type`` is
        not one nbformat knows (code, markdown, raw), naming the cell.

    Why is this bad?
        Jupyter cannot open it, nothing in it can be executed or reviewed, and
        it is usually the result of a bad merge or a truncated write.

    Example:
        A merge conflict left ``<<<<<<< HEAD`` inside the JSON.

    Use instead:
        Resolve the conflict with ``nbdime`` or restore the file from history.

    Options:
        None.
    """

    id = "NB001"
    name = "invalid-notebook"
    severity = Severity.ERROR
    phase = Phase.STATIC

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        """A notebook that parsed but holds what nbformat forbids (a cell of unknown kind)."""
        for problem in notebook.problems:
            if problem.rule_id == self.id and problem.cell_index is not None:
                cell = notebook.cells[problem.cell_index]
                yield self.at(notebook, cell, text=problem.message)


class SchemaViolation(Rule):
    """The notebook breaks the nbformat JSON schema.

    What it does:
        Validates the notebook against the nbformat 4 schema of its minor
        version and reports each violation with its JSON path.

    Why is this bad?
        Tools disagree on how to read an invalid notebook; some drop cells or
        outputs silently, others refuse to open it.

    Example:
        A cell ``id`` in a notebook that declares ``nbformat_minor: 4``.

    Use instead:
        Open and save the notebook in a current Jupyter, or run
        ``python -m nbformat.validator`` to repair it.

    Options:
        None.
    """

    id = "NB002"
    evidence_fields = ("text",)
    name = "schema-violation"
    severity = Severity.WARNING
    phase = Phase.STATIC

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for problem in notebook.problems:
            if problem.rule_id == self.id:
                cell = None if problem.cell_index is None else notebook.cells[problem.cell_index]
                yield self.at(notebook, cell, text=problem.message)


class UnsupportedFormat(Rule):
    """The notebook uses an nbformat major version other than 4.

    What it does:
        Reports nbformat 1 to 3 files (which are upgraded in memory so the
        other static rules still run) and files newer than nbformat 4.

    Why is this bad?
        Current Jupyter tools write nbformat 4 only; executing or diffing an
        old file converts it, so the saved outputs cannot be compared.

    Example:
        ``"nbformat": 3`` with ``worksheets``.

    Use instead:
        Open and save the notebook in a current Jupyter, or run
        ``jupyter nbconvert --to notebook --nbformat 4 --inplace``.

    Options:
        None.
    """

    id = "NB003"
    evidence_fields = ("text",)
    name = "unsupported-nbformat"
    severity = Severity.ERROR
    phase = Phase.STATIC

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for problem in notebook.problems:
            if problem.rule_id == self.id:
                yield self.at(notebook, text=problem.message)


class UnreadableFile(Rule):
    """The file cannot be read (permissions, a broken link, an I/O error).

    What it does:
        Reports a notebook path that the operating system refuses to read.

    Why is this bad?
        A gate that skips what it cannot read passes what it never checked.

    Example:
        A notebook with mode ``000`` or a dangling symlink.

    Use instead:
        Fix the permissions or remove the file.

    Options:
        None.
    """

    id = "NB004"
    name = "unreadable-file"
    severity = Severity.ERROR
    phase = Phase.REPORTED


RULES: tuple[type[Rule], ...] = (
    InvalidNotebook,
    SchemaViolation,
    UnsupportedFormat,
    UnreadableFile,
)


def reading_failure(error: NotebookError, relpath: str) -> Finding:
    """The NB00x finding for a file that could not be read as a notebook."""
    rule: type[Rule] = UnreadableFile if error.rule_id == "NB004" else InvalidNotebook
    if error.rule_id in ("NB002", "NB003"):
        rule = SchemaViolation if error.rule_id == "NB002" else UnsupportedFormat
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=max(rule.severity, InvalidNotebook.severity),
        location=Location(path=relpath, file_line=error.line or 1),
        message=error.problem,
    )

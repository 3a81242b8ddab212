"""NB208: a notebook and its jupytext-paired text file no longer hold the same code."""

from __future__ import annotations

from collections.abc import Iterator

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook.model import Notebook, relative_path
from pytest_nbgate.notebook.reading import NotebookError
from pytest_nbgate.notebook.text import paired_texts


class PairedNotebookDrift(Rule):
    """A paired notebook and text file differ in a code cell.

    What it does:
        For a ``.ipynb`` whose jupytext metadata pairs it with text files
        (``formats: ipynb,py:percent``), reads each paired file that exists
        and reports the first code cell whose source differs, or a different
        number of code cells. The pair is gated once, through the ``.ipynb``.

    Why is this bad?
        One side was edited without syncing (``jupytext --sync``): reviewers
        read the text file while CI runs the notebook, or the other way round.

    Example:
        ``analysis.py`` computes ``mean`` where ``analysis.ipynb`` still
        computes ``median``.

    Use instead:
        Run ``jupytext --sync`` on the pair and commit both files.

    Options:
        None.
    """

    id = "NB208"
    name = "paired-notebook-drift"
    severity = Severity.ERROR
    message = "Code differs from its paired {other}: {what}"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        if notebook.text_format:
            return
        for path in paired_texts(notebook.path, notebook.metadata):
            if not path.is_file():
                continue
            shown = relative_path(path, notebook.path.parent)
            try:
                other = Notebook.read(path, notebook.path.parent)
            except NotebookError as exc:
                yield self.at(notebook, other=shown, what=f"it cannot be read ({exc.problem})")
                continue
            yield from self._compare(notebook, other, shown)

    def _compare(self, notebook: Notebook, other: Notebook, shown: str) -> Iterator[Finding]:
        ours = [cell for cell in notebook.code_cells]
        theirs = [cell.source.strip() for cell in other.code_cells]
        for position, cell in enumerate(ours):
            if position >= len(theirs) or cell.source.strip() != theirs[position]:
                what = f"code cell {position + 1} of {len(ours)} is not the same there"
                yield self.at(notebook, cell, other=shown, what=what)
                return
        if len(theirs) > len(ours):
            what = f"it has {len(theirs)} code cells, this notebook {len(ours)}"
            yield self.at(notebook, other=shown, what=what)


RULES: tuple[type[Rule], ...] = (PairedNotebookDrift,)

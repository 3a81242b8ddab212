"""NB120-NB121: what a team that commits notebooks without outputs keeps out of them.

Both are off by default and on in the ``stripped`` profile; ``nbgate fix``
repairs both (it strips what they report, never renumbering anything).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook.model import Cell, Notebook

NOTEBOOK_KEYS = ("widgets", "papermill")
"""Notebook metadata rewritten by every run: ipywidgets' saved state, papermill's run record."""
CELL_KEYS = ("execution", "ExecuteTime", "executionInfo", "outputId", "colab", "id", "papermill")
"""Cell metadata rewritten by every run: JupyterLab's and the ExecuteTime extension's timing,
Colab's ``executionInfo``, output ids, cell ids (``metadata.id``) and display sizes, papermill's
per-cell status and duration."""


@dataclasses.dataclass(frozen=True)
class StrippedOptions:
    keep_tags: tuple[str, ...] = ("nbgate-keep-output",)
    """Cells with one of these tags may keep their outputs (a rendered diagram, say)."""


class OutputsNotStripped(Rule):
    """A code cell stores outputs or an execution count in a repository that commits none.

    What it does:
        Reports each code cell that stores outputs or an execution count,
        naming the cell and what it holds. Cells tagged ``nbgate-keep-output``
        (see ``keep-tags``) may keep theirs. Off by default: on in the
        ``stripped`` profile, for teams that commit notebooks as nbstripout
        leaves them. The ``teaching`` profile requires outputs instead.

    Why is this bad?
        Stored outputs make every run a diff: reviews drown in image bytes
        and counters, merges conflict on cells nobody edited, and an output
        can leak data the code only printed once on the author's machine.

    Example:
        A cell with ``"execution_count": 7`` and a stored PNG plot.

    Use instead:
        Commit the notebook without outputs. ``nbgate fix`` strips the
        outputs and execution counts of every cell this rule reports (and
        only those); counts are cleared, never renumbered.

    Options:
        ``keep-tags``: cell tags that allow stored outputs.
    """

    id = "NB120"
    name = "outputs-not-stripped"
    severity = Severity.WARNING
    message = "Code cell stores {what}; this repository commits notebooks without outputs"
    Options = StrippedOptions
    default_enabled = False

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for cell in notebook.code_cells:
            if cell.has_tag(*self.options.keep_tags):
                continue
            parts = []
            if cell.outputs:
                parts.append(f"{len(cell.outputs)} output(s)")
            if cell.execution_count is not None:
                parts.append(f"execution count {cell.execution_count}")
            if parts:
                yield self.at(notebook, cell, what=" and ".join(parts))


@dataclasses.dataclass(frozen=True)
class VolatileOptions:
    notebook_keys: tuple[str, ...] = NOTEBOOK_KEYS
    cell_keys: tuple[str, ...] = CELL_KEYS


class VolatileMetadata(Rule):
    """Metadata that changes on every run is stored in the notebook.

    What it does:
        Reports, once for the notebook and once per cell, metadata keys that
        tools rewrite whenever the notebook runs: widget state (``widgets``),
        papermill run records (``papermill``), per-cell execution timing
        (``execution``, ``ExecuteTime``), and Colab's ``executionInfo``,
        ``outputId``, ``colab`` display data and cell ids in ``metadata.id``.
        Off by default: on in the ``stripped`` profile.

    Why is this bad?
        These keys say when and where the notebook last ran, not what it
        is: they turn every run into a diff, conflict in merges, and carry
        account names and machine details into the repository.

    Example:
        ``"metadata": {"executionInfo": {"elapsed": 1532, "user": {...}}}``

    Use instead:
        Leave run records out of the committed file. ``nbgate fix`` removes
        exactly the keys this rule reports; every other byte stays.

    Options:
        ``notebook-keys``, ``cell-keys``: the metadata keys counted as
        volatile.
    """

    id = "NB121"
    name = "volatile-metadata"
    severity = Severity.WARNING
    message = "Volatile metadata stored: {keys}"
    Options = VolatileOptions
    default_enabled = False

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        found = stored_keys(notebook.metadata, self.options.notebook_keys)
        if found:
            yield self.at(notebook, keys=", ".join(found), evidence=",".join(found))
        for cell in notebook.cells:
            found = self.cell_keys(cell)
            if found:
                yield self.at(notebook, cell, keys=", ".join(found), evidence=",".join(found))

    def cell_keys(self, cell: Cell) -> list[str]:
        return stored_keys(cell.metadata, self.options.cell_keys)


def stored_keys(metadata: Mapping[str, Any], keys: tuple[str, ...]) -> list[str]:
    """The ``keys`` present in ``metadata``, in the order the rule lists them."""
    return [key for key in keys if key in metadata]


RULES: tuple[type[Rule], ...] = (OutputsNotStripped, VolatileMetadata)

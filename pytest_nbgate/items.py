"""pytest nodes: a notebook file and its ``lint``, ``execute``, ``pylint``, ``ruff`` items."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from pytest_nbgate.checks.validity import reading_failure
from pytest_nbgate.config import GateConfig
from pytest_nbgate.findings import Finding
from pytest_nbgate.fix.command import fixable_count
from pytest_nbgate.gate import lint, pylint, ruff, run
from pytest_nbgate.notebook import gcpause
from pytest_nbgate.notebook.directives import directives
from pytest_nbgate.notebook.model import Notebook, relative_path
from pytest_nbgate.notebook.params import parameter_sets
from pytest_nbgate.notebook.reading import NotebookError
from pytest_nbgate.notebook.text import paired_notebook
from pytest_nbgate.redaction import Redactor
from pytest_nbgate.reporters.html_evidence import EXTRA_PREFIX
from pytest_nbgate.reporters.html_evidence import collect as collect_evidence
from pytest_nbgate.reporters.terminal import format_failure
from pytest_nbgate.stash import GATE_KEY, RUNTIME_KEY


class GateFailure(Exception):
    """Raised by an item whose findings reach ``fail-on``; rendered by ``repr_failure``."""

    def __init__(self, findings: Sequence[Finding], gate: GateConfig) -> None:
        super().__init__(f"{len(findings)} finding(s)")
        self.findings = list(findings)
        self.gate = gate


class NotebookFile(pytest.File):
    """One ``.ipynb``; read once, here, and shared by its items."""

    notebook: Notebook | None = None
    error: NotebookError | None = None

    def collect(self) -> Iterator[pytest.Item]:
        gate = self.config.stash[GATE_KEY]
        try:
            self.notebook = Notebook.read(self.path, self.config.rootpath)
        except NotebookError as exc:
            self.error = exc
        try:
            if self.notebook is not None and text_notebook_gated_elsewhere(self.notebook, gate):
                return
        except ValueError as exc:
            raise self.CollectError(str(exc)) from None
        yield LintItem.from_parent(self, name="lint")
        if self.notebook is None:
            return
        if gate.execute:
            yield from self._execute_items(gate)
        if gate.pylint:
            yield PylintItem.from_parent(self, name="pylint")
        if gate.ruff:
            yield RuffItem.from_parent(self, name="ruff")

    def _execute_items(self, gate: GateConfig) -> Iterator[pytest.Item]:
        """``execute``, or one ``execute[set]`` per parameter set, with the notebook's marks."""
        assert self.notebook is not None
        try:
            sets = parameter_sets(self.notebook, gate.parameter_sets, gate.parameter_overrides)
        except ValueError as exc:
            raise self.CollectError(f"{self.notebook.relpath}: {exc}") from None
        wanted = directives(self.notebook)
        for variant, values in sets.items() or [("", None)]:
            name = f"execute[{variant}]" if variant else "execute"
            item = ExecuteItem.from_parent(self, name=name, parameters=values, variant=variant)
            if wanted.skip is not None:
                item.add_marker(pytest.mark.skip(reason=wanted.skip))
            elif wanted.xfail is not None:
                item.add_marker(pytest.mark.xfail(reason=wanted.xfail, strict=False))
            yield item


def text_notebook_gated_elsewhere(notebook: Notebook, gate: GateConfig) -> bool:
    """A text notebook paired with an ``.ipynb`` is gated once, through the ``.ipynb``.

    Raises :class:`ValueError` when the profile asks for the notebook store,
    which a text notebook (it has no outputs) cannot be.
    """
    if not notebook.text_format:
        return False
    snapshots = gate.snapshots
    if snapshots is not None and snapshots.enabled and snapshots.store_explicit == "notebook":
        raise ValueError(
            f"{notebook.relpath}: a text notebook has no outputs, so the profile's "
            "snapshots.store: notebook cannot hold its goldens; use snapshots.store: external"
        )
    return paired_notebook(notebook.path, notebook.metadata) is not None


class GateItem(pytest.Item):
    """Common behaviour: findings attached to the report, failure rendering."""

    parent: NotebookFile

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.findings: list[Finding] = []
        self.extra: dict[str, Any] = {}
        """Per-notebook report data (cell coverage), attached to the report."""

    @property
    def gate(self) -> GateConfig:
        return self.config.stash[GATE_KEY]

    @property
    def relpath(self) -> str:
        return relative_path(self.path, self.config.rootpath)

    def conclude(self, findings: Sequence[Finding]) -> None:
        """Record ``findings`` for reporters and fail when any reaches ``fail-on``."""
        self.findings = list(findings)
        baseline = self.config.stash[RUNTIME_KEY].baseline
        if baseline is not None:
            # The controller reports the baseline's entries no item matched (stale).
            mine = {e.fingerprint for e in baseline.entries if e.path == self.relpath}
            matched = mine & self.config.stash[RUNTIME_KEY].baselined
            self.extra[f"baselined-{self.name}"] = sorted(matched)
        notebook = self.parent.notebook
        if self.config.stash[RUNTIME_KEY].evidence and notebook is not None:
            key = f"{EXTRA_PREFIX}{self.name}"
            self.extra.setdefault(key, collect_evidence(notebook, self.findings))
        for finding in self.findings:
            where = finding.location.describe()
            self.user_properties.append(
                (f"nbgate:{finding.rule_id}", f"{where}: {finding.message}")
            )
        blocking = [f for f in self.findings if f.severity >= self.gate.fail_on]
        if blocking:
            raise GateFailure(self.findings, self.gate)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        if isinstance(excinfo.value, GateFailure):
            return format_failure(excinfo.value.findings, excinfo.value.gate.fail_on)
        return self.redactor.text(str(super().repr_failure(excinfo, style=style)))

    def add_report_section(self, when: str, key: str, content: str) -> None:
        """Captured output (a kernel's stderr, a library's log) is redacted like findings."""
        super().add_report_section(when, key, self.redactor.text(content))

    @property
    def redactor(self) -> Redactor:
        runtime = self.config.stash[RUNTIME_KEY]
        return runtime.redactor(self.parent.notebook)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        # A line: pytest needs one for an item that skips itself (``pytest.skip()`` in a
        # cell). The domain is the item's name alone: pytest turns dots in it into ``::``.
        return self.path, 0, self.name


class LintItem(GateItem):
    """Static rules over sources, stored outputs and metadata; no kernel."""

    def runtest(self) -> None:
        error = self.parent.error
        if error is not None:
            self.conclude([reading_failure(error, self.relpath)])
            return
        assert self.parent.notebook is not None
        runtime = self.config.stash[RUNTIME_KEY]
        with gcpause.paused():
            findings = lint(self.parent.notebook, self.gate, runtime)
        fixable = fixable_count(self.parent.notebook, findings, self.gate.ruleset)
        if fixable:
            self.extra["fixable"] = fixable
        self.conclude(findings)


class ExecuteItem(GateItem):
    """One fresh kernel; execution, fresh-output and golden findings."""

    def __init__(
        self, *, parameters: dict[str, Any] | None = None, variant: str = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.parameters = parameters
        self.variant = variant

    def runtest(self) -> None:
        assert self.parent.notebook is not None
        runtime = self.config.stash[RUNTIME_KEY]
        outcome = run(self.parent.notebook, self.gate, runtime, self.parameters, self.variant)
        self.extra = outcome.extra
        if outcome.skipped is not None:
            # Reported at the notebook, not at this line.
            raise pytest.skip.Exception(outcome.skipped, _use_item_location=True)
        self.conclude(outcome.findings)


class LinterItem(GateItem):
    """An external linter's item: one linter run for the notebooks of this process's batch."""

    def batch(self) -> list[Notebook]:
        """The notebooks linted together with this one, each exactly once across processes.

        A single process runs every collected item, so its batch is every item of
        this kind. A pytest-xdist worker collects every item too, but runs only
        those the controller sends it, one at a time and never announced ahead:
        linting the others would lint each notebook once per worker. A worker's
        batch is its own notebook (pylint's astroid cache still spans the worker).
        """
        assert self.parent.notebook is not None
        if hasattr(self.config, "workerinput"):
            return [self.parent.notebook]
        return [
            item.parent.notebook
            for item in self.session.items
            if type(item) is type(self) and item.parent.notebook is not None
        ]


class PylintItem(LinterItem):
    """pylint over the notebook's code cells, batched with the process's other notebooks."""

    def runtest(self) -> None:
        assert self.parent.notebook is not None
        runtime = self.config.stash[RUNTIME_KEY]
        self.conclude(pylint(self.parent.notebook, self.batch(), self.gate, runtime))


class RuffItem(LinterItem):
    """``ruff check`` over the notebook, one ruff process for the process's notebooks."""

    def runtest(self) -> None:
        assert self.parent.notebook is not None
        runtime = self.config.stash[RUNTIME_KEY]
        self.conclude(ruff(self.parent.notebook, self.batch(), self.gate, runtime))

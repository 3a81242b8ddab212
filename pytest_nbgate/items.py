"""pytest nodes: a notebook file and its ``::lint``, ``::execute`` and ``::pylint`` items."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from pytest_nbgate.cache.results import EXECUTION, PYLINT, Caches
from pytest_nbgate.config import GateConfig
from pytest_nbgate.execution.run import resolve_kernel
from pytest_nbgate.findings import Finding
from pytest_nbgate.gate import lint_source, notebook_options, pylint, run
from pytest_nbgate.notebook.model import Notebook, relative_path
from pytest_nbgate.notebook.reading import NotebookError
from pytest_nbgate.notebook.source import NotebookSource
from pytest_nbgate.reporters.terminal import format_failure
from pytest_nbgate.stash import GATE_KEY, RUNTIME_KEY

UNREPEATABLE = frozenset({"NB303", "NB304", "NB305", "NB306", "NB307"})
"""Timeouts, crashes and kernels that would not start say more about the machine than the
notebook: never cached, so the next run tries again."""


class GateFailure(Exception):
    """Raised by an item whose findings reach ``fail-on``; rendered by ``repr_failure``."""

    def __init__(self, findings: Sequence[Finding], gate: GateConfig) -> None:
        super().__init__(f"{len(findings)} finding(s)")
        self.findings = list(findings)
        self.gate = gate


class NotebookFile(pytest.File):
    """One ``.ipynb``. Collection only names its items: the file is read when the first
    of them runs, shared by the others, and released once the last one is done."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = NotebookSource(self.path, relative_path(self.path, self.config.rootpath))

    @property
    def notebook(self) -> Notebook | None:
        """The notebook, read now if no item has yet; ``None`` when it cannot be read."""
        try:
            return self.source.notebook()
        except NotebookError:
            return None

    @property
    def error(self) -> NotebookError | None:
        return self.source.error()

    def collect(self) -> Iterator[pytest.Item]:
        gate = self.config.stash[GATE_KEY]
        yield LintItem.from_parent(self, name="lint")
        if gate.execute:
            yield ExecuteItem.from_parent(self, name="execute")
        if gate.pylint:
            yield PylintItem.from_parent(self, name="pylint")

    def execution_key(self, name: str = "execute") -> str | None:
        """The execution cache key of this notebook's ``name`` item, when it has one."""
        caches = self.config.stash[RUNTIME_KEY].caches
        notebook = self.notebook
        if caches is None or notebook is None:
            return None
        gate = self.config.stash[GATE_KEY]
        kernel = resolve_kernel(notebook, notebook_options(notebook, gate.execution))
        return caches.execution_key(self.source, name, kernel)

    def execution_cached(self) -> bool:
        """Its execution will be replayed: no kernel needs to be started for it."""
        key = self.execution_key()
        caches = self.config.stash[RUNTIME_KEY].caches
        return key is not None and caches is not None and caches.store.has(EXECUTION, key)

    def teardown(self) -> None:
        # pytest tears a collector down when the next item is not one of its own.
        self.source.release()


class GateItem(pytest.Item):
    """Common behaviour: findings attached to the report, failure rendering."""

    parent: NotebookFile

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.findings: list[Finding] = []
        self.cached = False
        """Replayed from the result cache instead of recomputed."""
        self.unreadable = False
        """Skipped: the file is no notebook, which only its ``::lint`` item reports."""
        self.extra: dict[str, Any] = {}
        """Per-notebook report data (cell coverage), attached to the report."""

    @property
    def gate(self) -> GateConfig:
        return self.config.stash[GATE_KEY]

    @property
    def relpath(self) -> str:
        return self.parent.source.relpath

    def readable(self) -> Notebook:
        """The notebook; an unreadable one is the ``::lint`` item's failure, not this item's."""
        notebook = self.parent.notebook
        if notebook is None:
            self.unreadable = True
            pytest.skip(f"{self.relpath} is not a readable notebook (reported by its ::lint item)")
        return notebook

    def conclude(self, findings: Sequence[Finding]) -> None:
        """Record ``findings`` for reporters and fail when any reaches ``fail-on``."""
        self.findings = list(findings)
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
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.relpath}::{self.name}"


class LintItem(GateItem):
    """Static rules over sources, stored outputs and metadata; no kernel."""

    def runtest(self) -> None:
        runtime = self.config.stash[RUNTIME_KEY]
        others = self.gate.execute or self.gate.pylint
        hits = runtime.caches.store.hits if runtime.caches is not None else 0
        findings = lint_source(self.parent.source, self.gate, runtime, keep=others)
        # A hit is the one way the store's counter moves during this call.
        self.cached = runtime.caches is not None and runtime.caches.store.hits > hits
        self.conclude(findings)


class ExecuteItem(GateItem):
    """One fresh kernel; execution, fresh-output and golden findings."""

    def runtest(self) -> None:
        notebook = self.readable()
        runtime = self.config.stash[RUNTIME_KEY]
        caches = runtime.caches
        key = self.parent.execution_key(self.name)
        replay = caches.replay(EXECUTION, key) if caches is not None and key else None
        if replay is not None:
            self.cached = True
            self.extra = replay.extra
            self.conclude(replay.findings)
            return
        outcome = run(notebook, self.gate, runtime)
        self.extra = outcome.extra
        if (
            caches is not None
            and key
            and not any(f.rule_id in UNREPEATABLE for f in outcome.findings)
        ):
            caches.record(EXECUTION, key, outcome.findings, outcome.extra)
        self.conclude(outcome.findings)


class PylintItem(GateItem):
    """pylint over the notebook's code cells, batched with every other notebook."""

    def runtest(self) -> None:
        notebook = self.readable()
        runtime = self.config.stash[RUNTIME_KEY]
        caches = runtime.caches
        key = caches.pylint_key(self.parent.source) if caches is not None else None
        replay = caches.replay(PYLINT, key) if caches is not None and key else None
        if replay is not None:
            self.cached = True
            self.conclude(replay.findings)
            return
        done = runtime.pylint_results or {}
        batch = [] if self.relpath in done else self.batch(caches)
        findings = pylint(notebook, batch, self.gate, runtime)
        if caches is not None and key:
            caches.record(PYLINT, key, findings)
        self.conclude(findings)

    def batch(self, caches: Caches | None) -> list[Notebook]:
        """The session's other notebooks pylint has no cached result for, read for this run only."""
        wanted = []
        for item in self.session.items:
            if not isinstance(item, PylintItem) or item is self:
                continue
            source = NotebookSource(item.path, item.relpath)
            try:
                if caches is not None and caches.store.has(PYLINT, caches.pylint_key(source)):
                    continue
                wanted.append(source.notebook())
            except NotebookError:
                continue
        return wanted

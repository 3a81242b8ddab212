"""pytest nodes: a notebook file and its ``lint``, ``execute``, ``pylint``, ``ruff`` items."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from _pytest._code.code import ReprExceptionInfo

from pytest_nbgate.cache.digests import canonical
from pytest_nbgate.cache.session_cache import EXECUTION, PYLINT
from pytest_nbgate.config import GateConfig
from pytest_nbgate.execution.kernelspec import resolve_kernel
from pytest_nbgate.files import relative_path
from pytest_nbgate.findings import Finding
from pytest_nbgate.fix.command import describe_fixable
from pytest_nbgate.gate import lint_source, notebook_options, run
from pytest_nbgate.linters.batches import pylint, ruff
from pytest_nbgate.notebook.directives import directives
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.notebook.params import parameter_sets
from pytest_nbgate.notebook.reading import NotebookError
from pytest_nbgate.notebook.source import NotebookSource
from pytest_nbgate.notebook.text import paired_notebook
from pytest_nbgate.redaction import Redactor
from pytest_nbgate.reporters.html_evidence import EXTRA_PREFIX
from pytest_nbgate.reporters.html_evidence import collect as collect_evidence
from pytest_nbgate.reporters.terminal import OneLine, format_failure, with_headline
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
    """One notebook. Its file is read when an item (or collection, to name parametrised
    execute items) needs it, shared by its items, and released once the last one is done."""

    @functools.cached_property
    def source(self) -> NotebookSource:
        # Named when first needed: a node whose items are all deselected never is.
        # Named from the repository root, as every report names it (files.repository_root).
        root = self.config.stash[GATE_KEY].paths_root
        return NotebookSource(self.path, relative_path(self.path, root))

    @property
    def notebook(self) -> Notebook | None:
        """The notebook, read now if nothing has yet; ``None`` when it cannot be read."""
        try:
            return self.source.notebook()
        except NotebookError:
            return None

    @property
    def error(self) -> NotebookError | None:
        return self.source.error()

    def collect(self) -> Iterator[pytest.Item]:
        gate = self.config.stash[GATE_KEY]
        # A static run names its items from the path alone; execute items need the
        # notebook (parameter sets, skip/xfail directives), as does a text notebook.
        peek = gate.execute or self.path.suffix != ".ipynb"
        notebook = self.notebook if peek else None
        try:
            if notebook is not None and text_notebook_gated_elsewhere(notebook, gate):
                self.source.release()
                return
        except ValueError as exc:
            raise self.CollectError(str(exc)) from None
        yield LintItem.from_parent(self, name="lint")
        if peek and notebook is None:
            return
        if gate.execute:
            yield from self._execute_items(gate)
        if gate.pylint:
            yield PylintItem.from_parent(self, name="pylint")
        if gate.ruff:
            yield RuffItem.from_parent(self, name="ruff")
        # Read again by the first item that runs: collection holds no notebook.
        self.source.release()

    def teardown(self) -> None:
        # pytest tears a collector down when the next item is not one of its own.
        self.source.release()

    def execution_key(self, item: str = "execute") -> str | None:
        """The execution cache key of this notebook's ``item``, when it has one."""
        caches = self.config.stash[RUNTIME_KEY].caches
        notebook = self.notebook
        if caches is None or notebook is None:
            return None
        gate = self.config.stash[GATE_KEY]
        kernel = resolve_kernel(notebook, notebook_options(notebook, gate.execution))
        return caches.execution_key(self.source, item, kernel)

    def execution_cached(self) -> bool:
        """Its execution will be replayed: no kernel needs to be started for it."""
        key = self.execution_key()
        caches = self.config.stash[RUNTIME_KEY].caches
        return key is not None and caches is not None and caches.store.has(EXECUTION, key)

    def _execute_items(self, gate: GateConfig) -> Iterator[pytest.Item]:
        """``execute``, or one ``execute[set]`` per parameter set, with the notebook's marks."""
        notebook = self.notebook
        assert notebook is not None
        try:
            sets = parameter_sets(notebook, gate.parameter_sets, gate.parameter_overrides)
        except ValueError as exc:
            raise self.CollectError(f"{notebook.relpath}: {exc}") from None
        wanted = directives(notebook)
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
        self.cached = False
        """Replayed from the result cache instead of recomputed."""
        self.unreadable = False
        """Skipped: the file is no notebook, which only its ``lint`` item reports."""
        self.extra: dict[str, Any] = {}
        """Per-notebook report data (cell coverage), attached to the report."""

    @property
    def gate(self) -> GateConfig:
        return self.config.stash[GATE_KEY]

    @property
    def relpath(self) -> str:
        return self.parent.source.relpath

    def readable(self) -> Notebook:
        """The notebook; an unreadable one is the ``lint`` item's failure, not this item's."""
        notebook = self.parent.notebook
        if notebook is None:
            self.unreadable = True
            pytest.skip(f"{self.relpath} is not a readable notebook (reported by its lint item)")
        return notebook

    def conclude(self, findings: Sequence[Finding]) -> None:
        """Record ``findings`` for reporters and fail when any reaches ``fail-on``."""
        self.findings = list(findings)
        runtime = self.config.stash[RUNTIME_KEY]
        if runtime.baseline is not None:
            # The controller reports the baseline's entries no item matched (stale).
            self.extra[f"baselined-{self.name}"] = sorted(runtime.accepted_in(self.relpath))
        # Only the HTML report wants evidence: a cached item must not read its notebook.
        notebook = self.parent.notebook if runtime.evidence else None
        if notebook is not None:
            key = f"{EXTRA_PREFIX}{self.name}"
            shown = collect_evidence(notebook, self.findings, redactor=self.redactor)
            self.extra.setdefault(key, shown)
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
    ) -> str | ReprExceptionInfo:
        if isinstance(excinfo.value, GateFailure):
            tbstyle = style or self.config.getoption("tbstyle", "auto")
            failure = excinfo.value
            text = format_failure(failure.findings, failure.gate.fail_on, tbstyle, _colour(self))
            if tbstyle == "line":
                return OneLine(text)
            return with_headline(text, text.split("\n", 1)[0], str(self.path), 0)
        plain = super().repr_failure(excinfo, style=style)
        crash = getattr(plain, "reprcrash", None)
        text = self.redactor.text(str(plain))
        if crash is None:
            return text
        return with_headline(text, self.redactor.text(crash.message), crash.path, crash.lineno)

    def add_report_section(self, when: str, key: str, content: str) -> None:
        """Captured output (a kernel's stderr, a library's log) is redacted like findings."""
        # pytest offers every phase's (mostly empty) capture: reading the notebook for
        # its redactor only when there is text keeps a cached item from parsing it.
        if content:
            super().add_report_section(when, key, self.redactor.text(content))

    @property
    def redactor(self) -> Redactor:
        runtime = self.config.stash[RUNTIME_KEY]
        return runtime.redactor(self.parent.notebook)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        # A line: pytest needs one for an item that skips itself (``pytest.skip()`` in a
        # cell). The domain is not a suffix of the node id, so ``-v`` prints the node id as
        # it is (pytest turns the dots of a domain ending the node id into ``::``), and the
        # failure header still names the notebook; doctest marks its items the same way.
        return self.path, 0, f"[nbgate] {self.relpath}::{self.name}"


def _colour(node: pytest.Item) -> bool:
    """Colour as pytest colours its own lines (``--color``; a terminal when ``auto``)."""
    choice = node.config.getoption("color", "auto")
    if choice in ("yes", "no"):
        return bool(choice == "yes")
    try:
        return bool(node.config.get_terminal_writer().hasmarkup)
    except (AttributeError, AssertionError):  # no terminal reporter (an xdist worker)
        return False


class LintItem(GateItem):
    """Static rules over sources, stored outputs and metadata; no kernel."""

    def runtest(self) -> None:
        runtime = self.config.stash[RUNTIME_KEY]
        others = self.gate.execute or self.gate.pylint or self.gate.ruff
        describe = describe_fixable(self.gate.ruleset)
        result = lint_source(self.parent.source, self.gate, runtime, keep=others, describe=describe)
        self.cached = result.cached
        self.extra.update(result.extra)
        self.conclude(result.findings)


class ExecuteItem(GateItem):
    """One fresh kernel; execution, fresh-output and golden findings."""

    def __init__(
        self, *, parameters: dict[str, Any] | None = None, variant: str = "", **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.parameters = parameters
        self.variant = variant

    def runtest(self) -> None:
        notebook = self.readable()
        runtime = self.config.stash[RUNTIME_KEY]
        caches = runtime.caches
        key = self.parent.execution_key(f"{self.name}:{canonical(self.parameters)}")
        replay = caches.replay(EXECUTION, key) if caches is not None and key else None
        if replay is not None:
            runtime.baselined |= replay.accepted
            self.cached = True
            self.extra = replay.extra
            self.conclude(replay.findings)
            return
        outcome = run(notebook, self.gate, runtime, self.parameters, self.variant)
        self.extra = outcome.extra
        if outcome.skipped is not None:
            # Reported at the notebook, not at this line.
            raise pytest.skip.Exception(outcome.skipped, _use_item_location=True)
        if caches is not None and key and not UNREPEATABLE & {f.rule_id for f in outcome.findings}:
            accepted = runtime.accepted_in(self.relpath)
            caches.record(EXECUTION, key, outcome.findings, outcome.extra, accepted)
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
        The others are read for this run only, not kept by their file nodes.
        """
        notebook = self.readable()
        if hasattr(self.config, "workerinput"):
            return [notebook]
        wanted = [notebook]
        for item in self.session.items:
            if type(item) is not type(self) or item is self or self.skip_in_batch(item):
                continue
            try:
                wanted.append(NotebookSource(item.path, item.relpath).notebook())
            except NotebookError:
                continue
        return wanted

    def skip_in_batch(self, item: pytest.Item) -> bool:
        return False


class PylintItem(LinterItem):
    """pylint over the notebook's code cells, batched with the process's other notebooks."""

    def runtest(self) -> None:
        notebook = self.readable()
        runtime = self.config.stash[RUNTIME_KEY]
        caches = runtime.caches
        key = caches.pylint_key(self.parent.source) if caches is not None else None
        replay = caches.replay(PYLINT, key) if caches is not None and key else None
        if replay is not None:
            runtime.baselined |= replay.accepted
            self.cached = True
            self.conclude(replay.findings)
            return
        done = runtime.pylint_results or {}
        batch = [notebook] if self.relpath in done else self.batch()
        findings = pylint(notebook, batch, self.gate, runtime)
        if caches is not None and key:
            caches.record(PYLINT, key, findings, accepted=runtime.accepted_in(self.relpath))
        self.conclude(findings)

    def skip_in_batch(self, item: pytest.Item) -> bool:
        """A notebook whose pylint result is cached is not linted again."""
        caches = self.config.stash[RUNTIME_KEY].caches
        if caches is None or not isinstance(item, GateItem):
            return False
        try:
            return caches.store.has(PYLINT, caches.pylint_key(item.parent.source))
        except NotebookError:
            return True


class RuffItem(LinterItem):
    """``ruff check`` over the notebook, one ruff process for the process's notebooks."""

    def runtest(self) -> None:
        notebook = self.readable()
        runtime = self.config.stash[RUNTIME_KEY]
        self.conclude(ruff(notebook, self.batch(), self.gate, runtime))

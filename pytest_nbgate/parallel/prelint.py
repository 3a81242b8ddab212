"""The pytest side of :mod:`.ahead`: workers start once the session's items are known.

Only a static session forks: when every gate item is a ``lint`` item
(``--nbgate-no-execute``, ``-k lint``), linting is all the session does and a
second core halves it. A session that executes notebooks spends its time in
kernels, which already run on the other cores; an xdist worker shares the
machine with its siblings.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pytest_nbgate.config import GateConfig
from pytest_nbgate.fix.command import describe_fixable
from pytest_nbgate.gate import Runtime
from pytest_nbgate.items import GateItem, LintItem
from pytest_nbgate.notebook.source import NotebookSource
from pytest_nbgate.parallel.ahead import LintAhead, parse_jobs

PLUGIN_NAME = "nbgate-lint-ahead"
NOT_RUN = ("collectonly", "setuponly", "setupplan")
"""pytest options under which no item runs: nothing to lint ahead."""


class PreLint:
    def __init__(self, gate: GateConfig, runtime: Runtime, jobs: int) -> None:
        self.gate = gate
        self.runtime = runtime
        self.jobs = jobs

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session: pytest.Session) -> None:
        # After every deselection (-k, --nbgate-changed): only what will run is linted ahead.
        sources = static_plan(session.items)
        if sources:
            describe = describe_fixable(self.gate.ruleset)
            self.runtime.ahead = LintAhead.plan(
                sources, self.gate, self.runtime, describe, self.jobs
            )

    def pytest_sessionfinish(self) -> None:
        ahead, self.runtime.ahead = self.runtime.ahead, None
        if ahead is not None:
            ahead.close()


def static_plan(items: Sequence[pytest.Item]) -> list[NotebookSource]:
    """The notebooks of a static-only session, in run order; empty when anything executes."""
    gate_items = [item for item in items if isinstance(item, GateItem)]
    if not all(isinstance(item, LintItem) for item in gate_items):
        return []
    return [item.parent.source for item in gate_items]


def install(config: pytest.Config, gate: GateConfig, runtime: Runtime) -> None:
    """Register :class:`PreLint` unless the run cannot use it (``--nbgate-jobs 1``, xdist)."""
    text = config.getoption("nbgate_jobs") or config.getini("nbgate_jobs") or "auto"
    try:
        jobs = parse_jobs(str(text))
    except ValueError as exc:
        raise pytest.UsageError(f"--nbgate-jobs / nbgate_jobs: {exc}") from None
    not_run = any(getattr(config.option, name, False) for name in NOT_RUN)
    # An xdist controller collects nothing, so it never starts workers of its own.
    if jobs < 2 or not_run or hasattr(config, "workerinput"):
        return
    config.pluginmanager.register(PreLint(gate, runtime, jobs), PLUGIN_NAME)

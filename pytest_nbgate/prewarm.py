"""Start the next notebook's kernel while the current item runs (``--nbgate-prewarm``).

pytest hands ``pytest_runtest_protocol`` the next item, so the kernel of the
next ``::execute`` item can start (in its notebook's folder, with its
environment) before that item does. Each kernel is still a new process used
by one notebook; unused ones are killed as soon as no coming item needs them,
and all of them at session end, on Ctrl-C and on SIGTERM.

Installed by the nbgate plugin through :func:`install`; also usable on its own
as ``-p pytest_nbgate.prewarm``. ``--nbgate-prewarm=0`` turns it off.
"""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from pytest_nbgate.config import GateConfig
from pytest_nbgate.execution.kernelspec import DEFAULT_KERNEL, kernel_env, resolve_kernel
from pytest_nbgate.execution.pool import KernelRequest, KernelSource
from pytest_nbgate.gate import Runtime, notebook_options
from pytest_nbgate.items import ExecuteItem, NotebookFile
from pytest_nbgate.stash import GATE_KEY, RUNTIME_KEY

PLUGIN_NAME = "nbgate-prewarm"


class PrewarmPlugin:
    """Owns the session's :class:`KernelSource` and feeds it the coming items."""

    def __init__(self, gate: GateConfig, runtime: Runtime, *, lookahead: int) -> None:
        self.gate = gate
        self.lookahead = max(lookahead, 1)
        self.source = KernelSource(spares=self.lookahead)
        self.runtime = runtime
        self.active = False
        self.pending: dict[str, int] = {}
        """Notebook node ids with an ``::execute`` item still to run, by position."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for index, item in enumerate(items):
            if isinstance(item, ExecuteItem):
                self.pending.setdefault(item.parent.nodeid, index)
        # One notebook gains nothing from a head start; it would only pay for the fork server.
        self.active = len(self.pending) > 1
        if self.active:
            self.runtime.kernel_source = self.source
            execution = self.gate.execution
            kernel = execution.kernel or DEFAULT_KERNEL
            self.source.warm(kernel, kernel_env(Path("-"), execution.env))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(
        self, item: pytest.Item, nextitem: pytest.Item | None
    ) -> Generator[None, Any, None]:
        if not self.active:
            yield
            return
        wanted = self.wanted(item, nextitem)
        try:
            self.source.keep_only(wanted)
            for request in wanted:
                self.source.prepare(request)
        except OSError:
            pass  # No head start; the item starts its kernel itself.
        yield
        if isinstance(item, ExecuteItem):
            self.pending.pop(item.parent.nodeid, None)

    def wanted(self, item: pytest.Item, nextitem: pytest.Item | None) -> list[KernelRequest]:
        """The kernels of this item's and the next ``lookahead`` notebooks still to execute."""
        candidates = [item, *([nextitem] if nextitem is not None else [])]
        requests: list[KernelRequest] = []
        for candidate in candidates + self.following(nextitem):
            request = self.request(candidate)
            if request is not None and request not in requests:
                requests.append(request)
            if len(requests) > self.lookahead:
                break
        return requests

    def following(self, nextitem: pytest.Item | None) -> list[pytest.Item]:
        """Items after ``nextitem`` in collection order (not under xdist: workers skip around)."""
        if nextitem is None or self.lookahead < 2 or hasattr(nextitem.config, "workerinput"):
            return []
        items = nextitem.session.items
        start = self.pending.get(nextitem.parent.nodeid if nextitem.parent else "", -1)
        return items[start + 1 : start + 1 + 2 * self.lookahead] if start >= 0 else []

    def request(self, item: pytest.Item) -> KernelRequest | None:
        parent = item.parent
        if not isinstance(parent, NotebookFile) or parent.notebook is None:
            return None
        if parent.nodeid not in self.pending or parent.execution_cached():
            return None
        notebook = parent.notebook
        options = notebook_options(notebook, self.gate.execution)
        if options.cwd is not None or options.current_env:
            # Started on demand: a pooled kernel runs in the notebook's folder, on its spec.
            return None
        # The environment the item's kernel will see, pytest's marker of the running
        # test included: without it no prepared kernel ever matched its item.
        current = {"PYTEST_CURRENT_TEST": f"{item.nodeid} (call)"}
        env = kernel_env(notebook.path, {**options.env, **current})
        return KernelRequest.of(notebook.path, resolve_kernel(notebook, options), env)

    def pytest_sessionfinish(self) -> None:
        self.close()

    def close(self) -> None:
        self.source.close()
        if self.runtime.kernel_source is self.source:
            self.runtime.kernel_source = None


def install(config: pytest.Config, gate: GateConfig, runtime: Runtime) -> PrewarmPlugin | None:
    """Register the prewarm plugin unless execution or prewarming is off."""
    if not gate.execute or gate.prewarm <= 0 or config.pluginmanager.has_plugin(PLUGIN_NAME):
        return None
    plugin = PrewarmPlugin(gate, runtime, lookahead=gate.prewarm)
    config.pluginmanager.register(plugin, PLUGIN_NAME)
    config.add_cleanup(plugin.close)
    return plugin


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if GATE_KEY in config.stash and RUNTIME_KEY in config.stash:
        install(config, config.stash[GATE_KEY], config.stash[RUNTIME_KEY])

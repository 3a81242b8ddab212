"""Static results computed ahead, in forked processes, on the cores the session leaves idle.

A static-only session (every item a ``lint`` item: ``--nbgate-no-execute``,
``-k lint``) and ``nbgate check`` lint one notebook at a time in one process
while the machine's other cores wait. :class:`LintAhead` forks workers once
the main process has linted one notebook the cache could not replay. The
workers take notebooks from the far end of the list while the main process
lints from the near end, so neither waits for the other until they meet, and
each notebook is linted once, by whoever reaches it first.

A worker runs the same :func:`pytest_nbgate.gate.lint_source` as the main
process. It only reads the cache, to pass over the notebooks the main process
will replay; the main process alone writes entries, and trusts what a worker
found only for the digest of the bytes that worker read. A worker that dies or
raises costs time, never a result: the main process lints that notebook itself.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from pytest_nbgate.cache.session_cache import STATIC
from pytest_nbgate.config import GateConfig
from pytest_nbgate.gate import Describe, Runtime, StaticResult, lint_source
from pytest_nbgate.notebook.reading import NotebookError
from pytest_nbgate.notebook.source import NotebookSource

MIN_NOTEBOOKS = 16
"""Fewer than this, and forking costs more than a second core wins."""
PR_SET_PDEATHSIG = 1
"""Linux ``prctl`` option: a signal for this process when its parent dies."""
MAX_JOBS = 4
"""Each worker is a copy of the session's process: memory grows with the count."""


@dataclass(frozen=True)
class Linted:
    """One notebook's static result from a worker, and what it read to get it."""

    digest: str | None
    """SHA-256 of the bytes the worker linted (``None``: the file could not be read)."""
    result: StaticResult | None
    """``None``: the cache holds it, the main process replays it."""
    baselined: frozenset[str]
    """Baseline fingerprints the worker's findings matched (the main process merges them)."""


def default_jobs() -> int:
    """Processes linting at once when the user does not say: one per usable core, capped."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_JOBS))


def parse_jobs(text: str) -> int:
    """``auto`` (:func:`default_jobs`) or a count of processes, at least 1."""
    if text.strip().lower() == "auto":
        return default_jobs()
    try:
        jobs = int(text)
    except ValueError:
        raise ValueError(f"expected a number of processes or 'auto', got {text!r}") from None
    if jobs < 1:
        raise ValueError(f"expected at least 1 process (1: no workers), got {jobs}")
    return jobs


def can_fork() -> bool:
    """Forking copies the imported gate for free; macOS and Windows cannot fork safely."""
    if sys.platform != "linux" or "fork" not in multiprocessing.get_all_start_methods():
        return False
    # A thread holding a lock at the fork would leave it held forever in the child.
    return threading.active_count() == 1


_WORKER: dict[str, Any] = {}
"""A worker's plan, set by :func:`_start`: inherited through the fork, never sent down a pipe."""


def _start(
    sources: list[NotebookSource],
    gate: GateConfig,
    runtime: Runtime,
    describe: Describe,
    parent: int,
) -> None:
    # A session killed outright (SIGKILL: no shutdown) must not leave its workers waiting.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)
    # The main process ends the workers; a Ctrl-C must not print a traceback per worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    alone = replace(runtime, caches=None, ahead=None)
    _WORKER.update(sources=sources, gate=gate, runtime=alone, describe=describe)
    _WORKER["caches"] = runtime.caches


def _lint_at(index: int) -> Linted:
    source: NotebookSource = _WORKER["sources"][index]
    runtime: Runtime = _WORKER["runtime"]
    try:
        digest: str | None = source.digest()
        caches = _WORKER["caches"]
        if caches is not None and caches.store.has(STATIC, caches.static_key(source)):
            source.release()
            return Linted(digest, None, frozenset())
    except NotebookError:
        digest = None
    before = set(runtime.baselined)
    result = lint_source(source, _WORKER["gate"], runtime, describe=_WORKER["describe"])
    return Linted(digest, result, frozenset(runtime.baselined - before))


class LintAhead:
    """Workers linting the notebooks the main process has not reached yet.

    Planned when the notebooks are known, forked at the second notebook the
    cache cannot replay: a warm run, where the main process only replays, never
    pays for the workers, and the first notebook's one-time costs (a schema
    minor compiled, IPython's transformer and detect-secrets imported) are paid
    once, before the fork copies them into every worker.
    """

    def __init__(
        self, sources: list[NotebookSource], spawn: Callable[[], ProcessPoolExecutor]
    ) -> None:
        self._sources = sources
        self._spawn = spawn
        self._executor: ProcessPoolExecutor | None = None
        self._futures: dict[str, Future[Linted]] = {}
        self._misses = 0

    @classmethod
    def plan(
        cls,
        sources: Sequence[NotebookSource],
        gate: GateConfig,
        runtime: Runtime,
        describe: Describe,
        jobs: int,
    ) -> LintAhead | None:
        """Workers for ``jobs - 1`` cores (the main process is the last); ``None``: not worth it."""
        unique = list({str(source.path): source for source in sources}.values())
        if jobs < 2 or len(unique) < MIN_NOTEBOOKS or not can_fork():
            return None

        def spawn() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(
                jobs - 1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_start,
                initargs=(unique, gate, runtime, describe, os.getpid()),
            )

        return cls(unique, spawn)

    def take(self, source: NotebookSource) -> Linted | None:
        """A worker's result for ``source``; ``None`` when the caller should lint it itself.

        A notebook no worker has started is withdrawn from them, so the main
        process never waits for work it could do at once.
        """
        self._misses += 1
        if self._misses == 1:
            return None
        if self._misses == 2:
            self._fork_after(source)
        future = self._futures.pop(str(source.path), None)
        if future is None or future.cancel():
            return None
        try:
            return future.result()
        except Exception:  # a worker died (BrokenProcessPool) or hit a bug the caller will meet
            return None

    def _fork_after(self, source: NotebookSource) -> None:
        """Workers for the notebooks after ``source`` (the ones before it are done)."""
        paths = [str(planned.path) for planned in self._sources]
        first = paths.index(str(source.path)) + 1 if str(source.path) in paths else 0
        if len(paths) - first < MIN_NOTEBOOKS or not can_fork():
            return
        self._executor = self._spawn()
        # Submitted last first: workers start at the far end, the main process at the near one.
        for index in reversed(range(first, len(paths))):
            self._futures[paths[index]] = self._executor.submit(_lint_at, index)

    def close(self) -> None:
        """Stop every worker: none outlives the session (waits for at most one notebook each)."""
        self._futures.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)

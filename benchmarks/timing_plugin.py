"""A pytest plugin for the benchmarks: the session's time without interpreter and plugin start-up.

``-p timing_plugin`` (with ``benchmarks/`` on ``PYTHONPATH``) writes the seconds
from the start of collection to the end of the session (the terminal summary
included) to the file named by ``NBGATE_BENCH_TIMING``.
"""

from __future__ import annotations

import os
import time

import pytest

STARTED = pytest.StashKey[float]()


def pytest_collection(session: pytest.Session) -> None:
    session.config.stash[STARTED] = time.perf_counter()


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    target = os.environ.get("NBGATE_BENCH_TIMING")
    if target and STARTED in config.stash:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(f"{time.perf_counter() - config.stash[STARTED]:.6f}\n")

"""A pytest plugin for the benchmarks: the session's time without interpreter and plugin start-up.

``-p timing_plugin`` (with ``benchmarks/`` on ``PYTHONPATH``) writes to the
file named by ``NBGATE_BENCH_TIMING`` a JSON object: ``total``, the seconds
from the start of collection to the end of the session (the terminal summary
included), and ``stages``, where they went: collection, the items' setup,
call and teardown (their reports' durations), pytest's own work between and
around the phases (hooks, reports, the progress line), and the session's end
(the terminal summary, ``sessionfinish``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

import pytest

MARKS: dict[str, float] = {}
"""Times and summed durations of the one session this process runs."""


def pytest_collection() -> None:
    MARKS["start"] = time.perf_counter()


def pytest_collection_finish() -> None:
    MARKS["collected"] = time.perf_counter()


@pytest.hookimpl(wrapper=True)
def pytest_runtestloop() -> Iterator[None]:
    MARKS["loop"] = time.perf_counter()
    try:
        return (yield)
    finally:
        MARKS["looped"] = time.perf_counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    MARKS[report.when] = MARKS.get(report.when, 0.0) + report.duration


@pytest.hookimpl(trylast=True)
def pytest_unconfigure() -> None:
    target = os.environ.get("NBGATE_BENCH_TIMING")
    if not target or "start" not in MARKS:
        return
    end = time.perf_counter()
    phases = {when: MARKS.get(when, 0.0) for when in ("setup", "call", "teardown")}
    looped = MARKS.get("looped", end) - MARKS.get("loop", end)
    stages = {
        "collection": MARKS.get("collected", MARKS["start"]) - MARKS["start"],
        **phases,
        "between phases": max(looped - sum(phases.values()), 0.0),
        "session end": end - MARKS.get("looped", end),
    }
    with open(target, "w", encoding="utf-8") as handle:
        json.dump({"total": end - MARKS["start"], "stages": stages}, handle)

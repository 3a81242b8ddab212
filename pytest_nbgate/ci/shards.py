"""Shards balanced by notebook for pytest-split's ``--splits N --group K``.

pytest-split balances *items*: a notebook's ``::lint`` and ``::execute`` items
can land in different jobs, and its notebook-cell fix-up then moves whole
notebooks between groups after balancing, which can leave one job with
everything and another with nothing. With the gate on, this plugin makes the
choice instead, one file at a time: a notebook's items stay together, the
file's duration is the sum of its items' stored durations (an item with no
stored duration counts as the average of those known), and files go, longest
first, to the least loaded shard. pytest-split is then told to keep what is
left (one group of one), so both never split the same run.

A shard that gets no file is a success: its job has nothing to gate.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

PLUGIN_NAME = "nbgate-shards"
DEFAULT_SECONDS = 1.0
"""A file's weight when no duration at all is stored."""


def file_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def balance(durations: Mapping[str, float], splits: int) -> list[list[str]]:
    """Files (keys of ``durations``) into ``splits`` shards of nearly equal total duration.

    Longest file first to the least loaded shard; ties go to the lower shard
    and are broken by name, so every job computes the same plan.
    """
    shards: list[list[str]] = [[] for _ in range(splits)]
    loads = [0.0] * splits
    for name in sorted(durations, key=lambda n: (-durations[n], n)):
        target = min(range(splits), key=lambda i: (loads[i], i))
        shards[target].append(name)
        loads[target] += durations[name]
    return shards


def file_durations(nodeids: Sequence[str], stored: Mapping[str, float]) -> dict[str, float]:
    """Each file's summed item durations, unknown items at the average known duration."""
    known = [float(seconds) for seconds in stored.values() if isinstance(seconds, int | float)]
    fallback = statistics.fmean(known) if known else DEFAULT_SECONDS
    totals: dict[str, float] = {}
    for nodeid in nodeids:
        seconds = stored.get(nodeid)
        value = float(seconds) if isinstance(seconds, int | float) else fallback
        totals[file_of(nodeid)] = totals.get(file_of(nodeid), 0.0) + value
    return totals


def load_durations(path: Path) -> dict[str, float]:
    """pytest-split's durations file (a dict, or its older list of pairs); empty when absent."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if isinstance(data, list):
        data = {pair[0]: pair[1] for pair in data if isinstance(pair, list) and len(pair) == 2}
    return data if isinstance(data, dict) else {}


class ShardPlugin:
    """Selects group ``group`` of ``splits`` by file, before pytest-split looks at the items."""

    def __init__(self, splits: int, group: int, durations_path: Path) -> None:
        self.splits = splits
        self.group = group
        self.durations_path = durations_path
        self.empty = False

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        nodeids = [item.nodeid for item in items]
        totals = file_durations(nodeids, load_durations(self.durations_path))
        mine = set(balance(totals, self.splits)[self.group - 1])
        selected = [item for item in items if file_of(item.nodeid) in mine]
        deselected = [item for item in items if file_of(item.nodeid) not in mine]
        items[:] = selected
        self.empty = not selected
        if deselected:
            config.hook.pytest_deselected(items=deselected)
        # pytest-split keeps everything that is left: the choice above is the split.
        config.option.splits = 1
        config.option.group = 1
        seconds = sum(totals[name] for name in mine)
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"nbgate: shard {self.group}/{self.splits} by notebook: {len(mine)} file(s), "
                f"{len(selected)} item(s), estimated {seconds:.1f}s"
            )

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.empty and session.exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
            session.exitstatus = pytest.ExitCode.OK

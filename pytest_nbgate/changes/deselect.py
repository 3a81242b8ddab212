"""``--nbgate-changed``: deselect the items of notebooks the change does not touch."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_nbgate.changes.selection import Changes

PLUGIN_NAME = "nbgate-changed"
OUTPUT_KEY = "nbgate_deselected"
"""Where a worker tells the xdist controller how many notebooks it left out."""


class ChangedOnly:
    """Keeps the items of changed and dependent notebooks; counts the notebooks left out."""

    def __init__(self, changes: Changes, ref: str) -> None:
        self.changes = changes
        self.ref = ref
        self.deselected = 0

    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        decided: dict[Path, bool] = {}
        keep: list[pytest.Item] = []
        dropped: list[pytest.Item] = []
        for item in items:
            if item.path.suffix != ".ipynb":
                keep.append(item)
                continue
            if item.path not in decided:
                decided[item.path] = self.changes.selects(item.path)
            (keep if decided[item.path] else dropped).append(item)
        self.deselected = sum(1 for chosen in decided.values() if not chosen)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = keep
        workeroutput = getattr(config, "workeroutput", None)
        if workeroutput is not None:
            workeroutput[OUTPUT_KEY] = self.deselected

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: object, error: object) -> None:
        """On the xdist controller: every worker collected the same notebooks."""
        output = getattr(node, "workeroutput", None) or {}
        self.deselected = max(self.deselected, int(output.get(OUTPUT_KEY, 0)))

    def summary(self) -> str:
        since = f"the merge base with {self.ref}"
        return f"{self.deselected} notebook(s) deselected: unchanged since {since}"

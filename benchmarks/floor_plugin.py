"""A pytest plugin for the benchmarks: pytest's own cost of one item per notebook.

``-p floor_plugin`` (with ``benchmarks/`` on ``PYTHONPATH``) collects every
``.ipynb`` as one item that passes without reading the file: what any plugin
gating notebooks one item each pays pytest for collection, the run protocol,
reports and the terminal, whatever its items do.
"""

from __future__ import annotations

from pathlib import Path

import pytest


class Untouched(pytest.Item):
    def runtest(self) -> None:
        return None

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, 0, self.name


class NotebookPath(pytest.File):
    def collect(self) -> list[pytest.Item]:
        return [Untouched.from_parent(self, name="lint")]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> NotebookPath | None:
    if file_path.suffix == ".ipynb":
        return NotebookPath.from_parent(parent, path=file_path)
    return None

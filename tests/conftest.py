"""Shared fixtures: a process census so tests can prove no kernel outlives its item."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# The plugin imports its gate only once ``--nbgate`` is on. In-process pytester runs
# drop every module first imported during the run, so import the gate here, before
# any of them: each run then sees the same module objects, as a real process would.
import pytest_nbgate.cache.session_cache
import pytest_nbgate.changes.deselect
import pytest_nbgate.changes.selection
import pytest_nbgate.ci.shards
import pytest_nbgate.items
import pytest_nbgate.parallel.prelint
import pytest_nbgate.prewarm
import pytest_nbgate.ruledoc
import pytest_nbgate.session  # noqa: F401
from tests.procs import marked_processes

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SAMPLE = Path(__file__).resolve().parent / "data" / "real"
"""Real notebooks shipped with the tests (see its README), for where the corpus is absent."""


def real_notebooks() -> tuple[Path, list[Path]]:
    """``(root, notebooks)``: the shared corpus when present, else the shipped sample."""
    root = CORPUS if CORPUS.is_dir() else SAMPLE
    return root, sorted(root.rglob("*.ipynb"))


@pytest.fixture
def process_mark(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An environment token every process started by the test inherits.

    After the test, no process carrying it may be alive: kernels (and their
    children) started by a run, in-process or in a subprocess, all carry it.
    """
    token = uuid.uuid4().hex
    monkeypatch.setenv("NBGATE_TEST_MARK", token)
    yield token
    leftovers = marked_processes(token, wait=5.0)
    assert not leftovers, f"processes left behind: {leftovers}"

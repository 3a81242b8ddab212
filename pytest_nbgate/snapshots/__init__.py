"""Golden snapshots: compare fresh outputs with reviewed goldens, write them on update.

The pytest-free API the ``::execute`` item and the session call:

- :class:`SnapshotSettings` from the profile's ``snapshots:`` section;
- :func:`check` after execution: the golden decision (compare, or write on update);
- :func:`compare_notebook` (NB401/NB402/NB404 findings);
- :func:`write_golden` on ``--nbgate-update`` (or ``missing_only`` for
  ``create-missing``), atomic, per notebook, so xdist workers never share a file;
- :func:`unused_goldens` / :func:`remove_unused` on the controller at the end;
- :func:`shorten` for a terminal-sized excerpt of a finding's diff.
"""

from __future__ import annotations

from pytest_nbgate.snapshots.compare import shorten
from pytest_nbgate.snapshots.golden import compare_notebook, write_golden
from pytest_nbgate.snapshots.settings import ImageTolerance, SnapshotSettings
from pytest_nbgate.snapshots.unused import remove_unused, unused_goldens

__all__ = [
    "ImageTolerance",
    "SnapshotSettings",
    "compare_notebook",
    "remove_unused",
    "shorten",
    "unused_goldens",
    "write_golden",
]

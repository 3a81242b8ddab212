"""A kernel's descendants, so children that left its process group die with it.

Killing a kernel's process group misses a child started in a session of its
own (``subprocess.Popen(..., start_new_session=True)``, a daemon). While the
kernel is still alive such a child is its descendant, so a snapshot of the
process tree taken just before shutdown finds it. Linux ``/proc`` only;
elsewhere the snapshot is empty and the process-group kill is all there is.
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

_PROC = Path("/proc")


def _parents() -> dict[int, int]:
    parents: dict[int, int] = {}
    if not _PROC.is_dir():
        return parents
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields start after the last ')'.
        fields = stat.rpartition(")")[2].split()
        if len(fields) > 1 and fields[1].isdigit():
            parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (children, grandchildren, ...)."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    found: list[int] = []
    stack = list(children.get(pid, ()))
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, ()))
    return found


def kill(pids: list[int]) -> None:
    """SIGKILL each process that still exists (pids already gone are ignored)."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)

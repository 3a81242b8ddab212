"""Writing goldens safely: inside the project root, atomically, never half-written."""

from __future__ import annotations

import contextlib
from pathlib import Path

from pytest_nbgate.atomic import write_bytes as atomic_write

__all__ = ["atomic_write", "inside_root", "remove_file"]


def inside_root(root: Path, candidate: Path, what: str) -> Path:
    """``candidate`` (relative to ``root`` unless absolute), resolved; refuses to leave ``root``."""
    resolved_root = root.resolve()
    resolved = (resolved_root / candidate).resolve()
    try:
        resolved.relative_to(resolved_root)
    except ValueError:
        raise ValueError(
            f"{what} {candidate.as_posix()!r} is outside the project root {resolved_root}; "
            "goldens and image diffs are only written inside the project"
        ) from None
    return resolved


def remove_file(path: Path, stop: Path) -> None:
    """Remove a file and then the folders it leaves empty, up to (not including) ``stop``."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    parent = path.parent
    with contextlib.suppress(OSError):
        while parent != stop and stop in parent.parents and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

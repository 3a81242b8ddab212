"""Files the gate writes: atomically, inside the project root, never half-written.

Every file the gate writes (goldens, rewritten notebooks, reports, baselines)
goes through :func:`write_bytes`. Temporary names are unique, so concurrent
xdist workers never collide.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        # mkstemp creates 0600 files; a new file gets the permissions any new file would.
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it over ``path``.

    A crash at any point leaves either the old file or the new one, never a
    mix; the temporary file is removed when anything fails. ``durable=False``
    skips the flush to disk, for files whose loss costs only a recomputation.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


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

"""Files the gate writes and the names it gives them.

Every file the gate writes (goldens, rewritten notebooks, reports, baselines)
goes through :func:`write_bytes`: atomically, inside the project root, never
half-written. Temporary names are unique, so concurrent xdist workers never
collide.

Every path the gate shows or keys on is made by :func:`relative_path`, and a
finding's path is relative to :func:`repository_root`: the same file has the
same name whether ``nbgate check`` or ``pytest --nbgate`` found it, from any
folder of the repository.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

CI_ROOT_VARIABLES = ("GITHUB_WORKSPACE", "CI_PROJECT_DIR")
"""Where GitHub Actions and GitLab CI checked the repository out: their annotations,
code scanning and Code Quality resolve paths against these folders."""


def relative_path(path: str | os.PathLike[str], root: Path | None) -> str:
    """``path`` relative to ``root`` with ``/`` separators; as given when outside ``root``.

    Lexical first, so a symlink inside the root keeps its in-repository name;
    resolved second, for a root reached through a symlink.
    """
    given = Path(path)
    if root is None:
        return given.as_posix()
    try:
        return Path(os.path.abspath(given)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        pass
    try:
        return given.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return given.as_posix()


def repository_root(project_root: Path, environ: Mapping[str, str]) -> Path:
    """The folder findings' paths are relative to.

    The CI checkout (``GITHUB_WORKSPACE``, ``CI_PROJECT_DIR``) when it holds the
    project, else the git work tree's top level, else ``project_root``.
    """
    project = project_root.resolve()
    for variable in CI_ROOT_VARIABLES:
        value = environ.get(variable)
        if value and _holds(Path(value).resolve(), project):
            return Path(value).resolve()
    return _git_top_level(project) or project


def _holds(folder: Path, path: Path) -> bool:
    return folder == path or folder in path.parents


def _git_top_level(folder: Path) -> Path | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):  # no git, or a hung one
        return None
    top = result.stdout.strip()
    return Path(top).resolve() if result.returncode == 0 and top else None


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

"""Which files pytest collects as notebooks, and one node for each.

The plugin's collection hooks ask here: folders never gated (checkpoints, built
docs, virtual environments), symlink loops, and files no command-line argument
reaches. Imported only once the gate is on, like :mod:`pytest_nbgate.items`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_nbgate.items import NotebookFile
from pytest_nbgate.notebook.text import is_text_notebook

NEVER_COLLECTED = frozenset({".ipynb_checkpoints", "_build"})
"""Jupyter's autosaves and built docs (Sphinx, Jupyter Book): copies, not sources."""


def is_never_collected(path: Path) -> bool:
    """Checkpoints, built docs and virtual environments (``pyvenv.cfg``, ``conda-meta``)."""
    if path.name in NEVER_COLLECTED:
        return True
    return path.is_dir() and ((path / "pyvenv.cfg").is_file() or (path / "conda-meta").is_dir())


def is_symlink_loop(path: Path) -> bool:
    """A symlinked folder pointing at one of its own ancestors (``sub/up -> ..``)."""
    # A link to a file cannot loop: resolving both ends would cost two path walks a notebook.
    if not path.is_symlink() or not path.is_dir():
        return False
    try:
        target = path.resolve(strict=True)
        parent = path.parent.resolve(strict=True)
    except (OSError, RuntimeError):
        return True
    return target.is_dir() and (target == parent or target in parent.parents)


FOLDERS_IN_SCOPE: pytest.StashKey[dict[Path, bool]] = pytest.StashKey()
NODES_BUILT: pytest.StashKey[dict[tuple[str, Path], NotebookFile]] = pytest.StashKey()


def asked_for(file_path: Path, session: pytest.Session) -> bool:
    """Named on the command line, or inside a folder that was.

    For each file argument pytest offers every file of its folder and keeps only the
    one named: 221 notebook arguments in one folder made 9,500 nodes. Decided once
    per folder, so a folder argument costs one set lookup per file.
    """
    if session.isinitpath(file_path):
        return True
    memo = session.config.stash.setdefault(FOLDERS_IN_SCOPE, {})
    folder = file_path.parent
    inside = memo.get(folder)
    if inside is None:
        inside = memo[folder] = any(session.isinitpath(p) for p in (folder, *folder.parents))
    return inside


def notebook_node(file_path: Path, parent: pytest.Collector) -> NotebookFile | None:
    """The node of a notebook some argument asks for; ``None`` for any other file."""
    if not asked_for(file_path, parent.session):
        return None
    if file_path.suffix != ".ipynb" and not is_text_notebook(file_path):
        return None
    # pytest re-collects a folder for each file argument in it (it keeps files
    # named twice): the same node each time, not one per argument per sibling.
    built = parent.config.stash.setdefault(NODES_BUILT, {})
    key = (parent.nodeid, file_path)
    if key not in built:
        built[key] = NotebookFile.from_parent(parent, path=file_path)
    return built[key]


def forget_nodes(config: pytest.Config) -> None:
    """Collection is over: pytest holds the nodes it kept."""
    config.stash.get(NODES_BUILT, {}).clear()

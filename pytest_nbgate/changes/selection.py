"""Which notebooks a changed-only run gates: the changed ones and those depending on a change.

A notebook depends on the files the profile's ``execution.depends`` globs
match (they are project-wide) and on those its own metadata lists under
``nbgate.depends``; when a changed file matches one of them, the notebook is
gated even if its own bytes did not change.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from pytest_nbgate.changes.git import (
    ChangesError,
    changed_files,
    merge_base,
    resolve_ref,
    toplevel,
)
from pytest_nbgate.config import GateConfig

__all__ = ["Changes", "ChangesError", "glob_pattern"]


def glob_pattern(glob: str) -> re.Pattern[str]:
    """A path glob as a regex: ``**`` spans folders, ``*`` and ``?`` stay within one."""
    parts = []
    for token in re.split(r"(\*\*/|\*\*|\*|\?)", glob.strip("/")):
        if token == "**/":
            parts.append("(?:.*/)?")
        elif token == "**":
            parts.append(".*")
        elif token == "*":
            parts.append("[^/]*")
        elif token == "?":
            parts.append("[^/]")
        else:
            parts.append(re.escape(token))
    return re.compile("".join(parts) + r"\Z")


class Changes:
    """The changed files of a run and the notebooks they select."""

    def __init__(self, root: Path, files: Iterable[Path], depends: Iterable[str]) -> None:
        self.root = root.resolve()
        self.files = {Path(os.path.realpath(f)) for f in files}
        self.relative = sorted(_relative(f, self.root) for f in self.files)
        self.project_wide = _any_match(self.relative, depends)

    @classmethod
    def since(cls, gate: GateConfig, environ: Mapping[str, str]) -> Changes:
        assert gate.changed is not None
        top = toplevel(gate.root)
        base = merge_base(top, resolve_ref(gate.changed, environ))
        return cls(gate.root, changed_files(top, base), gate.cache.depends)

    def selects(self, path: Path) -> bool:
        """``path`` changed, or something it depends on did."""
        if self.project_wide or Path(os.path.realpath(path)) in self.files:
            return True
        return _any_match(self.relative, _notebook_depends(path)) if self.relative else False


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _any_match(relative: Iterable[str], globs: Iterable[str]) -> bool:
    patterns = [glob_pattern(glob) for glob in globs]
    return any(p.match(name) for name in relative for p in patterns)


def _notebook_depends(path: Path) -> list[str]:
    """The notebook's own ``metadata.nbgate.depends`` globs (read only on a changed-only run)."""
    try:
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return []
    section = raw.get("metadata", {}).get("nbgate") if isinstance(raw, dict) else None
    globs = section.get("depends") if isinstance(section, dict) else None
    return [str(g) for g in globs] if isinstance(globs, list) else []

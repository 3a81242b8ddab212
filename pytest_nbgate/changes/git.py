"""The files that differ from the merge base with a ref, as git reports them.

Committed, staged, unstaged and untracked changes all count; a rename counts
as its new path. Every way this can fail (no git, not a repository, an unknown
ref, a shallow clone that lacks the base) raises :class:`ChangesError` with
the fix, because a silent full or empty run would hide what the gate skipped.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

AUTO = "auto"
SHALLOW_FIX = (
    "the clone is shallow and lacks it: fetch the history "
    "(actions/checkout with fetch-depth: 0; GitLab: GIT_DEPTH: 0)"
)


class ChangesError(ValueError):
    """``--nbgate-changed`` cannot be honoured; the message says why and how to fix it."""


def resolve_ref(ref: str, environ: Mapping[str, str]) -> str:
    """``auto``: the pull request's base from the CI's environment."""
    if ref != AUTO:
        return ref
    if environ.get("CI_MERGE_REQUEST_DIFF_BASE_SHA"):
        return environ["CI_MERGE_REQUEST_DIFF_BASE_SHA"]
    if environ.get("GITHUB_BASE_REF"):
        return f"origin/{environ['GITHUB_BASE_REF']}"
    raise ChangesError(
        "--nbgate-changed auto: neither GITHUB_BASE_REF nor CI_MERGE_REQUEST_DIFF_BASE_SHA "
        "is set (not a pull or merge request pipeline); give a ref, e.g. origin/main"
    )


def _git(top: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=top, capture_output=True, check=False)
    except OSError as exc:
        raise ChangesError(f"--nbgate-changed needs git, which cannot run: {exc}") from exc


def toplevel(root: Path) -> Path:
    done = _git(root, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise ChangesError(f"--nbgate-changed: {root} is not inside a git repository")
    return Path(done.stdout.decode().strip())


def merge_base(top: Path, ref: str) -> str:
    """The commit where HEAD left ``ref``; :class:`ChangesError` names a missing ref's fix."""
    shallow = _git(top, "rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
    found = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found.returncode != 0:
        why = SHALLOW_FIX if shallow else "no such branch, tag or commit (is it fetched?)"
        raise ChangesError(f"--nbgate-changed {ref}: unknown ref: {why}")
    base = _git(top, "merge-base", found.stdout.decode().strip(), "HEAD")
    if base.returncode != 0:
        why = SHALLOW_FIX if shallow else "it shares no history with HEAD"
        raise ChangesError(f"--nbgate-changed {ref}: no merge base with HEAD: {why}")
    return base.stdout.decode().strip()


def changed_files(top: Path, base: str) -> list[Path]:
    """Absolute paths changed since ``base`` (deleted ones too: a dependency may be gone)."""
    diff = _git(top, "diff", "--name-status", "-M", "-z", base, "--")
    if diff.returncode != 0:
        message = diff.stderr.decode(errors="replace").strip()
        raise ChangesError(f"--nbgate-changed: git diff failed: {message}")
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
    names = _name_status(diff.stdout.decode(errors="surrogateescape").split("\0"))
    names += [n for n in untracked.stdout.decode(errors="surrogateescape").split("\0") if n]
    return [top / name for name in names]


def _name_status(fields: Sequence[str]) -> list[str]:
    """Paths from ``--name-status -z``: ``R100 old new`` yields both, others their one path."""
    names: list[str] = []
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        width = 2 if status[:1] in ("R", "C") else 1
        names.extend(fields[index + 1 : index + 1 + width])
        index += 1 + width
    return names

"""``nbgate fix``: lint each notebook, plan the repairs, then write them (or print the diff).

Exit status: 0 nothing to fix, 1 something was fixed (or, with ``--diff``,
would be), 3 a notebook could not be read or rewritten (it is left as it was;
2 stays the command's usage-error status).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pytest_nbgate.config import GateConfig
from pytest_nbgate.files import relative_path, write_bytes
from pytest_nbgate.findings import Finding
from pytest_nbgate.fix.plan import MANUAL, plan
from pytest_nbgate.fix.rewrite import RewriteError, rewrite
from pytest_nbgate.gate import Describe, Runtime, lint
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.notebook.reading import NotebookError
from pytest_nbgate.redaction import redact_text
from pytest_nbgate.ruleset import RuleSet

EXIT_CLEAN, EXIT_FIXED, EXIT_REFUSED = 0, 1, 3
BOM = b"\xef\xbb\xbf"


@dataclass
class FixResult:
    relpath: str
    before: str = ""
    after: str = ""
    bom: bool = False
    repaired: list[Finding] = field(default_factory=list)
    manual: list[Finding] = field(default_factory=list)
    problem: str = ""
    clean: Callable[[str], str] = field(default=redact_text, repr=False, compare=False)
    """The notebook's redactor: the diff's removed lines hold what was redacted."""

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def data(self) -> bytes:
        """The fixed file; a byte-order mark the reader dropped is put back."""
        return (BOM if self.bom else b"") + self.after.encode("utf-8")


def fixable_count(notebook: Notebook, findings: Iterable[Finding], ruleset: RuleSet) -> int:
    """How many of ``findings`` ``nbgate fix`` would repair (for the terminal summary)."""
    return len(plan(notebook, findings, ruleset).repairs)


def describe_fixable(ruleset: RuleSet) -> Describe:
    """The static gate's per-notebook extra: how many findings ``nbgate fix`` would repair."""

    def describe(notebook: Notebook, findings: list[Finding]) -> dict[str, Any]:
        fixable = fixable_count(notebook, findings, ruleset)
        return {"fixable": fixable} if fixable else {}

    return describe


def fix_notebook(path: Path, gate: GateConfig, runtime: Runtime) -> FixResult:
    """The fixed text of one notebook, checked by linting it again; nothing is written."""
    relpath = relative_path(path, gate.paths_root)
    try:
        notebook = Notebook.read(path, gate.paths_root, relpath=relpath)
    except NotebookError as exc:
        return FixResult(relpath, problem=f"cannot be read, left untouched: {exc.problem}")
    result = FixResult(relpath, notebook.text, notebook.text, bom=_has_bom(path))
    findings = lint(notebook, gate, runtime)
    todo = plan(notebook, findings, gate.ruleset)
    result.manual = todo.manual
    result.clean = runtime.redactor(notebook).text
    if todo.empty:
        return result
    try:
        result.after = rewrite(notebook, todo, result.clean)
        fixed = Notebook.from_bytes(result.after.encode("utf-8"), path, relpath)
    except (RewriteError, NotebookError) as exc:
        result.after = result.before
        result.problem = f"left untouched: {exc}"
        return result
    remaining = {f.fingerprint for f in lint(fixed, gate, runtime)}
    result.repaired = [f for f in todo.repairs if f.fingerprint not in remaining]
    return result


def _has_bom(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(BOM)) == BOM


def run(gate: GateConfig, notebooks: Iterable[Path], *, diff: bool, out: TextIO) -> int:
    """Fix every notebook of ``notebooks``; the exit status says whether anything was fixed."""
    runtime = Runtime.for_gate(gate)
    status = EXIT_CLEAN
    changed = total = 0
    for path in notebooks:
        total += 1
        result = fix_notebook(path, gate, runtime)
        for finding in result.manual:
            out.write(f"{finding.location.describe()}: {finding.rule_id} {MANUAL}\n")
        if result.problem:
            out.write(f"{result.relpath}: {result.problem}\n")
            status = EXIT_REFUSED
            continue
        if not result.changed:
            continue
        changed += 1
        status = max(status, EXIT_FIXED)
        if diff:
            out.write(unified_diff(result))
        else:
            write_bytes(path, result.data())
            out.write(f"{result.relpath}: {summary(result.repaired)}\n")
    verb = "would fix" if diff else "fixed"
    out.write(f"nbgate fix: {verb} {changed} of {total} notebook(s)\n")
    return status


def summary(repaired: Sequence[Finding]) -> str:
    counts: dict[str, int] = {}
    for finding in repaired:
        counts[finding.rule_id] = counts.get(finding.rule_id, 0) + 1
    parts = ", ".join(f"{rule} x{count}" for rule, count in sorted(counts.items()))
    return f"fixed {len(repaired)} finding(s) ({parts})" if repaired else "rewritten"


def unified_diff(result: FixResult) -> str:
    lines = difflib.unified_diff(
        result.before.splitlines(keepends=True),
        result.after.splitlines(keepends=True),
        fromfile=f"a/{result.relpath}",
        tofile=f"b/{result.relpath}",
    )
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    # The removed lines hold what was redacted: the diff must not print it back.
    return result.clean(text)

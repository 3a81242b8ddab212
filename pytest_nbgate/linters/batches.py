"""pylint and ruff over a notebook, each from one run over the notebooks of its batch.

Both linters pay most of their cost at start-up (pylint's astroid inference,
ruff's process), so the first item of a batch lints every notebook of it and
the others read the results the runtime keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.quality import PylintMessage, RuffMessage
from pytest_nbgate.config import GateConfig
from pytest_nbgate.findings import Finding, Location, Severity
from pytest_nbgate.gate import Runtime, finish
from pytest_nbgate.linters.pylint import PylintError, lint_notebooks
from pytest_nbgate.linters.ruff import RuffError, run_ruff
from pytest_nbgate.notebook.model import Notebook

Linted = dict[str, list[Finding]]


def pylint(
    notebook: Notebook, batch: Sequence[Notebook], gate: GateConfig, runtime: Runtime
) -> list[Finding]:
    """pylint's findings for ``notebook``, from one run over the whole ``batch`` (cached).

    pylint's start-up and astroid inference dominate, so the first pylint item
    of a batch lints every notebook of it at once.
    """

    def lint_batch(wanted: list[Notebook]) -> Linted:
        try:
            return lint_notebooks(wanted, gate.pylint_settings)
        except PylintError as exc:
            problem = f"pylint refused its configuration: {exc}"
            return {nb.relpath: [_linter_failed(PylintMessage, nb, problem)] for nb in wanted}

    results = _batched(notebook, batch, runtime.pylint_results or {}, lint_batch)
    runtime.pylint_results = results
    found = results.get(notebook.relpath, [])
    return finish(notebook, gate.ruleset.finalize(notebook, found), gate, runtime)


def ruff(
    notebook: Notebook, batch: Sequence[Notebook], gate: GateConfig, runtime: Runtime
) -> list[Finding]:
    """ruff's findings for ``notebook``, from one ``ruff check`` over the whole ``batch``."""

    def lint_batch(wanted: list[Notebook]) -> Linted:
        try:
            return run_ruff(wanted, gate.ruff_settings, gate.root)
        except RuffError as exc:
            return {nb.relpath: [_linter_failed(RuffMessage, nb, str(exc))] for nb in wanted}

    results = _batched(notebook, batch, runtime.ruff_results or {}, lint_batch)
    runtime.ruff_results = results
    # ruff's messages can quote the code: finish() redacts them like every finding.
    found = results.get(notebook.relpath, [])
    return finish(notebook, gate.ruleset.finalize(notebook, found), gate, runtime)


def _batched(
    notebook: Notebook,
    batch: Sequence[Notebook],
    cache: Linted,
    lint_batch: Callable[[list[Notebook]], Linted],
) -> Linted:
    """``cache`` plus one run over the notebooks of ``batch`` not linted yet, when needed."""
    if notebook.relpath in cache:
        return cache
    wanted = [nb for nb in batch if nb.relpath not in cache]
    if notebook.relpath not in {nb.relpath for nb in wanted}:
        wanted.append(notebook)
    return {**cache, **lint_batch(wanted)}


def _linter_failed(rule: type[Rule], notebook: Notebook, problem: str) -> Finding:
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=Severity.ERROR,
        location=Location(path=notebook.relpath, file_line=1),
        message=problem,
    )

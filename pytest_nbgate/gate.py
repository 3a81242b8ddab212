"""What each item does, without pytest: lint, execute (+ fresh outputs, goldens), pylint.

Both the pytest items and the ``nbgate`` command call these functions, so the
two front ends cannot drift apart.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_nbgate.baseline import Baseline
from pytest_nbgate.cache.session_cache import STATIC, Caches
from pytest_nbgate.checks import execution as rules
from pytest_nbgate.checks.base import Phase
from pytest_nbgate.checks.validity import reading_failure
from pytest_nbgate.config import GateConfig
from pytest_nbgate.cov.kernel import (
    NotebookCoverage,
    PytestCov,
    collect,
    kernel_data_file,
    notebook_findings,
    setup_code,
    teardown_code,
)
from pytest_nbgate.execution.artifact import ArtifactError, save_executed
from pytest_nbgate.execution.pool import KernelSource
from pytest_nbgate.execution.run import ExecutionOptions, ExecutionResult, execute
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook import gcpause
from pytest_nbgate.notebook.directives import directives
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.notebook.params import injected_code
from pytest_nbgate.notebook.reading import NotebookError
from pytest_nbgate.notebook.source import NotebookSource
from pytest_nbgate.redaction import Redactor, TextScanner
from pytest_nbgate.reporters.html_evidence import EXTRA_PREFIX
from pytest_nbgate.reporters.html_evidence import collect as collect_evidence
from pytest_nbgate.snapshots import golden

if TYPE_CHECKING:
    from pytest_nbgate.parallel.ahead import LintAhead

Describe = Callable[[Notebook, list[Finding]], dict[str, Any]]
"""Per-notebook extras computed while the notebook is in memory (``fixable``), cached with it."""


@dataclass
class Runtime:
    """Per-process state shared by the items of one session (one per xdist worker)."""

    pylint_results: dict[str, list[Finding]] | None = None
    ruff_results: dict[str, list[Finding]] | None = None
    kernel_source: KernelSource | None = None
    """Where kernels come from (``None``: started fresh by :func:`execute`)."""
    baseline: Baseline | None = None
    pytest_cov: PytestCov | None = None
    """pytest-cov's data file and mode when it is active, so both measurements combine."""
    features: dict[str, Any] = field(default_factory=dict)
    caches: Caches | None = None
    """Results cached by content (``None``: off)."""
    baselined: set[str] = field(default_factory=set)
    """Fingerprints of the baseline that matched a finding in this process (for stale entries)."""
    scanner: TextScanner = field(default_factory=TextScanner)
    """The re-scan every outgoing text goes through, set up with the profile's secrets settings."""
    evidence: bool = False
    """Gather what the HTML report shows (cell sources, outputs, image files) per notebook."""
    ahead: LintAhead | None = None
    """Workers linting the notebooks this process has not reached yet (``None``: one process)."""

    @classmethod
    def for_gate(cls, gate: GateConfig) -> Runtime:
        """Per-process set-up: the baseline, the redactor's scanner."""
        baseline = None
        if gate.baseline is not None and not gate.update_baseline:
            baseline = Baseline.load(gate.baseline)
        return cls(baseline=baseline, scanner=TextScanner(gate.secrets))

    def accepted_in(self, relpath: str) -> frozenset[str]:
        """The baseline's fingerprints for ``relpath`` matched so far (cached with its results)."""
        if self.baseline is None:
            return frozenset()
        return self.baseline.by_path.get(relpath, frozenset()) & self.baselined

    def redactor(self, *notebooks: Notebook | None) -> Redactor:
        """The redactor of one notebook, knowing the values detected in these versions of it."""
        return Redactor.for_notebooks(self.scanner, notebooks)


def lint(notebook: Notebook, gate: GateConfig, runtime: Runtime) -> list[Finding]:
    return finish(notebook, gate.ruleset.run(notebook), gate, runtime)


@dataclass(frozen=True)
class StaticResult:
    findings: list[Finding]
    extra: dict[str, Any] = field(default_factory=dict)
    """What ``describe`` added (``fixable``), replayed with the findings."""
    cached: bool = False


def lint_source(
    source: NotebookSource,
    gate: GateConfig,
    runtime: Runtime,
    *,
    keep: bool = False,
    describe: Describe | None = None,
) -> StaticResult:
    """The static gate over one file, as both front ends run it: cached by content.

    Unless ``keep`` (other items still need it), the notebook is released
    before the collector resumes, so it never traverses the notebook's objects.
    """
    caches = runtime.caches
    try:
        key = caches.static_key(source) if caches is not None else None
    except NotebookError as exc:
        # A file that cannot be read is one finding, accepted by a baseline like any other.
        return StaticResult(drop_baselined([reading_failure(exc, source.relpath)], runtime))
    replay = caches.replay(STATIC, key) if caches is not None and key is not None else None
    if replay is not None:
        # Its baseline matches count as if it had run: they are not stale entries.
        runtime.baselined |= replay.accepted
        return StaticResult(replay.findings, replay.extra, cached=True)
    result = _linted_ahead(source, runtime, keep) or _lint_here(
        source, gate, runtime, keep, describe
    )
    if caches is not None and key is not None:
        accepted = runtime.accepted_in(source.relpath)
        caches.record(STATIC, key, result.findings, result.extra, accepted)
    return result


def _lint_here(
    source: NotebookSource,
    gate: GateConfig,
    runtime: Runtime,
    keep: bool,
    describe: Describe | None,
) -> StaticResult:
    extra: dict[str, Any] = {}
    # The collector stays paused while the notebook's objects are built, linted and dropped.
    with gcpause.paused():
        try:
            notebook = source.notebook()
            findings = lint(notebook, gate, runtime)
            extra = describe(notebook, findings) if describe is not None else {}
            del notebook
        except NotebookError as exc:
            findings = drop_baselined([reading_failure(exc, source.relpath)], runtime)
        if not keep:
            source.release()
    return StaticResult(findings, extra)


def _linted_ahead(source: NotebookSource, runtime: Runtime, keep: bool) -> StaticResult | None:
    """A worker's result, trusted only for the very bytes this process would lint."""
    linted = runtime.ahead.take(source) if runtime.ahead is not None else None
    if linted is None or linted.result is None:
        return None
    try:
        same = linted.digest == source.digest()
    except NotebookError:
        return None
    if not same:
        return None
    if not keep:
        source.release()
    runtime.baselined |= linted.baselined
    return linted.result


@dataclass(frozen=True)
class RunOutcome:
    findings: list[Finding]
    extra: dict[str, Any] = field(default_factory=dict)
    """Per-notebook data for the reports (``coverage`` of the cells, ``flaky`` re-runs)."""
    skipped: str | None = None
    """Why the run skipped itself (a cell called ``pytest.skip()``)."""


RERUN_KINDS = frozenset({"died", "timeout", "notebook-timeout"})
"""Failures a re-run may cure (infrastructure); a raising cell raises again."""


def run(
    notebook: Notebook,
    gate: GateConfig,
    runtime: Runtime,
    parameters: Mapping[str, Any] | None = None,
    variant: str = "",
) -> RunOutcome:
    """Execute in a fresh kernel, then check fresh outputs, goldens and coverage.

    ``parameters`` (set ``variant``) are injected after the ``parameters``
    cell; the run then has its own golden (external store) or none.
    """
    gate = _own_goldens(notebook, gate, parameters is not None, variant)
    options = notebook_options(notebook, gate.execution)
    if parameters is not None:
        options = replace(options, parameters=injected_code(parameters))
    raw_coverage = kernel_data_file(gate.coverage) if gate.coverage.enabled else None
    if raw_coverage is not None:
        options = replace(
            options,
            setup_code=(*options.setup_code, setup_code(gate.coverage, raw_coverage)),
            teardown_code=(*options.teardown_code, teardown_code()),
        )
    result, attempts = _execute(notebook, options, gate.reruns, runtime)
    extra: dict[str, Any] = {}
    if attempts > 1:
        extra["flaky"] = {"attempts": attempts, "passed": result.ok}
    if result.skip_reason is not None:
        # The reason is the cell's own text: it may quote a value the notebook holds.
        reason = runtime.redactor(notebook, result.executed).text(result.skip_reason)
        return RunOutcome([], extra, skipped=reason)
    # The executed copy's cells carry this run's [n], the one the traceback names.
    findings = rules.findings_of(result.executed or notebook, result)
    if raw_coverage is not None:
        cells = collect_coverage(raw_coverage, notebook, gate, runtime)
        findings.extend(notebook_findings(notebook, cells, gate.coverage.cells_fail_under))
        extra["coverage"] = cells.to_dict()
    if result.executed is not None:
        fresh = gate.ruleset.run(result.executed, phases=(Phase.OUTPUTS,))
        leaks = [f for f in fresh if f.location.output_index is not None]
        findings.extend(leaks)
        findings.extend(goldens(notebook, result, gate, safe_to_write=not leaks))
    redactor = runtime.redactor(notebook, result.executed)
    if gate.save_executed is not None:
        _save_executed(result, gate.save_executed, redactor)
    kept = gate.ruleset.finalize(notebook, findings)
    done = finish(notebook, kept, gate, runtime, redactor)
    if runtime.evidence:
        extra[f"{EXTRA_PREFIX}execute"] = collect_evidence(
            notebook, done, executed=result.executed, snapshots=gate.snapshots, redactor=redactor
        )
    return RunOutcome(done, extra)


def _save_executed(result: ExecutionResult, folder: Path, redactor: Redactor) -> None:
    try:
        save_executed(result, folder, redactor)
    except ArtifactError as exc:
        # The gate's verdict does not depend on the artifact: say so, do not fail the item.
        warnings.warn(str(exc), RuntimeWarning, stacklevel=2)


def _own_goldens(
    notebook: Notebook, gate: GateConfig, parametrised: bool, variant: str
) -> GateConfig:
    """A text notebook or a parameter set has no stored outputs: its own goldens or none."""
    if gate.snapshots is None:
        return gate
    own = gate.snapshots.for_notebook(bool(notebook.text_format), parametrised, variant)
    return replace(gate, snapshots=own)


def _execute(
    notebook: Notebook, options: ExecutionOptions, reruns: int, runtime: Runtime
) -> tuple[ExecutionResult, int]:
    """Run, and re-run (each time in a new kernel) after a kernel death or a timeout only."""
    attempts = 1
    result = execute(notebook, options, source=runtime.kernel_source)
    while attempts <= reruns and any(f.kind in RERUN_KINDS for f in result.failures):
        attempts += 1
        result = execute(notebook, options, source=runtime.kernel_source)
    return result, attempts


def collect_coverage(
    raw: Path, notebook: Notebook, gate: GateConfig, runtime: Runtime
) -> NotebookCoverage:
    """Split a kernel's coverage data into cell and module coverage (shared with pytest-cov)."""
    other = runtime.pytest_cov
    return collect(
        raw,
        notebook,
        gate.coverage,
        pytest_cov_data_file=other.data_file if other else None,
        pytest_cov_branch=other.branch if other else False,
    )


def goldens(
    notebook: Notebook, result: ExecutionResult, gate: GateConfig, *, safe_to_write: bool
) -> list[Finding]:
    """The golden check of a run that finished; half-run outputs would only add noise."""
    settings = gate.snapshots
    if settings is None or not settings.enabled or result.executed is None or not result.ok:
        return []
    return golden.check(
        notebook,
        result.executed,
        result.executed_cells,
        settings,
        update=gate.update,
        safe_to_write=safe_to_write,
    )


def notebook_options(notebook: Notebook, options: ExecutionOptions) -> ExecutionOptions:
    """The notebook's own timeout and ``allow_errors`` (ours or nbmake's metadata)."""
    wanted = directives(notebook)
    if wanted.timeout is not None:
        options = replace(options, timeout=wanted.timeout)
    if wanted.allow_errors:
        options = replace(options, allow_errors=True)
    return options


def finish(
    notebook: Notebook,
    findings: list[Finding],
    gate: GateConfig,
    runtime: Runtime,
    redactor: Redactor | None = None,
) -> list[Finding]:
    """Last steps common to every item: redact every finding, drop accepted (baselined) ones.

    Every rule's message and detail pass the notebook's redactor here, so no
    rule has to remember that what it quotes may be a secret.
    """
    findings = (redactor or runtime.redactor(notebook)).findings(findings)
    return drop_baselined(findings, runtime)


def drop_baselined(findings: list[Finding], runtime: Runtime) -> list[Finding]:
    """``findings`` less those the baseline accepts (which are noted, for stale entries)."""
    baseline = runtime.baseline
    if baseline is None:
        return findings
    accepted = {f.fingerprint for f in findings if baseline.contains(f)}
    runtime.baselined |= accepted
    return [f for f in findings if f.fingerprint not in accepted]

"""Controller-side bookkeeping: gather findings from reports, summarise, write reports.

Runs on the xdist controller (or the single process) only; workers just
attach findings to their reports, which pytest-xdist forwards here.
"""

from __future__ import annotations

import importlib
import signal
import threading
from collections import defaultdict
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from pytest_nbgate import __version__
from pytest_nbgate.baseline import Baseline, Entry
from pytest_nbgate.config import GateConfig
from pytest_nbgate.cov.kernel import NotebookCoverage, combine, erase
from pytest_nbgate.cov.report import ModuleCoverage, module_findings
from pytest_nbgate.cov.report import summary_lines as coverage_summary
from pytest_nbgate.files import relative_path, write_text
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.notebook.reading import NotebookError
from pytest_nbgate.reporters import REPORTERS, terminal
from pytest_nbgate.reporters.base import NotebookOutcome, ReportData
from pytest_nbgate.snapshots import remove_unused, unused_goldens
from pytest_nbgate.stash import RUNTIME_KEY


class GateSession:
    def __init__(self, config: pytest.Config, gate: GateConfig) -> None:
        self.config = config
        self.gate = gate
        self.findings: dict[str, Finding] = {}
        self.outcomes: dict[str, dict[str, str]] = defaultdict(dict)
        self.extras: dict[str, dict[str, Any]] = defaultdict(dict)
        self.durations: dict[str, float] = defaultdict(float)
        """Seconds each notebook's items took (their call phases), for the step summary."""
        self.modules: ModuleCoverage | None = None
        self.cached: dict[str, int] = defaultdict(int)
        """Items replayed from the result cache, by item name."""
        self._previous_sigterm: Any = None
        if threading.current_thread() is threading.main_thread():
            # CI cancels jobs with SIGTERM: stop like Ctrl-C, so kernels are shut down,
            # files stay whole and the summary of what ran is printed.
            self._previous_sigterm = signal.signal(signal.SIGTERM, _terminate)

    def pytest_sessionstart(self) -> None:
        if not self.is_worker and self.gate.coverage.enabled:
            erase(self.gate.coverage)

    def pytest_unconfigure(self) -> None:
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None

    @property
    def is_worker(self) -> bool:
        return hasattr(self.config, "workerinput")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        path = getattr(report, "nbgate_path", None)
        if path is None:
            return
        if type(report.longrepr) is str and self.config.option.tbstyle == "line":
            # From an xdist worker a one-line failure arrives as plain text: pytest would
            # print it, then its first 50 characters again as the crash line.
            report.longrepr = terminal.OneLine(report.longrepr)
        name = report.nodeid.rpartition("::")[2]
        self.outcomes[path][name] = report.outcome
        if getattr(report, "nbgate_cached", False):
            self.cached[name.partition("[")[0]] += 1
        self.extras[path].update(getattr(report, "nbgate_extra", None) or {})
        self.durations[path] += report.duration
        for data in getattr(report, "nbgate_findings", []):
            finding = Finding.from_dict(data)
            # One identity per finding: a leak in a stored output that the fresh output
            # repeats is one finding, as a merge of shard reports counts it.
            self.findings.setdefault(finding.fingerprint, finding)

    def coverage_bookkeeping(self) -> list[Finding]:
        """Combine the kernels' module coverage; COV102 when it is under ``fail-under``."""
        settings = self.gate.coverage
        if not settings.enabled:
            return []
        self.modules = combine(settings, self.gate.root)
        if self.modules is None:
            return []
        where = ", ".join(relative_path(Path(s), self.gate.root) for s in settings.source)
        return module_findings(self.modules, settings.fail_under, where=where or ".")

    def golden_bookkeeping(self) -> list[Finding]:
        """Unused goldens among notebooks that ran; ``--nbgate-update`` removes them."""
        settings = self.gate.snapshots
        if settings is None or not settings.enabled or not self.outcomes:
            return []
        # Outcomes are keyed by the notebooks' repository-relative paths.
        root = self.gate.paths_root
        ran = []
        for path, items in sorted(self.outcomes.items()):
            if items.get("execute") in ("passed", "failed"):
                try:
                    ran.append(Notebook.read(root / path, root))
                except NotebookError:
                    continue
        collected = [root / path for path in self.outcomes]
        if self.gate.update:
            remove_unused(settings, ran, collected)
            return []
        return unused_goldens(settings, ran, collected, self.gate.paths_root)

    def stale_baseline(self) -> list[Entry]:
        """Baseline entries of notebooks that ran whose finding no item produced any more."""
        runtime = self.config.stash.get(RUNTIME_KEY, None)
        if runtime is None or runtime.baseline is None or self.gate.update_baseline:
            return []
        matched = {
            fingerprint
            for extra in self.extras.values()
            for key, value in extra.items()
            if key.startswith("baselined-")
            for fingerprint in value
        }
        stale = runtime.baseline.stale(matched, self.outcomes)
        # An execution, pylint or coverage finding is only stale if its item ran.
        ran = {path: set(items) for path, items in self.outcomes.items()}
        return [e for e in stale if _item_of(e.rule_id) in ran.get(e.path, set())]

    def report_data(self) -> ReportData:
        findings = tuple(sorted(self.findings.values(), key=Finding.sort_key))
        notebooks = tuple(
            NotebookOutcome(
                path=path,
                items=dict(items),
                duration=self.durations.get(path, 0.0),
                extra=dict(self.extras.get(path, {})),
            )
            for path, items in sorted(self.outcomes.items())
        )
        return ReportData(
            tool_version=__version__,
            root=str(self.gate.root),
            fail_on=self.gate.fail_on,
            findings=findings,
            notebooks=notebooks,
            extra={"coverage": self.modules.to_dict()} if self.modules is not None else {},
            profile=self.gate.profile.name,
        )

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.is_worker or not self.outcomes:
            return
        data = self.report_data()
        terminalreporter.write_sep("=", "nbgate")
        for line in terminal.summary_lines(data, colour=bool(terminalreporter.hasmarkup)):
            terminalreporter.write_line(line)
        for line in self.counts():
            terminalreporter.write_line(line)
        if self.gate.coverage.enabled:
            cells = [
                NotebookCoverage.from_dict(extra["coverage"])
                for extra in self.extras.values()
                if "coverage" in extra
            ]
            terminalreporter.write_sep("-", "nbgate coverage")
            for line in coverage_summary(cells, self.modules):
                terminalreporter.write_line(line)
        for entry in self.stale_baseline():
            terminalreporter.write_line(f"nbgate: stale baseline entry: {entry.describe()}")
        for spec in self.gate.reports:
            if spec.path is not None:
                terminalreporter.write_line(f"nbgate {spec.format} report: {spec.path}")
        if self.gate.github:
            github = importlib.import_module("pytest_nbgate.reporters.github")
            terminalreporter.write(github.render(data))

    def counts(self) -> list[str]:
        """What this run did not recompute: cached items, deselected notebooks."""
        lines = []
        if self.cached:
            parts = ", ".join(f"{count} {name}" for name, count in sorted(self.cached.items()))
            lines.append(f"{sum(self.cached.values())} item(s) (cached): {parts}")
        changed = self.config.pluginmanager.get_plugin("nbgate-changed")
        if changed is not None:
            lines.append(changed.summary())
        return lines

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            return
        unused = self.golden_bookkeeping() + self.coverage_bookkeeping()
        for finding in unused:
            self.findings.setdefault(finding.fingerprint, finding)
        if any(f.severity >= self.gate.fail_on for f in unused) and not session.exitstatus:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        data = self.report_data()
        if self.gate.update_baseline and self.gate.baseline is not None:
            Baseline.from_findings(data.findings).save(self.gate.baseline)
        if self.gate.step_summary is not None:
            github = importlib.import_module("pytest_nbgate.reporters.github")
            with self.gate.step_summary.open("a", encoding="utf-8") as summary:
                summary.write(github.render_summary(data))
        for spec in self.gate.reports:
            if spec.path is None:
                continue
            write_text(spec.path, REPORTERS[spec.format].render(data))


def _item_of(rule_id: str) -> str:
    if rule_id.startswith("PL"):
        return "pylint"
    return "execute" if rule_id.startswith(("NB3", "NB4", "COV")) else "lint"


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"terminated by {signal.Signals(signum).name}")

"""pytest-html: each notebook item carries its section of the nbgate HTML report.

Teams that already publish a pytest-html report see the notebooks there too.
Registered on the controller only (or the single process), when ``--html`` is
given: the section is rendered from the findings and evidence the worker
attached to the report, so rendering stays on the controller like every
other report, and pytest-html (whose hook runs last) finds it in
``report.extras``.
"""

from __future__ import annotations

import importlib

import pytest

from pytest_nbgate import __version__
from pytest_nbgate.config import GateConfig
from pytest_nbgate.findings import Finding
from pytest_nbgate.reporters.base import NotebookOutcome, ReportData

SCOPED_STYLE = (
    ".nbgate article.finding{border-left:4px solid #2f5f98;padding:4px 8px;margin:6px 0}"
    ".nbgate article.sev-error{border-left-color:#b3261e}"
    ".nbgate article.sev-warning{border-left-color:#a15c00}"
    ".nbgate pre{white-space:pre;overflow-x:auto;background:#f6f8fa;padding:4px}"
    ".nbgate mark{background:#fff1c2;display:inline-block;min-width:100%}"
    ".nbgate article.finding,.nbgate .diff{display:grid;grid-template-columns:auto minmax(0,1fr)}"
    ".nbgate article.finding>*{grid-column:1/-1}.nbgate article.finding>pre.ln{grid-column:1}"
    ".nbgate article.finding>pre.src{grid-column:2}.nbgate pre.ln{color:#8a9099;text-align:right}"
    ".nbgate .diff{grid-template-columns:auto minmax(0,1fr) auto minmax(0,1fr)}"
    ".nbgate .diff>b{grid-column:span 2}.nbgate .diff span{display:inline-block;min-width:100%}"
    ".nbgate .diff span.chg,.nbgate .diff span.del{background:#ffebe9}"
    ".nbgate .diff pre:last-child span.chg,.nbgate .diff span.ins{background:#e6ffec}"
    ".nbgate del{background:#ffb3ad;text-decoration:none}"
    ".nbgate ins{background:#8ee6a5;text-decoration:none}"
    ".nbgate .images{display:flex;gap:8px}.nbgate img{max-width:300px}"
)


class NotebookExtras:
    """Adds an ``html`` extra to each gate item's call report that has findings."""

    def __init__(self, gate: GateConfig) -> None:
        self.gate = gate

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        path = getattr(report, "nbgate_path", None)
        found = getattr(report, "nbgate_findings", None)
        if path is None or not found:
            return
        html = importlib.import_module("pytest_nbgate.reporters.html")
        extras = importlib.import_module("pytest_html.extras")
        name = report.nodeid.rpartition("::")[2]
        outcome = NotebookOutcome(
            path=path,
            items={name: report.outcome},
            duration=report.duration,
            extra=getattr(report, "nbgate_extra", None) or {},
        )
        data = ReportData(
            tool_version=__version__,
            root=str(self.gate.root),
            fail_on=self.gate.fail_on,
            findings=tuple(sorted(map(Finding.from_dict, found), key=Finding.sort_key)),
            notebooks=(outcome,),
            profile=self.gate.profile.name,
        )
        section = html.render_notebook(data, path)
        content = f'<div class="nbgate"><style>{SCOPED_STYLE}</style>{section}</div>'
        # pytest-html's documented hand-over: a list in the report's ``extras`` attribute.
        setattr(report, "extras", [*getattr(report, "extras", []), extras.html(content)])  # noqa: B010

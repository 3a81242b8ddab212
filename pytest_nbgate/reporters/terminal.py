"""Linter-style text: ``path:cell N:line: ID [severity] message``, details indented."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.reporters.base import ReportData

DETAIL_LINES = 60


def format_finding(finding: Finding) -> str:
    return (
        f"{finding.location.describe()}: {finding.rule_id} [{finding.severity}] {finding.message}"
    )


def format_detail(detail: str, limit: int = DETAIL_LINES) -> list[str]:
    lines = detail.rstrip("\n").splitlines()
    if len(lines) > limit:
        hidden = len(lines) - limit
        lines = [*lines[:limit], f"... {hidden} more lines (full text in the JSON report)"]
    return [f"    {line}" for line in lines]


def format_findings(findings: Iterable[Finding], details: bool = True) -> str:
    out: list[str] = []
    for finding in findings:
        out.append(format_finding(finding))
        if details and finding.detail:
            out.extend(format_detail(finding.detail))
    return "\n".join(out)


def format_failure(findings: Iterable[Finding], fail_on: Severity) -> str:
    """The body of a failed item: failing findings first, then the others."""
    ordered = sorted(findings, key=lambda f: (f.severity < fail_on, f.sort_key()))
    blocking = sum(1 for f in ordered if f.severity >= fail_on)
    tail = f"({blocking} finding(s) at or above fail-on={fail_on})"
    return f"{format_findings(ordered)}\n{tail}"


def summary_lines(data: ReportData) -> list[str]:
    """The ``nbgate`` section of the terminal summary."""
    flaky = [
        f"flaky: {n.path} (execute ran {n.extra['flaky']['attempts']} times after a kernel "
        "death or timeout)"
        for n in data.notebooks
        if isinstance(n.extra.get("flaky"), dict)
    ]
    if not data.findings:
        checked = len(data.notebooks)
        return [*flaky, f"{checked} notebook(s) checked, no findings"]
    counts = Counter(str(f.severity) for f in data.findings)
    by_rule = Counter(f"{f.rule_id} {f.rule_name}" for f in data.findings)
    lines = [format_finding(f) for f in data.findings]
    lines.extend(flaky)
    lines.append("")
    lines.extend(f"{count:5d}  {rule}" for rule, count in sorted(by_rule.items()))
    parts = ", ".join(f"{counts[s.name.lower()]} {s}" for s in reversed(Severity) if counts[str(s)])
    fixable = sum(int(n.extra.get("fixable", 0)) for n in data.notebooks)
    repair = f"; {fixable} fixable with `nbgate fix`" if fixable else ""
    total = f"{len(data.notebooks)} notebook(s) checked"
    lines.append(f"{total}: {parts} (fail-on={data.fail_on}){repair}")
    return lines


def render(data: ReportData) -> str:
    """The ``text`` report: every finding with its detail, then the totals line."""
    body = format_findings(data.findings)
    return "\n".join(filter(None, [body, *summary_lines(data)[-1:]])) + "\n"

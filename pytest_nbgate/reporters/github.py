"""GitHub Actions: workflow-command annotations and a step-summary table.

:func:`render` prints one ``::error``/``::warning``/``::notice`` command per
finding, on the finding's line of the raw ``.ipynb`` text so the annotation
lands where a reviewer sees the diff. GitHub shows only a few annotations of
each kind per step; past :data:`ANNOTATIONS_PER_KIND` the rest are summarised
in one annotation and listed as plain log lines, so nothing is silently lost.

Severity mapping: error -> ``error``, warning -> ``warning``, info -> ``notice``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.reporters.base import ReportData
from pytest_nbgate.ruledoc import file_line, where

ANNOTATIONS_PER_KIND = 10
"""GitHub keeps 10 error, 10 warning and 10 notice annotations per step (and 50 per
job): documented in "Limitations" of actions/toolkit ``docs/problem-matchers.md``."""

SUMMARY_MAX_ROWS = 300
"""Findings listed in the step summary; GitHub caps one step's summary at 1 MiB
("Adding a job summary", GitHub Actions workflow-commands documentation)."""

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a workflow command's message (the part after ``::``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command property value (``file=``, ``title=``...)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """One workflow command for ``finding``."""
    loc = finding.location
    props = ",".join(
        f"{key}={escape_property(value)}"
        for key, value in (
            ("file", loc.path),
            ("line", str(file_line(loc))),
            ("title", f"{finding.rule_id} {finding.rule_name}"),
        )
    )
    message = f"{finding.message} ({where(loc)})"
    return f"::{COMMAND[finding.severity]} {props}::{escape_data(message)}"


def plain_line(finding: Finding) -> str:
    """A log line for a finding past the annotation cap (not a workflow command)."""
    loc = finding.location
    text = f"{loc.path}:{file_line(loc)}: {finding.rule_id} {finding.message} ({where(loc)})"
    # A newline in the message could start a line with "::", which GitHub would run.
    return escape_data(text)


def _overflow(kind: str, hidden: Sequence[Finding]) -> list[str]:
    notice = (
        f"{len(hidden)} more {kind} finding(s) not annotated: GitHub shows "
        f"{ANNOTATIONS_PER_KIND} {kind} annotations per step. They are listed below "
        "and in the step summary."
    )
    return [f"::{kind} title=nbgate::{escape_data(notice)}", *map(plain_line, hidden)]


def render(data: ReportData) -> str:
    """Workflow commands for every finding, capped per kind, in the findings' order."""
    lines: list[str] = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in data.findings if f.severity is severity]
        if len(group) <= ANNOTATIONS_PER_KIND:
            lines.extend(map(annotation, group))
            continue
        # Keep one slot of the cap for the annotation that says the rest exist.
        shown = ANNOTATIONS_PER_KIND - 1
        lines.extend(map(annotation, group[:shown]))
        lines.extend(_overflow(COMMAND[severity], group[shown:]))
    return "".join(f"{line}\n" for line in lines)


def escape_markdown_cell(value: str) -> str:
    """Text safe inside a Markdown table cell: no HTML, no column breaks, one line."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return " ".join(value.split())


def _counts(findings: Sequence[Finding]) -> str:
    parts = []
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        count = sum(1 for f in findings if f.severity is severity)
        if count:
            parts.append(f"{count} {severity}")
    return ", ".join(parts) if parts else "no findings"


def _finding_rows(findings: Sequence[Finding]) -> list[str]:
    rows = ["| Severity | Rule | File | Where | Message |", "| --- | --- | --- | --- | --- |"]
    for f in findings[:SUMMARY_MAX_ROWS]:
        loc = f.location
        path = escape_markdown_cell(f"{loc.path}:{file_line(loc)}")
        rule = escape_markdown_cell(f"{f.rule_id} {f.rule_name}")
        rows.append(
            f"| {f.severity} | {rule} | {path} | {where(loc)} | {escape_markdown_cell(f.message)} |"
        )
    if len(findings) > SUMMARY_MAX_ROWS:
        rows.append(f"\n_{len(findings) - SUMMARY_MAX_ROWS} more finding(s) not listed._")
    return rows


def _notebook_rows(data: ReportData) -> list[str]:
    names = sorted({name for nb in data.notebooks for name in nb.items})
    header = " | ".join(["Notebook", *names, "Seconds"])
    rows = [f"| {header} |", "| " + " | ".join(["---"] * (len(names) + 2)) + " |"]
    for nb in data.notebooks[:SUMMARY_MAX_ROWS]:
        cells = [escape_markdown_cell(nb.path), *(nb.items.get(n, "-") for n in names)]
        rows.append("| " + " | ".join([*cells, f"{nb.duration:.1f}"]) + " |")
    return rows


def render_summary(data: ReportData) -> str:
    """Markdown for ``$GITHUB_STEP_SUMMARY``: verdict, findings table, notebooks table."""
    failing = data.failing()
    verdict = "failed" if failing else "passed"
    lines = [
        f"## nbgate {data.tool_version}: {verdict}",
        "",
        f"{_counts(data.findings)} in {len(data.notebooks)} notebook(s); "
        f"the gate fails on {data.fail_on} and above ({len(failing)} such finding(s)).",
    ]
    if data.findings:
        lines += ["", "### Findings", "", *_finding_rows(data.findings)]
    if data.notebooks:
        lines += ["", "### Notebooks", "", *_notebook_rows(data)]
    return "\n".join(lines) + "\n"

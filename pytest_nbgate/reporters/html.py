"""The HTML report: one self-contained file a reviewer opens from the CI artifact.

Nothing in it loads anything: styles and scripts are inline and allowed by
their hashes in a Content-Security-Policy that forbids every other source,
images are data URIs. It reads with JavaScript off (everything is rendered
here, sections collapse with ``<details>``); with it on, the findings filter
by severity, rule and notebook, and the filter lives in the address
(``#filter?rule=NB301``) so a link shows the same view.

Every piece of text passes through the redactor before it is escaped:
messages, details (tracebacks, diffs), cell sources and outputs.
"""

from __future__ import annotations

import hashlib
from base64 import b64encode
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from pytest_nbgate import registry, ruledoc
from pytest_nbgate.checks.snapshots import OutputMismatch
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.redaction import redact_text
from pytest_nbgate.reporters import html_evidence
from pytest_nbgate.reporters.base import NotebookOutcome, ReportData
from pytest_nbgate.reporters.html_parts import (
    ImageBudget,
    content,
    lined,
    note,
    preformatted,
    rule_doc,
    side_by_side,
    text,
)

SOURCE_CONTEXT = 3
SOURCE_HEAD = 8
OPEN_NOTEBOOKS = 20
"""Sections open on arrival; the rest are closed ``<details>``, in the DOM but not laid out."""
MAX_DETAIL_LINES = 400
MAX_DETAIL_CHARS = 40_000
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
TRACEBACK_RULES = frozenset({"NB301"})
SENSITIVE_PREFIXES = registry.SENSITIVE_PREFIXES
HIDDEN_DETAIL = (
    "details hidden: {rule} found sensitive data in this cell's output, which they quote"
)


@cache
def asset(name: str) -> str:
    return resources.files("pytest_nbgate.reporters").joinpath(name).read_text("utf-8")


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{b64encode(digest).decode('ascii')}'"


def policy(styles: Iterable[str], scripts: Iterable[str]) -> str:
    """Only these inline styles and scripts, and data: images; nothing from anywhere."""
    return "; ".join(
        [
            "default-src 'none'",
            f"style-src {' '.join(map(_hash, styles))}",
            f"script-src {' '.join(map(_hash, scripts))}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def render(data: ReportData) -> str:
    return Page(data).render()


def render_notebook(data: ReportData, path: str) -> str:
    """One notebook's section alone (for pytest-html's extras), with its rules' docs."""
    page = Page(data)
    findings = [f for f in data.findings if f.location.path == path]
    outcome = next((n for n in data.notebooks if n.path == path), NotebookOutcome(path, {}))
    return page.notebook(0, outcome, findings) + page.rule_docs(findings)


class Page:
    """One render: the redaction memo and the image budget live as long as it."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.images = ImageBudget()
        self._clean: dict[str, str] = {}
        self.outcomes = {n.path: n for n in data.notebooks}
        self.evidence = {n.path: html_evidence.merged(n.extra) for n in data.notebooks}
        # Cells whose output holds sensitive data: what other findings quote of it is hidden.
        self.leaks = {
            (f.location.path, f.location.cell_index): f.rule_id
            for f in data.findings
            if f.rule_id.startswith(SENSITIVE_PREFIXES) and f.location.output_index is not None
        }

    def clean(self, value: str) -> str:
        """Redacted, then escaped as element content (never put it in an attribute);
        identical strings (rule messages repeat) redacted once."""
        done = self._clean.get(value)
        if done is None:
            done = self._clean[value] = content(redact_text(value))
        return done

    def render(self) -> str:
        data = self.data
        by_path: dict[str, list[Finding]] = defaultdict(list)
        for finding in data.findings:
            by_path[finding.location.path].append(finding)
        paths = sorted(set(self.outcomes) | set(by_path))
        with_findings = [p for p in paths if by_path.get(p)]
        clean_paths = [p for p in paths if not by_path.get(p)]
        sections = [
            self.notebook(number, self.outcomes.get(path, NotebookOutcome(path, {})), by_path[path])
            for number, path in enumerate(with_findings)
        ]
        style, head_script, script = (
            asset("html_report.css"),
            asset("html_head.js"),
            asset("html_report.js"),
        )
        csp = policy([style], [head_script, script])
        failing = len(data.failing())
        verdict = "failed" if failing else "passed"
        return "".join(
            [
                '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
                f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                '<meta name="referrer" content="no-referrer">',
                f"<title>nbgate {verdict}: {len(data.findings)} finding(s)</title>",
                f"<style>{style}</style><script>{head_script}</script></head>",
                f'<body data-verdict="{verdict}">',
                self.header(verdict, failing),
                self.summary(paths, by_path),
                self.filters(with_findings, by_path),
                f'<main id="notebooks" data-findings="{len(data.findings)}" '
                f'data-open="{OPEN_NOTEBOOKS}">{"".join(sections)}'
                f"{self.clean_list(clean_paths)}</main>",
                f'<section id="rules"><h2>Rules</h2>{self.rule_docs(data.findings)}</section>',
                f"<script>{script}</script></body></html>\n",
            ]
        )

    def header(self, verdict: str, failing: int) -> str:
        data = self.data
        said = (
            f"{failing} finding(s) at or above fail-on={data.fail_on}"
            if failing
            else f"no finding at or above fail-on={data.fail_on}"
        )
        return (
            f'<header><h1>nbgate report <span class="verdict {verdict}">{verdict}</span></h1>'
            f"<p>{text(said)}. pytest-nbgate {text(data.tool_version)}, "
            f"root <code>{self.clean(data.root)}</code>.</p></header>"
        )

    def summary(self, paths: Sequence[str], by_path: Mapping[str, list[Finding]]) -> str:
        data = self.data
        items = Counter(state for n in data.notebooks for state in n.items.values())
        severity = Counter(f.severity for f in data.findings)
        duration = sum(n.duration for n in data.notebooks)
        slowest = sorted(data.notebooks, key=lambda n: -n.duration)[:5]
        facts = [
            (
                "Notebooks",
                f"{len(paths)} ({sum(1 for p in paths if by_path.get(p))} with findings)",
            ),
            ("Items", ", ".join(f"{c} {s}" for s, c in sorted(items.items())) or "none"),
            (
                "Findings",
                ", ".join(f"{severity[s]} {s}" for s in SEVERITIES)
                + f" ({len(data.findings)} in all)",
            ),
            ("Duration", f"{duration:.1f} s in items" if duration else "not measured"),
            ("Profile", data.profile or "default"),
            ("Fail on", str(data.fail_on)),
        ]
        rows = "".join(f"<tr><th>{k}</th><td>{self.clean(v)}</td></tr>" for k, v in facts)
        if any(n.duration for n in slowest):
            shown = ", ".join(f"{n.path} {n.duration:.1f} s" for n in slowest if n.duration)
            rows += f"<tr><th>Slowest</th><td>{self.clean(shown)}</td></tr>"
        return (
            f'<section id="summary"><h2>Summary</h2><table class="facts">{rows}</table>'
            f"{self.rule_table()}</section>"
        )

    def rule_table(self) -> str:
        counts: Counter[tuple[str, str]] = Counter()
        worst: dict[str, Severity] = {}
        for f in self.data.findings:
            counts[f.rule_id, f.rule_name] += 1
            worst[f.rule_id] = max(worst.get(f.rule_id, f.severity), f.severity)
        if not counts:
            return "<p>No findings.</p>"
        rows = "".join(
            f'<tr class="sev-{worst[rule]}"><td><a href="#rule-{text(rule)}">{text(rule)}</a></td>'
            f'<td>{text(name)}</td><td>{worst[rule]}</td><td class="num">{count}</td></tr>'
            for (rule, name), count in sorted(counts.items())
        )
        head = "<tr><th>Rule</th><th>Name</th><th>Severity</th><th>Findings</th></tr>"
        return f'<table class="rules"><thead>{head}</thead><tbody>{rows}</tbody></table>'

    def filters(self, paths: Sequence[str], by_path: Mapping[str, list[Finding]]) -> str:
        rules = Counter(f.rule_id for f in self.data.findings)
        severity = Counter(str(f.severity) for f in self.data.findings)

        def options(pairs: Iterable[tuple[str, str]]) -> str:
            return '<option value="">all</option>' + "".join(
                f'<option value="{text(v)}">{self.clean(label)}</option>' for v, label in pairs
            )

        sev = options((str(s), f"{s} ({severity[str(s)]})") for s in SEVERITIES if severity[str(s)])
        rule = options((r, f"{r} ({c})") for r, c in sorted(rules.items()))
        notebook = options((str(i), f"{p} ({len(by_path[p])})") for i, p in enumerate(paths))
        return (
            '<nav id="filters" hidden><label>Severity <select id="f-severity">'
            f'{sev}</select></label><label>Rule <select id="f-rule">{rule}</select></label>'
            f'<label>Notebook <select id="f-notebook">{notebook}</select></label>'
            '<button type="button" id="f-collapse">Collapse all</button>'
            '<button type="button" id="f-expand">Expand all</button>'
            '<output id="f-count"></output></nav>'
        )

    def notebook(self, number: int, outcome: NotebookOutcome, findings: Sequence[Finding]) -> str:
        counts = Counter(f.severity for f in findings)
        said = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
        items = " ".join(
            f'<span class="item {text(state)}">{text(name)}: {text(state)}</span>'
            for name, state in sorted(outcome.items.items())
        )
        took = f" · {outcome.duration:.1f} s" if outcome.duration else ""
        body = "".join(self.finding(number, i, f) for i, f in enumerate(findings))
        opened = " open" if number < OPEN_NOTEBOOKS else ""
        return (
            f'<details class="nb"{opened} data-nb="{number}" id="nb-{number}">'
            f'<summary><span class="path">{self.clean(outcome.path)}</span> {items}'
            f'<span class="counts">{text(said)}{took}</span></summary>{body}</details>'
        )

    def finding(self, number: int, index: int, finding: Finding) -> str:
        loc = finding.location
        rule = text(finding.rule_id)
        evidence = self.evidence.get(loc.path, {})
        cell = None if loc.cell_index is None else str(loc.cell_index)
        source = evidence.get("cells", {}).get(cell) if cell is not None else None
        parts = [
            f'<article class="finding sev-{finding.severity}" id="f-{number}-{index}" '
            f'data-rule="{rule}" data-severity="{finding.severity}">',
            # Plain text around one link: an element per label, times 10,000 findings,
            # was a large part of what a big report's DOM cost to build.
            f'<h3>{finding.severity} <a href="#rule-{rule}">{rule} {text(finding.rule_name)}</a>'
            f" · {text(ruledoc.where(loc))}{self.cell_kind(source)}"
            f" · .ipynb line {ruledoc.file_line(loc)}</h3>",
            f'<p class="msg">{self.clean(finding.message)}</p>',
        ]
        if source is not None:
            parts.append(self.source(source, loc.line))
        if finding.rule_id == OutputMismatch.id and cell in evidence.get("snapshots", {}):
            parts.extend(self.snapshot(item) for item in evidence["snapshots"][cell])
        leak = self.leaks.get((loc.path, loc.cell_index))
        if (
            finding.detail
            and leak is not None
            and not finding.rule_id.startswith(SENSITIVE_PREFIXES)
        ):
            parts.append(note(HIDDEN_DETAIL.format(rule=leak)))
        elif finding.detail:
            parts.append(self.detail(finding))
        parts.append("</article>")
        return "".join(parts)

    def cell_kind(self, cell: Mapping[str, Any] | None) -> str:
        """`` (code cell id c3)`` when the cell's source is in the report."""
        if cell is None:
            return ""
        ident = f" id {cell['id']}" if cell.get("id") else ""
        return f" ({text(str(cell.get('type', 'code')))} cell{self.clean(ident)})"

    def source(self, cell: Mapping[str, Any], line: int | None) -> str:
        """The lines around the finding: numbers in a gutter, the finding's line marked.

        Two ``<pre>`` of plain text (not an element per line), laid side by side by the
        finding's grid; how much of the cell is shown is an attribute the style prints.
        """
        lines: list[str] = cell.get("lines", [])
        if line is not None and 0 < line <= len(lines):
            start, end = max(1, line - SOURCE_CONTEXT), min(len(lines), line + SOURCE_CONTEXT)
        else:
            start, end = 1, min(len(lines), SOURCE_HEAD)
        body = self.clean("\n".join(lines[start - 1 : end])).split("\n")
        # A redacted multi-line value can shorten the excerpt; numbers stay on the top lines.
        numbered = list(zip(range(start, end + 1), body, strict=False))
        gutter = lined([str(n) for n, _ in numbered])
        code = lined([f"<mark>{c}</mark>" if n == line else c for n, c in numbered])
        total = int(cell.get("total", len(lines)))
        shown = f' data-shown="lines {start}–{end} of {total}"' if end < total or start > 1 else ""
        return f'<pre class="ln">{gutter}</pre><pre class="src"{shown}>{code}</pre>'

    def snapshot(self, item: Mapping[str, Any]) -> str:
        key = f"<h4>{self.clean(str(item.get('key', '')))}</h4>"
        if "images" in item:
            figures = "".join(
                self.images.figure(role, item["images"][role])
                for role in ("golden", "fresh", "diff")
                if role in item["images"]
            )
            return f'<div class="snapshot">{key}<div class="images">{figures}</div></div>'
        if "hidden" in item:
            return f'<div class="snapshot">{key}{note(str(item["hidden"]))}</div>'
        sides = [item.get("golden"), item.get("fresh")]
        golden, fresh = (None if s is None else redact_text(s["text"]) for s in sides)
        cut = [s for s in sides if s and s.get("truncated")]
        notes = "".join(note(f"output of {s['truncated']:,} characters cut") for s in cut)
        return f'<div class="snapshot">{key}{side_by_side(golden, fresh)}{notes}</div>'

    def detail(self, finding: Finding) -> str:
        label = "traceback" if finding.rule_id in TRACEBACK_RULES else "details"
        opened = " open" if finding.rule_id in TRACEBACK_RULES else ""
        body = preformatted(redact_text(finding.detail), MAX_DETAIL_LINES, MAX_DETAIL_CHARS)
        return f'<details class="detail"{opened}><summary>{label}</summary>{body}</details>'

    def clean_list(self, paths: Sequence[str]) -> str:
        if not paths:
            return ""
        entries = "".join(f"<li>{self.clean(p)} {self.items_of(p)}</li>" for p in paths)
        return (
            f'<details class="clean" id="clean"><summary>{len(paths)} notebook(s) without '
            f"findings</summary><ul>{entries}</ul></details>"
        )

    def items_of(self, path: str) -> str:
        outcome = self.outcomes.get(path)
        states = sorted(outcome.items.items()) if outcome else []
        return " ".join(
            f'<span class="item {text(s)}">{text(n)}: {text(s)}</span>' for n, s in states
        )

    def rule_docs(self, findings: Iterable[Finding]) -> str:
        seen = {f.rule_id: f.rule_name for f in findings}
        docs = []
        for rule_id, name in sorted(seen.items()):
            doc = ruledoc.rule_doc(rule_id, name)
            docs.append(
                f'<article class="ruledoc" id="rule-{text(rule_id)}"><h3>{text(rule_id)} '
                f"<code>{text(doc.name)}</code></h3>{rule_doc(doc.help_markdown)}</article>"
            )
        return "".join(docs)

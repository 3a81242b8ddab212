"""Linter-style text: ``path:cell N [n]:line: ID [severity] message``, details indented.

A failed item's text starts with a headline (rule, message, cell) that pytest's
``-r`` short summary and ``--tb=line`` show; the body lists every finding with
its detail, tracebacks trimmed as ``--tb`` asks (see :func:`trim_traceback`).
Colour (``--color=yes``) marks the rule id and the severity, as pytest marks
its own words; without it the text is plain.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.reporters.base import ReportData

if TYPE_CHECKING:
    from _pytest._code.code import ReprExceptionInfo

DETAIL_LINES = 60
TB_STYLES = ("auto", "long", "short", "line", "native", "no")
SEVERITY_COLOUR = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
BOLD, RESET = "\x1b[1m", "\x1b[0m"
# IPython traceback frames: the notebook's own cells, then library files.
CELL_FRAME = re.compile(r"^(Cell In\[\d+\]|Input In \[\d+\])")
FILE_FRAME = re.compile(r"^File [^\n]*:\d+, in ")
TRACEBACK_RULE = re.compile(r"^-{20,}$")


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}{RESET}" if colour else text


def format_finding(finding: Finding, colour: bool = False) -> str:
    rule = f"{BOLD}{finding.rule_id}{RESET}" if colour else finding.rule_id
    severity = _paint(f"[{finding.severity}]", SEVERITY_COLOUR[finding.severity], colour)
    return f"{finding.location.describe()}: {rule} {severity} {finding.message}"


def format_detail(detail: str, limit: int = DETAIL_LINES) -> list[str]:
    lines = detail.rstrip("\n").splitlines()
    if len(lines) > limit:
        hidden = len(lines) - limit
        lines = [*lines[:limit], f"... {hidden} more lines (full text in the JSON report)"]
    return [f"    {line}" for line in lines]


def format_findings(
    findings: Iterable[Finding], details: bool = True, style: str = "long", colour: bool = False
) -> str:
    out: list[str] = []
    for finding in findings:
        out.append(format_finding(finding, colour))
        if details and finding.detail:
            detail = trim_traceback(finding.detail, style)
            limit = DETAIL_LINES if style != "long" else max(DETAIL_LINES, detail.count("\n") + 1)
            out.extend(format_detail(detail, limit))
    return "\n".join(out)


def headline(findings: Sequence[Finding], fail_on: Severity) -> str:
    """One line: the first blocking finding's rule, message and cell (``-r``, ``--tb=line``)."""
    ordered = sorted(findings, key=lambda f: (f.severity < fail_on, f.sort_key()))
    if not ordered:
        return "no findings"
    first = ordered[0]
    where = first.location.describe_in_notebook()
    more = f" (+{len(ordered) - 1} more)" if len(ordered) > 1 else ""
    return f"{first.rule_id} {first.message}{f' ({where})' if where else ''}{more}"


def format_failure(
    findings: Iterable[Finding], fail_on: Severity, style: str = "auto", colour: bool = False
) -> str:
    """The body of a failed item: a headline, failing findings first, then the others."""
    ordered = sorted(findings, key=lambda f: (f.severity < fail_on, f.sort_key()))
    first = headline(ordered, fail_on)
    if style == "line" and ordered:
        # pytest's crash-line form: where, then what.
        more = f" (+{len(ordered) - 1} more)" if len(ordered) > 1 else ""
        return f"{format_finding(ordered[0])}{more}"
    blocking = sum(1 for f in ordered if f.severity >= fail_on)
    tail = f"({blocking} finding(s) at or above fail-on={fail_on})"
    body = format_findings(ordered, style=style, colour=colour)
    return f"{first}\n{body}\n{tail}"


def trim_traceback(detail: str, style: str) -> str:
    """An IPython traceback inside ``detail``, trimmed like pytest trims Python ones.

    ``long`` and ``native`` keep every frame. ``auto`` keeps the notebook's cell
    frames and the innermost library frame whole, other library frames as their
    one ``File ...`` line. ``short`` keeps the cell frames and the error line only.
    Text without a traceback is returned as it is.
    """
    lines = detail.splitlines()
    starts = [i for i, line in enumerate(lines) if CELL_FRAME.match(line) or FILE_FRAME.match(line)]
    if style in ("long", "native") or not starts:
        return detail
    head = lines[: starts[0]]
    frames = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    frames[-1], error = _split_error(frames[-1])
    library = [i for i, frame in enumerate(frames) if not CELL_FRAME.match(frame[0])]
    kept: list[str] = list(head)
    for index, frame in enumerate(frames):
        if index not in library or (style == "auto" and index == library[-1]):
            kept.extend(frame)
        elif style == "auto":
            kept.append(frame[0])
    hidden = len(library) - (1 if style == "auto" and library else 0)
    if hidden:
        kept.append(f"({hidden} library frame(s) shortened; --tb=long shows them)")
        kept.append("")
    return "\n".join([*kept, *error])


def _split_error(frame: list[str]) -> tuple[list[str], list[str]]:
    """The last frame's own lines, and the exception lines that close the traceback."""
    for index in range(len(frame) - 1, 0, -1):
        if not frame[index].strip():
            return frame[: index + 1], frame[index + 1 :]
    return frame, []


def summary_lines(data: ReportData, colour: bool = False) -> list[str]:
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
    lines = [format_finding(f, colour) for f in data.findings]
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


def with_headline(text: str, headline: str, path: str, lineno: int) -> ReprExceptionInfo:
    """``text`` as pytest prints a traceback, with ``headline`` as its crash line.

    Not a plain ``str``: pytest's short summary prints a ``str`` failure whole when
    ``CI`` is set or under ``-vv``, so every failure would show twice in a CI log.
    This form survives xdist's report serialisation.
    """
    # Here, not at the top: ``nbgate check`` renders text without loading pytest.
    from _pytest._code.code import ReprExceptionInfo, ReprFileLocation, ReprTracebackNative

    lines = [f"{line}\n" for line in text.splitlines()]
    crash = ReprFileLocation(path, lineno, headline)
    return ReprExceptionInfo(reprtraceback=ReprTracebackNative(lines), reprcrash=crash)


class OneLine(str):
    """A failure as one line for ``--tb=line``: pytest prints its ``reprcrash`` and nothing else.

    Without ``toterminal`` pytest would print the text and then the same text
    again as the crash line.
    """

    @property
    def reprcrash(self) -> str:
        return str(self)

    @property
    def message(self) -> str:
        return str(self)

    def toterminal(self, writer: object) -> None:
        return None

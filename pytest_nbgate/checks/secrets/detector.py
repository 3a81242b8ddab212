"""The base of every SEC/PII rule: declarative detectors over the shared notebook scan.

A detector states *what* it looks for (``label``, literal ``keywords`` for the
prefilter, one ``pattern`` with a ``value`` group) and *what it rejects*
(:meth:`Detector.accepts`, built from the ``is_*`` predicates of
:mod:`pytest_nbgate.checks.filters`). This class owns the scanning, the
output/source scoping, the allowlist, deduplication and redaction, so no
detector can put a raw value in a message.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any, ClassVar

from pytest_nbgate.checks.base import Phase, Rule
from pytest_nbgate.checks.filters import is_allowlisted
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment, Hit, Scan, register_keywords, scan_of
from pytest_nbgate.findings import Finding, Severity, redact
from pytest_nbgate.notebook.model import Notebook

if sys.version_info >= (3, 11):
    from re import _parser as _re_parser
else:  # the same module under its old, since deprecated, name
    import sre_parse as _re_parser

WHERE = {
    "source": "code cell",
    "markdown": "markdown cell",
    "raw": "raw cell",
    "stream": "stream output",
    "text-plain": "text output",
    "html": "HTML output",
    "markdown-output": "markdown output",
    "json": "JSON output",
    "text-other": "text output",
    "traceback": "error traceback",
    "attachment-name": "attachment name",
    "widget-state": "widget state",
}


def where(fragment: Fragment) -> str:
    """Human name of a fragment's place, as messages show it."""
    if fragment.kind == "metadata":
        return "notebook metadata" if fragment.cell is None else "cell metadata"
    return WHERE.get(fragment.kind, fragment.kind)


class Detector(Rule):
    """Abstract: one pattern over the decoded notebook text."""

    label: ClassVar[str] = "secret"
    keywords: ClassVar[tuple[str, ...]] = ()
    """Literal substrings, one of which the document must contain before the regex runs."""
    hint: ClassVar[re.Pattern[str] | None] = None
    """A cheap regex every match contains, for documents no keyword can prefilter."""
    ignore_case: ClassVar[bool] = False
    """Match ``keywords`` against the lower-cased document (keywords are lower-case then)."""
    pattern: ClassVar[re.Pattern[str]]
    value_groups: tuple[str, ...] = ("value",)
    """Named groups of :attr:`pattern` that may hold the value (alternations name one each)."""
    keyword_lines: ClassVar[bool] = False
    """Run :attr:`pattern` only on the lines holding a keyword (every match contains one)."""
    following_lines: ClassVar[int] = 0
    """With :attr:`keyword_lines`, also this many lines after each (a value on the next line)."""
    in_digit_runs: ClassVar[bool] = False
    """Every match lies inside one of :attr:`Scan.digit_runs` (numbers, phones, cards)."""
    not_before: ClassVar[str] = ""
    """Characters that may not precede a match (a lookbehind would slow the regex scan)."""
    match_lower: ClassVar[bool] = False
    """Run a lower-case ``pattern`` over the lower-cased document (values still come raw)."""
    kinds: ClassVar[frozenset[str] | None] = None
    """Fragment kinds this detector reads; ``None`` for all."""
    phase = Phase.OUTPUTS
    severity = Severity.ERROR
    message = "{label} {redacted} in {where}"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register_keywords(cls.keywords, cls.ignore_case)

    def __init__(self, options: Any = None, settings: SecretsSettings | None = None) -> None:
        super().__init__(options)
        self.settings = settings or SecretsSettings()

    @classmethod
    def configured(cls, options: Any, secrets: SecretsSettings) -> Detector:
        return cls(options, secrets)

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        """``False`` rejects a candidate; detectors combine ``is_*`` predicates here."""
        return True

    def fields_of(self, match: re.Match[str]) -> dict[str, Any]:
        """Extra message fields (never the value itself)."""
        return {}

    def redacted(self, value: str) -> str:
        return redact(value)

    def value_span(self, match: re.Match[str]) -> tuple[int, int]:
        """Document offsets of the value: the first of :attr:`value_groups` that matched."""
        for group in self.value_groups:
            if group in match.re.groupindex and match.group(group) is not None:
                return match.span(group)
        return match.span()

    def matches(self, scan: Scan) -> Iterator[re.Match[str]]:
        """Candidate matches over the document; the default runs :attr:`pattern` once."""
        if self.match_lower and len(scan.lower) == len(scan.document):
            text = scan.lower
        elif self.match_lower:
            yield from _ignorecase(self.pattern).finditer(scan.document)
            return
        else:
            text = scan.document
        found = self._in_runs(scan) if self.in_digit_runs else self._finditer(text)
        for match in found:
            start = match.start()
            if start == 0 or text[start - 1] not in self.not_before:
                yield match

    def prefilter(self, scan: Scan) -> bool:
        if self.keywords and not scan.contains_any(self.keywords, self.ignore_case):
            return False
        return self.hint is None or self.hint.search(scan.document) is not None

    def _in_runs(self, scan: Scan) -> Iterator[re.Match[str]]:
        document = scan.document
        finditer = self.pattern.finditer
        for start, end in scan.digit_runs_at_least(_min_width(self.pattern)):
            yield from finditer(document, start, end)

    def _finditer(self, text: str) -> Iterator[re.Match[str]]:
        spans = None
        if self.keyword_lines:
            lowered = text.lower() if self.ignore_case and not self.match_lower else text
            spans = keyword_line_spans(lowered, self.keywords, following=self.following_lines)
            if len(lowered) != len(text):
                spans = None
        if spans is None:
            yield from self.pattern.finditer(text)
            return
        for start, end in spans:
            yield from self.pattern.finditer(text, start, end)

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        scan = scan_of(notebook)
        sources, outputs = self.settings.scope(self.id, self.name)
        seen: set[tuple[int | None, int | None, str]] = set()
        for value, hit, match in self.candidates(scan):
            if not (outputs if hit.fragment.in_output else sources):
                continue
            finding = self.report(
                notebook, hit, value, seen, label=self.label, **self.fields_of(match)
            )
            if finding is not None:
                yield finding

    def collect(self, scan: Scan) -> None:
        """Record this detector's values in :attr:`Scan.found` (the check did not run)."""
        for _ in self.candidates(scan):
            pass

    def candidates(self, scan: Scan) -> Iterator[tuple[str, Hit, re.Match[str]]]:
        """Accepted values with their place, each also recorded in :attr:`Scan.found`."""
        scan.searched.add(self.id)
        if not scan.document or not self.prefilter(scan):
            return
        settings = self.settings
        document = scan.document
        for match in self.matches(scan):
            start, end = self.value_span(match)
            value = document[start:end]
            if start < 0 or not value:
                continue
            hit = scan.locate(start)
            fragment = hit.fragment
            if self.kinds is not None and fragment.kind not in self.kinds:
                continue
            if not self.accepts(value, match, fragment, settings) or is_allowlisted(
                value, settings.allowlist
            ):
                continue
            scan.found.add(value)
            yield value, hit, match

    def report(
        self,
        notebook: Notebook,
        hit: Hit,
        value: str,
        seen: set[tuple[int | None, int | None, str]],
        **fields: Any,
    ) -> Finding | None:
        """The finding for ``value`` at ``hit``, or ``None`` when that place already has it."""
        fragment = hit.fragment
        cell_index = None if fragment.cell is None else fragment.cell.index
        key = (cell_index, fragment.output_index, value)
        if key in seen:
            return None
        seen.add(key)
        return self.at(
            notebook,
            fragment.cell,
            line=hit.line,
            output_index=fragment.output_index,
            evidence=value,
            redacted=self.redacted(value),
            where=where(fragment),
            **fields,
        )


@cache
def _min_width(pattern: re.Pattern[str]) -> int:
    """The fewest characters a match consumes: shorter digit runs cannot hold one."""
    try:
        return int(_re_parser.parse(pattern.pattern, pattern.flags).getwidth()[0])
    except (AttributeError, TypeError, ValueError, re.error):  # a private API: be defensive
        return 0


def keyword_line_spans(
    text: str, keywords: tuple[str, ...], limit: int = 256, following: int = 0
) -> list[tuple[int, int]] | None:
    """Sorted ``(start, end)`` of the lines holding a keyword; ``None`` past ``limit`` hits.

    ``following`` extends each span over that many more lines.
    """
    spans: set[tuple[int, int]] = set()
    for keyword in keywords:
        position = text.find(keyword)
        while position >= 0:
            start = text.rfind("\n", 0, position) + 1
            line_end = end = text.find("\n", position)
            for _ in range(following):
                end = text.find("\n", end + 1) if end >= 0 else end
            end = len(text) if end < 0 else end
            spans.add((start, end))
            if len(spans) > limit:
                return None
            # From the keyword's own line: a keyword in the following lines starts a span too.
            position = -1 if line_end < 0 else text.find(keyword, line_end)
    return sorted(spans)


@cache
def _ignorecase(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern, pattern.flags | re.IGNORECASE)

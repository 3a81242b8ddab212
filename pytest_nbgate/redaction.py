"""The one outbound redactor: every string the gate lets out passes through it.

Findings of any rule can quote what a notebook holds or printed: a shell line
with a token in its URL, an undefined name that is a pasted token, a
traceback, a snapshot diff. A :class:`Redactor` is made per notebook and
knows every value a SEC/PII detector accepted in it (stored outputs and, after
execution, fresh ones). It replaces those values, and any 16-character piece
of one, and it re-scans the text itself with every detector, so a value no
check saw (a rule was not selected, the text came from a kernel) is caught
too. The gate sends every finding through it; other code that renders text
calls :func:`redact_text` (stateless) or a notebook's :class:`Redactor`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from pytest_nbgate import registry
from pytest_nbgate.checks.filters import is_allowlisted
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.plugins import DetectSecretsPlugin
from pytest_nbgate.checks.secrets.scan import Fragment, Scan, scan_of
from pytest_nbgate.findings import Finding, redact
from pytest_nbgate.notebook.model import Notebook

WINDOW = 16
"""A known value's pieces this long are redacted wherever they appear (a name cut from a JWT)."""
MIN_KNOWN = 6
"""Shorter known values are left to the re-scan: replacing them everywhere would mangle text."""
CACHE_LIMIT = 4096
_TEXT_KIND = "stream"
"""Free text is scanned as printed output: the most permissive place (bare tokens count)."""

Span = tuple[int, int, str]


@cache
def detectors(settings: SecretsSettings) -> tuple[Detector, ...]:
    """Every SEC/PII detector of the registry, set up with ``settings``."""
    return tuple(
        rule.configured(None, settings) for rule in registry.RULES if issubclass(rule, Detector)
    )


@dataclass(frozen=True)
class TextScanner:
    """Finds what the detectors recognise in raw text; remembers recent answers."""

    settings: SecretsSettings = field(default_factory=SecretsSettings)
    _cache: dict[str, tuple[Span, ...]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def detectors(self) -> tuple[Detector, ...]:
        return detectors(self.settings)

    def spans(self, text: str) -> tuple[Span, ...]:
        """``(start, end, replacement)`` of every detected value in ``text``."""
        found = self._cache.get(text)
        if found is None:
            found = tuple(self._scan(text))
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[text] = found
        return found

    def _scan(self, text: str) -> Iterable[Span]:
        fragment = Fragment(_TEXT_KIND, None, text)
        scan = Scan((fragment,))
        allowlist = self.settings.allowlist
        for detector in self.detectors:
            # detect-secrets' plugins report no span; our detectors cover their formats.
            if isinstance(detector, DetectSecretsPlugin) or not detector.prefilter(scan):
                continue
            for match in detector.matches(scan):
                start, end = detector.value_span(match)
                value = text[start:end]
                if not value or start < 0:
                    continue
                if detector.accepts(value, match, fragment, self.settings) and not (
                    is_allowlisted(value, allowlist)
                ):
                    yield start, end, detector.redacted(value)


@dataclass
class Redactor:
    """Redacts text and findings for one notebook: its known values, then a re-scan."""

    scanner: TextScanner = field(default_factory=TextScanner)
    known: frozenset[str] = frozenset()
    _windows: frozenset[str] = field(init=False, repr=False)
    _whole: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        values = [value for value in self.known if len(value.strip()) >= MIN_KNOWN]
        self._whole = tuple(sorted(values, key=len, reverse=True))
        self._windows = frozenset(
            value[i : i + WINDOW]
            for value in values
            if len(value) > WINDOW
            for i in range(len(value) - WINDOW + 1)
        )

    @classmethod
    def for_notebooks(cls, scanner: TextScanner, notebooks: Iterable[Notebook | None]) -> Redactor:
        """A redactor knowing every value detected in ``notebooks`` (stored, then executed)."""
        known: set[str] = set()
        for notebook in notebooks:
            if notebook is None:
                continue
            scan = scan_of(notebook)
            for detector in scanner.detectors:
                if detector.id not in scan.searched:
                    detector.collect(scan)
            known.update(scan.found)
        return cls(scanner, frozenset(known))

    def text(self, text: str) -> str:
        """``text`` with every known or detected secret and personal datum redacted."""
        if not text or text.isspace():
            return text
        spans = [*self._known_spans(text), *self.scanner.spans(text)]
        return apply(text, spans) if spans else text

    def finding(self, finding: Finding) -> Finding:
        message, detail = self.text(finding.message), self.text(finding.detail)
        if message == finding.message and detail == finding.detail:
            return finding
        return replace(finding, message=message, detail=detail)

    def findings(self, findings: Iterable[Finding]) -> list[Finding]:
        return [self.finding(finding) for finding in findings]

    def _known_spans(self, text: str) -> Iterable[Span]:
        for value in self._whole:
            position = text.find(value)
            while position >= 0:
                yield position, position + len(value), redact(value)
                position = text.find(value, position + len(value))
        if self._windows and len(text) >= WINDOW:
            yield from self._window_spans(text)

    def _window_spans(self, text: str) -> Iterable[Span]:
        windows = self._windows
        start = end = -1
        for i in range(len(text) - WINDOW + 1):
            if text[i : i + WINDOW] not in windows:
                continue
            if i > end:
                if end > start:
                    yield start, end, redact(text[start:end])
                start = i
            end = i + WINDOW
        if end > start:
            yield start, end, redact(text[start:end])


def apply(text: str, spans: Iterable[Span]) -> str:
    """Replace the spans; overlapping ones merge into one redacted region."""
    merged: list[Span] = []
    for start, end, replacement in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            first, last, _ = merged[-1]
            if end > last:
                merged[-1] = (first, end, redact(text[first:end]))
            continue
        merged.append((start, end, replacement))
    for start, end, replacement in reversed(merged):
        text = text[:start] + replacement + text[end:]
    return text


def redact_text(text: str, settings: SecretsSettings | None = None) -> str:
    """``text`` with every secret or personal datum a detector recognises redacted (stateless)."""
    return Redactor(TextScanner(settings or SecretsSettings())).text(text)

"""Redact free text (tracebacks, diffs, cell excerpts) with the sensitive-data detectors.

Findings of other rules quote what the notebook printed: a traceback can hold
the token a failing request used, an output diff the e-mail a DataFrame
showed. Before such text leaves the engine, every value a SEC/PII detector
recognises in it is replaced by that detector's redacted form.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pytest_nbgate import registry
from pytest_nbgate.checks.filters import is_allowlisted
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.plugins import DetectSecretsPlugin
from pytest_nbgate.checks.secrets.scan import scan_of
from pytest_nbgate.checks.secrets.settings import current
from pytest_nbgate.notebook.model import Cell, Notebook

_PLACE = Path("<text>")


@cache
def _detectors() -> tuple[Detector, ...]:
    # detect-secrets' plugins report no span of their own, and ours cover their formats.
    return tuple(
        rule()
        for rule in registry.RULES
        if issubclass(rule, Detector) and not issubclass(rule, DetectSecretsPlugin)
    )


def redact_text(text: str) -> str:
    """``text`` with every detected secret or personal datum replaced by its redacted form."""
    if not text.strip():
        return text
    cell = Cell(index=0, cell_type="code", source=text)
    notebook = Notebook(path=_PLACE, relpath=str(_PLACE), cells=(cell,))
    scan = scan_of(notebook)
    if scan.document != text:
        return text
    settings = current()
    spans: list[tuple[int, int, str]] = []
    for detector in _detectors():
        if not detector.prefilter(scan):
            continue
        for match in detector.matches(scan):
            start, end = detector.value_span(match)
            value = text[start:end]
            fragment = scan.locate(start).fragment
            accepted = value and detector.accepts(value, match, fragment, settings)
            if accepted and not is_allowlisted(value, settings.allowlist):
                spans.append((start, end, detector.redacted(value)))
    return _apply(text, spans)


def _apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace non-overlapping spans, the longest first where two overlap."""
    chosen: list[tuple[int, int, str]] = []
    for start, end, replacement in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, replacement))
    for start, end, replacement in reversed(chosen):
        text = text[:start] + replacement + text[end:]
    return text

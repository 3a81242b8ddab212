"""What every reporter receives: the session's findings and per-notebook outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pytest_nbgate.findings import Finding, Severity


@dataclass(frozen=True)
class NotebookOutcome:
    """One notebook: each item that ran (``lint``, ``execute``, ``pylint``) and its outcome."""

    path: str
    items: Mapping[str, str]
    """Item name -> ``passed``, ``failed`` or ``skipped``."""
    duration: float = 0.0
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Per-notebook data other features add (``coverage``: cell coverage figures;
    ``html.<item>``: what the HTML report shows, see :mod:`.html_evidence`)."""


@dataclass(frozen=True)
class ReportData:
    """Everything a reporter may show; findings already filtered and sorted."""

    tool_version: str
    root: str
    fail_on: Severity
    findings: tuple[Finding, ...]
    notebooks: tuple[NotebookOutcome, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Session-level data other features add (``coverage`` totals, ``unused_goldens``)."""
    profile: str = ""
    """The profile's name, for reports that show how the run was configured."""

    def failing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity >= self.fail_on)

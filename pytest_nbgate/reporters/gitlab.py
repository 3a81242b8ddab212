"""GitLab Code Quality JSON for the merge-request widget (``--nbgate-report gitlab:PATH``).

A JSON array of issues with the fields GitLab documents as required
(``description``, ``check_name``, ``fingerprint``, ``severity``,
``location.path``, ``location.lines.begin``). GitLab compares the
fingerprints of the source and target branches to tell new issues from
resolved ones, so the fingerprint is the finding's (no line numbers).

Severity mapping (GitLab's scale is info < minor < major < critical <
blocker): error -> ``critical`` (it fails the gate), warning -> ``minor``,
info -> ``info``. ``blocker`` is left to GitLab's own scanners.
"""

from __future__ import annotations

import json
from typing import Any

from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.reporters.base import ReportData
from pytest_nbgate.ruledoc import file_line, where

SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def issue(finding: Finding) -> dict[str, Any]:
    """One Code Quality issue."""
    loc = finding.location
    return {
        "description": f"{finding.rule_id} {finding.message} ({where(loc)})",
        "check_name": finding.rule_id,
        "fingerprint": finding.fingerprint,
        "severity": SEVERITY[finding.severity],
        "location": {"path": loc.path, "lines": {"begin": file_line(loc)}},
    }


def render(data: ReportData) -> str:
    """Code Quality JSON text; findings sharing a fingerprint appear once (GitLab keys on it)."""
    seen: set[str] = set()
    issues = []
    for finding in data.findings:
        if finding.fingerprint not in seen:
            seen.add(finding.fingerprint)
            issues.append(issue(finding))
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"

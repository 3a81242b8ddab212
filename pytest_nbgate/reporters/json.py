"""The JSON report: the stable contract for other tools (``schemas/report.schema.json``).

Deterministic: no timings, notebooks and findings sorted, so a run with
``-n 2`` writes the same bytes as a single process.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from pytest_nbgate.findings import Finding
from pytest_nbgate.reporters.base import ReportData

SCHEMA_VERSION = 1
FINDING_KEYS = (
    "rule_id",
    "rule_name",
    "severity",
    "path",
    "cell_index",
    "cell_id",
    "line",
    "column",
    "output_index",
    "file_line",
    "message",
    "detail",
    "fingerprint",
)


def finding_dict(finding: Finding) -> dict[str, Any]:
    data = finding.to_dict()
    return {key: data[key] for key in FINDING_KEYS}


def summary(findings: list[dict[str, Any]], notebooks: int, fail_on: str) -> dict[str, Any]:
    """The ``summary`` object, from finding dicts (also used after merging shards)."""
    order = ("info", "warning", "error")
    severities = Counter(f["severity"] for f in findings)
    failing = sum(1 for f in findings if order.index(f["severity"]) >= order.index(fail_on))
    return {
        "notebooks": notebooks,
        "findings": len(findings),
        "failing": failing,
        "by_severity": {key: severities.get(key, 0) for key in ("error", "warning", "info")},
    }


def build(data: ReportData) -> dict[str, Any]:
    findings = [finding_dict(f) for f in sorted(data.findings, key=Finding.sort_key)]
    notebooks = []
    for outcome in sorted(data.notebooks, key=lambda n: n.path):
        entry: dict[str, Any] = {"path": outcome.path, "items": dict(sorted(outcome.items.items()))}
        # ``html.*`` extras are the HTML report's evidence (sources, outputs), not the contract.
        entry.update((k, v) for k, v in outcome.extra.items() if not k.startswith("html."))
        notebooks.append(entry)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "pytest-nbgate", "version": data.tool_version},
        "fail_on": str(data.fail_on),
        "summary": summary(findings, len(data.notebooks), str(data.fail_on)),
        "notebooks": notebooks,
        "findings": findings,
        **({"extra": dict(data.extra)} if data.extra else {}),
    }


def render(data: ReportData) -> str:
    return json.dumps(build(data), indent=2, sort_keys=False, ensure_ascii=False) + "\n"

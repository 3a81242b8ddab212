"""SARIF 2.1.0 for GitHub code scanning (``--nbgate-report sarif:PATH``).

One run, tool ``nbgate``; one ``reportingDescriptor`` per rule that has a
finding, with the rule's docstring as help. Results point at the finding's
line in the raw ``.ipynb`` text through a repo-relative URI under
``%SRCROOT%``, and carry the finding's fingerprint (rule, file, cell id,
evidence; no line numbers) as partial fingerprints, so moving a cell keeps
the same alert.

Severity mapping (SARIF ``level``): error -> ``error``, warning ->
``warning``, info -> ``note``. Secret and personal-data rules (SEC, PII) also
carry ``security-severity`` so code scanning files them as security alerts.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.reporters.base import ReportData
from pytest_nbgate.ruledoc import RuleDoc, file_line, rule_doc, where

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "nbgate"
INFORMATION_URI = "https://pypi.org/project/pytest-nbgate/"
FINGERPRINT_KEY = "nbgateFingerprint/v1"
SRCROOT = "%SRCROOT%"

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}
"""GitHub reads ``security-severity`` (0.0-10.0): 7.0+ is "high", 4.0+ "medium"."""


def artifact_uri(path: str) -> str:
    """A relative URI reference for a repo-relative ``/`` path."""
    return quote(path, safe="/")


def _descriptor(doc: RuleDoc, severity: Severity) -> dict[str, Any]:
    default = doc.default_severity or severity
    tags = ["notebook", "security"] if doc.is_security else ["notebook"]
    properties: dict[str, Any] = {"tags": tags}
    if doc.is_security:
        properties["security-severity"] = SECURITY_SEVERITY[default]
    return {
        "id": doc.id,
        "name": doc.name,
        "shortDescription": {"text": doc.summary},
        "fullDescription": {"text": doc.summary},
        "help": {"text": doc.help_text, "markdown": doc.help_markdown},
        "defaultConfiguration": {"level": LEVEL[default]},
        "properties": properties,
    }


def rules_for(findings: tuple[Finding, ...]) -> list[dict[str, Any]]:
    """Descriptors of the rules that have findings, sorted by id."""
    first: dict[str, Finding] = {}
    for finding in findings:
        first.setdefault(finding.rule_id, finding)
    return [
        _descriptor(rule_doc(rule_id, f.rule_name), f.severity)
        for rule_id, f in sorted(first.items())
    ]


def _cell_properties(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    values = {
        "cellIndex": loc.cell_index,
        "cellId": loc.cell_id,
        "cellLine": loc.line,
        "outputIndex": loc.output_index,
    }
    return {key: value for key, value in values.items() if value is not None}


def result(finding: Finding, rule_index: int) -> dict[str, Any]:
    """One SARIF result; the fingerprint is also the ``primaryLocationLineHash``.

    github/codeql-action's upload-sarif computes ``primaryLocationLineHash``
    from the text around the line only when the result has none; that hash
    changes when a cell moves, ours does not.
    """
    loc = finding.location
    physical = {
        "artifactLocation": {"uri": artifact_uri(loc.path), "uriBaseId": SRCROOT},
        "region": {"startLine": file_line(loc)},
    }
    entry: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": f"{finding.message} ({where(loc)})"},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {
            FINGERPRINT_KEY: finding.fingerprint,
            "primaryLocationLineHash": finding.fingerprint,
        },
    }
    properties = _cell_properties(finding)
    if properties:
        entry["properties"] = properties
    return entry


def build(data: ReportData) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    rules = rules_for(data.findings)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    driver = {
        "name": TOOL_NAME,
        "version": data.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": rules,
    }
    run = {
        "tool": {"driver": driver},
        "results": [result(f, index[f.rule_id]) for f in data.findings],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def dumps(log: dict[str, Any]) -> str:
    """Stable text for a SARIF log (also used by :mod:`.merge` callers)."""
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render(data: ReportData) -> str:
    """SARIF 2.1.0 text for ``data``."""
    return dumps(build(data))

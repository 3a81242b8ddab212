"""Hand-built report data shared by the reporter tests, and the vendored schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from pytest_nbgate.findings import Finding, Location, Severity, evidence_hash
from pytest_nbgate.reporters.base import NotebookOutcome, ReportData

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def finding(
    rule_id: str,
    name: str,
    severity: Severity,
    path: str,
    message: str,
    *,
    cell: int | None = None,
    cell_id: str | None = None,
    line: int | None = None,
    output: int | None = None,
    file_line: int | None = None,
    evidence: str = "",
) -> Finding:
    location = Location(
        path=path,
        cell_index=cell,
        cell_id=cell_id,
        line=line,
        output_index=output,
        file_line=file_line,
    )
    return Finding(rule_id, name, severity, location, message, evidence)


RAISED = finding(
    "NB301",
    "cell-raised",
    Severity.ERROR,
    "notebooks/etl.ipynb",
    "ZeroDivisionError: division by zero",
    cell=2,
    cell_id="c2",
    line=3,
    file_line=41,
)
LONG = finding(
    "NB101",
    "cell-too-long",
    Severity.WARNING,
    "notebooks/etl.ipynb",
    "Cell has 88 non-blank lines (max 40)",
    cell=4,
    cell_id="c4",
    line=1,
    file_line=77,
)
PYLINT = finding(
    "PLW0611",
    "unused-import",
    Severity.WARNING,
    "notebooks/plot, v2.ipynb",
    "Unused import os",
    cell=0,
    cell_id="c0",
    line=1,
    file_line=12,
)
KEY = finding(
    "SEC101",
    "aws-access-key",
    Severity.ERROR,
    "notebooks/etl.ipynb",
    "AWS access key AK…2D in output",
    cell=5,
    cell_id="c5",
    output=0,
    file_line=120,
    evidence=evidence_hash("example-evidence"),
)
NOTEBOOK_LEVEL = finding(
    "NB003",
    "unsupported-nbformat",
    Severity.INFO,
    "old.ipynb",
    "nbformat 3: 50% of tools\nrefuse it",
)

FINDINGS = (RAISED, LONG, PYLINT, KEY, NOTEBOOK_LEVEL)


def report(findings: tuple[Finding, ...] = FINDINGS) -> ReportData:
    return ReportData(
        tool_version="0.1.0",
        root="/repo",
        fail_on=Severity.ERROR,
        findings=findings,
        notebooks=(
            NotebookOutcome("notebooks/etl.ipynb", {"lint": "passed", "execute": "failed"}, 2.25),
            NotebookOutcome("old.ipynb", {"lint": "passed"}, 0.5),
        ),
    )


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return loaded


def validate(instance: Any, schema_name: str) -> None:
    """Validate with the schema's own draft and format checks; raise on the first error."""
    document = schema(schema_name)
    validator_class = jsonschema.validators.validator_for(document)
    validator_class.check_schema(document)
    validator = validator_class(document, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if errors:
        raise AssertionError("\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors))

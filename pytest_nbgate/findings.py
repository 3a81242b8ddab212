"""The one record that flows from rules to reporters.

A :class:`Finding` is immutable and never holds a raw secret: rules pass the
sensitive evidence only as a hash (for the fingerprint) and put a redacted
form in the message.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    """Ordered so that ``fail-on`` can compare: info < warning < error."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            names = ", ".join(member.name.lower() for member in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {names})") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Location:
    """Where a finding is: ``line`` is inside the cell, ``file_line`` in the raw ``.ipynb``."""

    path: str
    cell_index: int | None = None
    cell_id: str | None = None
    line: int | None = None
    column: int | None = None
    output_index: int | None = None
    file_line: int | None = None
    execution_count: int | None = field(default=None, compare=False)
    """The cell's ``[n]`` where it has one, so it can be found in Jupyter; not identity."""

    def describe(self) -> str:
        """``path:cell N [n]:line`` as the terminal shows it.

        ``cell N`` counts every cell (markdown and raw too) from 0, as nbformat
        stores them; ``[n]`` is the execution count Jupyter shows beside it.
        """
        inside = self.describe_in_notebook()
        return f"{self.path}:{inside}" if inside else self.path

    def describe_in_notebook(self) -> str:
        """``cell N [n]:line`` (or ``:output K``), empty for a notebook-level finding."""
        if self.cell_index is None:
            return ""
        parts = [f"cell {self.cell_index}"]
        if self.execution_count is not None:
            parts[0] += f" [{self.execution_count}]"
        if self.output_index is not None:
            parts.append(f"output {self.output_index}")
        elif self.line is not None:
            parts.append(str(self.line))
        return ":".join(parts)


def evidence_hash(evidence: str) -> str:
    """A stable digest of what a rule saw; the only form evidence is kept in."""
    return hashlib.sha256(evidence.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Finding:
    """One problem found in one notebook."""

    rule_id: str
    rule_name: str
    severity: Severity
    location: Location
    message: str
    evidence: str = field(default="", repr=False)
    """sha256 of the normalised evidence (see :func:`evidence_hash`), never the raw value."""
    detail: str = field(default="", compare=False, repr=False)
    """Long free text (a traceback, a diff) shown under the message; already redacted."""

    @property
    def fingerprint(self) -> str:
        """Identity across edits and runs: rule, file, cell id, output and the evidence key.

        Never line numbers (a cell edited above keeps its findings) and never
        the message text (a measurement in it, ``87 lines``, changes with every
        edit; its wording changes between versions). The evidence key is what
        the rule measured: the hashed secret, the name read before it is bound.
        """
        loc = self.location
        cell = loc.cell_id or ("" if loc.cell_index is None else f"#{loc.cell_index}")
        where = "" if loc.output_index is None else f"out{loc.output_index}"
        basis = "\x1f".join((self.rule_id, loc.path, cell, where, self.evidence))
        return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def with_severity(self, severity: Severity) -> Finding:
        return Finding(
            self.rule_id,
            self.rule_name,
            severity,
            self.location,
            self.message,
            self.evidence,
            self.detail,
        )

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "rule_id": self.rule_id,
            "rule_name": self.rule_name,
            "severity": str(self.severity),
            "path": loc.path,
            "cell_index": loc.cell_index,
            "cell_id": loc.cell_id,
            "line": loc.line,
            "column": loc.column,
            "output_index": loc.output_index,
            "file_line": loc.file_line,
            "execution_count": loc.execution_count,
            "message": self.message,
            "detail": self.detail,
            "evidence": self.evidence,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        location = Location(
            path=data["path"],
            cell_index=data.get("cell_index"),
            cell_id=data.get("cell_id"),
            line=data.get("line"),
            column=data.get("column"),
            output_index=data.get("output_index"),
            file_line=data.get("file_line"),
            execution_count=data.get("execution_count"),
        )
        return cls(
            rule_id=data["rule_id"],
            rule_name=data["rule_name"],
            severity=Severity.parse(data["severity"]),
            location=location,
            message=data["message"],
            evidence=data.get("evidence", ""),
            detail=data.get("detail", ""),
        )

    def sort_key(self) -> tuple[str, int, int, int, str]:
        loc = self.location
        return (
            loc.path,
            -1 if loc.cell_index is None else loc.cell_index,
            -1 if loc.output_index is None else loc.output_index,
            loc.line or 0,
            self.rule_id,
        )


def redact(value: str, keep: int = 2) -> str:
    """``AKIA…7Q2D``-style redaction: short values keep nothing."""
    value = value.strip()
    if len(value) <= keep * 4:
        return "*" * min(len(value), 8) or "***"
    return f"{value[:keep]}…{value[-keep:]}"


def redact_email(value: str) -> str:
    """``j***@d***``: first letter of the local part and of the domain."""
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"

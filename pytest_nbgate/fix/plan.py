"""What ``nbgate fix`` would change in one notebook, decided from the gate's own findings.

A fix repairs a finding, so the plan is read off the findings the profile's
rules produced (after selection, per-file ignores and suppressions): a cell
is stripped because NB120 reported it, a metadata key goes because NB121 named
it. What no rule reports is never touched, and a profile decides where by
deciding what it reports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pytest_nbgate.checks.output_policy import OutputsNotStripped, VolatileMetadata
from pytest_nbgate.checks.structure.hygiene import EmptyCell
from pytest_nbgate.checks.validity import SchemaViolation
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.ruleset import RuleSet

LEAK_PREFIXES = ("SEC", "PII")
ID_UNEXPECTED = "'id' was unexpected"
"""NB002's message for a cell id in a notebook whose nbformat minor predates ids (4.5)."""
IDS_MINOR = 5

FIXABLE: dict[str, str] = {
    OutputsNotStripped.id: "strips the cell's outputs and execution count",
    VolatileMetadata.id: "removes the volatile metadata keys",
    EmptyCell.id: "removes blank code cells at the end of the notebook",
    SchemaViolation.id: "raises nbformat_minor to 5 when every cell has an id",
    "SEC": "redacts the value in stored outputs (never in code)",
    "PII": "redacts the value in stored outputs (never in code)",
}
"""Rule id (or family prefix) -> what ``nbgate fix`` does about its findings."""


def fix_note(rule_id: str) -> str | None:
    """What ``nbgate fix`` does about ``rule_id``'s findings (``None``: it leaves them)."""
    best = max((key for key in FIXABLE if rule_id.startswith(key)), key=len, default=None)
    return None if best is None else FIXABLE[best]


MANUAL = "not fixed: a secret or personal datum in code must be rotated and removed by a person"


@dataclass
class Plan:
    """The edits for one notebook, and the findings each group of edits repairs."""

    strip: set[int] = field(default_factory=set)
    redact: dict[int, set[int]] = field(default_factory=dict)
    """Cell index -> output indices whose text is redacted."""
    notebook_keys: list[str] = field(default_factory=list)
    cell_keys: dict[int, list[str]] = field(default_factory=dict)
    drop_from: int | None = None
    """Index of the first of the trailing blank cells removed."""
    minor: int | None = None
    repairs: list[Finding] = field(default_factory=list)
    manual: list[Finding] = field(default_factory=list)
    """Leaks in code: reported, never rewritten."""

    @property
    def empty(self) -> bool:
        return not self.repairs


def plan(notebook: Notebook, findings: Iterable[Finding], ruleset: RuleSet) -> Plan:
    """The plan that repairs what can be repaired safely among ``findings``."""
    found = list(findings)
    result = Plan()
    result.drop_from = _trailing_blank(notebook, found)
    for finding in found:
        cell = finding.location.cell_index
        if cell is not None and result.drop_from is not None and cell >= result.drop_from:
            # The cell goes; whatever else was found in it goes with it.
            result.repairs.append(finding)
        elif _planned(notebook, finding, ruleset, result):
            result.repairs.append(finding)
    return result


def _planned(notebook: Notebook, finding: Finding, ruleset: RuleSet, result: Plan) -> bool:
    cell = finding.location.cell_index
    rule_id = finding.rule_id
    if rule_id == OutputsNotStripped.id and cell is not None:
        result.strip.add(cell)
        return True
    if rule_id == VolatileMetadata.id:
        return _volatile(notebook, cell, _rule(ruleset, VolatileMetadata), result)
    if rule_id == SchemaViolation.id and ID_UNEXPECTED in finding.message:
        if notebook.nbformat_minor < IDS_MINOR and _all_have_ids(notebook):
            result.minor = IDS_MINOR
            return True
        return False
    if rule_id.startswith(LEAK_PREFIXES) and cell is not None:
        if finding.location.output_index is None:
            result.manual.append(finding)
            return False
        result.redact.setdefault(cell, set()).add(finding.location.output_index)
        return True
    return False


def _volatile(notebook: Notebook, cell: int | None, rule: VolatileMetadata, result: Plan) -> bool:
    if cell is None:
        keys = [k for k in rule.options.notebook_keys if k in notebook.metadata]
        result.notebook_keys = keys
    else:
        keys = rule.cell_keys(notebook.cells[cell])
        result.cell_keys[cell] = keys
    return bool(keys)


def _rule(ruleset: RuleSet, kind: type[VolatileMetadata]) -> VolatileMetadata:
    chosen = next((rule for rule in ruleset.rules if isinstance(rule, kind)), None)
    return chosen if chosen is not None else kind()


def _all_have_ids(notebook: Notebook) -> bool:
    return all(cell.id for cell in notebook.cells)


def _trailing_blank(notebook: Notebook, findings: Sequence[Finding]) -> int | None:
    """The first of the blank cells NB106 reported that end the notebook, if any."""
    empty = {f.location.cell_index for f in findings if f.rule_id == EmptyCell.id}
    first = None
    for cell in reversed(notebook.cells):
        if cell.index not in empty:
            break
        first = cell.index
    return first

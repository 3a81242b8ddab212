"""What every rule is made of.

A rule is a small class: ``id``, kebab-case ``name``, default ``severity``,
a ``message`` template stating the measurement, an ``Options`` dataclass and
a docstring in fixed sections (What it does / Why is this bad? / Example /
Use instead / Options). Static rules implement :meth:`Rule.check`; rules
whose findings come from execution, snapshots or coverage are *reported*
rules: they only describe the finding and build it through :meth:`Rule.at`.

Rules never filter by selection, severity override or suppression comment:
the engine (:mod:`pytest_nbgate.ruleset`) does that once for every rule.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from pytest_nbgate.findings import Finding, Location, Severity, evidence_hash
from pytest_nbgate.notebook.model import Cell, Notebook

if TYPE_CHECKING:
    from pytest_nbgate.checks.secrets.options import SecretsSettings


class Phase(enum.Enum):
    """When a rule looks at a notebook."""

    STATIC = "static"
    """On the file as committed (the ``::lint`` item)."""
    OUTPUTS = "outputs"
    """On the file's stored outputs *and* again on fresh outputs after execution."""
    REPORTED = "reported"
    """Never run by the engine; its findings come from execution, snapshots, pylint or coverage."""


@dataclasses.dataclass(frozen=True)
class NoOptions:
    """The rule has no options."""


class Rule:
    """Base class of every rule; subclasses set the class attributes."""

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    message: ClassVar[str] = "{text}"
    phase: ClassVar[Phase] = Phase.STATIC
    Options: ClassVar[type[Any]] = NoOptions
    default_enabled: ClassVar[bool] = True
    """Off-by-default rules run only when a ``select`` entry names them (or their prefix)."""
    evidence_fields: ClassVar[tuple[str, ...]] = ()
    """The :attr:`message` fields naming what the finding is about (a name, a command).

    With the rule, file, cell and output they make the finding's fingerprint, so
    two findings of one rule in one cell stay two. Measurements (``{lines}``)
    never belong here: the fingerprint must survive the cell growing a line.
    """

    def __init__(self, options: Any = None) -> None:
        self.options = options if options is not None else self.Options()

    @classmethod
    def configured(cls, options: Any, secrets: SecretsSettings) -> Rule:
        """The rule as a profile sets it up; sensitive-data detectors also take ``secrets``."""
        return cls(options)

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        """Yield this rule's findings on ``notebook``; reported rules yield nothing."""
        return iter(())

    @classmethod
    def summary(cls) -> str:
        """First line of the docstring, for rule tables."""
        doc = (cls.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else cls.name

    @classmethod
    def at(
        cls,
        notebook: Notebook,
        cell: Cell | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        output_index: int | None = None,
        evidence: str = "",
        detail: str = "",
        **fields: Any,
    ) -> Finding:
        """Build a finding at a cell (and line or output), formatting :attr:`message`.

        ``evidence`` is hashed here and never stored; pass the raw value only.
        Without it the evidence is the rule's :attr:`evidence_fields` of ``fields``.
        """
        cell_index = None if cell is None else cell.index
        location = Location(
            path=notebook.relpath,
            cell_index=cell_index,
            cell_id=None if cell is None else cell.id,
            line=line,
            column=column,
            output_index=output_index,
            file_line=notebook.file_line(cell_index, line, output_index) if cell else 1,
            execution_count=None if cell is None else cell.execution_count,
        )
        return Finding(
            rule_id=cls.id,
            rule_name=cls.name,
            severity=cls.severity,
            location=location,
            message=cls.message.format(**fields),
            evidence=evidence_hash(key) if (key := evidence or cls.evidence_key(fields)) else "",
            detail=detail,
        )

    @classmethod
    def evidence_key(cls, fields: dict[str, Any]) -> str:
        """The raw key :meth:`at` hashes when no evidence is given (``""``: none)."""
        return "\x1f".join(f"{name}={fields[name]}" for name in cls.evidence_fields)

    @classmethod
    def option_fields(cls) -> dict[str, dataclasses.Field[Any]]:
        """Options by their profile spelling (``max-lines`` for ``max_lines``)."""
        return {f.name.replace("_", "-"): f for f in dataclasses.fields(cls.Options)}

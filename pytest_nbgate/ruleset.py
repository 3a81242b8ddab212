"""The engine: run the selected rules on a notebook and filter every finding once.

Whatever produced a finding (a static rule, execution, a snapshot compare,
pylint), :meth:`RuleSet.finalize` applies the same selection, per-file
ignores, severity overrides and suppressions (``# nbgate: ignore[...]``
comments and ``nbgate-ignore`` cell tags), so every gate behaves alike.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pytest_nbgate import registry
from pytest_nbgate.checks.base import Phase, Rule
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.suppression import UnusedSuppression
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook.markers import suppression_tags
from pytest_nbgate.notebook.model import Cell, Notebook

_IGNORE = re.compile(r"#\s*nbgate:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
ALL = ""


@dataclass(frozen=True)
class RuleSet:
    """The rules a profile turned on, with their options, and how findings are filtered."""

    rules: tuple[Rule, ...]
    selector: registry.Selector = field(default_factory=registry.Selector)
    severities: Mapping[str, Severity] = field(default_factory=dict)
    """Severity overrides keyed by id prefix (already canonical)."""
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def build(
        cls,
        selector: registry.Selector,
        options: Mapping[str, Any] | None = None,
        severities: Mapping[str, Severity] | None = None,
        per_file_ignores: Iterable[tuple[str, Sequence[str]]] = (),
        secrets: SecretsSettings | None = None,
    ) -> RuleSet:
        """Instantiate every enabled static/output rule with its options (and secrets settings)."""
        chosen = options or {}
        settings = secrets or SecretsSettings()
        rules = tuple(
            rule.configured(chosen.get(rule.id), settings)
            for rule in registry.RULES
            if rule.phase is not Phase.REPORTED and _enabled(selector, rule.id)
        )
        ignores = tuple(
            (glob, tuple(registry.canonical(code) for code in codes))
            for glob, codes in per_file_ignores
        )
        return cls(rules, selector, dict(severities or {}), ignores)

    @classmethod
    def default(cls) -> RuleSet:
        return cls.build(registry.Selector())

    def is_enabled(self, rule_id: str, path: str) -> bool:
        if not _enabled(self.selector, rule_id):
            return False
        for glob, codes in self.per_file_ignores:
            if _glob_match(path, glob) and any(rule_id.startswith(code) for code in codes):
                return False
        return True

    def severity_of(self, finding: Finding) -> Severity:
        best = max(
            (prefix for prefix in self.severities if finding.rule_id.startswith(prefix)),
            key=len,
            default=None,
        )
        return finding.severity if best is None else self.severities[best]

    def run(
        self, notebook: Notebook, phases: Iterable[Phase] = (Phase.STATIC, Phase.OUTPUTS)
    ) -> list[Finding]:
        """Run the rules of ``phases`` on ``notebook`` and :meth:`finalize` their findings."""
        wanted = set(phases)
        found = [f for rule in self.rules if rule.phase in wanted for f in rule.check(notebook)]
        return self.finalize(notebook, found, report_unused=True)

    def finalize(
        self, notebook: Notebook, findings: Iterable[Finding], *, report_unused: bool = False
    ) -> list[Finding]:
        """Selection, per-file ignores, suppressions and severity overrides, then sorted."""
        suppressions = Suppressions.of(notebook)
        kept: list[Finding] = []
        for finding in findings:
            if not self.is_enabled(finding.rule_id, finding.location.path):
                continue
            if suppressions.silences(finding):
                continue
            kept.append(finding.with_severity(self.severity_of(finding)))
        if report_unused and self.is_enabled(UnusedSuppression.id, notebook.relpath):
            kept.extend(suppressions.unused(notebook))
        return sorted(kept, key=Finding.sort_key)


def _enabled(selector: registry.Selector, rule_id: str) -> bool:
    if not selector.enabled(rule_id):
        return False
    rule = registry.BY_ID.get(rule_id)
    if rule is None or rule.default_enabled:
        return True
    # Off-by-default rules must be selected by their own id or name, not by a family prefix.
    return rule_id in selector.select


def _glob_match(path: str, glob: str) -> bool:
    return fnmatch.fnmatch(path, glob) or fnmatch.fnmatch(path, f"*/{glob}")


def parse_codes(text: str | None) -> tuple[str, ...]:
    """Codes of one ``ignore[...]`` (ids, prefixes or names); empty means every rule."""
    if not text:
        return (ALL,)
    codes: list[str] = []
    for raw in text.split(","):
        code = raw.strip()
        if not code:
            continue
        try:
            codes.append(registry.canonical(code))
        except ValueError:
            codes.append(code.upper())
    return tuple(codes) or (ALL,)


@dataclass
class _Directive:
    cell_index: int
    line: int | None
    """``None`` for the whole cell (first-line comment or tag)."""
    codes: tuple[str, ...]
    used: set[str] = field(default_factory=set)
    from_tag: bool = False

    def covers(self, finding: Finding) -> bool:
        loc = finding.location
        if loc.cell_index != self.cell_index:
            return False
        if self.line is not None and loc.line != self.line:
            return False
        for code in self.codes:
            if finding.rule_id.startswith(code):
                self.used.add(code)
                return True
        return False


@dataclass
class Suppressions:
    directives: list[_Directive]

    @classmethod
    def of(cls, notebook: Notebook) -> Suppressions:
        directives: list[_Directive] = []
        for cell in notebook.cells:
            directives.extend(_tag_directives(cell))
            if "nbgate" not in cell.source:
                continue
            for number, text in enumerate(cell.lines, start=1):
                match = _IGNORE.search(text)
                if match:
                    whole = number == 1 and text.lstrip().startswith("#")
                    line = None if whole else number
                    directives.append(_Directive(cell.index, line, parse_codes(match.group(1))))
        return cls(directives)

    def silences(self, finding: Finding) -> bool:
        hits = [d for d in self.directives if d.covers(finding)]
        return bool(hits)

    def unused(self, notebook: Notebook) -> list[Finding]:
        found = []
        for directive in self.directives:
            if directive.from_tag:
                continue
            unused = [code or "all rules" for code in directive.codes if code not in directive.used]
            if unused:
                cell = notebook.cells[directive.cell_index]
                found.append(
                    UnusedSuppression.at(
                        notebook, cell, line=directive.line or 1, codes=", ".join(unused)
                    )
                )
        return found


def _tag_directives(cell: Cell) -> list[_Directive]:
    directives = []
    for listed in suppression_tags(cell):
        codes = (ALL,) if listed is None else parse_codes(listed)
        directives.append(_Directive(cell.index, None, codes, from_tag=True))
    return directives


def failing(findings: Iterable[Finding], fail_on: Severity) -> list[Finding]:
    return [finding for finding in findings if finding.severity >= fail_on]

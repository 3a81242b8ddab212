"""The explicit table of every rule, and selection by id, prefix or name.

``select``/``ignore`` entries are ids (``NB101``), prefixes (``NB1``, ``SEC``)
or kebab-case names (``cell-too-long``). For each rule the longest matching
entry decides; on a tie, ``ignore`` wins. Unknown entries are errors with a
suggestion, so a typo never silently disables a gate.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pytest_nbgate.checks import (
    execution,
    hidden_state,
    output_policy,
    pii,
    quality,
    secrets,
    snapshots,
    structure,
    suppression,
    validity,
)
from pytest_nbgate.checks.base import Rule

RULES: tuple[type[Rule], ...] = (
    *validity.RULES,
    *suppression.RULES,
    *structure.RULES,
    *output_policy.RULES,
    *hidden_state.RULES,
    *execution.RULES,
    *snapshots.RULES,
    *secrets.RULES,
    *pii.RULES,
    *quality.RULES,
)

_ID = re.compile(r"^(NB\d{3}|SEC\d{3}|PII\d{3}|COV\d{3}|PL[A-Z]?\d{0,4}|RUFF)$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_FAMILY = re.compile(r"^(NB|SEC|PII|COV)\d?$")
"""A family or block prefix (``NB2``, ``SEC``) is valid even before any of its rules is on."""
SENSITIVE_PREFIXES = ("SEC", "PII")
"""Families whose findings are about a secret or personal datum (baselined by hash only)."""
PASSTHROUGH_PREFIXES = ("PL",)
"""Ids owned by another tool (pylint's message ids), selectable by prefix."""


def _validate(rules: Iterable[type[Rule]]) -> dict[str, type[Rule]]:
    table: dict[str, type[Rule]] = {}
    names: set[str] = set()
    for rule in rules:
        if not _ID.match(rule.id) or not _NAME.match(rule.name):
            raise ValueError(f"rule {rule.__name__}: bad id {rule.id!r} or name {rule.name!r}")
        if rule.id in table or rule.name in names:
            raise ValueError(f"rule {rule.__name__}: duplicate id {rule.id} or name {rule.name}")
        table[rule.id] = rule
        names.add(rule.name)
    return table


BY_ID: Mapping[str, type[Rule]] = _validate(RULES)
BY_NAME: Mapping[str, type[Rule]] = {rule.name: rule for rule in RULES}


def get(code: str) -> type[Rule]:
    """The rule with this id or name; ``KeyError`` with a suggestion otherwise."""
    rule = BY_ID.get(code.upper()) or BY_NAME.get(code)
    if rule is None:
        raise KeyError(f"unknown rule {code!r}{suggest(code)}")
    return rule


def suggest(code: str) -> str:
    candidates = [*BY_ID, *BY_NAME]
    close = difflib.get_close_matches(code, candidates, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def canonical(code: str) -> str:
    """An id or id prefix for a selection entry; raises ``ValueError`` when it matches nothing."""
    entry = code.strip()
    if entry in BY_NAME:
        return BY_NAME[entry].id
    upper = entry.upper()
    if upper == "ALL":
        return ""
    if _FAMILY.match(upper) or any(rule_id.startswith(upper) for rule_id in BY_ID):
        return upper
    if any(upper.startswith(prefix) for prefix in PASSTHROUGH_PREFIXES):
        return upper
    raise ValueError(f"unknown rule or prefix {entry!r}{suggest(entry)}")


@dataclass(frozen=True)
class Selector:
    """Which rule ids are on: longest matching prefix wins, ``ignore`` wins ties."""

    select: tuple[str, ...] = ("",)
    ignore: tuple[str, ...] = ()

    @classmethod
    def build(cls, select: Iterable[str] | None, ignore: Iterable[str] = ()) -> Selector:
        chosen = ("",) if select is None else tuple(canonical(code) for code in select)
        return cls(chosen, tuple(canonical(code) for code in ignore))

    def enabled(self, rule_id: str) -> bool:
        best_select = max((len(p) for p in self.select if rule_id.startswith(p)), default=-1)
        best_ignore = max((len(p) for p in self.ignore if rule_id.startswith(p)), default=-1)
        return best_select > best_ignore

    def narrowed(self, select: Iterable[str] | None, ignore: Iterable[str]) -> Selector:
        """A command-line selection applied on top of a profile's."""
        extra_ignore = tuple(canonical(code) for code in ignore)
        if select is None:
            return Selector(self.select, self.ignore + extra_ignore)
        return Selector(tuple(canonical(code) for code in select), self.ignore + extra_ignore)


def longest_prefix_value(rule_id: str, table: Mapping[str, object]) -> object | None:
    """The value of the longest key of ``table`` that prefixes ``rule_id`` (ids or names)."""
    best: tuple[int, object] | None = None
    for key, value in table.items():
        prefix = canonical(key)
        if rule_id.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), value)
    return None if best is None else best[1]

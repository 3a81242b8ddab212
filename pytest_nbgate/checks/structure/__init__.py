"""NB1xx: structure and length, rules that read the notebook as a document."""

from __future__ import annotations

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.structure import document, hygiene, length, size

RULES: tuple[type[Rule], ...] = (*length.RULES, *hygiene.RULES, *size.RULES, *document.RULES)

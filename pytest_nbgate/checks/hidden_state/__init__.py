"""NB2xx: hidden state, what the stored counts and the cells' names say about run order."""

from __future__ import annotations

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.hidden_state import counts, names

RULES: tuple[type[Rule], ...] = (*counts.RULES, *names.RULES)

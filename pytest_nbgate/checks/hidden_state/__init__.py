"""NB2xx: hidden state: stored counts, the cells' names, and paired text files out of sync."""

from __future__ import annotations

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.hidden_state import counts, names, pairing

RULES: tuple[type[Rule], ...] = (*counts.RULES, *names.RULES, *pairing.RULES)

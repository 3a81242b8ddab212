"""Rule family: filled by its own modules."""

from __future__ import annotations

from pytest_nbgate.checks.base import Rule

RULES: tuple[type[Rule], ...] = ()

"""SECxxx: secrets in sources, outputs and metadata (the scan: :mod:`.scan`)."""

from __future__ import annotations

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.secrets import assignment, entropy, generic, keys, plugins, tokens

RULES: tuple[type[Rule], ...] = (
    *plugins.RULES,
    *tokens.RULES,
    *keys.RULES,
    generic.UrlCredentials,
    generic.ConnectionString,
    *assignment.RULES,
    *entropy.RULES,
)

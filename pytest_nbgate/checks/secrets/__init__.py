"""SECxxx: secrets in sources, outputs and metadata (the scan: :mod:`.scan`)."""

from __future__ import annotations

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.secrets import (
    assignment,
    cloud,
    entropy,
    generic,
    keys,
    named,
    platforms,
    plugins,
    services,
    tokens,
    vendors,
)

RULES: tuple[type[Rule], ...] = (
    *plugins.RULES,
    *tokens.RULES,
    *keys.RULES,
    *platforms.RULES,
    *cloud.RULES,
    *named.RULES,
    *services.RULES,
    *vendors.RULES,
    generic.UrlCredentials,
    generic.ConnectionString,
    *assignment.RULES,
    *entropy.RULES,
)

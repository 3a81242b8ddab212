"""PIIxxx: personal data in sources, outputs and metadata (the scan: ``checks.secrets.scan``)."""

from __future__ import annotations

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.pii import contact, financial

RULES: tuple[type[Rule], ...] = (
    contact.EmailAddress,
    contact.PhoneNumber,
    *financial.RULES,
    contact.IpAddress,
)

"""PII101, PII102, PII106: e-mail addresses, phone numbers and public IP addresses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import phonenumbers

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment, Scan
from pytest_nbgate.findings import Severity, redact_email

_WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
_VERSION_BEFORE = re.compile(r"(?i)(?:version|ver|v)\s*$")


class EmailAddress(Detector):
    """E-mail address of a person (reserved and example domains, role accounts excluded).

    What it does:
        Finds e-mail addresses in sources, outputs (tables included) and
        metadata; ignores ``example.com``/``.test``/``.invalid`` domains,
        role accounts such as ``info@``/``noreply@`` and ``name@2x.png`` files.

    Why is this bad?
        A DataFrame of real customers saved in an output is a personal-data breach.

    Example:
        ``df.head()`` over a customer table.

    Use instead:
        Synthetic or anonymised data, or clear outputs (``nbstripout``).

    Options:
        Scope it with ``secrets.outputs-only: [PII101]``.
    """

    id = "PII101"
    name = "email-address"
    label = "e-mail address"
    severity = Severity.WARNING
    keywords = ("@",)
    keyword_lines = True
    not_before = _WORD + ".+%-/"
    pattern = re.compile(
        r"(?P<value>(?P<local>[A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@"
        r"(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}))\b"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        domain = match.group("domain")
        return not (
            filters.is_example_domain(domain)
            or filters.is_role_address(match.group("local"))
            or filters.is_file_name_email(domain)
            or filters.is_placeholder(match.group("local"))
        )

    def redacted(self, value: str) -> str:
        return redact_email(value)


class PhoneNumber(Detector):
    """Phone number, validated with Google's libphonenumber metadata.

    What it does:
        Finds ``+44 20 7946 0958``-style international numbers and
        ``(415) 555-2671``/``415-555-2671`` national ones, and keeps those
        ``phonenumbers`` says are valid for their region.

    Why is this bad?
        Phone numbers identify people and are used for SIM-swap and phishing.

    Example:
        A contacts export shown with ``df.sample(5)``.

    Use instead:
        Fake numbers (``faker``) or masked columns.

    Options:
        ``secrets.phone-regions``: regions for numbers without ``+`` (default ``[US]``).
    """

    id = "PII102"
    name = "phone-number"
    label = "phone number"
    in_digit_runs = True
    not_before = _WORD + "+/.:-"
    severity = Severity.WARNING
    pattern = re.compile(
        r"(?P<value>\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){2,4}"
        r"|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}|\d{3}(?P<sep>[.-])\d{3}(?P=sep)\d{4})(?![\w/:-]|\.\d)"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        regions = (None,) if value.startswith("+") else settings.phone_regions
        for region in regions:
            try:
                number = phonenumbers.parse(value, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return True
        return False


class IpAddress(Detector):
    """Public IPv4 or IPv6 address (private, loopback and documentation ranges excluded).

    What it does:
        Finds globally routable IP addresses, e.g. in access logs or request reprs.

    Why is this bad?
        An IP address is personal data under GDPR and maps internal infrastructure.

    Example:
        ``pd.read_csv("access.log")`` displayed with client addresses.

    Use instead:
        Truncate or hash addresses; use ``192.0.2.0/24`` in examples.

    Options:
        None.
    """

    id = "PII106"
    name = "ip-address"
    label = "IP address"
    in_digit_runs = True
    severity = Severity.WARNING
    pattern = re.compile(
        r"(?P<value>\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})"
        r"(?![\w:]|\.\d)"
    )
    ipv6: ClassVar[re.Pattern[str]] = re.compile(
        r"(?P<value>(?:[0-9a-fA-F]{1,4}:){2,6}:(?:[0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4})(?![\w:])"
    )
    not_before = _WORD + ".:"

    def matches(self, scan: Scan) -> Iterator[re.Match[str]]:
        yield from super().matches(scan)
        if "::" in scan.document:
            for match in self.ipv6.finditer(scan.document):
                start = match.start()
                if start == 0 or scan.document[start - 1] not in self.not_before + "[":
                    yield match

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        before = match.string[max(0, match.start() - 12) : match.start()]
        return not (filters.is_private_ip(value) or _VERSION_BEFORE.search(before))


RULES = (EmailAddress, PhoneNumber, IpAddress)

"""PII103-PII105: payment cards (Luhn), IBANs (mod 97) and national ids (US SSN).

Checksums come from python-stdnum, so a random 16-digit number is not a card.
"""

from __future__ import annotations

import re

from stdnum import iban, luhn
from stdnum.us import ssn

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment

_CARD_PREFIX = re.compile(
    r"^(?:4\d{12}(?:\d{3}){0,2}|5[1-5]\d{14}|2(?:2[2-9]\d|[3-6]\d\d|7[01]\d|720)\d{12}"
    r"|3[47]\d{13}|6(?:011|5\d\d|4[4-9]\d)\d{12,15}|3(?:0[0-5]|[689]\d)\d{11,16}"
    r"|35(?:2[89]|[3-8]\d)\d{12,15})$"
)


class PaymentCard(Detector):
    """Payment card number (Visa, Mastercard, Amex, Discover, JCB, Diners), Luhn-checked.

    What it does:
        Finds 13-19 digit numbers, plain or grouped by 4 (Amex 4-6-5), with a
        known issuer prefix and a valid Luhn checksum.

    Why is this bad?
        Card numbers in a repository put the project in PCI DSS scope.

    Example:
        A transactions table displayed with ``df.head()``.

    Use instead:
        Tokenised or test card numbers outside committed outputs.

    Options:
        None.
    """

    id = "PII103"
    name = "payment-card"
    label = "payment card number"
    in_digit_runs = True
    not_before = "0123456789.,-"
    pattern = re.compile(
        r"(?P<value>\d{4}(?:\d{9,15}|(?P<s>[ -])\d{4}(?P=s)\d{4}(?P=s)\d{1,7}"
        r"|(?P<a>[ -])\d{6}(?P=a)\d{5}))"
        r"(?![\d-]|[.,]\d)"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        digits = re.sub(r"[ -]", "", value)
        return (
            not filters.is_repeated_digits(digits)
            and bool(_CARD_PREFIX.match(digits))
            and luhn.is_valid(digits)
        )


class Iban(Detector):
    """International bank account number, validated with its mod-97 check digits.

    What it does:
        Finds IBANs, compact or grouped by four, and keeps those whose
        country format and check digits are valid.

    Why is this bad?
        An IBAN with a name enables direct-debit fraud and identifies a person.

    Example:
        ``payments.to_html()`` with an account column.

    Use instead:
        Masked accounts (``DE89 **** **** 3000``) or synthetic data.

    Options:
        None.
    """

    id = "PII104"
    name = "iban"
    label = "IBAN"
    not_before = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    hint = re.compile(r"[A-Z][A-Z]\d\d")
    pattern = re.compile(
        r"(?P<value>[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)"
        r"(?![A-Za-z0-9])"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return bool(iban.is_valid(value)) and not filters.is_placeholder(value)


class NationalId(Detector):
    """US Social Security number (``AAA-GG-SSSS``), validated by python-stdnum.

    What it does:
        Finds dashed nine-digit numbers that are valid SSNs (no 000/666/9xx
        area, no 00 group, no 0000 serial, not a known advertising number).

    Why is this bad?
        An SSN is the key to identity theft in the US.

    Example:
        An HR extract in a ``print(df)`` output.

    Use instead:
        Synthetic identifiers.

    Options:
        None.
    """

    id = "PII105"
    name = "national-id"
    label = "US social security number"
    in_digit_runs = True
    not_before = "0123456789-"
    pattern = re.compile(r"(?P<value>\d{3}-\d{2}-\d{4})(?![\d-])")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return bool(ssn.is_valid(value))


RULES = (PaymentCard, Iban, NationalId)

"""SEC134: prefixed tokens of further vendors, one table; SEC136: age secret keys (checksummed).

Each entry is a documented prefix with the exact length and alphabet that
follows it, so one rule covers them without a context check.
"""

from __future__ import annotations

import re
from typing import Any

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets import shapes
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment
from pytest_nbgate.checks.secrets.tokens import ASSIGN, TOKEN_CHARS, FormatDetector

VENDORS: tuple[tuple[str, str, str], ...] = (
    # (group, vendor as messages name it, value format)
    (
        "onepassword",
        "1Password secret key",
        r"A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})(?:-[A-Z0-9]{5}){3}",
    ),
    ("onepassword_sa", "1Password service-account token", r"ops_eyJ[A-Za-z0-9+/]{250,}={0,3}"),
    ("adobe", "Adobe client secret", r"p8e-[A-Za-z0-9]{32}"),
    ("alibaba", "Alibaba access key id", r"LTAI[A-Za-z0-9]{20}"),
    ("easypost", "EasyPost API key", r"EZ[AT]K[A-Za-z0-9]{54}"),
    ("facebook", "Facebook page access token", r"EAA[MC][A-Za-z0-9]{100,}"),
    ("grafana", "Grafana Cloud token", r"glc_[A-Za-z0-9+/]{32,400}={0,2}"),
    ("grafana_sa", "Grafana service-account token", r"glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}"),
    ("intra42", "42 intra client secret", r"s-s4t2(?:ud|af)-[a-f0-9]{64}"),
    ("openshift", "OpenShift user token", r"sha256~[\w-]{43}"),
    ("vault", "HashiCorp Vault token", r"hvs\.[\w-]{90,120}|hvb\.[\w-]{138,300}"),
    ("terraform", "Terraform Cloud token", r"[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}"),
)
_SIDEKIQ = (
    rf"BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM{ASSIGN}(?P<sidekiq>[a-f0-9]{{8}}:[a-f0-9]{{8}})"
)
_LABELS = {group: label for group, label, _ in VENDORS} | {"sidekiq": "Sidekiq Enterprise secret"}


class VendorToken(FormatDetector):
    """Token of a further vendor with a fixed prefix (1Password, Vault, Grafana, EasyPost, …).

    What it does:
        Finds 1Password secret keys and service-account tokens, HashiCorp
        Vault and Terraform Cloud tokens, Grafana Cloud and service-account
        tokens, OpenShift user tokens, Facebook page tokens, EasyPost,
        Alibaba, Adobe and 42 intra secrets, and Sidekiq Enterprise
        credentials (``BUNDLE_ENTERPRISE__CONTRIBSYS__COM``), each by its
        documented prefix, alphabet and length.

    Why is this bad?
        Each grants API access as its owner; a Vault token reads every secret its policy allows.

    Example:
        ``client = hvac.Client(url, token="hvs.…")``

    Use instead:
        The vendor's environment variable (``VAULT_TOKEN``, ``OP_SERVICE_ACCOUNT_TOKEN``…).

    Options:
        None.
    """

    id = "SEC134"
    name = "vendor-token"
    label = "vendor token"
    message = "{vendor} {redacted} in {where}"
    prefixes = (
        "A3-",
        "ops_eyJ",
        "p8e-",
        "LTAI",
        "EZAK",
        "EZTK",
        "glc_",
        "glsa_",
        "s-s4t2",
        "sha256~",
        "hvs.",
        "hvb.",
    )
    keywords = (*prefixes, "EAAM", "EAAC", ".atlasv1.", "CONTRIBSYS")
    keyword_lines = True
    following_lines = 1
    not_before = TOKEN_CHARS + "+/."
    pattern = re.compile(
        "(?:"
        + "|".join(rf"(?P<{group}>{value})" for group, _, value in VENDORS)
        + ")"
        + r"(?![\w+/=~.-])"
        + rf"|{_SIDEKIQ}(?![\w:])"
    )
    value_groups = (*_LABELS,)

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return (
            super().accepts(value, match, fragment, settings)
            and not shapes.is_repetitive(value)
            and (match.lastgroup == "sidekiq" or not filters.is_word_like(value))
        )

    def fields_of(self, match: re.Match[str]) -> dict[str, Any]:
        return {"vendor": _LABELS.get(match.lastgroup or "", self.label)}


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def is_bech32(text: str) -> bool:
    """``text`` (human part, ``1``, data) carries a valid BIP-173 checksum."""
    text = text.lower()
    human, _, data = text.rpartition("1")
    if not human or len(data) < 6 or any(ch not in _BECH32 for ch in data):
        return False
    values = [ord(ch) >> 5 for ch in human] + [0] + [ord(ch) & 31 for ch in human]
    checksum = 1
    for value in (*values, *(_BECH32.index(ch) for ch in data)):
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(_BECH32_GEN):
            checksum ^= generator if (top >> bit) & 1 else 0
    return checksum == 1


class AgeSecretKey(FormatDetector):
    """age encryption secret key (``AGE-SECRET-KEY-1`` + 58 bech32 characters, checksum valid).

    What it does:
        Finds age (and SOPS-with-age) identities whose bech32 checksum holds,
        so typed examples (``AGE-SECRET-KEY-1QQQQ…``) are not reported.

    Why is this bad?
        It decrypts every file and SOPS secret encrypted to its public key.

    Example:
        ``os.environ["SOPS_AGE_KEY"] = "AGE-SECRET-KEY-1…"``

    Use instead:
        ``SOPS_AGE_KEY_FILE`` pointing to a key file outside the repository.

    Options:
        None.
    """

    id = "SEC136"
    name = "age-secret-key"
    label = "age secret key"
    prefixes = ("AGE-SECRET-KEY-1",)
    keywords = prefixes
    not_before = TOKEN_CHARS
    pattern = re.compile(
        r"(?P<value>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![\w-])"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return super().accepts(value, match, fragment, settings) and is_bech32(value)


RULES = (VendorToken, AgeSecretKey)

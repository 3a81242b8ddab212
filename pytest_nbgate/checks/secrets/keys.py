"""SEC109-SEC113: payment, cloud and registry keys, private key blocks and JWTs."""

from __future__ import annotations

import base64
import binascii
import json
import re

from pytest_nbgate.checks.filters import is_low_entropy
from pytest_nbgate.checks.secrets.cloud import in_service_account
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment
from pytest_nbgate.checks.secrets.tokens import FormatDetector

_TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
_BASE64_BODY = re.compile(r"[A-Za-z0-9+/=]")
_WRAPPED_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}")


class StripeSecretKey(FormatDetector):
    """Stripe live secret or restricted key (``sk_live_``, ``rk_live_``).

    What it does:
        Finds Stripe live-mode secret keys (test-mode keys move no money and are ignored).

    Why is this bad?
        It can charge cards, issue refunds and read customers.

    Example:
        ``stripe.api_key = "sk_live_…"``

    Use instead:
        An environment variable; test keys in notebooks.

    Options:
        None.
    """

    id = "SEC109"
    name = "stripe-secret-key"
    label = "Stripe live key"
    keywords = ("_live_",)
    prefixes = ("sk_live_", "rk_live_")
    keyword_lines = True
    not_before = _TOKEN_CHARS
    pattern = re.compile(r"(?P<value>(?:sk|rk)_live_[A-Za-z0-9]{20,99})(?![\w-])")


class GoogleApiKey(FormatDetector):
    """Google API key (``AIza…``).

    What it does:
        Finds Google Cloud / Maps / Firebase API keys.

    Why is this bad?
        Unrestricted keys are billed to the project and used for scraping.

    Example:
        ``gmaps = googlemaps.Client(key="AIza…")``

    Use instead:
        An environment variable and an API-restricted key.

    Options:
        None.
    """

    id = "SEC110"
    name = "google-api-key"
    label = "Google API key"
    keywords = ("AIza",)
    prefixes = keywords
    not_before = _TOKEN_CHARS
    pattern = re.compile(r"(?P<value>AIza[0-9A-Za-z_-]{35})(?![\w-])")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return super().accepts(value, match, fragment, settings) and not is_low_entropy(
            value[4:], 3.0
        )


class PrivateKeyBlock(Detector):
    """PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, PGP).

    What it does:
        Finds a ``BEGIN … PRIVATE KEY`` block with a key body, also inside a
        JSON service-account file printed or pasted into a cell.

    Why is this bad?
        A private key cannot be rotated by editing the notebook: it is in the git history.

    Example:
        ``print(open("id_rsa").read())``

    Use instead:
        Load keys from a file outside the repository or an agent.

    Options:
        None.
    """

    id = "SEC111"
    name = "private-key"
    label = "private key block"
    message = "Private key block ({redacted}) in {where}"
    keywords = ("PRIVATE KEY",)
    pattern = re.compile(
        r"-{5}BEGIN (?P<kind>[A-Z0-9 ]*?)PRIVATE KEY(?: BLOCK)?-{5}(?P<body>[^-\x00]{0,400})"
    )

    def value_span(self, match: re.Match[str]) -> tuple[int, int]:
        return match.span()

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        body = match.group("body").replace("\\n", "")
        if in_service_account(fragment):
            return False
        return len(_BASE64_BODY.findall(body)) >= 40 and "..." not in body

    def redacted(self, value: str) -> str:
        match = self.pattern.match(value)
        kind = match.group("kind").strip() if match else ""
        return kind or "PKCS#8"


class JsonWebToken(FormatDetector):
    """JSON Web Token (``eyJ….eyJ….…``), signed or not, also base64-wrapped (``ZXlK…``).

    What it does:
        Finds JWTs whose header decodes to a JWT header: signed, unsigned
        (``alg: none``, empty signature), or base64-encoded once more, as
        Kubernetes secrets and some SDK configs store them.

    Why is this bad?
        It authenticates as its subject until it expires, often for days.

    Example:
        ``print(session.headers)``

    Use instead:
        Print ``redact(token)`` or nothing.

    Options:
        None.
    """

    id = "SEC112"
    name = "json-web-token"
    label = "JSON web token"
    keywords = ("eyJ", "ZXlK")
    not_before = _TOKEN_CHARS
    pattern = re.compile(
        r"(?P<value>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.(?:[A-Za-z0-9_-]{16,})?"
        r"|ZXlK[A-Za-z0-9+/]{60,}={0,2})"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        if not super().accepts(value, match, fragment, settings):
            return False
        if value.startswith("ZXlK"):
            # Wrapped once more: the decoded text must itself be a JWT's dotted segments.
            return _WRAPPED_JWT.match(unwrap_base64(value)) is not None
        return is_jwt_header(value.split(".", 1)[0])


def unwrap_base64(value: str) -> str:
    """The text a base64-wrapped token decodes to (as much of it as decodes)."""
    usable = value[: len(value) - len(value) % 4]
    try:
        return base64.b64decode(usable).decode("ascii", "ignore")
    except (binascii.Error, ValueError):
        return ""


def is_jwt_header(segment: str) -> bool:
    """The first JWT segment is base64url JSON with ``alg`` or ``typ``."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError):
        return False
    return isinstance(decoded, dict) and ("alg" in decoded or "typ" in decoded)


class PackageRegistryToken(FormatDetector):
    """PyPI (``pypi-AgE…``) or npm (``npm_…``) publishing token.

    What it does:
        Finds package registry upload tokens.

    Why is this bad?
        It publishes releases of your packages: a supply-chain attack vector.

    Example:
        ``!twine upload -u __token__ -p pypi-…``

    Use instead:
        Trusted publishing from CI, or keyring.

    Options:
        None.
    """

    id = "SEC113"
    name = "package-registry-token"
    label = "package registry token"
    keywords = ("pypi-AgE", "npm_")
    prefixes = keywords
    keyword_lines = True
    not_before = _TOKEN_CHARS
    pattern = re.compile(r"(?P<value>pypi-AgE[A-Za-z0-9_-]{50,}|npm_[A-Za-z0-9]{36})(?![\w-])")


RULES = (StripeSecretKey, GoogleApiKey, PrivateKeyBlock, JsonWebToken, PackageRegistryToken)

"""SEC130-SEC133: prefixed tokens of developer services, and credentials on a curl line.

Notion, Fly.io and Sentry tokens carry a fixed prefix and a fixed shape
(Sentry's org tokens even embed a JSON payload), so they are matched alone.
"""

from __future__ import annotations

import json
import re

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets import shapes
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.keys import unwrap_base64
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment
from pytest_nbgate.checks.secrets.tokens import TOKEN_CHARS, FormatDetector


class NotionToken(FormatDetector):
    """Notion integration token (``ntn_`` + 11 digits + 35 letters and digits).

    What it does:
        Finds Notion internal-integration and API tokens.

    Why is this bad?
        It reads and edits every page and database shared with the integration.

    Example:
        ``Client(auth="ntn_…")``

    Use instead:
        ``NOTION_TOKEN`` from the environment.

    Options:
        None.
    """

    id = "SEC130"
    name = "notion-token"
    label = "Notion token"
    prefixes = ("ntn_",)
    keywords = ("ntn_",)
    keyword_lines = True
    not_before = TOKEN_CHARS
    pattern = re.compile(r"(?P<value>ntn_\d{11}[A-Za-z0-9]{35})(?![\w-])")


class FlyioToken(FormatDetector):
    """Fly.io access token (``FlyV1 fm2_…``, ``fm1r_…``, ``fm1a_…``, ``fo1_…``).

    What it does:
        Finds Fly.io macaroon tokens (``fm1``/``fm2`` + 100 or more base64
        characters) and OAuth tokens (``fo1_`` + 43).

    Why is this bad?
        It deploys, reads secrets of and deletes the apps of its organisation.

    Example:
        ``FLY_API_TOKEN = "FlyV1 fm2_…"``

    Use instead:
        ``FLY_API_TOKEN`` as a CI secret; ``fly tokens create deploy`` for a scoped one.

    Options:
        None.
    """

    id = "SEC131"
    name = "flyio-token"
    label = "Fly.io token"
    prefixes = ("fm1r_", "fm1a_", "fm2_", "fo1_", "FlyV1 ")
    keywords = ("fm1r_", "fm1a_", "fm2_", "fo1_")
    keyword_lines = True
    not_before = TOKEN_CHARS + "+/"
    pattern = re.compile(
        r"(?P<value>fo1_[\w-]{43}|(?:fm1[ar]|fm2)_[A-Za-z0-9+/]{100,}={0,3})(?![\w+/=-])"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return super().accepts(value, match, fragment, settings) and not shapes.is_repetitive(value)


_SENTRY_ORG = re.compile(
    r"sntrys_(?P<payload>eyJ[A-Za-z0-9+/]{20,400}={0,2})_(?P<key>[A-Za-z0-9+/]{43})"
)


class SentryToken(FormatDetector):
    """Sentry organisation token (``sntrys_`` + JSON payload + key) or user token (``sntryu_``).

    What it does:
        Finds Sentry org tokens, whose middle part must decode to Sentry's
        JSON (``iat``, ``org``) and whose key is 43 characters, and user
        tokens (``sntryu_`` + 64 hex digits).

    Why is this bad?
        It uploads releases and source maps and reads the organisation's issues.

    Example:
        ``SENTRY_AUTH_TOKEN = "sntrys_…"``

    Use instead:
        ``SENTRY_AUTH_TOKEN`` as a CI secret.

    Options:
        None.
    """

    id = "SEC132"
    name = "sentry-token"
    label = "Sentry token"
    prefixes = ("sntrys_", "sntryu_")
    keywords = ("sntrys_", "sntryu_")
    keyword_lines = True
    not_before = TOKEN_CHARS
    pattern = re.compile(
        r"(?P<value>sntrys_eyJ[A-Za-z0-9+/]{20,400}={0,2}_[A-Za-z0-9+/]{43}|sntryu_[a-f0-9]{64})"
        r"(?![\w+/=-])"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        if not super().accepts(value, match, fragment, settings) or shapes.is_repetitive(value):
            return False
        org = _SENTRY_ORG.fullmatch(value)
        return org is None or is_sentry_payload(org.group("payload"))


def is_sentry_payload(payload: str) -> bool:
    """The base64 middle of an org token is JSON naming its ``iat`` and ``org``."""
    text = unwrap_base64(payload + "=" * (-len(payload) % 4))
    try:
        decoded = json.loads(text)
    except ValueError:
        return '"iat"' in text and '"org"' in text
    return isinstance(decoded, dict) and "iat" in decoded and "org" in decoded


_CURL_USER = (
    r"(?:-u|--user)\s+[\"']?(?P<user>[^\s:\"'<>]{0,64}):[\"']?(?P<password>[^\s\"'<>]{0,128})"
)
_CURL_HEADER = (
    r"(?:-H|--header)\s+[\"'](?P<header>[\w-]*(?:auth|token|key|secret)[\w-]*)\s*:\s*"
    r"(?:(?P<scheme>basic|bearer|token|api-token|digest|sso-key)\s+)?(?P<credential>[^\s\"']{6,})"
)

_AUTH_VALUE = re.compile(r"[A-Za-z0-9._~+/-]{16,}=*")


class CurlCredentials(Detector):
    """A password or token on a ``curl`` command line (``-u user:pass``, ``-H "Token: …"``).

    What it does:
        Finds the credential of ``curl -u``/``--user`` and of ``-H``/``--header``
        headers named after an auth, token, key or secret (``Authorization``,
        ``Api-Token``, ``X-Api-Key``) on lines that run curl (``!curl`` in a
        cell, a printed command, a pasted shell snippet).

    Why is this bad?
        ``!curl`` lines are saved in the notebook and printed by ``%history``.

    Example:
        ``!curl -u admin:Tr0ub4dor https://db.internal:9200``

    Use instead:
        ``curl --netrc`` or ``-H "Authorization: Bearer $TOKEN"`` with the variable set outside.

    Options:
        None. ``$VARIABLES``, ``{templates}`` and placeholders are ignored.
    """

    id = "SEC133"
    name = "curl-credentials"
    label = "curl credential"
    keywords = ("curl",)
    ignore_case = True
    keyword_lines = True
    following_lines = 3
    pattern = re.compile(rf"{_CURL_USER}|{_CURL_HEADER}", re.IGNORECASE)
    value_groups = ("password", "credential")

    def value_span(self, match: re.Match[str]) -> tuple[int, int]:
        if match.group("password") == "":
            return match.span("user")
        return super().value_span(match)

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        if not value or value.startswith(("$", "%", "<")) or filters.is_placeholder(value):
            return False
        if match.group("user") is not None and match.group("password") == "":
            return not filters.is_word_like(value) and len(value) >= 8
        if match.group("header") is not None:
            return not (filters.is_word_like(value) or _is_sec124s(match, value))
        return not _is_template(value)


def _is_sec124s(match: re.Match[str], value: str) -> bool:
    """An ``Authorization`` value SEC124 already reports (one leak, one finding)."""
    scheme = (match.group("scheme") or "").lower()
    return (
        match.group("header").lower() == "authorization"
        and scheme in ("", "bearer", "token", "basic")
        and _AUTH_VALUE.fullmatch(value) is not None
    )


def _is_template(value: str) -> bool:
    return value.startswith("{") and value.endswith("}") and "{" not in value[1:-1]


RULES = (NotionToken, FlyioToken, SentryToken, CurlCredentials)

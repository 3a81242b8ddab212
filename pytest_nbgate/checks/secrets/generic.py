"""SEC120-SEC121: credentials found by context rather than format (SEC122: :mod:`.assignment`).

Values a format detector (SEC101-SEC113) recognises are left to it, so one
leak gives one finding.
"""

from __future__ import annotations

import re
from functools import cache

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets import cloud, keys, named, platforms, services, tokens, vendors
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment, Scan

WORD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
FORMATS: tuple[type[Detector], ...] = (
    *tokens.RULES,
    *keys.RULES,
    *platforms.RULES,
    cloud.AzureCredential,
    *named.RULES,
    services.NotionToken,
    services.FlyioToken,
    services.SentryToken,
    *vendors.RULES,
)


def is_known_format(value: str) -> bool:
    """A value (or part of it) that a format detector reports, or one with a format's prefix.

    A value with an owned prefix that fails its format (``AIza`` one character
    short, ``dapi`` with a non-hex digit) is that provider's malformed or
    placeholder token, not an unknown secret for the context rules.
    """
    prefixes, _, keywords = _claims()
    if value.startswith(prefixes):
        return True
    if keywords.search(value) is None:
        return False
    return any(
        any(k in value for k in rule.keywords) and rule.pattern.search(value) for rule in FORMATS
    )


def names_provider(text: str) -> bool:
    """``text`` (a name, or the line before a value) names a provider whose format is known.

    Values assigned to ``telegram_token`` are Telegram's rule's to judge:
    one without Telegram's format is a placeholder or a mistake, not a leak.
    """
    lowered = text.lower()
    return any(name in lowered for name in _claims()[1])


@cache
def _claims() -> tuple[tuple[str, ...], tuple[str, ...], re.Pattern[str]]:
    """Owned prefixes, provider names, and one regex of every format's keywords."""
    prefixes = tuple(p for rule in FORMATS for p in getattr(rule, "prefixes", ()))
    providers = tuple(p for rule in FORMATS for p in getattr(rule, "providers", ()))
    words = sorted({k for rule in FORMATS for k in rule.keywords}, key=len, reverse=True)
    return prefixes, providers, re.compile("|".join(map(re.escape, words)))


class UrlCredentials(Detector):
    """Password in a URL or connection URI (``scheme://user:password@host``).

    What it does:
        Finds a user and password embedded in a URL: database URIs, broker
        URLs, authenticated git remotes and proxies.

    Why is this bad?
        SQLAlchemy, requests and git print these URLs in reprs, logs and tracebacks.

    Example:
        ``create_engine("postgresql://analyst:s3cret@db.internal/sales")``

    Use instead:
        ``URL.create(..., password=os.environ["DB_PASSWORD"])`` or a ``.pgpass`` file.

    Options:
        None. Hosts such as ``example.com`` and placeholder passwords are ignored.
    """

    id = "SEC120"
    name = "url-credentials"
    label = "password in URL"
    message = "Password in URL {redacted} in {where}"
    keywords = ("@",)
    keyword_lines = True
    pattern = re.compile(
        r"://(?P<user>[^\s:/@\"'<>\\\x00]{1,64}):"
        r"(?P<value>[^\s@/\"'<>\\\x00]{1,128})@(?P<host>[A-Za-z0-9.-]+)"
    )

    def prefilter(self, scan: Scan) -> bool:
        return "://" in scan.document and "@" in scan.document

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return not (
            filters.is_placeholder(value)
            or filters.is_example_domain(match.group("host"))
            or is_known_format(value)
        )


class ConnectionString(Detector):
    """Password or account key in a ``key=value;`` connection string (ADO.NET, ODBC, Azure).

    What it does:
        Finds ``Password=``, ``Pwd=``, ``AccountKey=`` and ``SharedAccessKey=``
        values in semicolon-separated connection strings.

    Why is this bad?
        The string is the whole credential for the database or storage account.

    Example:
        ``"Server=sql1;Database=crm;User Id=sa;Password=Winter2024!;"``

    Use instead:
        Integrated authentication, managed identity or a key vault.

    Options:
        None.
    """

    id = "SEC121"
    name = "connection-string"
    label = "connection string secret"
    keywords = ("password", "pwd", "accountkey", "sharedaccesskey")
    ignore_case = True
    keyword_lines = True
    match_lower = True
    not_before = WORD_CHARS
    pattern = re.compile(
        r"(?P<key>password|pwd|accountkey|sharedaccesskey)\s*=\s*"
        r"(?P<value>[^;\"'\s<>{}\x00]{3,})\s*(?=;|[\"']|$)",
        re.MULTILINE,
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        text = match.string
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        line = text[start : end if end >= 0 else len(text)]
        return line.count(";") >= 1 and not filters.is_placeholder(value)

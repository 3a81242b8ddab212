"""SEC120-SEC124: credentials found by context rather than format.

Values a format detector (SEC101-SEC113) recognises are left to it, so one
leak gives one finding.
"""

from __future__ import annotations

import re
from typing import Any

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets import keys, tokens
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.scan import Fragment, Scan
from pytest_nbgate.checks.secrets.settings import SecretsSettings

WORD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
FORMATS: tuple[type[Detector], ...] = (*tokens.RULES, *keys.RULES)


def is_known_format(value: str) -> bool:
    """A value (or part of it) that a format detector reports."""
    return any(
        any(k in value for k in rule.keywords) and rule.pattern.search(value) for rule in FORMATS
    )


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


_NAME = re.compile(r"[\w.-]*")
_KEY = (
    r"password|passwd|passphrase|pwd|secret|secret[_-]?key|api[_-]?key|apikey|access[_-]?key"
    r"|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|bearer[_-]?token|token"
    r"|client[_-]?secret|credentials?|api[_-]?secret|app[_-]?secret"
)


class KeywordAssignment(Detector):
    """A literal value assigned to a secret-sounding name (``api_key = "…"``, ``password=…``).

    What it does:
        Finds string literals assigned, passed as keyword arguments, or used
        as dict/JSON/YAML values under names ending in password, secret,
        token, api_key, access_key, credentials…; in outputs and metadata
        also unquoted ``PASSWORD=…`` values.

    Why is this bad?
        A hard-coded credential ships with every copy of the notebook.

    Example:
        ``conn = connect(host=h, password="Tr0ub4dor&3")``

    Use instead:
        ``password=os.environ["DB_PASSWORD"]`` or ``getpass.getpass()``.

    Options:
        None. Placeholders (``YOUR_API_KEY``, ``<token>``, ``***``) are ignored.
    """

    id = "SEC122"
    name = "keyword-assignment"
    label = "secret value"
    message = "Literal value of {key} ({redacted}) in {where}"
    keywords = ("pass", "pwd", "secret", "token", "key", "credential")
    ignore_case = True
    keyword_lines = True
    match_lower = True
    pattern = re.compile(
        rf"(?:{_KEY})[\"'\]]?\s*(?::=|=>|==|=|:)\s*"
        r"(?:[rbu]{0,2}(?P<q>[\"'])(?P<quoted>[^\"'\n\x00]{4,256})(?P=q)"
        r"|(?P<bare>[^\s\"',;)\]}\x00]{8,256}))"
    )

    def value_span(self, match: re.Match[str]) -> tuple[int, int]:
        return match.span("quoted") if match.group("quoted") is not None else match.span("bare")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        if filters.is_placeholder(value) or is_known_format(value) or " " in value.strip():
            return False
        if match.group("quoted") is not None:
            return not filters.is_path_like(value)
        return fragment.kind not in ("source", "markdown") and _plausible_bare(value, match)

    def fields_of(self, match: re.Match[str]) -> dict[str, Any]:
        text, start = match.string, match.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
            start -= 1
        keyword = _NAME.match(text, match.start())
        end = keyword.end() if keyword else match.start()
        return {"key": text[max(start, end - 60) : end]}


def _plausible_bare(value: str, match: re.Match[str]) -> bool:
    """An unquoted value: printed env/config lines, not Python expressions."""
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    prefix = match.string[line_start : match.start()]
    if "(" in value or "." in value[:1] or value.startswith(("os.", "self.", "$")):
        return False
    if prefix.strip().startswith(("def ", "if ", "for ", "return ", "import ")):
        return False
    return not (filters.is_word_like(value) or filters.is_path_like(value))

"""SEC125-SEC129, SEC135: keys identified by the provider's name next to them, or a fixed prefix.

Each rule pairs the provider's name (``cloudflare_api_key = …``,
``<sonarToken>…``) with the exact value format the provider documents.
Because the format is known, a value assigned to such a name that does not
have it is not reported by the context rules either (SEC122, SEC123): see
:func:`pytest_nbgate.checks.secrets.generic.names_provider`.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets import shapes
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment
from pytest_nbgate.checks.secrets.tokens import ASSIGN, FormatDetector

END = r"(?![\w+/=-])"


def named_pattern(name: str, value: str, prefixed: str = "", suffix: str = "") -> re.Pattern[str]:
    """``name`` (lower, Capitalised or UPPER case), ``suffix``, an assignment, then ``value``.

    Or ``prefixed`` alone. Spelling the cases out keeps ``CameraKit`` from
    naming Meraki, which a case-blind match would.
    """
    spellings = "|".join((rf"(?<![a-z]){name}", name.capitalize(), name.upper()))
    alone = rf"|(?<![\w-])(?P<prefixed>{prefixed}){END}" if prefixed else ""
    named = rf"(?:{spellings})(?i:{suffix}){ASSIGN}(?P<value>{value}){END}"
    return re.compile(named + alone)


class NamedFormat(FormatDetector):
    """Abstract: a provider's value format next to its name, or with its own prefix."""

    providers: ClassVar[tuple[str, ...]]
    """Lower-case names of the provider: values assigned to them are judged by this rule only."""
    ignore_case = True
    keyword_lines = True
    following_lines = 1
    value_groups = ("value", "prefixed")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return (
            super().accepts(value, match, fragment, settings)
            and not filters.is_word_like(value)
            and not shapes.is_not_a_token(value)
        )


class CloudflareKey(NamedFormat):
    """Cloudflare global API key, API token or Origin CA key.

    What it does:
        Finds 37-hex global API keys and 40-character API tokens assigned to
        a ``cloudflare`` name, and Origin CA keys (``v1.0-`` + 24 and 146 hex
        digits) anywhere.

    Why is this bad?
        A global key or token manages the account's DNS, firewall and
        Workers; an Origin CA key issues certificates for its zones.

    Example:
        ``CLOUDFLARE_API_TOKEN = "…"``

    Use instead:
        ``os.environ["CLOUDFLARE_API_TOKEN"]``, a token scoped to one zone.

    Options:
        None.
    """

    id = "SEC125"
    name = "cloudflare-key"
    label = "Cloudflare key"
    providers = ("cloudflare",)
    keywords = ("cloudflare", "v1.0-")
    prefixes = ("v1.0-",)
    pattern = named_pattern(
        "cloudflare",
        r"[a-f0-9]{37}|[\w-]{40}|v1\.0-[a-f0-9]{24}-[a-f0-9]{146}",
        r"v1\.0-[a-f0-9]{24}-[a-f0-9]{146}",
    )


class MerakiKey(NamedFormat):
    """Cisco Meraki dashboard API key (40 lower-case hex digits next to a ``meraki`` name).

    What it does:
        Finds Meraki API keys assigned to a name mentioning Meraki.

    Why is this bad?
        It configures every network of the organisation (firewalls, VPNs, cameras).

    Example:
        ``dashboard = meraki.DashboardAPI("…")``

    Use instead:
        ``MERAKI_DASHBOARD_API_KEY`` from the environment (the SDK reads it).

    Options:
        None.
    """

    id = "SEC126"
    name = "meraki-api-key"
    label = "Meraki API key"
    providers = ("meraki",)
    keywords = ("meraki",)
    pattern = named_pattern("meraki", r"[0-9a-f]{40}", suffix=r"[\w.(-]{0,20}?")


class SumoLogicKey(NamedFormat):
    """Sumo Logic access id (``su`` + 12) or access key (64 letters and digits).

    What it does:
        Finds Sumo Logic access ids and keys assigned to a ``Sumo``/``SUMO`` name.

    Why is this bad?
        The pair reads and deletes the organisation's logs and collectors.

    Example:
        ``SUMO_ACCESS_KEY = "…"``

    Use instead:
        ``SUMO_ACCESS_ID``/``SUMO_ACCESS_KEY`` from the environment.

    Options:
        None.
    """

    id = "SEC127"
    name = "sumo-logic-key"
    label = "Sumo Logic key"
    providers = ("sumo_", "sumologic", "sumo.")
    keywords = ("sumo",)
    pattern = named_pattern("sumo", r"su[a-zA-Z0-9]{12}|[A-Za-z0-9]{64}")


class SonarToken(NamedFormat):
    """SonarQube token (``squ_``, ``sqp_``, ``sqa_`` + 40 hex, or 40 next to a ``sonar`` name).

    What it does:
        Finds SonarQube user, project and global analysis tokens, and the
        40-character ``sonar.login`` / ``SONAR_TOKEN`` values of older servers.

    Why is this bad?
        It submits analyses and reads the code and issues of private projects.

    Example:
        ``!sonar-scanner -Dsonar.token=squ_…``

    Use instead:
        ``SONAR_TOKEN`` as a CI secret.

    Options:
        None.
    """

    id = "SEC128"
    name = "sonar-token"
    label = "Sonar token"
    providers = ("sonar",)
    keywords = ("sonar", "squ_", "sqp_", "sqa_")
    prefixes = ("squ_", "sqp_", "sqa_")
    pattern = named_pattern(
        "sonar",
        r"(?:squ_|sqp_|sqa_)?[A-Za-z0-9=_-]{40}",
        r"(?:squ|sqp|sqa)_[a-f0-9]{40}",
        suffix=r"[\w.-]{0,8}?(?:login|token|key)",
    )


class SourcegraphToken(NamedFormat):
    """Sourcegraph access token (``sgp_…``, ``sgp_local_…``, or 40 hex next to ``sourcegraph``).

    What it does:
        Finds Sourcegraph access tokens in their current prefixed forms and
        the older 40-hex form assigned to a Sourcegraph name.

    Why is this bad?
        It searches every repository the user can read, private code included.

    Example:
        ``SRC_ACCESS_TOKEN = "sgp_…"``

    Use instead:
        ``SRC_ACCESS_TOKEN`` from the environment (``src login``).

    Options:
        None.
    """

    id = "SEC129"
    name = "sourcegraph-token"
    label = "Sourcegraph token"
    providers = ("sourcegraph",)
    keywords = ("sourcegraph", "sgp_")
    prefixes = ("sgp_",)
    pattern = named_pattern(
        "sourcegraph",
        r"[a-fA-F0-9]{40}",
        r"sgp_(?:[a-fA-F0-9]{16}_|local_)?[a-fA-F0-9]{40}",
    )


class SnowflakeCredential(NamedFormat):
    """Snowflake password, passphrase or programmatic access token next to a ``snowflake`` name.

    What it does:
        Finds literal values of ``SNOWFLAKE_PASSWORD``, ``snowflake_token``,
        ``SNOWFLAKE_PRIVATE_KEY_PASSPHRASE`` and the like (Snowflake's PATs
        have no public prefix, so the name is what identifies them).

    Why is this bad?
        It signs in to the warehouse as the user: every table, stage and
        share the role can read, billed to the account.

    Example:
        ``SNOWFLAKE_PASSWORD = "Tr0ub4dor&3"``

    Use instead:
        Key-pair authentication with the key outside the repository, or
        ``connections.toml`` / environment variables read by the connector.

    Options:
        None. Placeholders and ``os.environ[...]`` reads are ignored.
    """

    id = "SEC135"
    name = "snowflake-credential"
    label = "Snowflake credential"
    providers = ("snowflake",)
    keywords = ("snowflake",)
    pattern = named_pattern(
        "snowflake",
        r"[^\s\"'`,;)\]}<\x00]{8,256}",
        suffix=r"[\w.-]{0,24}?(?:password|passwd|pwd|passphrase|token|pat|secret)",
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        # Passwords may be words with digits; a value reading a variable is no credential.
        start = match.start("value")
        quoted = start > 0 and match.string[start - 1] in "\"'`"
        return not (
            (fragment.kind == "source" and not quoted and value.isidentifier())
            or filters.is_placeholder(value)
            or filters.is_identifier_like(value)
            or value.startswith(("os.", "$", "{"))
            or value.endswith(("=", ":"))  # the next line's key: this one is empty
            or shapes.is_not_a_token(value)
        )


RULES = (CloudflareKey, MerakiKey, SumoLogicKey, SonarToken, SourcegraphToken, SnowflakeCredential)

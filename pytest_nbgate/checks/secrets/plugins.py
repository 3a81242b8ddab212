"""SEC100: detect-secrets' own plugins, run on decoded notebook text.

detect-secrets is slow on notebooks because it analyses every raw line with
every plugin. Here each plugin's ``denylist`` regexes run once over the shared
scan document; only the lines they hit go through the plugin's
``analyze_string``. Values one of our SEC1xx detectors reports are skipped so
one leak gives one finding. Plugins never verify secrets over the network.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets import generic, shapes
from pytest_nbgate.checks.secrets.detector import Detector, keyword_line_spans
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Hit, Scan, register_keywords, scan_of
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Notebook

_OURS: tuple[type[Detector], ...] = (
    *generic.FORMATS,
    generic.UrlCredentials,
    generic.ConnectionString,
)
_KEYWORDS: dict[str, tuple[bool, tuple[str, ...]]] = {
    # Literal substrings one of which every match of the plugin contains: (ignore case, words).
    "ArtifactoryDetector": (False, ("AKC", "AP")),
    "AWSKeyDetector": (True, ("akia", "asia", "abia", "acca", "a3t", "aws")),
    "AzureStorageKeyDetector": (False, ("AccountKey=",)),
    "BasicAuthDetector": (False, ("://",)),
    "CloudantDetector": (
        True,
        ("cloudant", "cl_", "cl-", "clkey", "clpass", "clpw", "cltoken", "clapi"),
    ),
    "GitHubTokenDetector": (False, ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    "GitLabTokenDetector": (
        False,
        ("glpat-", "gldt-", "glft-", "glsoat-", "glrt-", "GR1348941", "glcbt-"),
    ),
    "IbmCloudIamDetector": (True, ("key", "pwd", "pass", "token")),
    "IbmCosHmacDetector": (True, ("secret",)),
    "JwtTokenDetector": (False, ("eyJ",)),
    "MailchimpDetector": (False, ("-us",)),
    "NpmDetector": (False, ("_authToken",)),
    "OpenAIDetector": (False, ("T3BlbkFJ",)),
    "PrivateKeyDetector": (False, ("PRIVATE KEY", "PuTTY")),
    "PypiTokenDetector": (False, ("pypi-",)),
    "SendGridDetector": (False, ("SG.",)),
    "SlackDetector": (False, ("xox", "hooks.slack.com")),
    "SoftlayerDetector": (True, ("softlayer", "sl_", "sl-", "slkey", "slapi", "slpass", "sltoken")),
    "SquareOAuthDetector": (False, ("sq0csp-",)),
    "StripeDetector": (False, ("_live_",)),
    "TwilioKeyDetector": (False, ("AC", "SK")),
    "TelegramBotTokenDetector": (False, (":",)),
    "KeywordDetector": (True, ("pass", "pwd", "secret", "token", "key", "auth", "cred")),
}
for _ignore_case, _words in _KEYWORDS.values():
    register_keywords(_words, _ignore_case)
_LINE_PREFILTER = {
    "KeywordDetector": re.compile(r"(?i)pass|pwd|secret|token|key|auth|cred"),
    "Base64HighEntropyString": re.compile(r"[\"'][A-Za-z0-9+/=]{20,}[\"']"),
    "HexHighEntropyString": re.compile(r"[\"'][0-9a-fA-F]{20,}[\"']"),
}


def _plugin_classes() -> list[type[Any]]:
    # Imported at the first notebook linted: a run the cache replays never needs
    # detect-secrets (and the HTTP stack it imports, ~90 ms of every start).
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    classes: dict[str, type[Any]] = get_mapping_from_secret_type_to_class()
    return list(classes.values())


@functools.cache
def _plugins(enabled: frozenset[str], keyword_exclude: str | None) -> tuple[Any, ...]:
    built: list[Any] = []
    for plugin_class in _plugin_classes():
        name = plugin_class.__name__
        if name not in enabled:
            continue
        kwargs = {"keyword_exclude": keyword_exclude} if name == "KeywordDetector" else {}
        built.append(plugin_class(**kwargs))
    return tuple(sorted(built, key=lambda plugin: type(plugin).__name__))


def plugins_for(settings: SecretsSettings) -> tuple[Any, ...]:
    """Instances of the detect-secrets plugins the profile turns on."""
    names = {cls.__name__ for cls in _plugin_classes()}
    enabled = frozenset(name for name in names if settings.plugin_enabled(name))
    return _plugins(enabled, settings.keyword_exclude)


def covered_by_ours(line: str, value: str) -> bool:
    """True when one of our detectors matches ``value`` on ``line``."""
    for rule in _OURS:
        for match in rule.pattern.finditer(line):
            if value in match.group(0) or match.group(0) in value:
                return True
    return False


class DetectSecretsPlugin(Detector):
    """A secret found by a detect-secrets plugin that no SEC1xx detector reports.

    What it does:
        Runs detect-secrets' plugins (Artifactory, Azure storage, Cloudant,
        IBM, Mailchimp, SendGrid, Square, Twilio, Discord…; configurable) on
        every decoded text fragment of the notebook.

    Why is this bad?
        Each plugin recognises a credential format of a hosted service.

    Example:
        ``sg.client = SendGridAPIClient("SG.…")``

    Use instead:
        Environment variables or a secrets manager.

    Options:
        ``secrets.detect-secrets.enabled`` and ``plugins`` (class name: true/false).
    """

    id = "SEC100"
    name = "detect-secrets"
    label = "secret"
    message = "{label} {redacted} in {where} (detect-secrets)"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        scan = scan_of(notebook)
        sources, outputs = self.settings.scope(self.id, self.name)
        seen: set[tuple[int | None, int | None, str]] = set()
        for plugin, value, hit in self.plugin_values(scan):
            if not (outputs if hit.fragment.in_output else sources):
                continue
            finding = self.report(notebook, hit, value, seen, label=str(plugin.secret_type))
            if finding is not None:
                yield finding

    def collect(self, scan: Scan) -> None:
        for _ in self.plugin_values(scan):
            pass

    def plugin_values(self, scan: Scan) -> Iterator[tuple[Any, str, Hit]]:
        """``(plugin, value, hit)`` for each value a plugin reports, recorded in ``scan.found``."""
        scan.searched.add(self.id)
        settings = self.settings
        if not settings.detect_secrets or not scan.document:
            return
        for plugin, start, line in _candidate_lines(scan, plugins_for(settings)):
            hit = scan.locate(start)
            for value in _values(plugin, line):
                if _reportable(value, line, settings):
                    scan.found.add(value)
                    yield plugin, value, hit


def _reportable(value: str, line: str, settings: SecretsSettings) -> bool:
    return not (
        filters.is_placeholder(value)
        or shapes.is_repetitive(value)
        or filters.is_allowlisted(value, settings.allowlist)
        or covered_by_ours(line, value)
    )


def _candidate_lines(scan: Scan, plugins: tuple[Any, ...]) -> Iterator[tuple[Any, int, str]]:
    """``(plugin, line start, line)`` for each document line a plugin's regexes hit."""
    document = scan.document
    for plugin in plugins:
        if not _may_match(type(plugin).__name__, scan):
            continue
        regexes = _LINE_PREFILTER.get(type(plugin).__name__)
        denylist = (regexes,) if regexes is not None else tuple(getattr(plugin, "denylist", ()))
        starts: set[int] = set()
        for regex in denylist:
            for match in _finditer(regex, type(plugin).__name__, scan):
                starts.add(document.rfind("\n", 0, match.start()) + 1)
        for start in sorted(starts):
            end = document.find("\n", start)
            yield plugin, start, document[start : end if end >= 0 else len(document)]


def _finditer(regex: re.Pattern[str], name: str, scan: Scan) -> Iterator[re.Match[str]]:
    entry = _KEYWORDS.get(name)
    spans = None
    if entry is not None:
        text = scan.lower if entry[0] else scan.document
        spans = keyword_line_spans(text, entry[1])
    if spans is None or len(scan.lower) != len(scan.document):
        yield from regex.finditer(scan.document)
        return
    for start, end in spans:
        yield from regex.finditer(scan.document, start, end)


def _may_match(name: str, scan: Scan) -> bool:
    entry = _KEYWORDS.get(name)
    if entry is None:
        return True
    ignore_case, words = entry
    return scan.contains_any(words, ignore_case)


def _values(plugin: Any, line: str) -> Iterator[str]:
    limit = getattr(plugin, "entropy_limit", None)
    for value in plugin.analyze_string(line):
        if not isinstance(value, str) or not value:
            continue
        if limit is not None and plugin.calculate_shannon_entropy(value) <= limit:
            continue
        yield value


RULES = (DetectSecretsPlugin,)

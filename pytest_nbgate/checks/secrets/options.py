"""The profile's ``secrets:`` section, resolved once into a frozen object.

How rules get it: the configuration builds it once from the profile and
hands it to every SEC/PII detector when the rule set instantiates them
(:meth:`pytest_nbgate.checks.base.Rule.configured`), and to the redactor.
Without a profile the defaults of ``schemas/sections/secrets.schema.json``
apply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

DEFAULT_OFF_PLUGINS = frozenset(
    {
        "KeywordDetector",
        "Base64HighEntropyString",
        "HexHighEntropyString",
        "IPPublicDetector",
        "AWSKeyDetector",
        "BasicAuthDetector",
        "GitHubTokenDetector",
        "JwtTokenDetector",
        "OpenAIDetector",
        "PrivateKeyDetector",
        "PypiTokenDetector",
        "SlackDetector",
        "StripeDetector",
        "TelegramBotTokenDetector",
    }
)
"""detect-secrets plugins our own detectors replace (SEC101-SEC124, PII106): their hits
would be dropped as duplicates anyway, so they are not run unless a profile turns them on."""


@dataclass(frozen=True)
class SecretsSettings:
    """Everything the sensitive-data gate reads from the profile."""

    allowlist: tuple[re.Pattern[str], ...] = ()
    outputs_only: tuple[str, ...] = ()
    sources_only: tuple[str, ...] = ()
    baseline: str | None = None
    base64_limit: float = 4.5
    hex_limit: float = 3.0
    min_length: int = 20
    phone_regions: tuple[str, ...] = ("US",)
    detect_secrets: bool = True
    plugins: Mapping[str, bool] = field(default_factory=dict, hash=False)
    keyword_exclude: str | None = None

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> SecretsSettings:
        """Build from a validated ``secrets:`` mapping; ``ValueError`` names a bad regex."""
        entropy: Mapping[str, Any] = section.get("entropy") or {}
        tool: Mapping[str, Any] = section.get("detect-secrets") or {}
        return cls(
            allowlist=_compile(section.get("allowlist") or ()),
            outputs_only=_codes(section.get("outputs-only") or ()),
            sources_only=_codes(section.get("sources-only") or ()),
            baseline=section.get("baseline"),
            base64_limit=float(entropy.get("base64-limit", 4.5)),
            hex_limit=float(entropy.get("hex-limit", 3.0)),
            min_length=int(entropy.get("min-length", 20)),
            phone_regions=tuple(section.get("phone-regions") or ("US",)),
            detect_secrets=bool(tool.get("enabled", True)),
            plugins=dict(tool.get("plugins") or {}),
            keyword_exclude=tool.get("keyword-exclude"),
        )

    def plugin_enabled(self, name: str) -> bool:
        return self.plugins.get(name, name not in DEFAULT_OFF_PLUGINS)

    def scope(self, rule_id: str, rule_name: str) -> tuple[bool, bool]:
        """``(sources, outputs)``: where ``rule_id`` reports, longest matching entry wins."""
        outputs = _longest(rule_id, rule_name, self.outputs_only)
        sources = _longest(rule_id, rule_name, self.sources_only)
        if outputs == sources:
            return True, True
        return (sources > outputs, outputs > sources)


def _longest(rule_id: str, rule_name: str, codes: Sequence[str]) -> int:
    best = -1
    for code in codes:
        if code == rule_name.upper() or rule_id.startswith(code):
            best = max(best, 99 if code == rule_name.upper() else len(code))
    return best


def _codes(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(str(value).strip().upper() for value in values)


def _compile(patterns: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(f"secrets.allowlist: invalid regex {pattern!r}: {exc}") from None
    return tuple(compiled)

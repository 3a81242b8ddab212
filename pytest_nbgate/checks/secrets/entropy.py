"""SEC123-SEC124: high-entropy strings and authorization headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets import shapes
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.generic import is_known_format, names_provider
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment, Scan

_BARE_KINDS = frozenset({"stream", "text-plain", "traceback", "markdown-output"})
_BARE_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+/=.~-@")
"""Characters a bare token may not follow: it would be the tail of a longer one, or a host."""
_HEX = re.compile(r"^[0-9a-fA-F]+$")


class HighEntropyString(Detector):
    """A random-looking string literal or printed token (base64 or hex).

    What it does:
        Finds quoted strings (anywhere) and long bare tokens (in text outputs)
        whose Shannon entropy exceeds the profile's limit (4.5 bits per char
        for base64, 3.0 for hex, as detect-secrets), then drops UUIDs, git
        SHAs and digests, paths, words and placeholders.

    Why is this bad?
        Unknown token formats (internal services, new providers) are only
        recognisable by their randomness.

    Example:
        ``client = Api("q8Zr4mW0vT2xK7pL9sN3bY6cJ1hF5dG8eQ0aR2tU")``

    Use instead:
        Read the token from the environment; hashes and ids are not flagged.

    Options:
        ``secrets.entropy.base64-limit``, ``hex-limit``, ``min-length`` in the profile.
    """

    id = "SEC123"
    name = "high-entropy-string"
    label = "high-entropy string"
    pattern = re.compile(r"(?P<q>[\"'`])(?P<quoted>[A-Za-z0-9+/=_.~-]{16,512})(?P=q)")

    bare: ClassVar[re.Pattern[str]] = re.compile(
        r"(?P<bare>[A-Za-z0-9+/_-]{32,512}={0,2})(?![\w+/=.~-])"
    )

    def prefilter(self, scan: Scan) -> bool:
        return True

    def matches(self, scan: Scan) -> Iterator[re.Match[str]]:
        """Quoted strings anywhere; bare tokens only inside text outputs."""
        document = scan.document
        yield from self.pattern.finditer(document)
        for fragment, start in zip(scan.fragments, scan.starts, strict=True):
            if fragment.kind in _BARE_KINDS:
                yield from self.bare.finditer(document, start, start + len(fragment.text))

    def value_span(self, match: re.Match[str]) -> tuple[int, int]:
        return match.span("quoted") if "quoted" in match.re.groupindex else match.span("bare")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        if "bare" in match.re.groupindex:
            start = match.start()
            if fragment.kind not in _BARE_KINDS or (
                start and match.string[start - 1] in _BARE_BEFORE
            ):
                return False
        if len(value) < settings.min_length or filters.is_word_like(value):
            return False
        before = _line_before(match)
        if is_public_material(fragment.text) or filters.is_decoy_name(before):
            return False
        hex_only = bool(_HEX.match(value))
        limit = settings.hex_limit if hex_only else settings.base64_limit
        if filters.is_low_entropy(value, limit):
            return False
        return not (
            filters.is_uuid(value)
            or filters.is_hex_hash(value)
            or filters.is_widget_reference(value)
            or filters.is_placeholder(value)
            or filters.is_path_like(value)
            or is_known_format(value)
            or names_provider(before)
            or shapes.is_not_a_token(value)
        )


def _line_before(match: re.Match[str]) -> str:
    text = match.string
    return text[text.rfind("\n", 0, match.start()) + 1 : match.start()]


def is_public_material(text: str) -> bool:
    """Base64 of a public key or certificate block: random-looking, and meant to be shared."""
    return "-----BEGIN" in text and (
        "PUBLIC KEY" in text or "CERTIFICATE-----" in text or "SIGNATURE-----" in text
    )


class AuthorizationHeader(Detector):
    """A bearer/basic token in an ``Authorization`` header or ``Bearer …`` string.

    What it does:
        Finds the credential of HTTP ``Authorization`` headers in code, printed
        request headers, curl commands and JSON.

    Why is this bad?
        Printing ``response.request.headers`` while debugging is the classic leak.

    Example:
        ``headers = {"Authorization": "Bearer 6f1c…"}``

    Use instead:
        Build the header from an environment variable and never print it.

    Options:
        None.
    """

    id = "SEC124"
    name = "authorization-header"
    label = "authorization credential"
    keywords = ("bearer", "authorization")
    ignore_case = True
    match_lower = True
    keyword_lines = True
    pattern = re.compile(
        r"(?:authorization[\"']?\s*[:=]\s*[\"']?(?:bearer|token|basic)?|\bbearer)\s+"
        r"(?P<value>[A-Za-z0-9._~+/-]{16,}=*)"
    )

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        return not (
            filters.is_placeholder(value) or filters.is_word_like(value) or is_known_format(value)
        )


RULES = (HighEntropyString, AuthorizationHeader)

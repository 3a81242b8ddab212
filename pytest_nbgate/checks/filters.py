"""False-positive predicates shared by the SEC and PII detectors.

Each predicate answers one question about a candidate value and is named
``is_*`` so a detector's ``rejects`` list reads as its policy. They are pure
functions of the value (and sometimes its surrounding line), cheap enough to
run on every candidate.
"""

from __future__ import annotations

import ipaddress
import itertools
import math
import re
from collections import Counter

_PLACEHOLDER_WORDS = (
    "your",
    "example",
    "placeholder",
    "dummy",
    "sample",
    "fake",
    "changeme",
    "change_me",
    "redacted",
    "insert",
    "replace",
    "todo",
    "fixme",
    "here",
    "secret_value",
    "my_api",
    "mytoken",
    "mypassword",
    "*****",
    "...",
    "•",
)
_PLACEHOLDER_EXACT = frozenset(
    {
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "key",
        "test",
        "testing",
        "none",
        "null",
        "nil",
        "undefined",
        "foo",
        "bar",
        "foobar",
        "admin",
        "root",
        "user",
        "username",
        "pass",
        "tiger",
        "string",
        "empty",
    }
)
_TEMPLATE = re.compile(r"^[<\[{(%$].*[>\]})]?$|\{\{|\$\{|%\(|^\$[A-Z_]+$|\{[A-Za-z_]*\}")
_FILLER_RUN = 7
_X_FILL = re.compile(r"x{4,}|X{4,}|(?<![A-Za-z0-9])(?:xxx|XXX)(?![A-Za-z0-9])")
"""``xxxx`` or a lone ``XXX``: in one case, since mixed-case random tokens hold ``XXx`` runs."""
_DECOY_WORDS = (
    "nonmatching",
    "wrong",
    "invalid",
    "fake",
    "dummy",
    "mock",
    "sample",
    # Meant to be seen: a public or publishable key, a page's anti-forgery token.
    "public",
    "publishable",
    "csrf",
    "xsrf",
    "authenticity",
)
_UUID = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_HASH_LENGTHS = frozenset({7, 8, 10, 12, 16, 20, 24, 32, 40, 56, 64, 96, 128})
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z_.]*(?:\(\)?|\[.*)?$")
_PATHLIKE = re.compile(
    r"^(?:[a-z]+://|[./~\\]|[A-Za-z]:\\)|\.(?:py|ipynb|csv|json|txt|png|jpg|html)$"
)
_ROLE_LOCALS = frozenset(
    {
        "info",
        "support",
        "contact",
        "permissions",
        "admin",
        "sales",
        "noreply",
        "no-reply",
        "donotreply",
        "hello",
        "help",
        "team",
        "press",
        "webmaster",
        "postmaster",
        "hostmaster",
        "abuse",
        "security",
        "privacy",
        "legal",
        "git",
        "office",
        "feedback",
        "jobs",
        "careers",
        "marketing",
        "billing",
    }
)
_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net", "example.edu")
_RESERVED_TLDS = ("example", "test", "invalid", "localhost", "local")
_FILE_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "css", "js", "py", "ipynb", "webp"})


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value`` over its own characters."""
    if not value:
        return 0.0
    length = len(value)
    return -sum(n / length * math.log2(n / length) for n in Counter(value).values())


def is_placeholder(value: str) -> bool:
    """``YOUR_API_KEY``, ``xxx``, ``<token>``, ``${TOKEN}``, ``****``, ``abc123…xyz``..."""
    lowered = value.strip().lower()
    if len(lowered) < 4 or lowered in _PLACEHOLDER_EXACT or len(set(lowered)) <= 2:
        return True
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    stripped = value.strip()
    if _TEMPLATE.search(stripped) or _X_FILL.search(stripped):
        return True
    return is_sequential_filler(lowered)


def is_sequential_filler(value: str) -> bool:
    """Typed, not generated: a run of the alphabet (``klmnopq…``) that random text never has."""
    run = 1
    for a, b in itertools.pairwise(value):
        run = run + 1 if a.isalpha() and ord(b) - ord(a) == 1 else 1
        if run >= _FILLER_RUN:
            return True
    return False


def is_decoy_name(name: str) -> bool:
    """A name saying its value is not real or not secret: ``fake_token``, ``public_key``."""
    lowered = name.lower()
    return any(word in lowered for word in _DECOY_WORDS)


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


def is_widget_reference(value: str) -> bool:
    """``IPY_MODEL_<uuid hex>``: how ipywidgets' saved state points at another model."""
    return value.startswith("IPY_MODEL_") and bool(_HEX.match(value[len("IPY_MODEL_") :]))


def is_hex_hash(value: str) -> bool:
    """A git SHA or a digest (md5/sha1/sha256...): hex of a hash's usual length."""
    return len(value) in _HASH_LENGTHS and bool(_HEX.match(value))


def is_identifier_like(value: str) -> bool:
    """A name, attribute or call (``os.environ``, ``getpass()``), not a literal secret."""
    return bool(_IDENTIFIER.match(value))


def is_path_like(value: str) -> bool:
    return bool(_PATHLIKE.search(value)) or (value.count("/") >= 2 and "=" not in value[-2:])


def is_low_entropy(value: str, limit: float) -> bool:
    return shannon_entropy(value) < limit


def is_word_like(value: str) -> bool:
    """Letters only (camelCase names, long words), or no letter at all."""
    has_digit = any(ch.isdigit() for ch in value)
    has_alpha = any(ch.isalpha() for ch in value)
    return not (has_digit and has_alpha)


def is_example_domain(domain: str) -> bool:
    """RFC 2606/6761 names: ``example.com``, ``*.test``, ``*.invalid``, ``localhost``..."""
    domain = domain.lower().rstrip(".")
    if domain.endswith(_EXAMPLE_DOMAINS) or domain in ("localhost",):
        return True
    labels = domain.split(".")
    return labels[-1] in _RESERVED_TLDS or labels[0] == "example"


def is_role_address(local: str) -> bool:
    """``info@``, ``permissions@``, ``noreply@``: an organisation's, not a person's."""
    return local.lower() in _ROLE_LOCALS


def is_file_name_email(domain: str) -> bool:
    """``icon@2x.png`` is a file, not an address."""
    return domain.rsplit(".", 1)[-1].lower() in _FILE_TLDS


def is_private_ip(value: str) -> bool:
    """Loopback, private, link-local, documentation and other non-global addresses."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return True
    return not address.is_global or address.is_multicast


def is_repeated_digits(digits: str) -> bool:
    return len(set(digits)) <= 2


def is_allowlisted(value: str, patterns: tuple[re.Pattern[str], ...]) -> bool:
    return any(pattern.search(value) for pattern in patterns)

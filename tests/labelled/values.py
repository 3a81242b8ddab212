"""Synthetic secrets and personal data, assembled at runtime from pieces.

No complete secret-shaped literal lives in the repository: prefixes are
split (``"AK" + "IA"``) and bodies are random, so scanners of this repository
(and its pre-stop hook) see nothing. Every value is valid for its detector
(checksums computed, phone numbers checked with ``phonenumbers``).
"""

from __future__ import annotations

import base64
import json
import random
import string
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from stdnum import luhn

ALNUM = string.ascii_letters + string.digits
UPPER = string.ascii_uppercase + string.digits
HEX = string.digits + "abcdef"
_WORDS = ("Winter", "Falcon", "Copper", "Maple", "Orbit", "Velvet", "Harbor", "Quartz")


@dataclass(frozen=True)
class Secret:
    """``snippet`` is the text planted; ``value`` the part a report must never show."""

    rule_id: str
    snippet: str
    value: str
    token: bool = False
    """True when the value alone can be a file name (attachment names)."""


def chars(rng: random.Random, alphabet: str, n: int) -> str:
    while True:
        text = "".join(rng.choice(alphabet) for _ in range(n))
        if any(c.isdigit() for c in text) and any(c.isalpha() for c in text):
            return text


def password(rng: random.Random) -> str:
    return rng.choice(_WORDS) + str(rng.randint(10, 99)) + rng.choice("!%*") + chars(rng, ALNUM, 4)


def _b64url(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _pem(rng: random.Random) -> str:
    body = "\n".join(chars(rng, ALNUM + "+/", 64) for _ in range(6))
    dashes = "-" * 5
    kind = "RSA " + "PRIVATE" + " KEY"
    return f"{dashes}BEGIN {kind}{dashes}\n{body}\n{dashes}END {kind}{dashes}"


def _card(rng: random.Random) -> str:
    stem = "4" + "".join(rng.choice(string.digits) for _ in range(14))
    digits = stem + luhn.calc_check_digit(stem)
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


def _iban(rng: random.Random) -> str:
    bban = "".join(rng.choice(string.digits) for _ in range(18))
    number = int(bban + "131400")  # D=13, E=14, check digits 00
    check = f"{98 - number % 97:02d}"
    raw = "DE" + check + bban
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _phone(rng: random.Random) -> str:
    while True:
        area = rng.choice(("212", "415", "617", "312", "206"))
        text = f"({area}) {rng.randint(201, 989)}-{rng.randint(1000, 9999)}"
        if phonenumbers.is_valid_number(phonenumbers.parse(text, "US")):
            return text


def _ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _ip(rng: random.Random) -> str:
    first = rng.choice((23, 34, 52, 81, 104, 151))
    return ".".join(str(part) for part in (first, *(rng.randint(1, 254) for _ in range(3))))


def _email(rng: random.Random) -> str:
    first = rng.choice(("anna", "li", "omar"))
    last = rng.choice(("berg", "wang", "haddad"))
    domain = rng.choice(("gmail.com", "acme-corp.de", "outlook.fr"))
    return f"{first}.{last}{rng.randint(1, 99)}@{domain}"


def _jwt(rng: random.Random) -> str:
    head = _b64url({"alg": "HS256", "typ": "JWT"})
    body = _b64url({"sub": chars(rng, ALNUM, 8), "iat": rng.randint(10**9, 2 * 10**9)})
    return f"{head}.{body}.{chars(rng, ALNUM + '-_', 43)}"


def _secrets(r: random.Random) -> list[Callable[[], Secret]]:
    def tok(rule: str, value: str, line: str = "token = {v!r}") -> Secret:
        return Secret(rule, line.format(v=value), value, token=True)

    pw = password(r)
    return [
        lambda: tok("SEC101", "AK" + "IA" + chars(r, UPPER, 16), "aws_id = {v!r}"),
        lambda: (lambda v: Secret("SEC102", f'AWS_SECRET_ACCESS_KEY = "{v}"', v))(
            chars(r, ALNUM + "/+", 40)
        ),
        lambda: tok("SEC103", "gh" + "p_" + chars(r, ALNUM, 36)),
        lambda: tok("SEC103", "github" + "_pat_" + chars(r, ALNUM, 22) + "_" + chars(r, ALNUM, 59)),
        lambda: tok("SEC104", "gl" + "pat-" + chars(r, ALNUM, 20)),
        lambda: tok(
            "SEC105", "xo" + "xb-" + str(r.randint(10**10, 10**11)) + "-" + chars(r, ALNUM, 24)
        ),
        lambda: tok(
            "SEC106",
            "https://hooks.slack.com/services/T"
            + chars(r, UPPER, 8)
            + "/B"
            + chars(r, UPPER, 8)
            + "/"
            + chars(r, ALNUM, 24),
            "requests.post({v!r}, json=msg)",
        ),
        lambda: tok("SEC107", str(r.randint(10**8, 10**9)) + ":AA" + chars(r, ALNUM, 33)),
        lambda: tok(
            "SEC108", "sk-" + "proj-" + chars(r, ALNUM + "_-", 48), "client = OpenAI(api_key={v!r})"
        ),
        lambda: tok("SEC114", "hf" + "_" + chars(r, ALNUM, 34)),
        lambda: tok("SEC109", "sk" + "_live_" + chars(r, ALNUM, 24)),
        lambda: tok("SEC110", "AI" + "za" + chars(r, ALNUM + "_-", 35)),
        lambda: (lambda v: Secret("SEC111", v, v))(_pem(r)),
        lambda: tok("SEC112", _jwt(r)),
        lambda: tok("SEC113", "pypi-" + "AgEIcHlwaS5vcmc" + chars(r, ALNUM, 60)),
        lambda: Secret("SEC120", f"postgresql://analyst:{pw}@db.internal.corp:5432/sales", pw),
        lambda: Secret(
            "SEC121", f"Server=tcp:sql1.corp.net;Database=crm;User Id=sa;Password={pw};", pw
        ),
        lambda: Secret("SEC122", f'db_password = "{pw}"', pw),
        lambda: (lambda v: Secret("SEC123", f'client = Api("{v}")', v))(chars(r, ALNUM, 40)),
        lambda: (lambda v: Secret("SEC124", f'headers = {{"Authorization": "Bearer {v}"}}', v))(
            chars(r, ALNUM, 32)
        ),
        lambda: tok("SEC100", "SG." + chars(r, ALNUM, 22) + "." + chars(r, ALNUM, 43)),
        # Bare hex is a commit id or a digest: these two are secrets only beside their names.
        lambda: (lambda v: Secret("SEC125", f"CLOUDFLARE_API_KEY = {v!r}", v))(chars(r, HEX, 37)),
        lambda: (lambda v: Secret("SEC126", f"dashboard = meraki.DashboardAPI({v!r})", v))(
            chars(r, HEX, 40)
        ),
        lambda: tok("SEC128", "sq" + "p_" + chars(r, HEX, 40)),
        lambda: tok("SEC129", "sg" + "p_" + chars(r, HEX, 40)),
        lambda: tok(
            "SEC130", "nt" + "n_" + str(r.randint(10**10, 10**11 - 1)) + chars(r, ALNUM, 35)
        ),
        lambda: tok("SEC131", "fo" + "1_" + chars(r, ALNUM + "_-", 43)),
        lambda: tok("SEC132", "sntr" + "yu_" + chars(r, HEX, 64)),
        lambda: Secret("SEC133", f"!curl -u analyst:{pw} https://search.internal.corp:9200", pw),
        lambda: tok("SEC134", "hv" + "s." + chars(r, ALNUM + "_-", 95)),
        lambda: Secret("SEC135", f'SNOWFLAKE_PASSWORD = "{pw}"', pw),
        lambda: (lambda v: Secret("PII101", f"contact: {v}", v))(_email(r)),
        lambda: (lambda v: Secret("PII102", f"phone: {v}", v))(_phone(r)),
        lambda: (lambda v: Secret("PII103", f"card: {v}", v))(_card(r)),
        lambda: (lambda v: Secret("PII104", f"iban: {v}", v))(_iban(r)),
        lambda: (lambda v: Secret("PII105", f"ssn: {v}", v))(_ssn(r)),
        lambda: (lambda v: Secret("PII106", f"client_ip: {v}", v))(_ip(r)),
    ]


def planted(rng: random.Random) -> list[Secret]:
    """One fresh value of every kind."""
    return [make() for make in _secrets(rng)]


def negatives(rng: random.Random) -> list[str]:
    """Lines that look sensitive and are not: every detector must stay quiet."""
    sha = "".join(rng.choice("0123456789abcdef") for _ in range(40))
    stem = "4" + "".join(rng.choice(string.digits) for _ in range(14))
    bad_card = stem + str((int(luhn.calc_check_digit(stem)) + 1) % 10)
    uuid_text = "-".join(chars(rng, "0123456789abcdef", n) for n in (8, 4, 4, 4, 12))
    return [
        'api_key = "YOUR_API_KEY"',
        'token = "<token>"',
        'password = "xxxxxxxx"',
        'OPENAI_API_KEY = "sk-..."',
        'password = os.environ["DB_PASSWORD"]',
        "aws_id = " + repr("AK" + "IA" + "IOSFODNN7" + "EXAMPLE"),
        "contact: jane.doe@example.com, ops@example.org, bob@mail.test",
        f"card: {bad_card}",
        f"run id {uuid_text}",
        f"commit {sha}",
        f"md5 {sha[:32]}",
        "server 192.168.1.20, gateway 10.0.0.1, docs 203.0.113.7, localhost 127.0.0.1",
        "ssn: 000-12-3456 and 666-45-6789",
        "iban: DE00 1234 5678 9012 3456 78",
        "url: postgresql://user:${DB_PASSWORD}@localhost/db",
        "token_pattern = r'(?u)\\b\\w\\w+\\b'",
        "x[1::2], y[::3]",
        "version 1.2.3.4 released",
    ]

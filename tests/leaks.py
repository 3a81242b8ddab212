"""Sensitive values assembled at runtime, and the check that no text leaks any piece of one."""

from __future__ import annotations

import functools
from collections.abc import Iterable

from pytest_nbgate import ruledoc

WINDOW = 16


def github_token() -> str:
    return "gh" + "p_" + "A1b2C3d4E5f6G7h8I9j0" + "K1l2M3n4O5p6Q7r8"


def aws_key_id() -> str:
    return "AK" + "IA" + "Z7Q2D4W6Y8A3C5E7"


def stripe_key() -> str:
    return "sk" + "_live_" + "4eC39HqLyjWD" + "arjtT1zdp7dc"


def pypi_token() -> str:
    body = "CJGQ4ZjE5NzYtYjM0Ny00NzE0" + "LWE5NjctNmQ4YmY5NTY3ZjE1AAIqWzMsImJj"
    return "pypi" + "-AgEIcHlwaS5vcmc" + body


def jwt() -> str:
    header = "eyJhbGciOiJI" + "UzI1NiIsInR5cCI6IkpXVCJ9"
    claims = "eyJzdWIiOiIx" + "MjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9"
    return f"{header}.{claims}." + "SflKxwRJSMeKKF2QT4fw" + "pMeJf36POk6yJV_adQssw5c"


def pieces(value: str, window: int = WINDOW) -> set[str]:
    """The value itself and every ``window``-character piece of it."""
    if len(value) <= window:
        return {value}
    return {value[i : i + window] for i in range(len(value) - window + 1)}


@functools.cache
def _public() -> str:
    """What reports may always print: the rules' documentation (``https://hooks.slack.com/``)."""
    return ruledoc.reference()


def leaked(texts: Iterable[str], values: Iterable[str]) -> list[str]:
    """Where a value or one of its pieces appears, by number (never the value itself).

    Pieces that the rule documentation itself spells (a webhook's fixed host and
    path) are public, not part of the secret.
    """
    found = []
    public = _public()
    wanted = [(n, {p for p in pieces(value) if p not in public}) for n, value in enumerate(values)]
    for name, text in enumerate(texts):
        for number, parts in wanted:
            if any(part in text for part in parts):
                found.append(f"text #{name} holds a piece of value #{number}")
    return found

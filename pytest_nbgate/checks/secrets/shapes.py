"""Shapes of strings that look random to an entropy measure but are not credentials.

The context rules (SEC122, SEC123, SEC100) see every quoted string and
every value assigned to a ``token``-like name; these predicates keep their
false alarms down without naming any provider.
"""

from __future__ import annotations

import re

_REPEAT = re.compile(r"(.{1,4}?)\1{2,}")
_REPEAT_MIN = 6
_REPEAT_SHARE = 0.5
"""Runs of one short unit (6 characters or more) covering half the value: typed filler.

Random tokens have such runs rarely and short; a fixed run inside a real
format (the ``AAAA…`` head of a Twitter bearer token) covers far less."""
_VERSION = re.compile(r"[A-Za-z][\w.-]*?[-:_]v?\d+(?:\.\d+){1,3}(?:[-.][A-Za-z0-9]+)?$")
_WORD = re.compile(r"[A-Z][a-z]{3,}")
_MIN_WORDS = 4
_WORD_SHARE = 0.4
"""Four or more capitalised, pronounceable words covering this share: camelCase prose.

Measured on random base62 strings of 20 to 100 characters: fewer than 1 in 10,000 pass."""


def is_repetitive(value: str) -> bool:
    """Mostly runs of one short unit (``111111…``, ``123123123…``, ``aaaa1111bbbb2222``)."""
    runs = sum(len(m.group(0)) for m in _REPEAT.finditer(value) if len(m.group(0)) >= _REPEAT_MIN)
    return runs >= _REPEAT_SHARE * len(value)


def is_version_like(value: str) -> bool:
    """A package coordinate or versioned name (``jjwt-jackson-0.11.2``, ``lib:1.2.3``)."""
    return bool(_VERSION.match(value))


def is_camel_words(value: str) -> bool:
    """Mostly words glued in camelCase or snake_case (CSS selectors, widget ids, names)."""
    words = [word for word in _WORD.findall(value) if _pronounceable(word)]
    return len(words) >= _MIN_WORDS and sum(map(len, words)) >= _WORD_SHARE * len(value)


def _pronounceable(word: str) -> bool:
    return sum(ch in "aeiouy" for ch in word.lower()) >= 0.3 * len(word)


def is_not_a_token(value: str) -> bool:
    """Any of the shapes above: the context rules never report these."""
    return is_repetitive(value) or is_version_like(value) or is_camel_words(value)

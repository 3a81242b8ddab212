"""The one ANSI escape stripper: colour (CSI) and title/hyperlink (OSC) sequences.

IPython colours tracebacks and libraries colour their progress output; the
scan, the golden comparison and the execution findings must all see the same
plain text, or a value would be found in one place and missed in another.
"""

from __future__ import annotations

import re

_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def strip_ansi(text: str) -> str:
    """``text`` without terminal escape sequences (a cheap no-op when it has none)."""
    return _ESCAPES.sub("", text) if "\x1b" in text else text

"""One ANSI stripper: the scan, the golden comparison and execution findings see the same text."""

from __future__ import annotations

import pytest

from pytest_nbgate.notebook.ansi import strip_ansi
from pytest_nbgate.snapshots.normalize import Normalization

ESC = "\x1b"


@pytest.mark.parametrize(
    ("coloured", "plain"),
    [
        (f"{ESC}[0;31mValueError{ESC}[0m: bad", "ValueError: bad"),
        (f"{ESC}[38;5;208morange{ESC}[39m", "orange"),
        (f"{ESC}[2K{ESC}[1A 50%", " 50%"),
        (f"{ESC}]8;;https://example.org{ESC}\\link{ESC}]8;;{ESC}\\", "link"),
        (f"{ESC}]0;title\x07body", "body"),
        ("no escapes at all", "no escapes at all"),
    ],
)
def test_colour_cursor_and_hyperlink_escapes_are_removed(coloured: str, plain: str) -> None:
    assert strip_ansi(coloured) == plain


def test_the_golden_comparison_uses_the_same_stripper() -> None:
    text = f"{ESC}]8;;https://example.org{ESC}\\x = {ESC}[1m1{ESC}[0m{ESC}]8;;{ESC}\\"
    assert Normalization().text(text) == strip_ansi(text) == "x = 1"

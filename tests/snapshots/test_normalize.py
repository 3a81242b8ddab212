"""Normalisers: volatile text becomes stable, real content stays visible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytest_nbgate.snapshots.normalize import (
    Normalization,
    Scrubber,
    Tolerance,
    canonical_json,
    canonical_markup,
    collapse_carriage_returns,
    compare_text,
    renumber_svg_ids,
)

DEFAULT = Normalization()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<object object at 0x7f02410c7090>", "<object object at 0x<addr>>"),
        ("2026-11-24 16:00:08.129532", "<datetime>"),
        ("2026-11-24T16:00:08.130027+00:00", "<datetime>"),
        ("Tue Nov 24 16:00:08 2026", "<datetime>"),
        ("Tue, 24 Nov 2026 16:00:08 +0000", "<datetime>"),
        ("at 16:00:08 sharp", "at <time> sharp"),
        ("took 1.23s", "took <duration>"),
        ("took 3s", "took <duration>"),
        ("Wall time: 12.5 ms", "Wall time: <duration>"),
        ("elapsed 2 minutes", "elapsed <duration>"),
        (
            "1.23 µs ± 45.6 ns per loop (mean ± std. dev. of 7 runs, 1,000,000 loops each)",
            "<timeit>",
        ),
        ("d82eedc3-cc43-4bfa-93c7-eebed8a542ac", "<uuid>"),
        ("/tmp/tmpxuv37php", "<tmp>"),
        ("saved to /var/folders/x1/abc/T/tmp9/out.csv.", "saved to <tmp>."),
        (
            "/tmp/ipykernel_10214/4232572154.py:2: UserWarning: careful\n"
            "  warnings.warn('careful')",
            "<path>:<line>: UserWarning: careful\n  warnings.warn('careful')",
        ),
        (
            "/home/me/lib/site.py:10: DeprecationWarning: old",
            "<path>:<line>: DeprecationWarning: old",
        ),
        (
            "100%|██████████| 30/30 [00:00<00:00, 456.13it/s]",
            "100%|██████████| 30/30 [<progress>]",
        ),
        ("\x1b[31mred\x1b[0m   \n\n", "red"),
    ],
)
def test_builtin_normalisers_scrub_volatile_text(text: str, expected: str) -> None:
    assert DEFAULT.text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the 1990s were loud",
        "2020-01-01 is data, not a timestamp",
        "total 42 items in 7 boxes",
        "x1 = 0x12",
        "version 1.2.3",
        "std   1.72   0.33\nmin   1.00   16.97",
    ],
)
def test_normalisers_leave_real_content_alone(text: str) -> None:
    assert DEFAULT.text(text) == text


def test_dates_normaliser_is_off_by_default_and_can_be_switched_on() -> None:
    assert DEFAULT.text("2020-01-01") == "2020-01-01"
    assert Normalization(DEFAULT.enabled | {"dates"}).text("2020-01-01") == "<date>"


def test_switching_a_normaliser_off_keeps_its_text() -> None:
    without = Normalization(DEFAULT.enabled - {"memory-addresses"})
    assert without.text("at 0x7f02410c7090") == "at 0x7f02410c7090"


def test_profile_scrubbers_run_after_builtins() -> None:
    norm = Normalization(DEFAULT.enabled, (Scrubber.parse(r"run-(\d+)", r"run-N"),))
    assert norm.text("run-17 at 0x7f02410c7090") == "run-N at 0x<addr>"
    assert "1 profile scrubber(s)" in norm.describe()


def test_invalid_scrubber_pattern_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"invalid scrubber pattern '\('"):
        Scrubber.parse("(")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\r  0%|   | 0/3\r 33%|#  | 1/3\r100%|###| 3/3\n", "100%|###| 3/3\n"),
        ("abc\rX\n", "Xbc\n"),
        ("ab\bc\n", "ac\n"),
        ("line\r\nnext", "line\nnext"),
    ],
)
def test_carriage_returns_and_backspaces_collapse_as_a_terminal_shows_them(
    raw: str, shown: str
) -> None:
    assert collapse_carriage_returns(raw) == shown


def test_html_compares_structurally() -> None:
    one = '<table class="df" border="1">\n  <tr><td>1</td></tr></table>'
    two = '<table border="1"   class="df"><tr>\n<td> 1 </td>\n</tr>\n</table>'
    assert canonical_markup(one) == canonical_markup(two)
    assert canonical_markup(one) != canonical_markup(one.replace(">1<", ">2<"))


def test_json_key_order_does_not_matter() -> None:
    assert canonical_json('{"b": 1, "a": [1, 2]}') == canonical_json('{"a":[1,2],"b":1}')


def test_svg_random_ids_are_renumbered_by_first_appearance() -> None:
    one = '<clipPath id="p1a2b"><rect/></clipPath><g clip-path="url(#p1a2b)"/>'
    two = '<clipPath id="pffee"><rect/></clipPath><g clip-path="url(#pffee)"/>'
    assert renumber_svg_ids(one) == renumber_svg_ids(two)
    assert DEFAULT.text(one, "image/svg+xml") == DEFAULT.text(two, "image/svg+xml")


@pytest.mark.parametrize(
    ("golden", "fresh", "tolerance", "same"),
    [
        ("0.3", "0.30000000000000004", Tolerance(), True),
        ("0.3", "0.30000000000000004", Tolerance(rel=0, abs=0), False),
        ("mean 1.000", "mean 1.001", Tolerance(rel=1e-2), True),
        ("mean 1.000", "mean 1.001", Tolerance(), False),
        ("count 100", "count 101", Tolerance(rel=0.5), False),
        ("x 0.0", "x 1e-12", Tolerance(rel=0, abs=1e-9), True),
        ("nan", "nan", Tolerance(), True),
    ],
)
def test_floats_in_text_compare_with_tolerance_integers_exactly(
    golden: str, fresh: str, tolerance: Tolerance, same: bool
) -> None:
    assert compare_text(golden, fresh, tolerance)[0] is same


def test_diff_view_hides_lines_that_are_within_tolerance() -> None:
    golden = "a 0.3\nb 1\nc 2.5"
    fresh = "a 0.30000000000000004\nb 1\nc 2.6"
    same, shown = compare_text(golden, fresh, Tolerance())
    assert not same
    assert shown == ["a 0.3", "b 1", "c 2.6"]


PIECES = [*"ab01:-. x<>/&\n\r\t%|\x08", "0x7f0241", "2026-11-24 ", "12:00:01", "/tmp/a"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@given(TEXTS, st.sampled_from(["stream", "text/plain", "text/html", "error"]))
def test_normalising_twice_changes_nothing(text: str, mime: str) -> None:
    once = DEFAULT.text(text, mime)
    assert DEFAULT.text(once, mime) == once


@pytest.mark.parametrize(
    ("text", "mime", "expected"),
    [
        # Masking the time makes the address start a word: it is masked in the same call.
        ("2026-11-24 12:00:010x7f0241", "stream", "<datetime>0x<addr>"),
        # Collapsing the markup's whitespace completes a datetime: masked too.
        ("2026-11-24  12:00:010", "text/html", "&lt;datetime&gt;0"),
    ],
)
def test_one_mask_exposing_another_settles_in_one_call(text: str, mime: str, expected: str) -> None:
    assert DEFAULT.text(text, mime) == expected
    assert DEFAULT.text(expected, mime) == expected

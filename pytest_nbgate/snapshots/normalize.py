"""Output normalisation: make two runs of an unchanged notebook compare equal.

Each output is turned into comparable text per mime type (HTML and SVG into
one canonical token per line, JSON into sorted, indented JSON, streams with
carriage-return rewrites collapsed as a terminal shows them), then the
enabled built-in scrubbers and the profile's own scrubbers replace volatile
spans (addresses, timestamps, durations...) by fixed placeholders. Numbers
left in the text are compared with a tolerance by :func:`compare_text`.

Everything here is pure and idempotent: normalising normalised text changes
nothing, which is what lets the external store keep normalised goldens.
"""

from __future__ import annotations

import difflib
import html
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from pytest_nbgate.notebook.ansi import strip_ansi

_DATE = r"\d{4}-\d{2}-\d{2}"
_CLOCK = r"\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?"
# Optional spaces are single spaces, never newlines: a number ending one table row and a
# label starting the next ("0.33\nmin") must not read as one duration.
_ZONE = r"(?:[ ]?(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_UNIT = r"(?:ns|µs|μs|us|ms|s|sec|secs|seconds?|mins?|minutes?|h|hrs?|hours?)"

# (name, on by default, pattern, replacement); applied in this order.
_BUILTIN_PATTERNS: tuple[tuple[str, bool, str, str], ...] = (
    # tqdm's "[00:01<00:02, 12.3it/s]" block: the bar itself is kept, its timing is not.
    ("progress-bars", True, r"\[\d+:\d+(?::\d+)?<[^\]\n]*\]", "[<progress>]"),
    ("progress-bars", True, r"\d+(?:\.\d+)?[ ]?(?:it|s)/(?:s|it)\b", "<rate>"),
    (
        "warning-paths",
        True,
        r"(?m)^[^\s:]*?[\\/]?[\w.-]+\.py:\d+: (?=\w*(?:Warning|Error)\b)",
        "<path>:<line>: ",
    ),
    (
        "temp-paths",
        True,
        # A path never ends with the full stop of the sentence it is in.
        r"(?:/private)?/(?:tmp|var/folders|var/tmp)/(?:[^\s'\"<>:,)\]]*[^\s'\"<>:,)\].])?"
        r"|[A-Za-z]:\\[^\s'\"<>]*?\\Temp\\(?:[^\s'\"<>:,)\]]*[^\s'\"<>:,)\].])?",
        "<tmp>",
    ),
    (
        "uuids",
        True,
        r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
        "<uuid>",
    ),
    ("memory-addresses", True, r"\b0x[0-9a-fA-F]{6,16}\b", "0x<addr>"),
    (
        "datetimes",
        True,
        rf"\b{_DATE}[T ]\d{{2}}:\d{{2}}(?::\d{{2}}(?:[.,]\d+)?)?{_ZONE}",
        "<datetime>",
    ),
    (
        "datetimes",
        True,
        rf"\b{_DAY},? (?:\d{{1,2}} {_MONTH}|{_MONTH} +\d{{1,2}}),? "
        rf"(?:\d{{4}} )?{_CLOCK}(?: \d{{4}})?{_ZONE}",
        "<datetime>",
    ),
    ("datetimes", True, rf"(?<![\d:]){_CLOCK}{_ZONE}(?![\d:])", "<time>"),
    ("dates", False, rf"\b{_DATE}\b", "<date>"),
    (
        "durations",
        True,
        r"\b\d[\d.,]*[ ]?(?:ns|µs|μs|us|ms) ± [\d.,]+[ ]?(?:ns|µs|μs|us|ms|s) per loop "
        r"\(mean ± std\. dev\. of \d+ runs?, [\d,]+ loops? each\)",
        "<timeit>",
    ),
    ("durations", True, rf"(?<![\w.<])\d+\.\d+(?:e-?\d+)?[ ]?{_UNIT}(?![\w/])", "<duration>"),
    ("durations", True, rf"(?<![\w.<])\d+[ ]?(?!s\b|h\b){_UNIT}(?![\w/])", "<duration>"),
    ("durations", True, r"\b(took|in|after|elapsed|time:?) \d+[ ]?[sh]\b", r"\1 <duration>"),
)

BUILTIN_NAMES: tuple[str, ...] = (
    "ansi",
    "trailing-whitespace",
    *dict.fromkeys(name for name, *_ in _BUILTIN_PATTERNS),
    "svg-ids",
)
"""Every built-in normaliser, by its profile spelling."""

DEFAULT_ON: frozenset[str] = frozenset(
    {"ansi", "trailing-whitespace", "svg-ids"} | {name for name, on, *_ in _BUILTIN_PATTERNS if on}
)

MARKUP_MIMES = frozenset({"text/html", "image/svg+xml"})

_COMPILED = tuple(
    (name, re.compile(pattern), replacement)
    for name, _on, pattern, replacement in _BUILTIN_PATTERNS
)


@dataclass(frozen=True)
class Scrubber:
    """A profile-defined regular-expression replacement."""

    pattern: re.Pattern[str]
    replacement: str

    @classmethod
    def parse(cls, pattern: str, replacement: str = "<scrubbed>") -> Scrubber:
        try:
            return cls(re.compile(pattern), replacement)
        except re.error as exc:
            raise ValueError(f"invalid scrubber pattern {pattern!r}: {exc}") from None


_NBVAL_PAIR = re.compile(r"^regex: (.*)$\n^replace: (.*)$", re.MULTILINE)


def nbval_scrubbers(text: str, source: str) -> tuple[Scrubber, ...]:
    """nbval's sanitize file: each ``regex: X`` line followed by a ``replace: Y`` line.

    Section headers (``[name]``) and anything else between pairs are ignored,
    exactly as nbval reads them.
    """
    try:
        return tuple(Scrubber.parse(regex, replace) for regex, replace in _NBVAL_PAIR.findall(text))
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from None


@dataclass(frozen=True)
class Normalization:
    """Which normalisers run, in a fixed order, and the profile's scrubbers after them."""

    enabled: frozenset[str] = DEFAULT_ON
    scrubbers: tuple[Scrubber, ...] = ()

    def describe(self) -> str:
        names = [name for name in BUILTIN_NAMES if name in self.enabled]
        if self.scrubbers:
            names.append(f"{len(self.scrubbers)} profile scrubber(s)")
        return ", ".join(names) or "none"

    def text(self, text: str, mime: str = "text/plain") -> str:
        """Comparable form of one output's text for ``mime`` (``stream``, ``error``...)."""
        if "ansi" in self.enabled:
            text = strip_ansi(text)
        if mime in MARKUP_MIMES:
            # Scrubbed before parsing, placeholders escaped: "<addr>" must stay text, not a tag.
            text = canonical_markup(self.scrub(text, escape=True))
            # Collapsing whitespace can complete a pattern ("date  time"): scrub once more.
            text = self.scrub(text, escape=True)
            if mime == "image/svg+xml" and "svg-ids" in self.enabled:
                text = renumber_svg_ids(text)
        else:
            if mime == "stream":
                text = collapse_carriage_returns(text)
            elif mime == "application/json" or mime.endswith("+json"):
                text = canonical_json(text)
            text = self.scrub(text)
        if "trailing-whitespace" in self.enabled:
            text = "\n".join(line.rstrip() for line in text.rstrip().split("\n"))
        return text

    def scrub(self, text: str, *, escape: bool = False) -> str:
        # One replacement can expose another ("...12:00:010x7f02": once the time is
        # masked, the address starts a word), so passes repeat until nothing changes.
        for _ in range(MAX_SCRUB_PASSES):
            scrubbed = self._scrub_once(text, escape)
            if scrubbed == text:
                break
            text = scrubbed
        return text

    def _scrub_once(self, text: str, escape: bool) -> str:
        for name, pattern, replacement in _COMPILED:
            if name in self.enabled:
                text = _sub(pattern, replacement, text, escape)
        for scrubber in self.scrubbers:
            text = _sub(scrubber.pattern, scrubber.replacement, text, escape)
        return text


MAX_SCRUB_PASSES = 4
"""A user's scrubber may never settle (``a`` -> ``aa``): the passes are bounded."""


def _sub(pattern: re.Pattern[str], replacement: str, text: str, escape: bool) -> str:
    if not escape:
        return pattern.sub(replacement, text)
    return pattern.sub(lambda match: html.escape(match.expand(replacement)), text)


_BACKSPACE = re.compile(r"[^\n\x08]\x08")


def collapse_carriage_returns(text: str) -> str:
    """What a terminal shows: ``\\r`` rewinds to the line start, ``\\b`` erases a character."""
    while "\x08" in text:
        collapsed = _BACKSPACE.sub("", text)
        if collapsed == text:
            text = text.replace("\x08", "")
            break
        text = collapsed
    if "\r" not in text:
        return text
    text = text.replace("\r\n", "\n")
    return "\n".join(_overwrite(line) for line in text.split("\n"))


def _overwrite(line: str) -> str:
    shown = ""
    for piece in line.split("\r"):
        shown = piece + shown[len(piece) :]
    return shown


class _Canonical(HTMLParser):
    """One line per tag with sorted attributes; text with whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush()
        self.lines.append(f"<{tag}{_attrs(attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush()
        self.lines.append(f"<{tag}{_attrs(attrs)}/>")

    def handle_endtag(self, tag: str) -> None:
        self.flush()
        self.lines.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        # The parser may hand one text run over in pieces; it must become one line.
        self._text.append(data)

    def flush(self) -> None:
        collapsed = " ".join("".join(self._text).split())
        self._text.clear()
        if collapsed:
            # Escaped again so that canonical text parses back to itself (idempotence).
            self.lines.append(html.escape(collapsed, quote=False))


def _attrs(attrs: Iterable[tuple[str, str | None]]) -> str:
    parts = []
    for name, value in sorted(attrs, key=lambda pair: pair[0]):
        if value is None:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{html.escape(" ".join(value.split()))}"')
    return "".join(parts)


def canonical_markup(text: str) -> str:
    """HTML/SVG as tokens: attribute order, indentation and comments do not matter."""
    parser = _Canonical()
    parser.feed(text)
    parser.close()
    parser.flush()
    return "\n".join(_join_leaves(parser.lines))


def _join_leaves(tokens: list[str]) -> list[str]:
    """``<td>``, ``0.5``, ``</td>`` on one line: a table row diff reads like the table."""
    lines: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        tag = token[1:].split(" ", 1)[0].rstrip(">") if token.startswith("<") else ""
        closing = f"</{tag}>"
        if tag and not tag.startswith("/") and not token.endswith("/>"):
            if tokens[index + 1 : index + 2] == [closing]:
                lines.append(token + closing)
                index += 2
                continue
            middle = tokens[index + 1 : index + 2]
            if (
                middle
                and not middle[0].startswith("<")
                and tokens[index + 2 : index + 3] == [closing]
            ):
                lines.append(token + middle[0] + closing)
                index += 3
                continue
        lines.append(token)
        index += 1
    return lines


_SVG_ID = re.compile(r'\bid="([^"]+)"')


def renumber_svg_ids(text: str) -> str:
    """matplotlib draws random ids (clip paths, glyphs); number them by first appearance."""
    ids = list(dict.fromkeys(_SVG_ID.findall(text)))
    if not ids:
        return text
    names = {old: f"id{number}" for number, old in enumerate(ids)}
    pattern = re.compile(
        r'(?<=id=")(' + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r')(?=")'
        r"|(?<=#)(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")\b"
    )
    return pattern.sub(lambda m: names[m.group(1) or m.group(2)], text)


def canonical_json(text: str) -> str:
    """Sorted keys, one-space indent: key order never fails a comparison."""
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        return text
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Tolerance:
    """How far apart two floating-point numbers in text may be."""

    rel: float = 1e-9
    abs: float = 0.0

    def describe(self) -> str:
        return f"rel={self.rel:g}, abs={self.abs:g}"

    def close(self, golden: str, fresh: str) -> bool:
        if golden == fresh:
            return True
        if not (_is_float(golden) and _is_float(fresh)):
            return False
        a, b = float(golden), float(fresh)
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=self.rel, abs_tol=self.abs)


_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")


def _is_float(token: str) -> bool:
    return any(char in token for char in ".eE")


def _mask(line: str) -> str:
    return _NUMBER.sub("#", line)


def lines_close(golden: str, fresh: str, tolerance: Tolerance) -> bool:
    """Same text apart from floats that are within ``tolerance`` (integers must be equal)."""
    if golden == fresh:
        return True
    if _mask(golden) != _mask(fresh):
        return False
    pairs = zip(_NUMBER.findall(golden), _NUMBER.findall(fresh), strict=True)
    return all(tolerance.close(a, b) for a, b in pairs)


def compare_text(golden: str, fresh: str, tolerance: Tolerance) -> tuple[bool, list[str]]:
    """Whether the texts match, and the fresh lines with in-tolerance lines shown as golden.

    Lines equal within tolerance are replaced by their golden twin so that the
    unified diff built from the result only shows real differences.
    """
    if golden == fresh:
        return True, golden.split("\n")
    old, new = golden.split("\n"), fresh.split("\n")
    shown = list(new)
    matcher = difflib.SequenceMatcher(None, [_mask(x) for x in old], [_mask(x) for x in new], False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                if lines_close(old[i1 + offset], new[j1 + offset], tolerance):
                    shown[j1 + offset] = old[i1 + offset]
    return shown == old, shown


def unified(golden: list[str], fresh: list[str], label: str, context: int = 3) -> list[str]:
    """A unified diff golden -> fresh, without the trailing-newline noise of difflib."""
    return list(
        difflib.unified_diff(
            golden, fresh, f"golden {label}", f"fresh {label}", lineterm="", n=context
        )
    )

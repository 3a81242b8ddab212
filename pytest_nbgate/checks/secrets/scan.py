"""One extraction of the decoded text a notebook really contains, shared by every SEC/PII rule.

detect-secrets reads the raw ``.ipynb`` line by line, so JSON escaping hides
values (``password = \\"...\\"``) and base64 images flood it. Here each place a
value can hide (cell sources, stream and rich outputs, tracebacks, metadata,
attachment names, widget state) becomes a :class:`Fragment` of decoded text
with its own location; binary data (images, PDFs, ``data:`` URIs) never does.

All fragments are joined into one :class:`Scan` document so a detector runs
one regex per notebook rather than one per line, after a cheap keyword check
on the document. :func:`scan_of` builds the scan once per notebook object.
"""

from __future__ import annotations

import bisect
import functools
import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pytest_nbgate.notebook.ansi import strip_ansi
from pytest_nbgate.notebook.model import Cell, Notebook, Output

SEPARATOR = "\n\x00\n"
"""Between fragments: no detector pattern crosses a NUL."""

OUTPUT_KINDS = frozenset(
    {"stream", "text-plain", "html", "markdown-output", "json", "traceback", "text-other"}
)
_SOURCE_KIND = {"code": "source", "markdown": "markdown", "raw": "raw"}
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_SKIPPED_JSON_MIMES = ("application/vnd.jupyter.widget-view+json",)
_DATA_URI = re.compile(r"data:[\w.+/-]+;base64,[A-Za-z0-9+/=\s\\n]{16,}")
_HTML_BREAK = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_HTML_LINE = re.compile(r"<br\s*/?>|</(?:tr|p|div|li|h\d|pre|table)\s*>", re.IGNORECASE)
_HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_HTML_SKIP = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")
# Starting on the digit lets the regex engine skip ahead to digits; a run still takes one
# "(" or "+" just before it, exactly as ``[(+]?\d[\d .()/+-]{5,}`` would.
_DIGIT_RUN = re.compile(r"\d[\d .()/+-]{5,}")
_RUN_OPENERS = "(+"


@dataclass(frozen=True, slots=True)
class Fragment:
    """Decoded text from one place in a notebook; ``line`` is the cell line it starts on."""

    kind: str
    cell: Cell | None
    text: str
    line: int | None = None
    output_index: int | None = None

    @property
    def in_output(self) -> bool:
        return self.output_index is not None


@dataclass(frozen=True)
class Hit:
    """Where a match landed: its fragment and, for cell sources, its 1-based line."""

    fragment: Fragment
    line: int | None


@dataclass
class Scan:
    """All fragments of a notebook as one document, with a lower-cased copy for keywords."""

    fragments: tuple[Fragment, ...]
    document: str = field(init=False)
    starts: list[int] = field(init=False)
    _lower: str | None = field(default=None, init=False)
    _digit_runs: list[tuple[int, int]] | None = field(default=None, init=False)
    _runs_by_width: dict[int, list[tuple[int, int]]] = field(default_factory=dict, init=False)
    _has_words: dict[tuple[tuple[str, ...], bool], bool] = field(default_factory=dict, init=False)
    _has_group: dict[tuple[str, bool], bool] = field(default_factory=dict, init=False)
    found: set[str] = field(default_factory=set, init=False)
    """Every value a detector accepted here, whatever its scope: the redactor's knowledge."""
    searched: set[str] = field(default_factory=set, init=False)
    """Ids of the detectors that have added their values to :attr:`found`."""

    def __post_init__(self) -> None:
        starts: list[int] = []
        offset = 0
        for fragment in self.fragments:
            starts.append(offset)
            offset += len(fragment.text) + len(SEPARATOR)
        self.starts = starts
        self.document = SEPARATOR.join(fragment.text for fragment in self.fragments)

    @property
    def lower(self) -> str:
        """The document lower-cased once, for case-insensitive keyword prefilters."""
        if self._lower is None:
            self._lower = self.document.lower()
        return self._lower

    @property
    def digit_runs(self) -> list[tuple[int, int]]:
        """Spans of digits mixed with separators, computed once for every numeric detector."""
        if self._digit_runs is None:
            document = self.document
            runs = []
            for match in _DIGIT_RUN.finditer(document):
                start, end = match.span()
                if start and document[start - 1] in _RUN_OPENERS:
                    start -= 1
                runs.append((start, end))
            self._digit_runs = runs
        return self._digit_runs

    def digit_runs_at_least(self, width: int) -> list[tuple[int, int]]:
        """The :attr:`digit_runs` at least ``width`` long: shorter ones cannot hold a match."""
        runs = self._runs_by_width.get(width)
        if runs is None:
            runs = [(start, end) for start, end in self.digit_runs if end - start >= width]
            self._runs_by_width[width] = runs
        return runs

    def contains_any(self, words: tuple[str, ...], ignore_case: bool) -> bool:
        """Whether one of ``words`` is in the document (lower-cased if ``ignore_case``).

        Answered once per scan for each word list, however many detectors share it.
        """
        key = (words, ignore_case)
        found = self._has_words.get(key)
        if found is None:
            text = self.lower if ignore_case else self.document
            found = self._has_words[key] = any(
                self._group_hit(word, ignore_case, text) and word in text for word in words
            )
        return found

    def _group_hit(self, word: str, ignore_case: bool, text: str) -> bool:
        """Whether a registered keyword with ``word``'s first character is in ``text``.

        Every detector's keywords with one first character share one regex
        pass (once per scan), so the prefilters of forty detectors cost a pass
        per character rather than one per word. An unregistered word is
        answered by the caller's own substring test.
        """
        key = (word[:1], ignore_case)
        if word not in _KEYWORDS.get(key, ()):
            return True
        hit = self._has_group.get(key)
        if hit is None:
            hit = self._has_group[key] = _group(*key).search(text) is not None
        return hit

    def locate(self, position: int) -> Hit:
        """The fragment holding document offset ``position`` and the line inside its cell."""
        index = bisect.bisect_right(self.starts, position) - 1
        fragment = self.fragments[index]
        if fragment.line is None:
            return Hit(fragment, None)
        local = position - self.starts[index]
        return Hit(fragment, fragment.line + fragment.text.count("\n", 0, local))


_KEYWORDS: dict[tuple[str, bool], set[str]] = {}
"""Every registered prefilter keyword, by first character and case mode."""


def register_keywords(words: tuple[str, ...], ignore_case: bool) -> None:
    """Add ``words`` to the shared prefilter groups (detector classes do, when defined)."""
    for word in words:
        if word:
            _KEYWORDS.setdefault((word[:1], ignore_case), set()).add(word)
    _group.cache_clear()


@functools.cache
def _group(first: str, ignore_case: bool) -> re.Pattern[str]:
    """One regex of the registered keywords starting with ``first``."""
    words = sorted(_KEYWORDS[first, ignore_case], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def scan_of(notebook: Notebook) -> Scan:
    """The shared scan of ``notebook``, built once and kept as long as the notebook lives."""
    return notebook.derived(_build)


def _build(notebook: Notebook) -> Scan:
    return Scan(tuple(fragments(notebook)))


def fragments(notebook: Notebook) -> Iterator[Fragment]:
    """Every decoded text fragment of ``notebook``, cell by cell, then notebook metadata."""
    for cell in notebook.cells:
        yield from _cell_fragments(cell)
    meta = {k: v for k, v in notebook.metadata.items() if k != "widgets"}
    if meta:
        yield Fragment("metadata", None, render_json(meta))
    widgets = notebook.metadata.get("widgets")
    if isinstance(widgets, Mapping) and widgets:
        yield Fragment("widget-state", None, render_json(widgets.get(_WIDGET_STATE, widgets)))


def _cell_fragments(cell: Cell) -> Iterator[Fragment]:
    if cell.source:
        kind = _SOURCE_KIND.get(cell.cell_type, "raw")
        yield Fragment(kind, cell, strip_data_uris(cell.source), line=1)
    if cell.attachments:
        yield Fragment("attachment-name", cell, "\n".join(str(k) for k in cell.attachments))
    meta = {k: v for k, v in cell.metadata.items() if k not in ("tags", "collapsed", "scrolled")}
    if meta:
        yield Fragment("metadata", cell, render_json(meta))
    for output in cell.outputs:
        yield from _output_fragments(cell, output)


def _output_fragments(cell: Cell, output: Output) -> Iterator[Fragment]:
    index = output.index
    if output.output_type == "stream":
        yield Fragment("stream", cell, strip_ansi(output.text), output_index=index)
    elif output.output_type == "error":
        text = "\n".join((f"{output.ename}: {output.evalue}", *output.traceback))
        yield Fragment("traceback", cell, strip_ansi(text), output_index=index)
    for mime, value in output.data.items():
        kind_text = _mime_text(mime, value)
        if kind_text is not None and kind_text[1]:
            yield Fragment(kind_text[0], cell, kind_text[1], output_index=index)


def _mime_text(mime: str, value: Any) -> tuple[str, str] | None:
    """``(kind, text)`` for a textual mime bundle entry; ``None`` for binary or skipped ones."""
    if mime.startswith("image/") and mime != "image/svg+xml":
        return None
    if mime == "text/plain":
        return "text-plain", strip_ansi(_as_text(value))
    if mime == "text/html":
        return "html", html_text(_as_text(value))
    if mime == "text/markdown":
        return "markdown-output", strip_data_uris(_as_text(value))
    if mime.endswith("json") and mime not in _SKIPPED_JSON_MIMES:
        return "json", render_json(value)
    if mime.startswith("text/") or mime == "application/javascript":
        return "text-other", strip_data_uris(_as_text(value))
    return None


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return json.dumps(value, ensure_ascii=False)


def strip_data_uris(text: str) -> str:
    """Drop inline base64 payloads (``data:image/png;base64,...``): binary, never secrets."""
    return _DATA_URI.sub("data:", text) if "base64," in text else text


def html_text(markup: str) -> str:
    """Visible text of HTML (table cells split by tabs, rows by lines), then link targets."""
    markup = strip_data_uris(markup)
    lower = markup.lower()
    # The case-insensitive link regex is slow to scan with; most tables hold no link.
    links = _HTML_LINK.findall(markup) if "href" in lower or "src" in lower else []
    text = _HTML_SKIP.sub("", markup) if "<s" in lower else markup
    text = _HTML_BREAK.sub("\t", text)
    text = _HTML_LINE.sub("\n", text)
    text = html.unescape(_HTML_TAG.sub("", text))
    if links:
        text += "\n" + "\n".join(html.unescape(link) for link in links)
    return text


def render_json(value: Any) -> str:
    """JSON as decoded ``key: "value"`` lines, so escaping hides nothing from a detector."""
    lines: list[str] = []
    _render(value, "", lines)
    return "\n".join(lines)


def _render(value: Any, key: str, lines: list[str]) -> None:
    if isinstance(value, Mapping):
        for name, item in value.items():
            _render(item, str(name), lines)
    elif isinstance(value, list | tuple):
        for item in value:
            _render(item, key, lines)
    elif isinstance(value, str):
        text = strip_data_uris(value)
        lines.append(f'{key}: "{text}"' if key else text)
    elif value is not None and not isinstance(value, bool):
        lines.append(f"{key}: {value}" if key else str(value))

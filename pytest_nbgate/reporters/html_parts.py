"""Pieces of the HTML report that need more than escaping: diffs, images, rule docs, limits.

Every function takes text that was already redacted and returns markup in
which every piece of that text went through :func:`html.escape`.
"""

from __future__ import annotations

import base64
import difflib
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

MAX_DIFF_ROWS = 300
MAX_LINE_CHARS = 2_000
"""Longer lines are cut before the character diff, which is quadratic in the line length."""
UNCHANGED_CONTEXT = 3
MAX_IMAGE_BYTES = 1_000_000
MAX_IMAGES_BYTES = 8_000_000
"""All images of one report together; keeps a large run's file well under 20 MB."""
_MIMES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
_HEADING = re.compile(r"^#### (.+)$")
_LITERAL = re.compile(r"`([^`]+)`")


def text(value: str) -> str:
    """Escaped text, quotes included (it may sit in an attribute)."""
    return escape(value, quote=True)


def content(value: str) -> str:
    """Escaped text for an element's content, never an attribute: quotes stay as they are
    (code quotes a lot, and ``&#x27;`` is six bytes)."""
    return escape(value, quote=False)


def note(message: str) -> str:
    return f'<p class="note">{text(message)}</p>'


def _marked(line: str, spans: list[tuple[int, int]], tag: str) -> str:
    out, at = [], 0
    for start, end in spans:
        out.append(content(line[at:start]))
        out.append(f"<{tag}>{content(line[start:end])}</{tag}>")
        at = end
    out.append(content(line[at:]))
    return "".join(out)


def char_marks(old: str, new: str) -> tuple[str, str]:
    """Both lines escaped, changed characters in ``<del>`` (old) and ``<ins>`` (new)."""
    old, new = old[:MAX_LINE_CHARS], new[:MAX_LINE_CHARS]
    removed: list[tuple[int, int]] = []
    added: list[tuple[int, int]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.append((i1, i2))
        if tag in ("replace", "insert"):
            added.append((j1, j2))
    return _marked(old, removed, "del"), _marked(new, added, "ins")


def lined(lines: list[str]) -> str:
    """Lines for a ``<pre>``; the parser drops one newline right after ``<pre>``, so an
    empty first line would vanish and the gutter would no longer match the code."""
    return "\n" + "\n".join(lines)


Side = tuple[int, str] | None
"""One side of a diff row: its 0-based line number and its markup, or nothing."""
Row = tuple[str, Side, Side]
"""A diff row: its kind (``eq``, ``chg``, ``del``, ``ins``, ``fold``) and both sides."""


def _changed_rows(a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> list[Row]:
    rows: list[Row] = []
    for k in range(max(i2 - i1, j2 - j1)):
        i, j = i1 + k, j1 + k
        old = a[i] if i < i2 else None
        new = b[j] if j < j2 else None
        if old is not None and new is not None:
            left, right = char_marks(old, new)
            rows.append(("chg", (i, left), (j, right)))
        elif old is not None:
            rows.append(("del", (i, content(old[:MAX_LINE_CHARS])), None))
        elif new is not None:
            rows.append(("ins", None, (j, content(new[:MAX_LINE_CHARS]))))
    return rows


def _equal_rows(a: list[str], i1: int, i2: int, j1: int) -> list[Row]:
    """Unchanged lines, long runs folded to their ends."""
    count = i2 - i1
    keep: list[int] = list(range(count))
    if count > 2 * UNCHANGED_CONTEXT + 1:
        keep = [*range(UNCHANGED_CONTEXT), *range(count - UNCHANGED_CONTEXT, count)]
    rows: list[Row] = []
    for k in keep:
        if k == count - UNCHANGED_CONTEXT and count > 2 * UNCHANGED_CONTEXT + 1:
            folded = f"… {count - 2 * UNCHANGED_CONTEXT} unchanged lines"
            rows.append(("fold", (-1, folded), (-1, folded)))
        line = content(a[i1 + k][:MAX_LINE_CHARS])
        rows.append(("eq", (i1 + k, line), (j1 + k, line)))
    return rows


def _side(rows: list[Row], index: int, marked: str) -> str:
    """One side as a gutter and a code ``<pre>``, line for line with the other side."""
    numbers, lines = [], []
    for kind, *sides in rows:
        side = sides[index]
        numbers.append("" if side is None or side[0] < 0 else str(side[0] + 1))
        markup = "" if side is None else side[1]
        if side is not None and kind in ("chg", marked):
            markup = f'<span class="{kind}">{markup}</span>'
        lines.append(markup)
    return f'<pre class="ln">{lined(numbers)}</pre><pre>{lined(lines)}</pre>'


def side_by_side(golden: str | None, fresh: str | None) -> str:
    """Golden left, fresh right, changed characters marked.

    Each side is plain text in a ``<pre>``, an element only where a line changed: a
    table cell per line made a large report's DOM several times bigger.
    """
    a = [] if golden is None else golden.split("\n")
    b = [] if fresh is None else fresh.split("\n")
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows.extend(_equal_rows(a, i1, i2, j1))
        else:
            rows.extend(_changed_rows(a, b, i1, i2, j1, j2))
    more = ""
    if len(rows) > MAX_DIFF_ROWS:
        more = note(f"… {len(rows) - MAX_DIFF_ROWS} more rows not shown")
        rows = rows[:MAX_DIFF_ROWS]
    return (
        '<div class="diff"><b>golden</b><b>fresh</b>'
        f"{_side(rows, 0, 'del')}{_side(rows, 1, 'ins')}</div>{more}"
    )


@dataclass
class ImageBudget:
    """Bytes of images still allowed in this report (one per render, never shared)."""

    left: int = MAX_IMAGES_BYTES

    def figure(self, role: str, path: str) -> str:
        """A ``<figure>`` with the image inline as a data URI, or a note saying why not."""
        caption = f"<figcaption>{text(role)}</figcaption>"
        file = Path(path)
        mime = _MIMES.get(file.suffix.lower())
        try:
            size = file.stat().st_size
        except OSError:
            missing = note(f"{role} image not found: {file.name}")
            return f'<figure class="missing">{missing}{caption}</figure>'
        if mime is None:
            return f"<figure>{note(f'{file.name}: not a PNG or JPEG image')}{caption}</figure>"
        if size > MAX_IMAGE_BYTES or size > self.left:
            limit = "per-image" if size > MAX_IMAGE_BYTES else "per-report"
            why = f"{file.name} ({size:,} bytes) not embedded: over the {limit} image limit"
            return f'<figure class="missing">{note(why)}{caption}</figure>'
        self.left -= size
        data = base64.b64encode(file.read_bytes()).decode("ascii")
        return (
            f'<figure><img alt="{text(role)} image" data-role="{text(role)}" '
            f'src="data:{mime};base64,{data}">{caption}</figure>'
        )


def rule_doc(markdown: str) -> str:
    """A rule's documentation (:func:`pytest_nbgate.ruledoc.docstring_markdown`) as HTML."""
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            body = _LITERAL.sub(r"<code>\1</code>", text(" ".join(paragraph)))
            blocks.append(f"<p>{body}</p>")
            paragraph.clear()

    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        if heading:
            flush()
            blocks.append(f"<h4>{text(heading.group(1))}</h4>")
        elif not line.strip():
            flush()
        else:
            paragraph.append(line.strip())
    flush()
    return "".join(blocks)


def preformatted(value: str, max_lines: int, max_chars: int) -> str:
    """``<pre>`` of ``value`` cut at a size, with a note saying how much was left out."""
    lines = value.rstrip("\n").split("\n")
    cut = ""
    if len(lines) > max_lines:
        cut = f"… {len(lines) - max_lines} more lines not shown"
        lines = lines[:max_lines]
    body = "\n".join(lines)
    if len(body) > max_chars:
        cut = f"… {len(body) - max_chars:,} more characters not shown"
        body = body[:max_chars]
    return f"<pre>{content(body)}</pre>" + (note(cut) if cut else "")

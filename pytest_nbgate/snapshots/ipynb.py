"""Rewrite a cell's ``outputs`` and ``execution_count`` in the ``.ipynb`` text, nothing else.

Loading and re-saving with nbformat re-indents, re-orders keys and changes
the trailing newline, so the pull request shows changes nobody made. We find
the byte spans of the two values in the original text and splice in new
JSON written in the file's own style (indent unit, newline, ASCII escaping,
lists of lines or joined strings); every other byte stays where it was. The
result is parsed once more and compared with what was meant before it is
returned, so a layout we misread fails loudly instead of corrupting a file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pytest_nbgate.notebook.positions import cell_value_spans

_SPLIT_MIMES = frozenset({"application/javascript", "image/svg+xml"})
_KEYS = frozenset({"outputs", "execution_count"})


@dataclass(frozen=True)
class Style:
    indent: int | None
    newline: str
    ensure_ascii: bool
    split_lines: bool
    separators: tuple[str, str]
    sort_keys: bool

    @classmethod
    def of(cls, text: str, raw: Mapping[str, Any]) -> Style:
        body = text.lstrip("\ufeff")
        first_key = re.search(r'\{\s*"', body)
        gap = first_key.group(0)[1:-1] if first_key else ""
        indent = len(gap.split("\n")[-1]) if "\n" in gap else None
        compact = indent is None and '":' in body and '": ' not in body
        has_raw_unicode = any(ord(char) > 127 for char in body)
        cells: list[Any] = raw["cells"] if isinstance(raw.get("cells"), list) else []
        return cls(
            indent=indent,
            newline="\r\n" if "\r\n" in body else "\n",
            ensure_ascii=not has_raw_unicode and "\\u" in body,
            split_lines=any(
                isinstance(c.get("source"), list) for c in cells if isinstance(c, dict)
            ),
            separators=(",", ":")
            if compact
            else ((",", ": ") if indent is not None else (", ", ": ")),
            # nbformat sorts keys; a file that does not keeps the order it has.
            sort_keys=all(list(d) == sorted(d) for d in [raw, *cells[:5]] if isinstance(d, dict)),
        )


def stored_form(outputs: list[Any], style: Style) -> list[Any]:
    """Outputs as nbformat stores them: multi-line text split into lists of lines."""
    if not style.split_lines:
        return outputs
    stored = json.loads(json.dumps(outputs))
    for output in stored:
        if output.get("output_type") == "stream" and isinstance(output.get("text"), str):
            output["text"] = output["text"].splitlines(keepends=True)
        for mime, value in (output.get("data") or {}).items():
            if isinstance(value, str) and (mime.startswith("text/") or mime in _SPLIT_MIMES):
                output["data"][mime] = value.splitlines(keepends=True)
    return list(stored)


def _dump(value: Any, style: Style, line_indent: str) -> str:
    dumped = json.dumps(
        value,
        indent=style.indent,
        ensure_ascii=style.ensure_ascii,
        sort_keys=style.sort_keys,
        separators=style.separators,
    )
    return dumped.replace("\n", style.newline + line_indent)


def _line_indent(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    line = text[start:offset]
    return line[: len(line) - len(line.lstrip(" \t"))]


def rewrite(text: str, changes: Mapping[int, tuple[list[Any], int | None]]) -> str:
    """``text`` with cell index -> (outputs, execution_count) spliced in, checked by re-parsing."""
    raw = json.loads(text.lstrip("\ufeff"))
    style = Style.of(text, raw)
    spans = cell_value_spans(text, _KEYS)
    replacements: list[tuple[int, int, str]] = []
    for index, (outputs, count) in changes.items():
        if index >= len(spans) or set(_KEYS) - set(spans[index]):
            raise ValueError(f"cell {index} has no 'outputs'/'execution_count' to rewrite")
        stored = stored_form(outputs, style)
        if (
            stored == raw["cells"][index]["outputs"]
            and count == raw["cells"][index]["execution_count"]
        ):
            continue
        raw["cells"][index]["outputs"] = stored
        raw["cells"][index]["execution_count"] = count
        start, end = spans[index]["outputs"]
        replacements.append((start, end, _dump(stored, style, _line_indent(text, start))))
        start, end = spans[index]["execution_count"]
        replacements.append((start, end, json.dumps(count)))
    result = text
    for start, end, new in sorted(replacements, reverse=True):
        result = result[:start] + new + result[end:]
    if json.loads(result.lstrip("\ufeff")) != raw:
        raise ValueError("rewriting outputs would change more than outputs; notebook left as is")
    return result

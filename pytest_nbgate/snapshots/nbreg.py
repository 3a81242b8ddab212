"""pytest-notebook's ``nbreg`` diff settings applied to our comparable items.

``diff_ignore`` paths (``/cells/*/outputs``, ``/cells/2/outputs/0/text``,
``/cells/*/outputs/*/data/image/png``) drop what they name from both sides;
``diff_replace`` triples ``(path, regex, replacement)`` rewrite it on both
sides before comparing. Notebook-level paths name cells by index; cell-level
``nbreg`` metadata paths start at the cell (``/outputs/...``). A path is a
prefix: it covers everything below it; ``*`` stands for one segment.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.snapshots.comparable import Item

Items = dict[str, Item]


@dataclass(frozen=True)
class DiffRules:
    ignore: tuple[tuple[str, ...], ...] = ()
    replace: tuple[tuple[tuple[str, ...], re.Pattern[str], str], ...] = ()


def diff_rules(notebook: Notebook) -> DiffRules:
    """The notebook's and its cells' ``nbreg`` settings (computed once per notebook)."""
    return notebook.derived(_read)


def _read(notebook: Notebook) -> DiffRules:
    ignore: list[tuple[str, ...]] = []
    replace: list[tuple[tuple[str, ...], re.Pattern[str], str]] = []
    sections: list[tuple[str, Any]] = [("", notebook.metadata.get("nbreg"))]
    sections += [(f"/cells/{c.index}", c.metadata.get("nbreg")) for c in notebook.cells]
    for prefix, section in sections:
        if not isinstance(section, Mapping):
            continue
        for path in section.get("diff_ignore") or ():
            if isinstance(path, str) and path.startswith("/"):
                ignore.append(_segments(prefix + path))
        for entry in section.get("diff_replace") or ():
            if isinstance(entry, list | tuple) and len(entry) == 3:
                path, regex, replacement = (str(part) for part in entry)
                try:
                    replace.append((_segments(prefix + path), re.compile(regex), replacement))
                except re.error:
                    continue  # pytest-notebook refuses it too; nothing to apply
    return DiffRules(tuple(ignore), tuple(replace))


def _segments(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part)


def adjusted(notebook: Notebook, index: int, golden: Items, fresh: Items) -> tuple[Items, Items]:
    """Both sides of cell ``index`` with ``nbreg`` ignores dropped and replacements made."""
    rules = diff_rules(notebook)
    if not rules.ignore and not rules.replace:
        return golden, fresh
    kept_golden: Items = {}
    kept_fresh: Items = {}
    for key in {**golden, **fresh}:
        paths = _paths(index, fresh.get(key) or golden[key])
        if any(_covers(pattern, path) for pattern in rules.ignore for path in paths):
            continue
        for side, kept in ((golden, kept_golden), (fresh, kept_fresh)):
            if key in side:
                kept[key] = _replaced(side[key], paths, rules)
    return kept_golden, kept_fresh


def _paths(index: int, item: Item) -> list[tuple[str, ...]]:
    output = "*" if item.output_index is None else str(item.output_index)
    base = ("cells", str(index), "outputs", output)
    if item.mime == "stream":
        return [(*base, "text")]
    if item.mime == "error":
        return [(*base, name) for name in ("ename", "evalue", "traceback")]
    return [(*base, "data", *item.mime.split("/"))]


def _covers(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    if len(pattern) > len(path):
        return False
    return all(p in ("*", s) or s == "*" for p, s in zip(pattern, path, strict=False))


def _replaced(item: Item, paths: list[tuple[str, ...]], rules: DiffRules) -> Item:
    text = item.text
    for pattern, regex, replacement in rules.replace:
        if any(_covers(pattern, path) for path in paths):
            text = regex.sub(replacement, text)
    return item if text == item.text else dataclasses.replace(item, text=text)

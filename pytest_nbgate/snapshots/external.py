"""The external store's file format: plain text a reviewer reads in a pull request.

One file per notebook, ``<folder>/<notebook path>.golden.txt``::

    # nbgate golden outputs of notebooks/analysis.ipynb (format 1)
    # Update with: pytest --nbgate --nbgate-update

    [cell 3f2a9c1e] df = load("sales.csv")
    stdout:
    | loaded <duration>

    [cell 8b0d4e22] df.head()
    output 0 text/plain:
    |    region  sales
    | 0  north   12.5
    output 1 image/png: analysis.ipynb.images/8b0d4e22-out1.png 640x480 sha256:1f0c...

A ``[cell KEY]`` line opens a cell (its id, or ``#index`` for notebooks
without ids); the rest of that line is the cell's first source line, for the
reader only. ``KEY:`` lines open an item; every content line starts with
``|`` (and one space when not empty), so no content can be mistaken for
structure and trailing-whitespace stripping by an editor changes nothing.
Text is stored normalised, so timestamps and addresses do not churn on
update. Images are side files next to it: pixel tolerance needs the pixels,
and GitHub and GitLab show PNG changes side by side in the review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FORMAT_VERSION = 1
_CELL = re.compile(r"^\[cell ([^\]\s]+)\](?: (.*))?$")
_ITEM = re.compile(r"^((?:stdout|stderr|output \d+ [^\s:]+)):(?: (.*))?$")


class GoldenFormatError(ValueError):
    """The golden file does not parse (a bad merge, a hand edit)."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"line {line}: {problem}")
        self.line = line


@dataclass
class GoldenCell:
    key: str
    note: str = ""
    items: dict[str, str] = field(default_factory=dict)
    """Item key -> stored text (for images, the reference after the colon)."""


def render(relpath: str, cells: list[GoldenCell], image_mimes: frozenset[str]) -> str:
    lines = [
        f"# nbgate golden outputs of {relpath} (format {FORMAT_VERSION})",
        "# Update with: pytest --nbgate --nbgate-update",
    ]
    for cell in cells:
        lines.append("")
        note = " ".join(cell.note.split())[:80]
        lines.append(f"[cell {cell.key}] {note}".rstrip())
        for key, text in cell.items.items():
            if key.rsplit(" ", 1)[-1] in image_mimes:
                lines.append(f"{key}: {text}")
                continue
            lines.append(f"{key}:")
            lines.extend(f"| {line}" if line else "|" for line in text.split("\n"))
    return "\n".join(lines) + "\n"


def parse(text: str) -> dict[str, GoldenCell]:
    """Cells by key, in file order; raises :class:`GoldenFormatError` with the line."""
    cells: dict[str, GoldenCell] = {}
    cell: GoldenCell | None = None
    item: list[str] | None = None
    texts: list[tuple[GoldenCell, str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("|"):
            if item is None:
                raise GoldenFormatError(number, "content line outside an item")
            item.append(line[2:] if line.startswith("| ") else line[1:])
            continue
        item = None
        if not line.strip() or line.startswith("#"):
            continue
        cell_match, item_match = _CELL.match(line), _ITEM.match(line)
        if cell_match:
            cell = _new_cell(cells, cell_match.group(1), cell_match.group(2) or "", number)
        elif item_match and cell is not None:
            key, inline = item_match.group(1), item_match.group(2)
            if key in cell.items:
                raise GoldenFormatError(number, f"{key} appears twice in cell {cell.key}")
            cell.items[key] = inline or ""
            if inline is None:
                item = []
                texts.append((cell, key, item))
        else:
            raise GoldenFormatError(
                number, f"expected '[cell ID]', 'KEY:' or '| text': {line[:60]!r}"
            )
    for owner, key, lines in texts:
        owner.items[key] = "\n".join(lines)
    return cells


def _new_cell(cells: dict[str, GoldenCell], key: str, note: str, number: int) -> GoldenCell:
    if key in cells:
        raise GoldenFormatError(number, f"cell {key} appears twice")
    cells[key] = GoldenCell(key, note)
    return cells[key]

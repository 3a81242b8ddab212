"""Text notebooks (jupytext ``.py`` percent/light, ``.md`` jupytext/MyST), read with jupytext.

Only files that say they are notebooks are collected: a ``.py`` whose
header is jupytext's (``# ---`` then ``# jupyter:``), or a ``.md`` whose
front matter has a ``jupytext`` or ``kernelspec`` key. A plain script or
README is never touched.

Positions: jupytext keeps a cell's lines verbatim (code as is, markdown in a
``.py`` behind ``# ``), so each cell is found by its first line, searching
forward from the previous cell; a finding then points at the text file's own
line, as a reviewer sees it in the diff.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pytest_nbgate.notebook.positions import CellPositions
from pytest_nbgate.notebook.reading import Limits, NotebookError, decode, read_bytes

TEXT_SUFFIXES = (".py", ".md")
PEEK_BYTES = 4096
_PY_HEADER = re.compile(r"\A(?:#!.*\n)?(?:#.*coding[:=].*\n)?# ---\n# jupyter:\n")
_FORMATS = {".py": "py", ".md": "md"}


def is_text_notebook(path: Path) -> bool:
    """Has ``path`` a jupytext header (``.py``) or notebook front matter (``.md``)?"""
    if path.suffix not in TEXT_SUFFIXES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(PEEK_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    head = head.removeprefix("\ufeff").replace("\r\n", "\n")
    if path.suffix == ".py":
        return bool(_PY_HEADER.match(head))
    if not head.startswith("---\n"):
        return False
    front = head[4:].partition("\n---")[0]
    return bool(re.search(r"^(?:jupytext|kernelspec):", front, re.MULTILINE))


def text_format(raw: dict[str, Any], suffix: str) -> str:
    """``py:percent``, ``md:myst``... from the header jupytext read."""
    jupytext_meta = raw.get("metadata", {}).get("jupytext", {})
    representation = jupytext_meta.get("text_representation", {})
    name = representation.get("format_name") if isinstance(representation, dict) else None
    return f"{_FORMATS[suffix]}:{name}" if name else _FORMATS[suffix]


def read_text(path: Path, relpath: str, limits: Limits) -> tuple[dict[str, Any], str, str]:
    """The notebook jupytext reads from ``path`` (plain JSON data), the text, the format."""
    if not is_text_notebook(path):
        raise NotebookError(
            relpath,
            f"a {path.suffix} file is a notebook only with a jupytext header or notebook "
            "front matter (add one with: jupytext --set-formats)",
        )
    import jupytext

    text = decode(read_bytes(path, relpath, limits), relpath)
    try:
        node = jupytext.reads(text, fmt=_FORMATS[path.suffix])
    # jupytext's parsers trust their input: any failure is a reading finding, not a crash.
    except Exception as exc:
        reason = f"{type(exc).__name__}: {str(exc)[:200]}"
        raise NotebookError(relpath, f"jupytext cannot read this text notebook ({reason})") from exc
    raw: dict[str, Any] = json.loads(json.dumps(node))
    for cell in raw.get("cells", []):
        # jupytext invents random ids; goldens must key cells by something stable.
        cell.pop("id", None)
        source = cell.get("source", "")
        cell["source"] = source.splitlines(keepends=True) if isinstance(source, str) else source
    raw["nbformat_minor"] = min(int(raw.get("nbformat_minor", 4)), 4)
    return raw, text, text_format(raw, path.suffix)


class TextCellMap:
    """Cell positions in a text notebook, found by searching forward for each cell's lines."""

    def __init__(self, text: str, raw_cells: list[Any], suffix: str) -> None:
        self._positions = _locate(text.split("\n"), raw_cells, suffix)

    def get(self, index: int) -> CellPositions | None:
        if 0 <= index < len(self._positions):
            return self._positions[index]
        return None


def _locate(lines: list[str], raw_cells: list[Any], suffix: str) -> list[CellPositions]:
    found: list[CellPositions] = []
    cursor = 0
    for raw in raw_cells:
        source = raw.get("source", "") if isinstance(raw, dict) else ""
        joined = source if isinstance(source, str) else "".join(str(part) for part in source)
        cell_lines = joined.split("\n")
        count = max(len(cell_lines) - int(joined.endswith("\n")), 1)
        commented = suffix == ".py" and raw.get("cell_type") != "code"
        first = next((i for i, line in enumerate(cell_lines) if line.strip()), None)
        start = cursor
        if first is not None:
            wanted = _as_written(cell_lines[first], commented)
            hit = next((i for i in range(cursor, len(lines)) if lines[i].rstrip() == wanted), None)
            start = hit - first if hit is not None else cursor
        start = max(start, 0)
        numbers = [start + 1 + offset for offset in range(count)]
        found.append(CellPositions(start_line=start + 1, source_lines=numbers))
        cursor = min(start + len(cell_lines), len(lines))
    return found


def _as_written(line: str, commented: bool) -> str:
    text = line.rstrip()
    if not commented:
        return text
    return f"# {text}" if text else "#"


def paired_texts(path: Path, metadata: Any) -> list[Path]:
    """The text files paired with the ``.ipynb`` at ``path`` (``jupytext.formats``)."""
    jupytext_meta = metadata.get("jupytext") if hasattr(metadata, "get") else None
    formats = jupytext_meta.get("formats") if isinstance(jupytext_meta, dict) else None
    if not isinstance(formats, str) or "," not in formats:
        return []
    from jupytext.paired_paths import paired_paths

    try:
        pairs = paired_paths(str(path), "ipynb", formats)
    # An unusual ``formats`` string is the notebook's own business: no pairing, no crash.
    except Exception:
        return []
    return [Path(other) for other, fmt in pairs if fmt.get("extension") in TEXT_SUFFIXES]


def paired_notebook(path: Path, metadata: Any) -> Path | None:
    """The ``.ipynb`` that gates the text notebook at ``path``, when one is paired and exists."""
    jupytext_meta = metadata.get("jupytext") if hasattr(metadata, "get") else None
    formats = jupytext_meta.get("formats") if isinstance(jupytext_meta, dict) else None
    if not isinstance(formats, str) or "ipynb" not in formats:
        return None
    from jupytext.formats import long_form_multiple_formats
    from jupytext.paired_paths import paired_paths

    try:
        own = next(
            fmt
            for fmt in long_form_multiple_formats(formats)
            if fmt.get("extension") == path.suffix
        )
        pairs = paired_paths(str(path), own, formats)
    # An unusual ``formats`` string is the notebook's own business: no pairing, no crash.
    except Exception:
        return None
    found = [Path(p) for p, fmt in pairs if fmt.get("extension") == ".ipynb"]
    return found[0] if found and found[0].is_file() else None

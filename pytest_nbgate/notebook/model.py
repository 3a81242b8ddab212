"""Immutable notebook value types; the only module that reads nbformat.

:meth:`Notebook.read` accepts anything a pull request may contain. A file that
cannot become a notebook at all raises :class:`NotebookError` (the only
exception the reader raises, see :mod:`pytest_nbgate.notebook.reading`) naming the
file and the problem; a file that can be read but breaks the schema becomes a
:class:`Notebook` carrying :class:`Problem` records, so the static rules still
run and the validity rules (NB0xx) report what is wrong.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import nbformat
from nbformat import NotebookNode

from pytest_nbgate.notebook.convert import line_map, upgrade
from pytest_nbgate.notebook.positions import CellMap
from pytest_nbgate.notebook.reading import (
    DEFAULT_LIMITS,
    Limits,
    NotebookError,
    decode,
    parse,
    read_bytes,
)
from pytest_nbgate.notebook.schema import Problem, schema_problems
from pytest_nbgate.notebook.text import TEXT_SUFFIXES, TextCellMap, read_text

EMPTY: Mapping[str, Any] = MappingProxyType({})
T = TypeVar("T")
SUPPORTED_MAJOR = 4
# nbformat is untyped; one Any-typed handle keeps mypy --strict honest elsewhere.
_NBF: Any = nbformat


def _text(value: Any) -> str:
    if isinstance(value, list):
        try:
            return "".join(value)
        except TypeError:  # a hand-edited list holding numbers or nulls
            return "".join(str(part) for part in value)
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _frozen(value: Any) -> Mapping[str, Any]:
    return MappingProxyType(value) if isinstance(value, dict) else EMPTY


@dataclass(frozen=True)
class Output:
    """One output of a code cell, with multi-line mime strings joined."""

    index: int
    output_type: str
    name: str | None = None
    text: str = ""
    data: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    metadata: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    execution_count: int | None = None
    ename: str = ""
    evalue: str = ""
    traceback: tuple[str, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY, repr=False, compare=False)

    @classmethod
    def from_dict(cls, index: int, raw: Any) -> Output:
        if not isinstance(raw, dict):
            return cls(index=index, output_type="<invalid>")
        data = raw.get("data")
        joined = (
            {
                mime: _text(value) if isinstance(value, list | str) else value
                for mime, value in data.items()
            }
            if isinstance(data, dict)
            else {}
        )
        count = raw.get("execution_count")
        traceback = raw.get("traceback")
        return cls(
            index=index,
            output_type=str(raw.get("output_type", "<missing>")),
            name=raw.get("name") if isinstance(raw.get("name"), str) else None,
            text=_text(raw.get("text")),
            data=MappingProxyType(joined),
            metadata=_frozen(raw.get("metadata")),
            execution_count=count if isinstance(count, int) else None,
            ename=_text(raw.get("ename")),
            evalue=_text(raw.get("evalue")),
            traceback=tuple(_text(t) for t in traceback) if isinstance(traceback, list) else (),
            raw=MappingProxyType(raw),
        )


@dataclass(frozen=True)
class Cell:
    """One cell; :meth:`Notebook.file_line` maps its lines to the ``.ipynb`` text."""

    index: int
    cell_type: str
    source: str
    id: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    tags: frozenset[str] = frozenset()
    execution_count: int | None = None
    outputs: tuple[Output, ...] = ()
    attachments: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    _derived: dict[Callable[[Cell], Any], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def derived(self, compute: Callable[[Cell], T]) -> T:
        """``compute(self)``, computed once and kept as long as this cell (its AST, say)."""
        return _derive(self._derived, compute, self)

    @property
    def lines(self) -> list[str]:
        """Source lines split on ``\\n`` only, so they match :attr:`line_map`."""
        lines = self.source.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return lines

    @property
    def is_code(self) -> bool:
        return self.cell_type == "code"

    def has_tag(self, *names: str) -> bool:
        return any(name in self.tags for name in names)


def _derive(store: dict[Any, Any], compute: Callable[[Any], T], owner: Any) -> T:
    if compute not in store:
        store[compute] = compute(owner)
    value: T = store[compute]
    return value


def _build_cell(index: int, raw: Any) -> Cell:
    if not isinstance(raw, dict):
        return Cell(index=index, cell_type="<invalid>", source="")
    source = raw.get("source", "")
    metadata = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    outputs: list[Any] = raw["outputs"] if isinstance(raw.get("outputs"), list) else []
    count = raw.get("execution_count")
    return Cell(
        index=index,
        cell_type=str(raw.get("cell_type", "<missing>")),
        source=_text(source),
        id=raw.get("id") if isinstance(raw.get("id"), str) else None,
        metadata=_frozen(metadata),
        tags=frozenset(t for t in tags if isinstance(t, str))
        if isinstance(tags, list)
        else frozenset(),
        execution_count=count if isinstance(count, int) else None,
        outputs=tuple(Output.from_dict(i, out) for i, out in enumerate(outputs)),
        attachments=_frozen(raw.get("attachments")),
    )


@dataclass(frozen=True)
class Notebook:
    """A notebook as read from disk (or as executed), with its validity problems."""

    path: Path
    relpath: str
    cells: tuple[Cell, ...]
    metadata: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    nbformat: int = 4
    nbformat_minor: int = 5
    size: int = 0
    problems: tuple[Problem, ...] = ()
    text: str = field(default="", repr=False, compare=False)
    raw: Mapping[str, Any] = field(default_factory=lambda: EMPTY, repr=False, compare=False)
    text_format: str = ""
    """A text notebook's jupytext format (``py:percent``, ``md:myst``); ``""`` for ``.ipynb``."""
    _derived: dict[Callable[[Notebook], Any], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def derived(self, compute: Callable[[Notebook], T]) -> T:
        """``compute(self)``, computed once and kept exactly as long as this notebook.

        For analyses several rules share (the secrets scan, the name replay): a
        module-level cache would keep the last notebooks, and all their objects, alive.
        """
        return _derive(self._derived, compute, self)

    @property
    def kernel_name(self) -> str | None:
        spec = self.metadata.get("kernelspec")
        name = spec.get("name") if isinstance(spec, dict) else None
        return name if isinstance(name, str) and name else None

    @property
    def language(self) -> str | None:
        info = self.metadata.get("language_info")
        name = info.get("name") if isinstance(info, dict) else None
        if not name and isinstance(self.metadata.get("kernelspec"), dict):
            name = self.metadata["kernelspec"].get("language")
        return name.lower() if isinstance(name, str) and name else None

    @functools.cached_property
    def code_cells(self) -> tuple[Cell, ...]:
        """Computed once: a dozen rules ask for it."""
        return tuple(cell for cell in self.cells if cell.is_code)

    def cell_by_id(self, cell_id: str) -> Cell | None:
        return next((cell for cell in self.cells if cell.id == cell_id), None)

    def to_node(self) -> NotebookNode:
        """A fresh, mutable nbformat v4 node (for execution); this notebook is untouched."""
        raw = copy.deepcopy(dict(self.raw))
        raw["cells"] = [_node_cell(cell, raw["cells"][cell.index]) for cell in self.cells]
        node: NotebookNode = _NBF.from_dict(raw)
        return node

    @classmethod
    def read(
        cls,
        path: Path,
        root: Path | None = None,
        limits: Limits = DEFAULT_LIMITS,
        *,
        relpath: str | None = None,
    ) -> Notebook:
        """Read ``path``; ``relpath`` saves recomputing it when the caller already has it."""
        relpath = relative_path(path, root) if relpath is None else relpath
        if path.suffix in TEXT_SUFFIXES:
            return cls.read_text_notebook(path, relpath, limits)
        data = read_bytes(path, relpath, limits)
        size = len(data)
        text = decode(data, relpath)
        del data  # a large file is held once, as text, while it is parsed
        return cls.from_dict(parse(text, relpath, limits), path, relpath, text=text, size=size)

    @classmethod
    def read_text_notebook(cls, path: Path, relpath: str, limits: Limits) -> Notebook:
        """A jupytext text notebook: cells from the text, no outputs, lines of the text file."""
        raw, text, fmt = read_text(path, relpath, limits)
        return dataclasses.replace(cls.from_dict(raw, path, relpath, text=text), text_format=fmt)

    @classmethod
    def from_bytes(
        cls, data: bytes, path: Path, relpath: str, limits: Limits = DEFAULT_LIMITS
    ) -> Notebook:
        """Never raises anything but :class:`NotebookError`, whatever ``data`` holds."""
        if len(data) > limits.max_bytes:
            raise NotebookError(relpath, f"file is over the {limits.max_bytes} byte limit", "NB004")
        text = decode(data, relpath)
        return cls.from_dict(parse(text, relpath, limits), path, relpath, text=text, size=len(data))

    @classmethod
    def from_dict(
        cls, raw: dict[str, Any], path: Path, relpath: str, *, text: str = "", size: int = 0
    ) -> Notebook:
        major = raw.get("nbformat")
        problems: list[Problem] = []
        if not isinstance(major, int):
            raise NotebookError(relpath, "missing or invalid 'nbformat' version key", "NB002")
        if major < SUPPORTED_MAJOR:
            raw = upgrade(raw, relpath)
            problems.append(
                Problem(
                    "NB003",
                    f"nbformat {major} is not supported; it was upgraded in memory to check it "
                    "(save it again from Jupyter to store nbformat 4)",
                )
            )
        elif major > SUPPORTED_MAJOR:
            raise NotebookError(relpath, f"nbformat {major} is not supported (expected 4)", "NB003")
        cells_raw = raw.get("cells")
        if not isinstance(cells_raw, list):
            raise NotebookError(relpath, "schema: 'cells' is missing or not a list", "NB002")
        problems.extend(schema_problems(raw))
        cells = tuple(_build_cell(i, cell) for i, cell in enumerate(cells_raw))
        minor = raw.get("nbformat_minor")
        return cls(
            path=path,
            relpath=relpath,
            cells=cells,
            metadata=_frozen(raw.get("metadata")),
            nbformat=SUPPORTED_MAJOR,
            nbformat_minor=minor if isinstance(minor, int) else 0,
            size=size or len(text.encode("utf-8", "surrogatepass")),
            problems=tuple(problems),
            text=text,
            raw=MappingProxyType(raw),
        )

    @classmethod
    def from_node(cls, node: Mapping[str, Any], source: Notebook) -> Notebook:
        """An executed copy of ``source``: fresh outputs, same path and text positions."""
        raw = json.loads(json.dumps(node))
        built = cls.from_dict(raw, source.path, source.relpath)
        return cls(
            path=source.path,
            relpath=source.relpath,
            cells=built.cells,
            metadata=built.metadata,
            size=source.size,
            text=source.text,
            raw=built.raw if not source.text_format else source.raw,
            text_format=source.text_format,
        )

    @functools.cached_property
    def _positions(self) -> CellMap | TextCellMap:
        if self.text_format:
            cells = self.raw.get("cells")
            return TextCellMap(
                self.text, cells if isinstance(cells, list) else [], self.path.suffix
            )
        return CellMap(self.text)

    def file_line(
        self, cell_index: int | None, line: int | None = None, output_index: int | None = None
    ) -> int | None:
        """1-based line in the ``.ipynb`` text of a cell, a source line or an output.

        Computed on first use: most notebooks produce no finding and never pay for it.
        """
        if cell_index is None or not 0 <= cell_index < len(self.cells):
            return None
        if (positions := self._positions.get(cell_index)) is None:
            return None
        if output_index is not None:
            if 0 <= output_index < len(positions.output_lines):
                return positions.output_lines[output_index]
            return positions.start_line
        if self.text_format:
            lines = positions.source_lines
            return lines[line - 1] if line is not None and 1 <= line <= len(lines) else lines[0]
        cells = self.raw.get("cells")
        raw_cell = cells[cell_index] if isinstance(cells, list) and cell_index < len(cells) else {}
        source = raw_cell.get("source", "") if isinstance(raw_cell, dict) else ""
        mapped = line_map(source, positions)
        if line is not None and 1 <= line <= len(mapped):
            return mapped[line - 1]
        return mapped[0] if mapped else positions.start_line


def _node_cell(cell: Cell, raw: Any) -> dict[str, Any]:
    """A cell nbclient can run: every field it touches holds the type it expects."""
    node: dict[str, Any] = dict(raw) if isinstance(raw, dict) else {"cell_type": "raw"}
    node.update(source=cell.source, metadata=node.get("metadata") if cell.metadata else {})
    if not isinstance(node.get("attachments", {}), dict):
        del node["attachments"]
    if cell.is_code:
        node["outputs"] = [_node_output(output) for output in cell.outputs if output.raw]
        node["execution_count"] = cell.execution_count
    return node


def _node_output(output: Output) -> dict[str, Any]:
    node = copy.deepcopy(dict(output.raw))
    if "data" in node:
        node["data"] = copy.deepcopy(dict(output.data))
    if "text" in node:
        node["text"] = output.text
    return node


def relative_path(path: Path, root: Path | None) -> str:
    """Repo-relative path with ``/`` separators (absolute when outside ``root``)."""
    if root is not None:
        try:
            return (
                Path(os.path.relpath(path, root)).as_posix()
                if _inside(path, root)
                else path.as_posix()
            )
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return False
    return True

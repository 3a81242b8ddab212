"""From untrusted bytes to a JSON object, bounded in size, nesting depth and Unicode.

A pull request may contain anything under a ``.ipynb`` name: a symlink to
``/dev/zero`` or to itself, a FIFO, a 2 GB file, ``[[[[...`` a million deep,
strings that are not valid Unicode. Each becomes a :class:`NotebookError`
naming the file and the problem; nothing else escapes, nothing blocks and
memory stays proportional to the size limit.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 100 * 1024 * 1024
"""Default largest notebook read (bytes); parsing costs about three times the file size."""
MAX_DEPTH = 100
"""Default deepest JSON nesting; real notebooks (plotly, vega) stay far below."""

_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class NotebookError(Exception):
    """The file cannot be read as a notebook; ``rule_id`` says which validity rule."""

    def __init__(
        self, path: str, problem: str, rule_id: str = "NB001", line: int | None = None
    ) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem
        self.rule_id = rule_id
        self.line = line


@dataclass(frozen=True)
class Limits:
    """What a reader accepts; beyond it a file is a finding, never a crash or a hang."""

    max_bytes: int = MAX_BYTES
    max_depth: int = MAX_DEPTH


DEFAULT_LIMITS = Limits()


def read_bytes(path: Path, relpath: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The file's bytes; refuses devices, FIFOs, loops and files over ``limits.max_bytes``."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise NotebookError(relpath, "not a regular file (device, FIFO or socket)", "NB004")
        _check_size(info.st_size, relpath, limits)
        # O_NONBLOCK: a file swapped for a FIFO after the stat cannot block the session.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            # Sized by the stat: read(limit) would allocate the whole limit for every file.
            expected = info.st_size + 1
            data = handle.read(expected)
            if len(data) == expected:  # it grew since the stat (or /proc-like, size 0)
                data += handle.read(limits.max_bytes + 1 - expected)
    except OSError as exc:
        raise NotebookError(relpath, f"cannot read file: {exc.strerror or exc}", "NB004") from exc
    _check_size(len(data), relpath, limits)
    return data


def _check_size(size: int, relpath: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise NotebookError(
            relpath,
            f"file is {_megabytes(size)}, over the {_megabytes(limits.max_bytes)} limit "
            "for notebooks; not read (clear large outputs, or raise the limit)",
            "NB004",
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def decode(data: bytes, relpath: str) -> str:
    """UTF-8 text (a leading BOM is dropped)."""
    if not data or data.isspace():  # unlike strip(), no copy of a large file
        raise NotebookError(relpath, "file is empty, not a notebook (expected a JSON object)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(
            relpath, f"not UTF-8 text (invalid byte at offset {exc.start}); binary file?"
        ) from exc


def parse(text: str, relpath: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The top-level JSON object of ``text``, checked for depth and Unicode."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        # A truncated file fails just past its end; annotations need a line that exists.
        last = max(len(text.splitlines()), 1)
        raise NotebookError(
            relpath,
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            line=min(exc.lineno, last),
        ) from exc
    except RecursionError as exc:
        raise NotebookError(
            relpath, f"invalid JSON: nested too deeply (limit {limits.max_depth})"
        ) from exc
    except ValueError as exc:
        # e.g. an integer literal longer than Python's int digit limit.
        raise NotebookError(relpath, f"invalid JSON: {str(exc)[:200]}") from exc
    if not isinstance(raw, dict):
        kind = {list: "list", str: "string", bool: "boolean"}.get(type(raw), type(raw).__name__)
        raise NotebookError(relpath, f"top-level JSON value is a {kind}, expected an object")
    _check_values(raw, relpath, limits, strings=bool(_ESCAPED_SURROGATE.search(text)))
    return raw


_CONTAINERS = frozenset({dict, list})
"""``json.loads`` builds exactly these: a type lookup is a fifth of ``isinstance``'s cost."""

_Entry = tuple[Any, int, "str | int | None", Any]
"""A container, its depth, its key in its parent and its parent's entry (``None`` at the root)."""


def _check_values(raw: dict[str, Any], relpath: str, limits: Limits, strings: bool) -> None:
    """Depth (and, when the text escapes surrogates, lone surrogates) without recursion.

    Every value of the notebook is visited, so the walk keeps each step cheap: the
    path of a value is spelled out only for the error that names it.
    """
    stack: list[_Entry] = [(raw, 1, None, None)]
    while stack:
        entry = stack.pop()
        value, depth = entry[0], entry[1]
        if depth > limits.max_depth:
            where = _path(entry) or "(root)"
            raise NotebookError(
                relpath, f"JSON nested deeper than {limits.max_depth} levels at {where}"
            )
        items = value.items() if type(value) is dict else enumerate(value)
        for key, item in items:
            kind = type(item)
            if kind in _CONTAINERS:
                stack.append((item, depth + 1, key, entry))
            elif strings and kind is str and _SURROGATE.search(item):
                path = _path((item, depth + 1, key, entry))
                raise NotebookError(
                    relpath, f"string at {path} holds a lone UTF-16 surrogate; not valid Unicode"
                )
        if strings and type(value) is dict and any(_SURROGATE.search(k) for k in value):
            where = _path(entry) or "(root)"
            raise NotebookError(relpath, f"a key at {where} is not valid Unicode")


def _path(entry: _Entry | None) -> str:
    keys: list[str] = []
    while entry is not None and entry[3] is not None:
        keys.append(str(entry[2]))
        entry = entry[3]
    return "/".join(reversed(keys))

"""nbformat 4 schema problems, each naming the JSON path and what is wrong there.

The fast validator says only *that* something is wrong; jsonschema says
where, but is slow on 100,000 cells. So the fast one checks the notebook
without its cells and then each cell alone, and jsonschema explains only
the parts that failed (at most :data:`MAX_PROBLEMS`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastjsonschema
import nbformat
import nbformat.v4
from jsonschema.exceptions import best_match  # type: ignore[import-untyped,unused-ignore]

MAX_PROBLEMS = 20
_NBF: Any = nbformat
_DISCRIMINATORS = ("cell_type", "output_type")
_CELL_KINDS = {"code": "code_cell", "markdown": "markdown_cell", "raw": "raw_cell"}
_PARTS = {**_CELL_KINDS, "other_cell": "cell"}
"""Each part :func:`_parts` validates beside the notebook, and the definition its items meet."""
_VALIDATOR_BUGS = (AttributeError, TypeError, KeyError, IndexError, RecursionError)
# Most common alternative first: an ``anyOf`` stops at the first branch that holds.
_FREQUENT_FIRST = ("array", "code_cell", "markdown_cell", "stream", "execute_result")


@dataclass(frozen=True)
class Problem:
    """A validity problem found while reading a notebook that could still be built."""

    rule_id: str
    message: str
    cell_index: int | None = None


def schema_problems(raw: dict[str, Any]) -> list[Problem]:
    problems = list(_duplicate_ids(raw))
    if conforms(raw):
        return problems
    unknown = dict(_unknown_kinds(raw))
    problems.extend(unknown.values())
    minor = _minor(raw)
    cells = raw.get("cells")
    cells = cells if isinstance(cells, list) else []
    bare = {**raw, "cells": []}
    parts = [(bare, -1)] if not _valid(minor, notebook=bare) else []
    # Each cell inside a minimal valid notebook, so root problems are not repeated per cell.
    shell = {"nbformat": 4, "nbformat_minor": minor, "metadata": {}}
    for index, cell in enumerate(cells):
        if index not in unknown and not _valid(minor, other_cell=[cell]):
            parts.append(({**shell, "cells": [cell]}, index))
    for part, index in parts:
        problems.extend(_explained(part, minor, index))
        if len(problems) >= MAX_PROBLEMS:
            return problems[:MAX_PROBLEMS]
    return problems


def conforms(raw: dict[str, Any]) -> bool:
    """Whether ``raw`` meets the nbformat 4 schema of its minor version (fast, no detail)."""
    cells = raw.get("cells")
    if not isinstance(cells, list):
        return _valid(_minor(raw), notebook=raw)
    return _valid(_minor(raw), notebook={**raw, "cells": []}, **_by_kind(cells))


def _by_kind(cells: list[Any]) -> dict[str, list[Any]]:
    """Cells grouped by the kind they name (see :func:`_parts`)."""
    groups: dict[str, list[Any]] = {part: [] for part in _PARTS}
    for cell in cells:
        kind = cell.get("cell_type") if isinstance(cell, dict) else None
        groups[kind if isinstance(kind, str) and kind in _CELL_KINDS else "other_cell"].append(cell)
    return groups


def _explained(part: dict[str, Any], minor: int, index: int) -> list[Problem]:
    found: list[Problem] = []
    try:
        for error in _validator(minor, "jsonschema").iter_errors(part):
            found.append(_problem(error, index))
            if len(found) >= MAX_PROBLEMS:
                break
    except _VALIDATOR_BUGS:
        pass
    if found:
        return found
    # jsonschema trips over some invalid values (null where an object is expected).
    where = f"cells/{index}" if index >= 0 else "(root)"
    return [
        Problem(
            "NB002",
            f"schema: at {where}: does not match the nbformat 4 schema",
            None if index < 0 else index,
        )
    ]


def _valid(minor: int, **parts: Any) -> bool:
    """Whether ``parts`` (``notebook`` without cells; cells by kind) meet the schema."""
    try:
        _fast_validator(minor)(parts)
    except (fastjsonschema.JsonSchemaException, *_VALIDATOR_BUGS):
        return False
    return True


def _problem(error: Any, index: int) -> Problem:
    detail = _explain(error)
    path = list(detail.absolute_path)
    if index >= 0 and len(path) > 1 and path[0] == "cells":
        path[1] = index
    where = "/".join(str(p) for p in path) or "(root)"
    cell = index if index >= 0 else None
    message = str(detail.message).splitlines()[0][:200]
    return Problem("NB002", f"schema: at {where}: {message}", cell)


def _explain(error: Any) -> Any:
    """For a ``oneOf`` over cell or output kinds, the errors of the kind the value claims."""
    if not error.context:
        return error
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    claimed = [
        errors
        for errors in branches.values()
        if not any(list(e.relative_path)[-1:] in ([d] for d in _DISCRIMINATORS) for e in errors)
    ]
    if len(claimed) == 1:
        return best_match(claimed[0])
    instance = error.instance if isinstance(error.instance, dict) else {}
    for key in _DISCRIMINATORS:
        if key in instance and not claimed:
            error.message = f"unknown {key} {instance[key]!r}"
            return error
    return best_match(error.context)


def _unknown_kinds(raw: dict[str, Any]) -> Iterator[tuple[int, Problem]]:
    """Cells whose ``cell_type`` nbformat does not know: the file is not a valid notebook."""
    cells = raw.get("cells")
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        kind = cell.get("cell_type") if isinstance(cell, dict) else None
        if isinstance(kind, str) and kind not in _CELL_KINDS:
            known = ", ".join(sorted(_CELL_KINDS))
            message = (
                f"schema: cell {index} has unknown cell_type {kind!r} (nbformat knows {known})"
            )
            yield index, Problem("NB001", message, index)


def _duplicate_ids(raw: dict[str, Any]) -> Iterator[Problem]:
    cells = raw.get("cells")
    seen: dict[str, int] = {}
    for index, cell in enumerate(cells if isinstance(cells, list) else []):
        cell_id = cell.get("id") if isinstance(cell, dict) else None
        if isinstance(cell_id, str) and cell_id in seen:
            first = seen[cell_id]
            yield Problem("NB002", f"duplicate cell id {cell_id!r} (also cell {first})", index)
        elif isinstance(cell_id, str):
            seen[cell_id] = index


@functools.cache
def _validator(minor: int, name: str) -> Any:
    return _NBF.validator.get_validator(version=4, version_minor=minor, name=name)


@functools.cache
def _fast_validator(minor: int) -> Callable[[Any], Any]:
    """fastjsonschema on the nbformat schema, taking the notebook and its cells by kind.

    The ``notebook`` part is the notebook without cells; ``code``, ``markdown``
    and ``raw`` hold the cells of that kind, checked against that kind's
    definition, and ``other_cell`` the rest, checked against the ``cell``
    definition. A notebook is valid exactly when its parts are: every cell kind
    requires its own ``cell_type``, so a cell can only meet the definition of
    the kind it names. Grouping spares each markdown cell a failed try as a code
    cell first (each failure raises inside fastjsonschema: 7,400 times over a
    corpus of 221 notebooks; validation -15%).

    Each ``oneOf`` also becomes an ``anyOf``: a ``oneOf`` tries every branch,
    and in nbformat 4 every ``oneOf`` picks between disjoint alternatives
    (string or array; cell and output kinds keyed by a required single-value
    ``enum``), so ``anyOf`` accepts exactly the same documents and stops at the
    first match.
    """
    folder = Path(nbformat.v4.__file__).parent
    schema = json.loads((folder / nbformat.v4.nbformat_schema[(4, minor)]).read_text("utf-8"))
    compiled: Callable[[Any], Any] = fastjsonschema.compile(_parts(_any_of(schema)))
    return compiled


def _parts(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema for ``{"notebook": <notebook without cells>, <part>: [items], ...}``."""
    items = {
        part: {"type": "array", "items": {"$ref": f"#/definitions/{definition}"}}
        for part, definition in _PARTS.items()
    }
    notebook = {k: v for k, v in schema.items() if k not in ("$schema", "definitions")}
    return {
        "$schema": schema["$schema"],
        "definitions": schema["definitions"],
        "type": "object",
        "properties": {"notebook": notebook, **items},
    }


def _any_of(node: Any) -> Any:
    if isinstance(node, list):
        return [_any_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _any_of(value) for key, value in node.items() if key != "oneOf"}
    if "oneOf" in node:
        converted["anyOf"] = sorted(_any_of(node["oneOf"]), key=_rank)
    return converted


def _rank(branch: Any) -> int:
    if not isinstance(branch, dict):
        return len(_FREQUENT_FIRST)
    name = str(branch.get("$ref", branch.get("type", ""))).rsplit("/", 1)[-1]
    return _FREQUENT_FIRST.index(name) if name in _FREQUENT_FIRST else len(_FREQUENT_FIRST)


def _minor(raw: dict[str, Any]) -> int:
    minor = raw.get("nbformat_minor")
    return minor if isinstance(minor, int) and minor in (0, 1, 2, 3, 4, 5) else 5

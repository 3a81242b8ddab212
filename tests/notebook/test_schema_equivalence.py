"""The fast schema check (cells grouped by kind) agrees with jsonschema on nbformat's schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import nbformat
import nbformat.v4
import pytest

from pytest_nbgate.notebook.schema import conforms, schema_problems
from tests import factory
from tests.conftest import CORPUS, real_notebooks


def _base(minor: int = 5) -> dict[str, Any]:
    nb = factory.notebook(
        factory.markdown("# Title"),
        factory.code("x = 1", outputs=[factory.stream("1\n")], execution_count=1),
        factory.raw("raw text"),
        factory.code("x", outputs=[factory.result({"text/plain": "1"})], execution_count=2),
    )
    nb["nbformat_minor"] = minor
    if minor < 5:
        for cell in nb["cells"]:
            cell.pop("id", None)
    return nb


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(nb: dict[str, Any]) -> None:
        target: Any = nb
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def mutate(nb: dict[str, Any]) -> None:
        target: Any = nb
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "valid": lambda nb: None,
    "unknown cell kind": _set(("cells", 0, "cell_type"), "heading"),
    "unhashable cell kind": _set(("cells", 0, "cell_type"), ["code"]),
    "missing cell kind": _drop(("cells", 2, "cell_type")),
    "markdown with outputs": _set(("cells", 0, "outputs"), []),
    "code without outputs": _drop(("cells", 1, "outputs")),
    "code claiming markdown": _set(("cells", 1, "cell_type"), "markdown"),
    "markdown claiming code": _set(("cells", 0, "cell_type"), "code"),
    "bad output kind": _set(("cells", 1, "outputs", 0, "output_type"), "print"),
    "stream without name": _drop(("cells", 1, "outputs", 0, "name")),
    "cell is a list": _set(("cells", 2), ["raw"]),
    "bad execution count": _set(("cells", 3, "execution_count"), "2"),
    "bad notebook metadata": _set(("metadata",), []),
    "extra root key": _set(("worksheets",), []),
}


def _nbformat_valid(nb: dict[str, Any]) -> bool:
    """jsonschema itself on nbformat's schema file (``nbformat.validate`` crashes on some)."""
    minor = nb["nbformat_minor"]
    schema_file = Path(nbformat.v4.__file__).parent / nbformat.v4.nbformat_schema[(4, minor)]
    schema = json.loads(schema_file.read_text("utf-8"))
    return bool(jsonschema.Draft4Validator(schema).is_valid(nb))


def _our_valid(nb: dict[str, Any]) -> bool:
    fast = conforms(nb)
    detailed = not [p for p in schema_problems(nb) if "schema:" in p.message]
    assert fast is detailed
    return fast


@pytest.mark.parametrize("minor", [0, 4, 5])
@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_fast_check_agrees_with_nbformat(name: str, minor: int) -> None:
    nb = _base(minor)
    MUTATIONS[name](nb)
    expected = _nbformat_valid(nb)
    assert _our_valid(nb) is expected
    if name != "valid":
        assert not expected  # every mutation breaks the schema


def test_fast_check_agrees_with_nbformat_on_real_notebooks() -> None:
    root, paths = real_notebooks()
    checked = 0
    for path in paths:
        nb = json.loads(path.read_text("utf-8"))
        if (nb.get("nbformat"), nb.get("nbformat_minor")) not in nbformat.v4.nbformat_schema:
            continue  # nbformat 3, or a minor from the future (test4plus.ipynb)
        assert _our_valid(nb) is _nbformat_valid(nb), path.name
        checked += 1
    assert checked > (100 if root == CORPUS else 12)

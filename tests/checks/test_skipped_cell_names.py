"""NB206/NB207 and cells marked not to run: their names are neither errors nor definitions."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_nbgate.registry import BY_ID
from tests.factory import code, load, notebook

SKIPS: list[dict[str, Any]] = [
    {"tags": ("nbgate-skip",)},
    {"tags": ("skip-execution",)},
    {"tags": ("nbval-skip",)},
    {"comment": "# NBVAL_SKIP\n"},
    {"comment": "## NBVAL_SKIP\n"},
]
SKIP_IDS = ["nbgate-tag", "nbmake-tag", "nbval-tag", "nbval-comment", "nbval-double-hash"]


def skipped(source: str, marker: dict[str, Any]) -> dict[str, Any]:
    return code(marker.get("comment", "") + source, tags=marker.get("tags", ()))


def ids(nb: dict[str, Any], *rule_ids: str) -> list[str]:
    notebook_model = load(nb)
    return [f.rule_id for rule_id in rule_ids for f in BY_ID[rule_id]().check(notebook_model)]


@pytest.mark.parametrize("marker", SKIPS, ids=SKIP_IDS)
def test_a_skipped_cell_reading_unbound_names_is_not_reported(marker: dict[str, Any]) -> None:
    nb = notebook(code("x = 1"), skipped("print(never_bound, df)", marker), code("df = x"))
    assert ids(nb, "NB206", "NB207") == []


@pytest.mark.parametrize("marker", SKIPS, ids=SKIP_IDS)
def test_a_name_bound_only_in_a_skipped_cell_is_unbound_for_later_cells(
    marker: dict[str, Any],
) -> None:
    nb = notebook(skipped("model = 1", marker), code("model + 1"))
    assert ids(nb, "NB207") == ["NB207"]


def test_the_same_cells_unmarked_are_reported() -> None:
    nb = notebook(code("x = 1"), code("print(never_bound, df)"), code("df = x"))
    assert sorted(ids(nb, "NB206", "NB207")) == ["NB206", "NB207"]


def test_names_nbmake_sets_after_a_cell_are_bound_for_later_cells() -> None:
    nbmake = {"mock": {"rows": [1]}, "post_cell_execute": ["limit = 3", "import json"]}
    nb = notebook(code("x = 1", metadata={"nbmake": nbmake}), code("print(rows, limit, json)"))
    assert ids(nb, "NB206", "NB207") == []
    assert ids(notebook(code("x = 1"), code("print(rows, limit)")), "NB207") == ["NB207"] * 2

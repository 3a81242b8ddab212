"""nbval's documented marker semantics, our tags, and the ``snapshots:`` section."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.snapshots import SnapshotSettings, compare_notebook
from pytest_nbgate.snapshots.comparable import output_checked
from pytest_nbgate.snapshots.normalize import DEFAULT_ON
from pytest_nbgate.snapshots.settings import DEFAULT_MIME_TYPES, ImageTolerance
from tests import factory

SCHEMA = Path(__file__).parents[2] / "pytest_nbgate/schemas/sections/snapshots.schema.json"


def one_cell(source: str, tags: tuple[str, ...] = ()) -> Notebook:
    return factory.load(factory.notebook(factory.code(source, tags=tags)))


ALL = SnapshotSettings.default(Path.cwd())
LAX = SnapshotSettings.from_section({"mode": "marked-only"}, Path.cwd())


@pytest.mark.parametrize(
    ("source", "tags", "checked_all", "checked_lax"),
    [
        ("x", (), True, False),
        ("# NBVAL_IGNORE_OUTPUT\nx", (), False, False),
        ("# NBVAL_CHECK_OUTPUT\nx", (), True, True),
        ("x", ("nbval-ignore-output",), False, False),
        ("x", ("nbval-check-output",), True, True),
        ("x", ("nbgate-ignore-output",), False, False),
        ("x", ("nbgate-check-output",), True, True),
        ("# PYTEST_VALIDATE_IGNORE_OUTPUT\nx", (), False, False),
        # nbval: comments override tags; the latest comment wins.
        ("# NBVAL_CHECK_OUTPUT\nx", ("nbval-ignore-output",), True, True),
        ("# NBVAL_CHECK_OUTPUT\n# NBVAL_IGNORE_OUTPUT\nx", (), False, False),
        ("x = 1  # NBVAL_IGNORE_OUTPUT", (), True, False),
    ],
)
def test_nbval_markers_decide_which_cells_are_checked(
    source: str, tags: tuple[str, ...], checked_all: bool, checked_lax: bool
) -> None:
    cell = one_cell(source, tags).cells[0]
    assert output_checked(cell, ALL) is checked_all
    assert output_checked(cell, LAX) is checked_lax


def compare(golden: list[dict[str, Any]], fresh: list[dict[str, Any]], **kw: Any) -> list[str]:
    nb = factory.notebook(factory.code(kw.pop("source", "x"), golden, 1, tags=kw.pop("tags", ())))
    notebook = factory.load(nb)
    nb["cells"][0]["outputs"] = fresh
    executed = factory.load(nb)
    settings = SnapshotSettings.from_section(kw, Path.cwd())
    return [
        f.rule_id
        for f in compare_notebook(notebook, executed, settings, executed_cells=frozenset({0}))
    ]


def test_stderr_is_compared_unless_ignored_by_tag_or_profile() -> None:
    golden, fresh = [factory.stream("w1\n", "stderr")], [factory.stream("w2\n", "stderr")]
    assert compare(golden, fresh) == ["NB401"]
    assert compare(golden, fresh, tags=("nbgate-ignore-stderr",)) == []
    assert compare(golden, fresh, tags=("nbval-ignore-stderr",)) == []
    assert compare(golden, fresh, **{"ignore-stderr": True}) == []


def test_streams_split_differently_by_the_kernel_still_match() -> None:
    golden = [factory.stream("a\nb\n"), factory.result({"text/plain": "1"})]
    fresh = [factory.stream("a\n"), factory.result({"text/plain": "1"}), factory.stream("b\n")]
    assert compare(golden, fresh) == []


def test_errors_compare_name_and_message_not_traceback() -> None:
    golden = [factory.error("ValueError", "bad", ["frame 1"])]
    assert compare(golden, [factory.error("ValueError", "bad", ["other frames"])]) == []
    assert compare(golden, [factory.error("ValueError", "worse", [])]) == ["NB401"]


def test_unrun_reference_cell_is_not_compared_like_nbval() -> None:
    nb = factory.notebook(
        factory.code("x", [], None), factory.code("y", [factory.stream("1\n")], 1)
    )
    notebook = factory.load(nb)
    nb["cells"][0]["outputs"] = [factory.stream("anything\n")]
    executed = factory.load(nb)
    assert compare_notebook(notebook, executed, ALL, executed_cells=frozenset({0, 1})) == []


def test_unchecked_mime_types_are_not_compared() -> None:
    golden = [factory.display({"text/plain": "a", "application/vnd.custom": "1"})]
    fresh = [factory.display({"text/plain": "a", "application/vnd.custom": "2"})]
    assert compare(golden, fresh) == []
    assert compare(golden, fresh, **{"mime-types": ["application/vnd.custom"]}) == ["NB401"]


def test_per_cell_tolerance_tag_overrides_the_profile() -> None:
    golden, fresh = [factory.stream("loss 0.5000\n")], [factory.stream("loss 0.5001\n")]
    assert compare(golden, fresh) == ["NB401"]
    assert compare(golden, fresh, tags=("nbgate-tolerance=1e-3",)) == []


def test_html_attribute_order_and_whitespace_do_not_fail() -> None:
    golden = [factory.display({"text/html": '<td class="a" id="b">1</td>'})]
    fresh = [factory.display({"text/html": '<td id="b"  class="a">\n  1\n</td>'})]
    assert compare(golden, fresh) == []


def test_defaults_match_the_schema_defaults(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    props = schema["properties"]
    settings = SnapshotSettings.default(tmp_path)
    assert props["store"]["default"] == settings.store
    assert props["mode"]["default"] == settings.mode
    assert tuple(props["mime-types"]["default"]) == DEFAULT_MIME_TYPES == settings.mime_types
    assert tmp_path / props["folder"]["default"] == settings.folder
    assert tmp_path / props["image-diff-folder"]["default"] == settings.image_diff_folder
    assert props["tolerance"]["properties"]["rel"]["default"] == settings.tolerance.rel
    assert props["tolerance"]["properties"]["abs"]["default"] == settings.tolerance.abs
    image = props["image"]["properties"]
    assert image["channel-tolerance"]["default"] == ImageTolerance().channel
    assert image["max-diff-ratio"]["default"] == ImageTolerance().max_ratio
    switches = props["normalizers"]["properties"]
    assert {name for name, spec in switches.items() if spec["default"]} == DEFAULT_ON
    assert props["max-diff-lines"]["default"] == settings.max_diff_lines


@pytest.mark.parametrize(
    "section",
    [
        {"stor": "external"},
        {"store": "git"},
        {"normalizers": {"timestamps": False}},
        {"scrubbers": [{"replacement": "x"}]},
        {"tolerance": {"rel": -1}},
        {"image": {"channel-tolerance": 300}},
    ],
)
def test_schema_rejects_typos_and_bad_values(section: dict[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    assert list(validator.iter_errors(section))


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"store": "git"}, "snapshots.store: 'git' is not one of notebook, external"),
        ({"normalizers": {"timestamps": False}}, "unknown normaliser 'timestamps'"),
        ({"tolerance": {"rel": -1}}, "tolerance.rel: expected a number >= 0"),
        ({"scrubbers": [{"pattern": "("}]}, "invalid scrubber pattern"),
    ],
)
def test_from_section_rejects_bad_values_with_the_key(
    tmp_path: Path, section: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        SnapshotSettings.from_section(section, tmp_path)

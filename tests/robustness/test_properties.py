"""Property-based tests: on any input, only the documented exceptions escape.

Documented: :class:`NotebookError` from the reader; nothing at all from
``file_line``, ``to_node``, the normalisers and the static rules (detectors
included) once a notebook has been read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_nbgate.config import GateConfig, RawOptions, build
from pytest_nbgate.gate import Runtime, lint
from pytest_nbgate.notebook.model import Notebook, NotebookError
from pytest_nbgate.snapshots.normalize import (
    Normalization,
    Tolerance,
    canonical_json,
    canonical_markup,
    collapse_carriage_returns,
    compare_text,
    unified,
)
from tests.robustness.strategies import JSON, MIMES, NOTEBOOK, TEXT, layouts

PROPERTY = settings(
    max_examples=int(os.environ.get("NBGATE_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PATH = Path("/repo/nb.ipynb")


def read(data: bytes) -> Notebook | None:
    try:
        return Notebook.from_bytes(data, PATH, "nb.ipynb")
    except NotebookError as exc:
        assert exc.path == "nb.ipynb" and exc.problem and exc.rule_id.startswith("NB00")
        return None


def assert_lines_in_file(notebook: Notebook, data: bytes) -> None:
    count = data.count(b"\n") + 1
    for cell in notebook.cells:
        candidates = [notebook.file_line(cell.index)]
        candidates += [
            notebook.file_line(cell.index, line) for line in range(-1, len(cell.lines) + 2)
        ]
        candidates += [notebook.file_line(cell.index, None, out) for out in range(-1, 3)]
        for line in candidates:
            assert line is None or 1 <= line <= count, (line, count)
    assert notebook.file_line(None) is None
    assert notebook.file_line(len(notebook.cells)) is None
    assert notebook.file_line(-1) is None


@PROPERTY
@given(st.binary(max_size=300))
def test_reader_on_any_bytes(data: bytes) -> None:
    read(data)


@PROPERTY
@given(JSON.flatmap(layouts))
def test_reader_on_any_json(data: bytes) -> None:
    read(data)


@PROPERTY
@given(NOTEBOOK.flatmap(layouts))
def test_reader_on_notebook_shaped_json_maps_lines_inside_the_file(data: bytes) -> None:
    notebook = read(data)
    if notebook is not None:
        assert_lines_in_file(notebook, data)
        notebook.to_node()
        assert notebook.kernel_name is None or isinstance(notebook.kernel_name, str)
        assert notebook.language is None or isinstance(notebook.language, str)


@PROPERTY
@given(NOTEBOOK.flatmap(layouts), st.integers(min_value=0, max_value=300), st.binary(max_size=8))
def test_reader_on_damaged_notebooks(data: bytes, cut: int, noise: bytes) -> None:
    position = cut % (len(data) + 1)
    read(data[:position] + noise + data[position:])
    read(data[:position])


@PROPERTY
@given(TEXT, MIMES | st.sampled_from(["stream", "error", "application/vnd+json"]))
def test_normalisers_never_raise(text: str, mime: str) -> None:
    assert isinstance(Normalization().text(text, mime), str)
    collapse_carriage_returns(text)
    canonical_markup(text)
    canonical_json(text)


@PROPERTY
@given(TEXT, TEXT)
def test_text_comparison_never_raises(golden: str, fresh: str) -> None:
    same, shown = compare_text(golden, fresh, Tolerance(rel=1e-6))
    assert same or shown
    unified(golden.split("\n"), shown, "cell")
    assert compare_text(golden, golden, Tolerance())[0]


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> GateConfig:
    return build(RawOptions(no_execute=True), tmp_path_factory.mktemp("repo"), {})


SECRETISH = st.sampled_from(
    [
        "AKIA" + "Z7Q2D4W6Y8A3C5E7",
        "ghp_" + "a1B2" * 9,
        "password = 'hunter2hunter2'",
        "jane.doe@example.org",
        "+44 20 7946 0958",
        "4111 1111 1111 1111",
        "-----BEGIN RSA " + "PRIVATE KEY-----",
    ]
)


@PROPERTY
@given(data=st.data())
def test_static_rules_and_detectors_never_raise(gate: GateConfig, data: st.DataObject) -> None:
    raw = data.draw(NOTEBOOK)
    if isinstance(raw.get("cells"), list):
        raw["cells"].append(
            {
                "cell_type": "code",
                "source": data.draw(SECRETISH),
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "id": "s",
            }
        )
    notebook = read(data.draw(layouts(raw)))
    if notebook is None:
        return
    findings = lint(notebook, gate, Runtime())
    for finding in findings:
        assert finding.to_dict()["rule_id"] == finding.rule_id

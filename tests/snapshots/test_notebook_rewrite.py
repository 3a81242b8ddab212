"""Updating the notebook store: only outputs and counts change, atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.snapshots import SnapshotSettings, write_golden
from pytest_nbgate.snapshots.ipynb import rewrite
from tests import factory


def hand_formatted(tmp_path: Path, *, crlf: bool = False, ascii_only: bool = False) -> Path:
    """Two-space indent, unsorted keys, no trailing newline: everything nbformat would change."""
    nb = factory.notebook(
        factory.markdown("# Café"),
        factory.code("print('a')", [factory.stream("old\n")], execution_count=7, cell_id="one"),
        factory.code("x = 1", [], execution_count=9, cell_id="two"),
        factory.code("x", [factory.result({"text/plain": "1"}, 10)], 10, cell_id="three"),
    )
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": nb["metadata"], "cells": nb["cells"]}
    text = json.dumps(nb, indent=2, ensure_ascii=ascii_only)
    if crlf:
        text = text.replace("\n", "\r\n")
    path = tmp_path / "nb.ipynb"
    path.write_bytes(text.encode())
    return path


def executed(golden: Notebook, outputs: dict[int, list[dict[str, Any]]]) -> Notebook:
    raw = json.loads(json.dumps(dict(golden.raw)))
    for count, (index, out) in enumerate(sorted(outputs.items()), start=1):
        raw["cells"][index]["outputs"] = out
        raw["cells"][index]["execution_count"] = count
    return Notebook.from_dict(raw, golden.path, golden.relpath)


RUN = {
    1: [{"output_type": "stream", "name": "stdout", "text": "new\n"}],
    2: [],
    3: [factory.result({"text/plain": "1"}, 3)],
}


@pytest.mark.parametrize(("crlf", "ascii_only"), [(False, False), (True, False), (False, True)])
def test_rewrite_changes_only_outputs_and_execution_counts(
    tmp_path: Path, crlf: bool, ascii_only: bool
) -> None:
    path = hand_formatted(tmp_path, crlf=crlf, ascii_only=ascii_only)
    before = path.read_bytes().decode()
    golden = Notebook.read(path, tmp_path)
    settings = SnapshotSettings.from_section({}, tmp_path)
    assert write_golden(golden, executed(golden, RUN), settings, frozenset(RUN)) == path
    after = path.read_bytes().decode()
    newline = "\r\n" if crlf else "\n"
    expected = (
        before.replace('"execution_count": 7', '"execution_count": 1')
        .replace('"execution_count": 9', '"execution_count": 2')
        .replace('"execution_count": 10', '"execution_count": 3')
        .replace('"old\\n"', '"new\\n"')
    )
    assert after == expected
    assert not after.endswith("\n") and (newline + '  "cells"') not in after[:5]
    assert ("Caf\\u00e9" in after) is ascii_only


def test_equal_outputs_keep_their_bytes_even_when_counts_move(tmp_path: Path) -> None:
    path = hand_formatted(tmp_path)
    golden = Notebook.read(path, tmp_path)
    settings = SnapshotSettings.from_section({}, tmp_path)
    run = {1: [factory.stream("old\n")], 2: [], 3: RUN[3]}
    write_golden(golden, executed(golden, run), settings, frozenset(run))
    data = json.loads(path.read_text())
    assert data["cells"][1]["outputs"] == [factory.stream("old\n")]
    assert data["cells"][3]["outputs"][0]["execution_count"] == 3


def test_nbformat_written_notebook_stays_nbformat_shaped(tmp_path: Path) -> None:
    path = factory.write(
        tmp_path / "nb.ipynb",
        factory.notebook(factory.code("print(1)\nprint(2)", [], execution_count=1, cell_id="a")),
    )
    golden = Notebook.read(path, tmp_path)
    run = {0: [factory.stream("1\n2\n")]}
    write_golden(golden, executed(golden, run), SnapshotSettings.default(tmp_path), frozenset(run))
    expected = json.loads(path.read_text())
    assert path.read_text() == factory.dumps(expected)


def test_crash_during_write_leaves_the_original_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hand_formatted(tmp_path)
    before = path.read_bytes()
    golden = Notebook.read(path, tmp_path)

    def crash(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_golden(
            golden, executed(golden, RUN), SnapshotSettings.default(tmp_path), frozenset(RUN)
        )
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["nb.ipynb"]


def test_crash_during_external_write_leaves_the_previous_golden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = hand_formatted(tmp_path)
    golden = Notebook.read(path, tmp_path)
    settings = SnapshotSettings.from_section({"store": "external"}, tmp_path)
    write_golden(golden, golden, settings, frozenset(RUN))
    stored = settings.golden_path("nb.ipynb")
    before = stored.read_bytes()
    monkeypatch.setattr(os, "replace", lambda src, dst: (_ for _ in ()).throw(OSError("boom")))
    with pytest.raises(OSError, match="boom"):
        write_golden(golden, executed(golden, RUN), settings, frozenset(RUN))
    assert stored.read_bytes() == before
    assert sorted(p.name for p in stored.parent.iterdir()) == ["nb.ipynb.golden.txt"]


def test_a_file_with_a_byte_order_mark_keeps_it_and_every_other_byte() -> None:
    nb = factory.notebook(factory.code("print(1)", [], execution_count=None, cell_id="a"))
    text = "\ufeff" + factory.dumps(nb)
    stream = factory.stream("1\n")
    result = rewrite(text, {0: ([stream], 1)})
    assert result.startswith("\ufeff{")
    assert json.loads(result[1:])["cells"][0]["outputs"] == [stream]
    spliced = json.dumps([stream], indent=1, sort_keys=True).replace("\n", "\n   ")
    expected = text.replace('"execution_count": null', '"execution_count": 1')
    assert result == expected.replace('"outputs": []', f'"outputs": {spliced}')

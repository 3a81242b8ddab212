"""Shards by notebook: items stay together, an empty shard passes, merged shards = one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_nbgate.ci.shards import balance, file_durations
from pytest_nbgate.cli import main as nbgate
from tests import factory


def _notebooks(root: Path, count: int) -> None:
    for index in range(count):
        # Each notebook reads a name before binding it: a static finding per notebook.
        cells = (factory.code(f"print(v{index})", execution_count=1), factory.code(f"v{index} = 1"))
        factory.write(root / f"nb{index}.ipynb", factory.notebook(*cells))


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest("--nbgate", "--nbgate-no-execute", "-p", "no:cacheprovider", *args)


def test_balance_puts_the_longest_files_first_on_the_least_loaded_shard() -> None:
    assert balance({"a": 30.0, "b": 10.0, "c": 10.0, "d": 10.0}, 2) == [["a"], ["b", "c", "d"]]
    assert balance({"a": 1.0}, 3) == [["a"], [], []]


def test_a_notebooks_duration_is_the_sum_of_its_items() -> None:
    stored = {"x.ipynb::lint": 0.5, "x.ipynb::execute": 9.5, "y.ipynb::lint": 2.0}
    ids = [*stored, "y.ipynb::execute"]
    # The unknown item counts as the average of the known ones (4.0).
    assert file_durations(ids, stored) == {"x.ipynb": 10.0, "y.ipynb": 6.0}


def test_shards_keep_each_notebooks_items_together(pytester: pytest.Pytester) -> None:
    _notebooks(pytester.path, 4)
    durations = {f"nb{i}.ipynb::{name}": 0.1 for i in range(4) for name in ("lint", "execute")}
    durations["nb0.ipynb::execute"] = 30.0
    (pytester.path / ".test_durations").write_text(json.dumps(durations), encoding="utf-8")
    shards = []
    for group in ("1", "2"):
        result = pytester.runpytest(
            "--nbgate", "--collect-only", "-q", "--splits", "2", "--group", group,
            "--durations-path", ".test_durations",
        )  # fmt: skip
        shards.append({line for line in result.outlines if "::" in line})
    assert shards[0] == {"nb0.ipynb::lint", "nb0.ipynb::execute"}
    assert shards[1] == {f"nb{i}.ipynb::{n}" for i in (1, 2, 3) for n in ("lint", "execute")}


def test_an_empty_shard_exits_0(pytester: pytest.Pytester) -> None:
    _notebooks(pytester.path, 2)
    result = _run(pytester, "--splits", "3", "--group", "3")
    assert result.ret == 0, result.stdout.str()
    assert "shard 3/3 by notebook: 0 file(s)" in result.stdout.str()


def test_merged_shard_reports_equal_one_unsharded_run(pytester: pytest.Pytester) -> None:
    _notebooks(pytester.path, 5)
    whole = pytester.path / "whole.json"
    assert _run(pytester, f"--nbgate-report=json:{whole}").ret == 1
    parts = []
    for group in ("1", "2", "3"):
        part = pytester.path / f"shard{group}.json"
        _run(pytester, "--splits", "3", "--group", group, f"--nbgate-report=json:{part}")
        parts.append(str(part))
    merged = pytester.path / "merged.json"
    assert nbgate(["merge", str(merged), *parts]) == 0
    expected, got = json.loads(whole.read_text()), json.loads(merged.read_text())
    assert got["findings"] == expected["findings"]
    assert got["notebooks"] == expected["notebooks"]
    assert got["summary"] == expected["summary"]
    assert len(expected["findings"]) == 5


def test_step_summary_shows_each_notebooks_measured_seconds(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = pytester.path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    slow = factory.notebook(
        factory.markdown("# Slow"), factory.code("import time\ntime.sleep(0.3)")
    )
    factory.write(pytester.path / "slow.ipynb", slow)
    result = pytester.runpytest_subprocess("--nbgate", "-p", "no:cacheprovider")
    assert result.ret == 0, result.stdout.str()
    row = next(line for line in summary.read_text().splitlines() if line.startswith("| slow"))
    seconds = float(row.rstrip(" |").rsplit("|", 1)[1])
    assert seconds >= 0.3, row

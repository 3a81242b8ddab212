"""``--nbgate-baseline`` and ``nbgate baseline``: every rule, fingerprints only, stale entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_nbgate import cli
from tests import factory
from tests.leaks import github_token, leaked


def _old_notebook(extra: str = "") -> dict[str, object]:
    return factory.notebook(
        factory.code(f"client = Github('{github_token()}')"),
        factory.code("print(undefined_name)" + extra),
    )


def test_baseline_accepts_every_rule_and_keeps_no_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    factory.write(tmp_path / "old.ipynb", _old_notebook())
    assert cli.main(["check", "old.ipynb"]) == 1
    assert cli.main(["baseline", "old.ipynb", "--output", "base.json"]) == 0
    stored = (tmp_path / "base.json").read_text("utf-8")
    rules = {entry["rule_id"] for entry in json.loads(stored)["findings"]}
    assert {"SEC103", "NB207"} <= rules
    assert leaked([stored], [github_token()]) == []
    capsys.readouterr()
    assert cli.main(["check", "old.ipynb", "--baseline", "base.json"]) == 0
    factory.write(tmp_path / "old.ipynb", _old_notebook("\nprint(another_missing)"))
    assert cli.main(["check", "old.ipynb", "--baseline", "base.json"]) == 1
    assert "another_missing" in capsys.readouterr().out


def test_entries_no_finding_matches_any_more_are_reported_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    factory.write(tmp_path / "old.ipynb", _old_notebook())
    cli.main(["baseline", "old.ipynb", "--output", "base.json"])
    fixed = factory.notebook(factory.code("client = Github(token)"), factory.code("token = 1"))
    factory.write(tmp_path / "old.ipynb", fixed)
    capsys.readouterr()
    cli.main(["check", "old.ipynb", "--baseline", "base.json"])
    err = capsys.readouterr().err
    assert "stale baseline entry" in err and "SEC103" in err and "NB207" in err


def test_pytest_route_uses_and_updates_the_baseline(pytester: pytest.Pytester) -> None:
    factory.write(pytester.path / "old.ipynb", _old_notebook())
    args = ["--nbgate", "--nbgate-no-execute", "-p", "no:cacheprovider"]
    pytester.runpytest(*args, "--nbgate-baseline=b.json", "--nbgate-update-baseline")
    stored = (pytester.path / "b.json").read_text("utf-8")
    assert {"SEC103", "NB207"} <= {e["rule_id"] for e in json.loads(stored)["findings"]}
    pytester.runpytest(*args, "--nbgate-baseline=b.json").assert_outcomes(passed=1)
    factory.write(pytester.path / "old.ipynb", factory.notebook(factory.code("x = 1")))
    result = pytester.runpytest(*args, "--nbgate-baseline=b.json")
    result.stdout.fnmatch_lines(["*stale baseline entry: old.ipynb*SEC103*"])


def test_a_cell_of_unknown_type_is_an_invalid_notebook_naming_the_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    nb = factory.notebook(factory.code("x = 1"), factory.code("select 1"))
    nb["cells"][1] = {"cell_type": "sql", "metadata": {}, "source": "select 1", "id": "q1"}
    factory.write(tmp_path / "odd.ipynb", nb)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "odd.ipynb"]) == 1
    out = capsys.readouterr().out
    assert "odd.ipynb:cell 1: NB001 [error] schema: cell 1 has unknown cell_type 'sql'" in out

"""The ``nbgate`` command: same engine, documented exit codes, every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_nbgate.cli import main
from tests import factory


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    factory.write(
        tmp_path / "nbs" / "clean.ipynb",
        factory.notebook(factory.markdown("# T"), factory.code("x = 1")),
    )
    factory.write(
        tmp_path / "nbs" / "stale.ipynb",
        factory.notebook(
            factory.code("print(y)", execution_count=1), factory.code("y = 2", execution_count=2)
        ),
    )
    factory.write(
        tmp_path / "nbs" / ".ipynb_checkpoints" / "stale-checkpoint.ipynb", factory.notebook()
    )
    return tmp_path


def test_check_reports_static_findings_and_exits_1(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "nbs"]) == 1
    out = capsys.readouterr().out
    assert "nbs/stale.ipynb:cell 0 [1]:1: NB206 [error]" in out
    assert "checkpoint" not in out
    assert "2 notebook(s) checked" in out


def test_check_clean_paths_exit_0(repo: Path) -> None:
    assert main(["check", "nbs/clean.ipynb"]) == 0


def test_check_select_and_fail_on(repo: Path) -> None:
    assert main(["check", "nbs", "--ignore", "NB2"]) == 0
    assert main(["check", "nbs", "--select", "NB1", "--fail-on", "info"]) == 0


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab", "github"])
def test_check_formats(repo: Path, fmt: str) -> None:
    out = repo / f"report.{fmt}"
    assert main(["check", "nbs", "--format", fmt, "--output", str(out)]) == 1
    text = out.read_text()
    assert "NB206" in text
    if fmt != "github":
        json.loads(text)


def test_usage_errors_exit_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "nbs", "--profile", "nope"]) == 2
    assert "unknown profile 'nope'" in capsys.readouterr().err
    assert main(["explain", "NB9"]) == 2
    assert main(["explain", "cell-too-lnog"]) == 2
    assert "did you mean cell-too-long" in capsys.readouterr().err


def test_explain_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "NB301"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("NB301 cell-raised (default severity: error)")
    for section in ("What it does:", "Why is this bad?", "Example:", "Use instead:", "Options:"):
        assert section in text
    assert main(["rules"]) == 0
    assert "NB101   cell-too-long" in capsys.readouterr().out


def test_generated_rule_reference_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    main(["rules", "--markdown"])
    reference = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert reference.read_text() == capsys.readouterr().out, (
        "run: nbgate rules --markdown > docs/rules.md"
    )


def test_merge_json_shards_dedupes_and_recounts(repo: Path) -> None:
    main(["check", "nbs", "--format", "json", "--output", "a.json"])
    main(["check", "nbs/stale.ipynb", "--format", "json", "--output", "b.json"])
    assert main(["merge", "all.json", "a.json", "b.json"]) == 0
    merged = json.loads((repo / "all.json").read_text())
    single = json.loads((repo / "a.json").read_text())
    assert merged["findings"] == single["findings"]
    assert merged["summary"] == single["summary"]


def test_baseline_accepts_todays_leaks_only(repo: Path) -> None:
    key = "AK" + "IA" + "Z7Q2" * 4
    factory.write(repo / "nbs" / "leak.ipynb", factory.notebook(factory.code(f"key = '{key}'")))
    assert main(["check", "nbs/leak.ipynb", "--select", "SEC"]) == 1
    assert main(["baseline", "nbs", "--output", "base.json"]) == 0
    assert key not in (repo / "base.json").read_text()
    assert (
        main(["check", "nbs/leak.ipynb", "--select", "SEC", "--secrets-baseline", "base.json"]) == 0
    )
    other = "AK" + "IA" + "Y3W9" * 4
    factory.write(repo / "nbs" / "leak.ipynb", factory.notebook(factory.code(f"key = '{other}'")))
    assert (
        main(["check", "nbs/leak.ipynb", "--select", "SEC", "--secrets-baseline", "base.json"]) == 1
    )

"""One identity per finding: the same path and fingerprint from every route, on every read."""

from __future__ import annotations

import argparse
import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pytest_nbgate.cli import _gate, main, static_findings
from pytest_nbgate.files import relative_path, repository_root
from pytest_nbgate.findings import Finding, Location, Severity
from pytest_nbgate.gate import Runtime, lint
from pytest_nbgate.notebook.model import Notebook
from tests import factory

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _hidden_state() -> dict[str, Any]:
    """Two names read before they are bound and two shell commands, all in cell 0."""
    return factory.notebook(
        factory.code("!ls\n!pwd\nprint(a, b)", execution_count=1),
        factory.code("a = 1\nb = 2", execution_count=2),
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose project (pytest rootdir) is a sub-folder, as in a monorepo."""
    top = tmp_path / "repo"
    project = top / "proj"
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[tool.pytest.ini_options]\nnbgate = true\naddopts = "-p no:cacheprovider"\n',
        encoding="utf-8",
    )
    factory.write(project / "nbs" / "stale.ipynb", _hidden_state())
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    return top


def _findings(report: Path) -> set[tuple[str, str, str]]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return {(f["rule_id"], f["path"], f["fingerprint"]) for f in data["findings"]}


def test_repository_root_is_the_ci_checkout_then_git_then_the_project(repo: Path) -> None:
    project = repo / "proj"
    assert repository_root(project, {}) == repo.resolve()
    assert repository_root(project, {"GITHUB_WORKSPACE": str(repo)}) == repo.resolve()
    assert repository_root(project, {"CI_PROJECT_DIR": str(project)}) == project.resolve()
    # A CI folder that does not hold the project (a test's temporary folder) is not used.
    elsewhere = repo.parent / "elsewhere"
    elsewhere.mkdir()
    assert repository_root(elsewhere, {"GITHUB_WORKSPACE": str(repo)}) == elsewhere.resolve()


def test_relative_path_keeps_outside_paths_as_given(tmp_path: Path) -> None:
    assert relative_path(tmp_path / "a" / "b.ipynb", tmp_path) == "a/b.ipynb"
    assert relative_path(Path("../x.ipynb"), tmp_path / "deep") == "../x.ipynb"
    assert relative_path(tmp_path / "b.ipynb", None) == (tmp_path / "b.ipynb").as_posix()


def test_cli_and_pytest_write_the_same_paths_and_fingerprints(
    repo: Path, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    cli_report = repo / "cli.json"
    monkeypatch.chdir(repo)
    assert main(["check", "proj/nbs", "--format", "json", "-o", str(cli_report)]) == 1
    # pytest run from the project folder: rootdir is proj/, paths still from the repo top.
    monkeypatch.chdir(repo / "proj")
    pytest_report = repo / "pytest.json"
    result = pytester.runpytest_subprocess(
        "-k", "lint", "nbs", f"--nbgate-report=json:{pytest_report}"
    )
    assert result.ret == 1, result.stdout.str()
    from_cli, from_pytest = _findings(cli_report), _findings(pytest_report)
    assert from_cli == from_pytest
    assert {path for _, path, _ in from_cli} == {"proj/nbs/stale.ipynb"}
    assert Counter(rule for rule, _, _ in from_cli) == {"NB206": 2, "NB109": 2}


def test_findings_of_one_rule_in_one_cell_have_distinct_fingerprints() -> None:
    notebook = factory.load(_hidden_state())
    gate = _gate(_namespace())
    findings = lint(notebook, gate, Runtime.for_gate(gate))
    names = [f for f in findings if f.rule_id == "NB206"]
    assert len(names) == 2
    assert len({f.fingerprint for f in findings}) == len(findings)


def _namespace() -> Any:
    return argparse.Namespace(
        profile="strict", select=None, ignore=None, fail_on=None, secrets_baseline=None
    )


def test_fingerprint_ignores_message_and_line_but_not_evidence() -> None:
    where = Location("nb.ipynb", cell_index=2, cell_id="abc", line=3)
    base = Finding("NB101", "cell-too-long", Severity.WARNING, where, "Cell has 51 lines")
    grown = Finding(
        "NB101",
        "cell-too-long",
        Severity.WARNING,
        Location("nb.ipynb", cell_index=4, cell_id="abc", line=9),
        "Cell has 60 lines",
    )
    assert base.fingerprint == grown.fingerprint
    other = Finding("NB206", "x", Severity.ERROR, where, "m", evidence="e1")
    assert (
        other.fingerprint
        != Finding("NB206", "x", Severity.ERROR, where, "m", evidence="e2").fingerprint
    )


def _v3(source: str) -> dict[str, Any]:
    return {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": "old"},
        "worksheets": [
            {
                "metadata": {},
                "cells": [
                    {"cell_type": "heading", "level": 1, "source": "Old", "metadata": {}},
                    {
                        "cell_type": "code",
                        "input": source,
                        "language": "python",
                        "outputs": [],
                        "prompt_number": 3,
                        "metadata": {},
                    },
                    {
                        "cell_type": "code",
                        "input": "value = 1",
                        "language": "python",
                        "outputs": [],
                        "prompt_number": 1,
                        "metadata": {},
                    },
                ],
            }
        ],
    }


def test_old_nbformat_cells_get_the_same_ids_on_every_read(tmp_path: Path) -> None:
    path = tmp_path / "old.ipynb"
    path.write_text(json.dumps(_v3("print(value)")), encoding="utf-8")
    first, second = Notebook.read(path, tmp_path), Notebook.read(path, tmp_path)
    ids = [cell.id for cell in first.cells]
    assert ids == [cell.id for cell in second.cells]
    assert all(ids) and len(set(ids)) == len(ids)


def test_gating_old_notebooks_twice_gives_byte_identical_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nbs").mkdir()
    (tmp_path / "nbs" / "v3.ipynb").write_text(json.dumps(_v3("print(value)")), "utf-8")
    no_ids = factory.notebook(
        factory.code("print(value)", execution_count=2),
        factory.code("value = 1", execution_count=1),
        minor=4,
    )
    for cell in no_ids["cells"]:
        del cell["id"]
    factory.write(tmp_path / "nbs" / "v44.ipynb", no_ids)
    reports = []
    for run in ("a", "b"):
        out = tmp_path / f"{run}.json"
        main(["check", "nbs", "--profile", "strict", "--format", "json", "-o", str(out)])
        reports.append(out.read_bytes())
    assert reports[0] == reports[1]
    data = json.loads(reports[0])
    assert {f["path"] for f in data["findings"]} == {"nbs/v3.ipynb", "nbs/v44.ipynb"}


def test_no_two_static_findings_share_a_fingerprint_in_real_notebooks() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} (the shared corpus of real notebooks) is not beside the repository")
    gate = _gate(_namespace())
    findings, checked = static_findings(gate, [CORPUS])
    assert len(checked) > 100 and len(findings) > 100
    counts = Counter(f.fingerprint for f in findings)
    shared = [(f.rule_id, f.location.describe()) for f in findings if counts[f.fingerprint] > 1]
    assert not shared

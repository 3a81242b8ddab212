"""The plugin is opt-in and collects exactly what users expect."""

from __future__ import annotations

import pytest

from tests import factory

CLEAN = factory.notebook(factory.markdown("# Title"), factory.code("x = 1\nprint(x)"))


@pytest.fixture
def repo(pytester: pytest.Pytester) -> pytest.Pytester:
    factory.write(pytester.path / "analysis" / "a.ipynb", CLEAN)
    factory.write(pytester.path / "analysis" / "b.ipynb", CLEAN)
    factory.write(pytester.path / "analysis" / ".ipynb_checkpoints" / "a-checkpoint.ipynb", CLEAN)
    factory.write(pytester.path / "scratch" / "c.ipynb", CLEAN)
    pytester.makepyfile(test_plain="def test_ok():\n    assert 1 + 1 == 2\n")
    return pytester


def test_without_the_flag_notebooks_are_not_collected(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--collect-only", "-q")
    result.stdout.no_fnmatch_line("*.ipynb*")
    result.assert_outcomes()
    assert "test_plain.py::test_ok" in result.stdout.str()


def test_flag_collects_lint_and_execute_items_with_stable_ids(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--nbgate", "--collect-only", "-q")
    ids = [line for line in result.stdout.lines if ".ipynb::" in line]
    assert sorted(ids) == [
        "analysis/a.ipynb::execute",
        "analysis/a.ipynb::lint",
        "analysis/b.ipynb::execute",
        "analysis/b.ipynb::lint",
        "scratch/c.ipynb::execute",
        "scratch/c.ipynb::lint",
    ]


def test_ini_key_turns_the_gate_on(repo: pytest.Pytester) -> None:
    repo.makeini("[pytest]\nnbgate = true\n")
    result = repo.runpytest("--collect-only", "-q")
    assert "analysis/a.ipynb::lint" in result.stdout.str()


def test_ignore_norecursedirs_and_deselect_are_honoured(repo: pytest.Pytester) -> None:
    repo.makeini("[pytest]\nnorecursedirs = scratch\n")
    result = repo.runpytest(
        "--nbgate",
        "--collect-only",
        "-q",
        "--ignore=analysis/b.ipynb",
        "--deselect=analysis/a.ipynb::execute",
    )
    out = result.stdout.str()
    assert "analysis/a.ipynb::lint" in out
    assert "analysis/a.ipynb::execute" not in out
    assert "b.ipynb" not in out
    assert "c.ipynb" not in out


def test_testpaths_limits_collection(repo: pytest.Pytester) -> None:
    repo.makeini("[pytest]\ntestpaths = scratch\n")
    result = repo.runpytest("--nbgate", "--collect-only", "-q")
    out = result.stdout.str()
    assert "scratch/c.ipynb::lint" in out
    assert "analysis" not in out


def test_keyword_lint_runs_only_the_static_half(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--nbgate", "-k", "lint", "analysis")
    result.assert_outcomes(passed=2, deselected=2)


def test_no_execute_mode_never_collects_execute_items(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--nbgate", "--nbgate-no-execute", "--collect-only", "-q")
    assert "::execute" not in result.stdout.str()
    assert "analysis/a.ipynb::lint" in result.stdout.str()

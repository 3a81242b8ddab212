"""``--nbgate-github`` / ``--nbgate-no-github``: workflow-command annotations on or off."""

from __future__ import annotations

import pytest

STATIC = ("--nbgate", "--nbgate-no-execute", "-p", "no:cacheprovider")


def test_annotations_are_on_by_default_on_github_actions(
    repo: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = repo.runpytest(*STATIC)
    result.stdout.fnmatch_lines(["::error file=undefined.ipynb,*NB207*"])


def test_no_github_turns_them_off_even_on_github_actions(
    repo: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = repo.runpytest(*STATIC, "--nbgate-no-github")
    assert "::error" not in result.stdout.str()
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_github_turns_them_on_elsewhere(
    repo: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert "::error" not in repo.runpytest(*STATIC).stdout.str()
    assert "::error" in repo.runpytest(*STATIC, "--nbgate-github").stdout.str()

"""``--nbgate-explain RULE``: print the rule's documentation and exit, collecting nothing."""

from __future__ import annotations

import pytest


def test_explain_prints_the_documentation_and_exits_0(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--nbgate-explain", "NB207")
    assert result.ret == pytest.ExitCode.OK
    out = result.stdout.str()
    assert "NB207 undefined-name (default severity: error)" in out
    assert "What it does" in out
    assert "clean.ipynb" not in out


def test_explain_accepts_a_rule_name(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--nbgate-explain", "undefined-name")
    assert "NB207 undefined-name" in result.stdout.str()


def test_an_unknown_rule_is_a_usage_error(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--nbgate-explain", "NB9999")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "--nbgate-explain" in result.stderr.str()

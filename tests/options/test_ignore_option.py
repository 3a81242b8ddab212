"""``--nbgate-select`` / ``--nbgate-ignore``: rule selection from the command line."""

from __future__ import annotations

import pytest

STATIC = ("--nbgate", "--nbgate-no-execute", "-p", "no:cacheprovider", "-rA")


def test_ignoring_a_rule_by_id_passes_the_notebook(repo: pytest.Pytester) -> None:
    assert repo.runpytest(*STATIC).ret == pytest.ExitCode.TESTS_FAILED
    result = repo.runpytest(*STATIC, "--nbgate-ignore=NB207")
    assert result.ret == pytest.ExitCode.OK
    assert "NB207" not in result.stdout.str()


def test_ignoring_by_name_or_family_prefix_works_too(repo: pytest.Pytester) -> None:
    assert repo.runpytest(*STATIC, "--nbgate-ignore=undefined-name").ret == pytest.ExitCode.OK
    assert repo.runpytest(*STATIC, "--nbgate-ignore=NB2").ret == pytest.ExitCode.OK


def test_an_unknown_code_is_a_usage_error(repo: pytest.Pytester) -> None:
    result = repo.runpytest(*STATIC, "--nbgate-ignore=NB9999")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "NB9999" in result.stderr.str()


def test_selecting_one_family_leaves_the_others_out(repo: pytest.Pytester) -> None:
    result = repo.runpytest(*STATIC, "--nbgate-select=NB1")
    assert result.ret == pytest.ExitCode.OK

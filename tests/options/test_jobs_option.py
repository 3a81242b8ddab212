"""``--nbgate-jobs`` / ``nbgate_jobs`` and ``nbgate check --jobs``: counts, and bad values.

What the workers do is tested in ``tests/parallel/``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from pytest_nbgate.parallel.ahead import default_jobs, parse_jobs


def _check(pytester: pytest.Pytester, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest_nbgate.cli", "check", ".", *args]
    return subprocess.run(command, cwd=pytester.path, capture_output=True, text=True, check=False)


def test_counts_and_auto() -> None:
    assert parse_jobs("1") == 1
    assert parse_jobs(" 3 ") == 3
    assert parse_jobs("AUTO") == default_jobs()
    assert 1 <= default_jobs() <= 4


@pytest.mark.parametrize("text", ["0", "-1", "many"])
def test_a_bad_jobs_value_is_a_usage_error(pytester: pytest.Pytester, text: str) -> None:
    result = pytester.runpytest("--nbgate", f"--nbgate-jobs={text}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--nbgate-jobs*"])
    with pytest.raises(ValueError, match="process"):
        parse_jobs(text)
    done = _check(pytester, "--jobs", text)
    assert done.returncode == 2
    assert "--jobs" in done.stderr


def test_the_ini_key_sets_the_count(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nnbgate_jobs = 0\n")
    result = pytester.runpytest("--nbgate")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*nbgate_jobs*at least 1*"])


def test_a_valid_count_runs(repo: pytest.Pytester) -> None:
    result = repo.runpytest("--nbgate", "--nbgate-no-execute", "--nbgate-jobs=2")
    result.assert_outcomes(passed=1, failed=1)
    assert _check(repo, "--jobs", "2").returncode == 1

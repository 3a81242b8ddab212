"""The ini keys nbgate_profile, nbgate_timeout and nbgate_kernel, and the flags they back."""

from __future__ import annotations

import pytest

from tests import factory


def test_nbgate_profile_ini_selects_a_builtin_profile(repo: pytest.Pytester) -> None:
    factory.write(repo.path / "clean.ipynb", factory.notebook(factory.code("import os\nx = 1")))
    strict = repo.runpytest("--nbgate", "--nbgate-no-execute", "--nbgate-profile=strict", "-q")
    repo.makeini("[pytest]\nnbgate_profile = strict\n")
    from_ini = repo.runpytest("--nbgate", "--nbgate-no-execute", "-q")
    assert from_ini.ret == strict.ret
    assert from_ini.stdout.lines[-1].split(" in ")[0] == strict.stdout.lines[-1].split(" in ")[0]


def test_an_unknown_profile_in_ini_is_a_usage_error(repo: pytest.Pytester) -> None:
    repo.makeini("[pytest]\nnbgate_profile = no-such-profile\n")
    result = repo.runpytest("--nbgate", "--nbgate-no-execute")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "no-such-profile" in result.stderr.str()


def test_nbgate_timeout_ini_stops_a_slow_cell(pytester: pytest.Pytester, process_mark: str) -> None:
    factory.write(
        pytester.path / "slow.ipynb", factory.notebook(factory.code("import time\ntime.sleep(30)"))
    )
    pytester.makeini("[pytest]\nnbgate_timeout = 1\n")
    result = pytester.runpytest_subprocess("--nbgate", "-k", "execute", "--nbgate-prewarm=0")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*NB303*"])


def test_nbgate_kernel_ini_names_the_kernel(repo: pytest.Pytester, process_mark: str) -> None:
    repo.makeini("[pytest]\nnbgate_kernel = no-such-kernel\n")
    result = repo.runpytest_subprocess("--nbgate", "-k", "clean and execute", "--nbgate-prewarm=0")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*NB306*no-such-kernel*"])

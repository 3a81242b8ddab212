"""The ``stripped`` profile: stored outputs and volatile metadata fail, clean notebooks pass."""

from __future__ import annotations

import pytest

from tests import factory


def test_stripped_profile_with_and_without_outputs(pytester: pytest.Pytester) -> None:
    with_outputs = factory.notebook(
        factory.code("x = 1\nx", outputs=[factory.result({"text/plain": "1"})], execution_count=1),
        factory.code("y = 2", metadata={"ExecuteTime": {"end_time": "2024-01-01"}}),
    )
    without = factory.notebook(factory.code("x = 1\nx"), factory.code("y = 2"))
    factory.write(pytester.path / "with_outputs.ipynb", with_outputs)
    factory.write(pytester.path / "without.ipynb", without)
    result = pytester.runpytest("--nbgate", "--nbgate-profile=stripped", "--nbgate-no-execute")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "with_outputs.ipynb:cell 0: NB120 [error] Code cell stores 1 output(s) and " in out
    assert "execution count 1" in out
    assert "with_outputs.ipynb:cell 1: NB121 [error] Volatile metadata stored: ExecuteTime" in out
    assert "without.ipynb" not in out.split("short test summary")[-1]
    assert "2 fixable with `nbgate fix`" in out


def test_default_profile_keeps_outputs(pytester: pytest.Pytester) -> None:
    nb = factory.notebook(
        factory.code("x = 1\nx", outputs=[factory.result({"text/plain": "1"})], execution_count=1)
    )
    factory.write(pytester.path / "a.ipynb", nb)
    result = pytester.runpytest("--nbgate", "--nbgate-no-execute")
    result.assert_outcomes(passed=1)
    assert "NB120" not in result.stdout.str()

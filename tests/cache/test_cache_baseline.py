"""A baseline's accepted findings stay accepted, and never stale, when results are replayed."""

from __future__ import annotations

import re

import pytest

from pytest_nbgate import cli
from tests import factory


@pytest.fixture
def accepted(pytester: pytest.Pytester) -> pytest.Pytester:
    """Two notebooks whose every finding, an unreadable file's included, is in the baseline."""
    leaky = factory.code("print('a')", outputs=[factory.stream("mail anna.berg@gmail.com\n")])
    factory.write(pytester.path / "nbs" / "leaky.ipynb", factory.notebook(leaky))
    (pytester.path / "nbs" / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    assert cli.main(["baseline", "nbs", "--output", "base.json"]) == 0
    return pytester


@pytest.mark.parametrize("run", ["cold", "warm"])
def test_nbgate_check_reports_no_stale_entry_cold_or_warm(
    accepted: pytest.Pytester, capsys: pytest.CaptureFixture[str], run: str
) -> None:
    if run == "warm":
        assert cli.main(["check", "nbs", "--baseline", "base.json", "--jobs", "1"]) == 0
        capsys.readouterr()
    assert cli.main(["check", "nbs", "--baseline", "base.json", "--jobs", "1"]) == 0
    assert "stale baseline entry" not in capsys.readouterr().err


def test_pytest_replays_accepted_findings_without_calling_them_stale(
    accepted: pytest.Pytester,
) -> None:
    args = ("--nbgate", "--nbgate-no-execute", "--nbgate-baseline=base.json", "-v", "nbs")
    cold = accepted.runpytest_subprocess(*args)
    warm = accepted.runpytest_subprocess(*args)
    assert cold.ret == warm.ret == 0, warm.stdout.str()[-2000:]
    warm.stdout.fnmatch_lines(["*leaky.ipynb::lint PASSED (cached)*"])
    assert "stale baseline entry" not in cold.stdout.str() + warm.stdout.str()


def test_a_finding_no_longer_produced_is_still_stale_on_a_warm_run(
    accepted: pytest.Pytester, capsys: pytest.CaptureFixture[str]
) -> None:
    factory.write(accepted.path / "nbs" / "leaky.ipynb", factory.notebook(factory.code("x = 1")))
    for _ in range(2):
        assert cli.main(["check", "nbs", "--baseline", "base.json", "--jobs", "1"]) == 0
        stale = r"stale baseline entry: nbs/leaky\.ipynb.*: PII101"
        assert re.search(stale, capsys.readouterr().err)

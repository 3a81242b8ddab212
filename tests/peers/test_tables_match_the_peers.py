"""The verdict tables of ``test_nbmake``/``test_nbval`` are what nbmake and nbval really say.

The peers are test dependencies: each table's notebooks are run through the
peer itself, so a table cannot drift from the peer's actual behaviour. The
one deliberate difference (a cell marked to raise that does not, NB302 here,
a pass in nbval) is spelled out in ``test_nbval.NBVAL_SAYS``.
"""

from __future__ import annotations

import pytest

from tests import factory
from tests.peers import test_nbmake, test_nbval
from tests.peers.verdicts import Notebooks


def peer_verdicts(pytester: pytest.Pytester, notebooks: Notebooks, *args: str) -> dict[str, str]:
    """Per notebook: ``failed`` when any of the peer's items for it failed, else ``passed``."""
    for name, nb in notebooks.items():
        factory.write(pytester.path / name, nb)
    recorder = pytester.inline_run(*args, "-p", "no:cacheprovider")
    found = {name: "passed" for name in notebooks}
    for report in recorder.getreports("pytest_runtest_logreport"):
        if report.failed:
            found[report.nodeid.partition("::")[0]] = "failed"
    return found


def test_nbmake_gives_the_nbmake_table(pytester: pytest.Pytester, process_mark: str) -> None:
    found = peer_verdicts(pytester, test_nbmake.NBMAKE, "--nbmake")
    assert found == test_nbmake.EXPECTED


def test_nbval_gives_the_nbval_table(pytester: pytest.Pytester, process_mark: str) -> None:
    found = peer_verdicts(pytester, test_nbval.NBVAL, "--nbval")
    assert found == test_nbval.NBVAL_SAYS

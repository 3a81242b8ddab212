"""Kernels on a saturated machine: every one starts, none outlives the run.

The suite starts ``NBGATE_LOAD_KERNELS`` kernels (default 30, to stay within
the suite's time budget on two cores); ``benchmarks/kernels_under_load.py``
runs this same test with 200.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests import factory
from tests.procs import marked_processes

KERNELS = int(os.environ.get("NBGATE_LOAD_KERNELS", "30"))
BURN = "import time\nwhile True:\n    time.time()"


@pytest.fixture
def saturated_cpu() -> Iterator[None]:
    """One busy process per core (plus one), for as long as the test runs."""
    burners = [
        subprocess.Popen([sys.executable, "-c", BURN]) for _ in range((os.cpu_count() or 1) + 1)
    ]
    try:
        yield
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


@pytest.mark.slow
@pytest.mark.usefixtures("saturated_cpu")
def test_every_kernel_starts_and_none_survives_under_load(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    for index in range(KERNELS):
        folder = pytester.path / ("with space" if index % 2 else "plain")
        factory.write(
            folder / f"nb {index:03d}.ipynb", factory.notebook(factory.code(f"x = {index}"))
        )
    result = pytester.runpytest_subprocess(
        "--nbgate", "-k", "execute", "-n", "2", "-p", "no:cacheprovider", "-q"
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed") == KERNELS, result.stdout.str()[-3000:]
    result.stdout.no_fnmatch_line("*NB307*")
    assert marked_processes(process_mark, wait=5.0) == []

"""Prewarmed kernels: each notebook still gets a fresh process of its own; none is left behind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import factory
from tests.procs import marked_processes

PREWARM = ("-p", "pytest_nbgate.prewarm")

PROBE = """
import json, os, random, sys
state = {
    "current_test": os.environ.get("PYTEST_CURRENT_TEST"),
    "pid": os.getpid(),
    "cwd": os.getcwd(),
    "flag": os.environ.get("NBGATE_PROBE_FLAG"),
    "notebook": os.environ.get("NBGATE_NOTEBOOK"),
    "leaked": "json.tool" in sys.modules or "previous_notebook_value" in globals(),
    "random": random.random(),
}
import json.tool
previous_notebook_value = 1
with open(os.path.join(OUT, os.path.basename(os.getcwd()) + ".json"), "w") as f:
    json.dump(state, f)
"""


COUNT_PREPARED = """
from pytest_nbgate.execution import pool

COUNTS = {"hits": 0, "starts": 0}
_acquire, _start = pool.KernelSource.acquire, pool.KernelSource.start


def acquire(self, request):
    COUNTS["hits"] += any(started.request == request for started in self.prepared)
    return _acquire(self, request)


def start(self, request):
    COUNTS["starts"] += 1
    return _start(self, request)


pool.KernelSource.acquire, pool.KernelSource.start = acquire, start


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"hits={COUNTS['hits']} starts={COUNTS['starts']}")
"""


def probes(pytester: pytest.Pytester, count: int) -> Path:
    out = pytester.path / "out"
    out.mkdir()
    for n in range(count):
        nb = factory.notebook(factory.code(f"OUT = {str(out)!r}\n" + PROBE))
        factory.write(pytester.path / f"d{n}" / "nb.ipynb", nb)
    return out


@pytest.mark.parametrize("prewarm", ["1", "2", "0"])
def test_each_notebook_gets_its_own_fresh_kernel(
    pytester: pytest.Pytester, process_mark: str, monkeypatch: pytest.MonkeyPatch, prewarm: str
) -> None:
    monkeypatch.setenv("NBGATE_PROBE_FLAG", "set")
    pytester.makeconftest(COUNT_PREPARED)
    out = probes(pytester, 4)
    result = pytester.runpytest_subprocess(
        "--nbgate", *PREWARM, f"--nbgate-prewarm={prewarm}", "-k", "execute", "-p", "no:randomly"
    )
    result.assert_outcomes(passed=4, deselected=4)
    states = {p.stem: json.loads(p.read_text()) for p in out.glob("*.json")}
    assert sorted(states) == ["d0", "d1", "d2", "d3"]
    assert len({s["pid"] for s in states.values()}) == 4
    assert len({s["random"] for s in states.values()}) == 4
    for name, state in states.items():
        assert Path(state["cwd"]) == pytester.path / name
        assert state["notebook"] == str(pytester.path / name / "nb.ipynb")
        assert state["flag"] == "set"
        assert not state["leaked"]
        # As a kernel started inside the test sees it, also when it was started ahead.
        assert state["current_test"] == f"{name}/nb.ipynb::execute (call)"
    # Prepared ahead and used: the kernel each notebook got was one started ahead.
    expected = "hits=0 starts=0" if prewarm == "0" else "hits=4 starts=4"
    result.stdout.fnmatch_lines([expected])
    assert not marked_processes(process_mark, wait=5.0)


def test_prewarm_zero_installs_no_kernel_source(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        "import pytest\n"
        "from pytest_nbgate.stash import RUNTIME_KEY\n"
        "@pytest.hookimpl(trylast=True)\n"
        "def pytest_collection_finish(session):\n"
        "    print('SOURCE', session.config.stash[RUNTIME_KEY].kernel_source)\n"
    )
    factory.write(pytester.path / "nb.ipynb", factory.notebook(factory.code("1")))
    result = pytester.runpytest("--nbgate", *PREWARM, "--nbgate-prewarm=0", "-s", "--co")
    result.stdout.fnmatch_lines(["SOURCE None"])


def test_kernel_dying_in_a_prewarmed_run_is_reported(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    factory.write(
        pytester.path / "a.ipynb", factory.notebook(factory.code("import os\nos._exit(3)"))
    )
    factory.write(
        pytester.path / "b.ipynb",
        factory.notebook(factory.code("import ctypes\nctypes.string_at(0)")),
    )
    factory.write(pytester.path / "c.ipynb", factory.notebook(factory.code("print('fine')")))
    result = pytester.runpytest("--nbgate", *PREWARM, "-k", "execute")
    result.assert_outcomes(passed=1, failed=2, deselected=3)
    result.stdout.fnmatch_lines(["*a.ipynb:cell 0*: NB305*(exit code 3)*"])
    result.stdout.fnmatch_lines(["*b.ipynb:cell 0*: NB305*(killed by signal SIGSEGV)*"])


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupting_pytest_mid_run_leaves_no_process(
    pytester: pytest.Pytester, process_mark: str, signum: int
) -> None:
    started = pytester.path / "started"
    slow = f"open({str(started)!r}, 'w').close()\nimport time\ntime.sleep(60)"
    for n in range(3):
        factory.write(pytester.path / f"nb{n}.ipynb", factory.notebook(factory.code(slow)))
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbgate", *PREWARM]
    proc = subprocess.Popen(
        argv, cwd=pytester.path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), "no notebook started"
    assert len(marked_processes(process_mark)) >= 3  # pytest, the fork server, kernels
    proc.send_signal(signum)
    proc.wait(timeout=30)
    assert not marked_processes(process_mark, wait=5.0)


def test_killed_pytest_takes_its_kernels_along(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    started = pytester.path / "started"
    slow = f"open({str(started)!r}, 'w').close()\nimport time\ntime.sleep(60)"
    factory.write(pytester.path / "nb.ipynb", factory.notebook(factory.code(slow)))
    argv = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbgate", *PREWARM]
    proc = subprocess.Popen(
        argv, cwd=pytester.path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.wait(timeout=30)
    assert not marked_processes(process_mark, wait=10.0)

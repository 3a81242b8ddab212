"""Ctrl-C and SIGTERM to a running gate: no orphan kernels, no half-written file, a summary.

The gate runs in a subprocess of its own session (like a CI job); a cell
creates a flag file so the signal lands mid-execution, never during start-up.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_nbgate.notebook.model import Notebook
from tests import factory

HANG = "open('running.flag', 'w').close()\nimport time\ntime.sleep(120)"


def project(root: Path) -> dict[str, bytes]:
    """A quick notebook that passes, then one that hangs; returns the files' bytes."""
    quick = factory.code("print('quick')", outputs=[factory.stream("quick\n")], execution_count=1)
    factory.write(root / "a_quick.ipynb", factory.notebook(quick))
    factory.write(
        root / "b_hangs.ipynb",
        factory.notebook(factory.code("x = 1", execution_count=1), factory.code(HANG)),
    )
    return {p.name: p.read_bytes() for p in root.glob("*.ipynb")}


def interrupt(root: Path, signum: int, *args: str, group: bool = False) -> tuple[int, str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbgate", *args]
    proc = subprocess.Popen(
        command,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while not (root / "running.flag").exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[0]
        time.sleep(0.1)
    time.sleep(0.5)
    if group:
        os.killpg(proc.pid, signum)
    else:
        proc.send_signal(signum)
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out = proc.communicate()[0]
        pytest.fail(f"the gate did not stop within 60 s of signal {signum}:\n{out}")
    return proc.returncode, out


def assert_files_whole(root: Path, before: dict[str, bytes]) -> None:
    leftovers = [p.name for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert not leftovers, leftovers
    for name, data in before.items():
        now = (root / name).read_bytes()
        if now != data:  # rewritten: then completely, as a valid notebook
            Notebook.from_bytes(now, root / name, name)
    for golden in root.rglob("*.golden.txt"):
        assert golden.read_text(encoding="utf-8").endswith("\n")


CASES = [
    pytest.param(signal.SIGINT, (), False, id="sigint"),
    pytest.param(signal.SIGTERM, (), False, id="sigterm"),
    pytest.param(signal.SIGINT, ("--nbgate-update",), False, id="sigint-update"),
    pytest.param(signal.SIGTERM, ("--nbgate-update",), False, id="sigterm-update"),
    pytest.param(signal.SIGINT, ("-n", "2"), True, id="sigint-xdist"),
    pytest.param(signal.SIGTERM, ("-n", "2"), True, id="sigterm-xdist"),
]


@pytest.mark.parametrize(("signum", "args", "group"), CASES)
def test_interrupted_gate_stops_cleanly(
    tmp_path: Path, process_mark: str, signum: int, args: tuple[str, ...], group: bool
) -> None:
    before = project(tmp_path)
    code, out = interrupt(tmp_path, signum, *args, group=group)
    assert code == pytest.ExitCode.INTERRUPTED, out
    assert "INTERNALERROR" not in out, out
    assert "KeyboardInterrupt" in out or "Interrupted" in out, out
    assert "notebook(s) checked" in out, out  # the summary of what did run
    assert_files_whole(tmp_path, before)


def test_json_report_is_whole_after_interrupt(tmp_path: Path, process_mark: str) -> None:
    project(tmp_path)
    code, out = interrupt(tmp_path, signal.SIGINT, "--nbgate-report=json:out/report.json")
    assert code == pytest.ExitCode.INTERRUPTED, out
    report = tmp_path / "out" / "report.json"
    if report.exists():
        json.loads(report.read_text())

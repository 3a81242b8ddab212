"""A kernel that fails to start is retried with a fresh process, a bounded number of times."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pytest_nbgate.execution.run import START_ATTEMPTS, ExecutionOptions, execute
from pytest_nbgate.notebook.model import Notebook
from tests import factory

FLAKY = """
import os, sys
from pathlib import Path
counter = Path(sys.argv[1])
failures = int(sys.argv[2])
seen = int(counter.read_text()) if counter.exists() else 0
counter.write_text(str(seen + 1))
if seen < failures:
    sys.exit(3)  # dies before binding its sockets, as a starved or broken start does
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[3:]])
"""


def _flaky_kernel(root: Path, failures: int, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real kernelspec whose first ``failures`` launches exit at once; returns its counter."""
    spec = root / "share" / "jupyter" / "kernels" / "flaky"
    spec.mkdir(parents=True)
    script = root / "flaky.py"
    script.write_text(FLAKY)
    counter = root / "launches"
    argv = [sys.executable, str(script), str(counter), str(failures), "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Flaky", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(root / "share" / "jupyter"))
    return counter


@pytest.mark.usefixtures("process_mark")
def test_a_kernel_that_dies_while_starting_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = _flaky_kernel(tmp_path, failures=START_ATTEMPTS - 1, monkeypatch=monkeypatch)
    path = factory.write(
        tmp_path / "nb.ipynb", factory.notebook(factory.code("print(6 * 7)"), kernel="flaky")
    )
    notebook = Notebook.read(path, tmp_path)
    result = execute(notebook, ExecutionOptions(startup_timeout=30))
    assert result.ok, result.start_error
    assert result.executed is not None
    assert result.executed.cells[0].outputs[0].text == "42\n"
    assert counter.read_text() == str(START_ATTEMPTS)


@pytest.mark.usefixtures("process_mark")
def test_a_kernel_that_never_starts_names_the_attempts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter = _flaky_kernel(pytester.path, failures=99, monkeypatch=monkeypatch)
    factory.write(
        pytester.path / "nb.ipynb", factory.notebook(factory.code("x = 1"), kernel="flaky")
    )
    result = pytester.runpytest("--nbgate", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([f"*NB307*flaky*failed to start*({START_ATTEMPTS} attempts)*"])
    assert counter.read_text() == str(START_ATTEMPTS)

"""Notebooks that misbehave towards the runner: stdin, output floods, kernels that never start."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_nbgate.execution.run import ExecutionOptions, execute
from pytest_nbgate.notebook.model import Notebook
from tests import factory

PREWARM = ("-p", "pytest_nbgate.prewarm")


@pytest.mark.parametrize("prewarm", ["1", "0"])
def test_reading_stdin_fails_fast_with_a_clear_error(
    pytester: pytest.Pytester, process_mark: str, prewarm: str
) -> None:
    factory.write(
        pytester.path / "ask.ipynb", factory.notebook(factory.code("name = input('name? ')"))
    )
    factory.write(pytester.path / "ok.ipynb", factory.notebook(factory.code("1")))
    result = pytester.runpytest(
        "--nbgate", *PREWARM, f"--nbgate-prewarm={prewarm}", "--nbgate-timeout=20"
    )
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*ask.ipynb:cell 0*NB301*StdinNotImplementedError*"])
    assert result.duration < 20


def test_output_flood_is_capped_and_noted(pytester: pytest.Pytester, process_mark: str) -> None:
    flood = "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)\nprint('end')"
    factory.write(pytester.path / "flood.ipynb", factory.notebook(factory.code(flood)))
    result = pytester.runpytest(
        "--nbgate", *PREWARM, "--nbgate-report=json:r.json", "-k", "execute"
    )
    result.assert_outcomes(passed=1, deselected=1)


def test_output_cap_keeps_the_head_and_notes_the_drop(process_mark: str, tmp_path: Path) -> None:
    source = "for i in range(50):\n    print('y' * 100_000, flush=True)"
    path = factory.write(tmp_path / "flood.ipynb", factory.notebook(factory.code(source)))
    result = execute(Notebook.read(path, tmp_path), ExecutionOptions(output_cap=1_000_000))
    assert result.ok
    assert result.executed is not None
    outputs = result.executed.to_node().cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs)
    assert len(text) < 1_200_000
    assert "bytes of output dropped after the first 1000000" in text


def test_kernel_that_never_becomes_ready_is_nb307(
    pytester: pytest.Pytester, process_mark: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec_dir = pytester.path / "kernels" / "kernels" / "sleepy"
    spec_dir.mkdir(parents=True)
    argv = ["python", "-c", "import time; time.sleep(120)", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "sleepy", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(pytester.path / "kernels"))
    (pytester.path / "profile.yaml").write_text(
        "extends: default\nexecution:\n  startup-timeout: 3\n"
    )
    factory.write(pytester.path / "nb.ipynb", factory.notebook(factory.code("1"), kernel="sleepy"))
    result = pytester.runpytest(
        "--nbgate", *PREWARM, "--nbgate-profile=profile.yaml", "-k", "execute"
    )
    result.assert_outcomes(failed=1, deselected=1)
    result.stdout.fnmatch_lines(["*nb.ipynb*NB307*"])
    assert result.duration < 30

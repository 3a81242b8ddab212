"""Static-only mode runs no code from the pull request: no kernel, no notebook cell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import factory
from tests.robustness.hostile import CASES

PWN = "open('pwned-by-cell', 'w').close()"


def hostile_project(root: Path) -> None:
    factory.write(root / "nb.ipynb", factory.notebook(factory.code(PWN)))
    for name, content, _expected in CASES:
        (root / "hostile" / f"{name}.ipynb").parent.mkdir(exist_ok=True)
        (root / "hostile" / f"{name}.ipynb").write_bytes(content)


def test_no_execute_starts_no_kernel(pytester: pytest.Pytester, process_mark: str) -> None:
    hostile_project(pytester.path)
    result = pytester.runpytest("--nbgate", "--nbgate-no-execute", "--collect-only", "-q")
    assert not [line for line in result.outlines if line.endswith("::execute")]
    result = pytester.runpytest("--nbgate", "--nbgate-no-execute")
    result.stdout.no_fnmatch_line("*INTERNALERROR*")
    assert not (pytester.path / "pwned-by-cell").exists()


def test_nbgate_check_never_imports_project_code(tmp_path: Path) -> None:
    hostile_project(tmp_path)
    (tmp_path / "conftest.py").write_text("open('pwned-by-conftest', 'w').close()\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest_nbgate.cli", "check", "--format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "pwned-by-cell").exists()
    assert not (tmp_path / "pwned-by-conftest").exists()

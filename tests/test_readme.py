"""The README's Quick start does what it says: its first command exits 0."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    """The command lines (comments dropped) of the first bash block under ``## Quick start``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```bash\n(.*?)```", section, re.S)
    assert match, "README's Quick start has no bash block"
    lines = (line.strip() for line in match.group(1).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def pytest_part(command: str) -> list[str]:
    """``python -m pytest ARGS`` of an ``install && python -m pytest ARGS`` line, as argv."""
    part = command.split("&&")[-1].split()
    assert part[:3] == ["python", "-m", "pytest"], command
    return part[3:]


def test_quick_start_creates_a_venv_then_installs_then_runs_pytest() -> None:
    commands = quick_start_commands()
    assert commands[0].startswith("python3 -m venv .venv"), commands
    install, _, run = commands[1].partition("&&")
    assert install.split()[:4] == ["python", "-m", "pip", "install"], commands[1]
    assert "-e ./example_repo" in install
    assert run.split()[:3] == ["python", "-m", "pytest"]


def test_quick_start_first_command_exits_0_in_a_fresh_process() -> None:
    args = pytest_part(quick_start_commands()[1])
    # A fresh process as a new user has it: none of this run's pytest or xdist settings.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "GITHUB_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    tail = result.stdout[-3000:] + result.stderr[-2000:]
    assert result.returncode == 0, tail
    assert re.search(r"\b\d+ passed\b", result.stdout), tail
    assert "failing/" not in result.stdout, tail

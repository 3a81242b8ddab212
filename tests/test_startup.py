"""Installed but off, the plugin imports nothing of the gate (the cost lives in benchmarks/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("nbclient", "jupyter_client", "nbformat", "pylint", "detect_secrets", "yaml", "IPython")
PROBE = (
    "import sys, pytest\n"
    "code = pytest.main(sys.argv[1:])\n"
    "print('NBGATE', sorted(m for m in sys.modules if m.startswith('pytest_nbgate')))\n"
    "print('HEAVY', [m for m in {heavy!r} if m in sys.modules])\n"
    "raise SystemExit(code)\n"
)
# nbval and nbmake, installed for the comparison benchmarks, import nbformat themselves.
OTHERS = ("-p", "no:nbval", "-p", "no:nbmake", "-p", "no:cacheprovider")


def _probe(tmp_path: Path, *args: str) -> dict[str, str]:
    (tmp_path / "test_one.py").write_text("def test_one():\n    assert True\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    command = [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args, *OTHERS]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line.split(" ", 1) for line in result.stdout.splitlines() if " " in line]
    return {key: value for key, value in lines if key in ("NBGATE", "HEAVY")}


def test_gate_off_imports_only_the_entry_point(tmp_path: Path) -> None:
    found = _probe(tmp_path, "--collect-only", "-q")
    assert found["HEAVY"] == "[]"
    assert found["NBGATE"] == "['pytest_nbgate', 'pytest_nbgate.plugin', 'pytest_nbgate.stash']"


def test_gate_on_imports_the_gate(tmp_path: Path) -> None:
    found = _probe(tmp_path, "--collect-only", "-q", "--nbgate")
    assert "nbclient" in found["HEAVY"]
    assert "pytest_nbgate.items" in found["NBGATE"]


def test_a_run_the_cache_replays_never_imports_the_secret_plugins(tmp_path: Path) -> None:
    from tests import factory

    factory.write(tmp_path / "nb.ipynb", factory.notebook(factory.code("x = 1")))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    probe = [sys.executable, "-c", PROBE.format(heavy=HEAVY), "--nbgate", "--nbgate-no-execute"]
    probe += ["-p", "no:nbval", "-p", "no:nbmake", "-p", "no:randomly"]
    imported = []
    for _ in ("cold", "warm"):
        result = subprocess.run(probe, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        imported.append(
            "detect_secrets"
            in next(line for line in result.stdout.splitlines() if line.startswith("HEAVY"))
        )
    assert imported == [True, False]

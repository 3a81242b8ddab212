"""Cache keys are the same in every process: string hashing is randomised per process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factory

PRINT_KEYS = """
from pathlib import Path
from pytest_nbgate.cache import digests
from pytest_nbgate.config import RawOptions, build
gate = build(RawOptions(), Path.cwd())
static = digests.static_fingerprint(gate, digests.package_digest())
print(static, digests.execution_fingerprint(gate, static), digests.pylint_fingerprint(gate, static))
"""


def test_fingerprints_do_not_depend_on_the_hash_seed(pytester: pytest.Pytester) -> None:
    (pytester.path / "pyproject.toml").write_text(
        '[tool.nbgate]\ncache = "all"\n[tool.nbgate.execution]\ndepends = ["data/*"]\n'
        "[tool.nbgate.snapshots]\nmime-types = ['text/plain', 'image/png', 'text/html']\n"
    )
    factory.write(pytester.path / "data" / "a.ipynb", factory.notebook(factory.code("x = 1")))
    printed = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", PRINT_KEYS],
            cwd=Path(pytester.path),
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        printed.add(done.stdout)
    assert len(printed) == 1, printed

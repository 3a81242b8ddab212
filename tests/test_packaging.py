"""The built wheel ships the rules/ profiles and schemas, identical to the repository's."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_the_profiles_and_schemas_unchanged(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            dist,
            ROOT,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = dist.glob("pytest_nbgate-*.whl")
    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(env), "platbase": str(env)}))
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", purelib, wheel],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    shipped = purelib / "pytest_nbgate" / "rules"
    source = sorted((ROOT / "rules").glob("*.yaml"))
    assert source, "no profiles in rules/"
    assert sorted(p.name for p in shipped.glob("*.yaml")) == [p.name for p in source]
    for profile in source:
        assert (shipped / profile.name).read_bytes() == profile.read_bytes()
    for schema in (ROOT / "pytest_nbgate" / "schemas").rglob("*.json"):
        relative = schema.relative_to(ROOT)
        assert (purelib / relative).read_bytes() == schema.read_bytes()

"""Headless Chromium for the HTML report tests: the DOM it built, and screenshots.

Debian's ``chromium`` (``.ci/run`` installs it). Each run gets a fresh profile
folder and every background service off, so the only page it loads is ours.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def executable() -> str:
    """The browser, or a skip that says why (the only skip of these tests)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium on PATH: .ci/run installs Debian's chromium with apt-get")
    return found


def run(url: str, *extra: str, timeout: float = 120) -> str:
    """Chromium's standard output for ``url`` with ``extra`` flags."""
    with tempfile.TemporaryDirectory(prefix="nbgate-chromium-") as profile:
        command = [executable(), *FLAGS, f"--user-data-dir={profile}", *extra, url]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(page: Path, fragment: str = "", budget_ms: int = 3000) -> str:
    """The DOM after the page's scripts ran (``fragment`` such as ``#filter?rule=NB301``)."""
    return run(page.as_uri() + fragment, f"--virtual-time-budget={budget_ms}", "--dump-dom")


def screenshot(page: Path, target: Path, size: str = "1280,2400") -> Path:
    run(page.as_uri(), f"--screenshot={target}", f"--window-size={size}", "--hide-scrollbars")
    assert target.is_file() and target.stat().st_size > 0
    return target


def root_data(dom: str) -> dict[str, str]:
    """The ``data-*`` attributes the page's script wrote on ``<html>``."""
    tag = re.search(r"<html\b[^>]*>", dom)
    assert tag is not None, dom[:500]
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', tag.group(0)))

"""Find processes by an environment token (Linux /proc), for leftover-kernel checks."""

from __future__ import annotations

import os
import time
from pathlib import Path


def _has_token(pid: int, needle: bytes) -> bool:
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        status = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # Zombies are dead and reaped by their parent soon; they hold no resources.
    state = status.rpartition(")")[2].split()[0] if ")" in status else ""
    return needle in environ and state != "Z"


def marked_processes(token: str, wait: float = 0.0) -> list[str]:
    """Live processes (other than this one) whose environment holds ``NBGATE_TEST_MARK=token``."""
    needle = f"NBGATE_TEST_MARK={token}".encode()
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            pid = int(entry.name) if entry.name.isdigit() else os.getpid()
            if pid != os.getpid() and _has_token(pid, needle):
                found.append(_describe(pid))
        if not found or time.monotonic() >= deadline:
            return found
        time.sleep(0.1)


def _describe(pid: int) -> str:
    try:
        cmd = (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        cmd = "?"
    return f"{pid}: {cmd[:120]}"

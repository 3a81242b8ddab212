"""A kernel's own output: kept in a log beside its connection file, shown when it dies.

ipykernel prints a start-up banner ("NOTE: When using the `ipython kernel`
entry point...", "To connect another client to this kernel...") and a kernel
dying in C prints its last words to the process's stderr. Neither belongs on
the pytest run's terminal; the last words belong under the NB305 finding.
"""

from __future__ import annotations

import logging
import os

LOG_NAME = "kernel.log"
LOG_TAIL_LINES = 40


def kernel_log(folder: str | None) -> str | None:
    """Where a kernel started with private folder ``folder`` writes its own output."""
    return os.path.join(folder, LOG_NAME) if folder is not None else None


def quiet_logger() -> logging.Logger:
    """For nbclient and jupyter_client: they log what the finding already says.

    ("Kernel died while waiting for execute reply".) A logger outside logging's
    tree, made per run, keeps that off pytest's captured-log sections without
    changing any module-level logging state.
    """
    return logging.Logger("pytest_nbgate.execution", logging.CRITICAL + 1)


def log_tail(path: str | os.PathLike[str], lines: int = LOG_TAIL_LINES) -> str:
    """The last ``lines`` lines a kernel wrote to its log, without ipykernel's start-up banner.

    Shown only when the kernel died: what it printed last (a C extension's abort
    message, an out-of-memory note) is the best clue to why.
    """
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 64 * 1024))
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    kept = [line for line in text.splitlines() if not _is_banner(line)]
    while kept and not kept[0].strip():
        kept.pop(0)
    return "\n".join(kept[-lines:]).rstrip()


BANNER_STARTS = (
    "NOTE: When using the `ipython kernel` entry point",
    "To exit, you will have to explicitly quit this process",
    '"quit" from a client, or using Ctrl-',
    "To read more about this, see https://github.com/ipython/ipython/issues/2049",
    "To connect another client to this kernel, use:",
    "    --existing ",
)


def _is_banner(line: str) -> bool:
    return line.startswith(BANNER_STARTS) or not line.strip()

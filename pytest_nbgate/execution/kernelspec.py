"""Which kernel a notebook runs in, and what it starts with: name, sockets, environment.

Kept apart from the nbclient facade so that the pytest layer (prewarm, item
names) can ask without importing nbclient.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager

from pytest_nbgate.execution.results import ExecutionOptions
from pytest_nbgate.notebook.model import Notebook

DEFAULT_KERNEL = "python3"


def transport(folder: str | None) -> dict[str, str]:
    """IPC sockets where the platform has them: no TCP port races between xdist workers."""
    if folder is None:
        return {}
    return {"transport": "ipc", "ip": os.path.join(folder, "kernel")}


def available_kernels() -> tuple[str, ...]:
    return tuple(sorted(KernelSpecManager().find_kernel_specs()))


def resolve_kernel(notebook: Notebook, options: ExecutionOptions) -> str:
    """The profile's or flag's kernel, else the notebook's kernelspec, else ``python3``."""
    if options.current_env:
        return DEFAULT_KERNEL
    return options.kernel or notebook.kernel_name or DEFAULT_KERNEL


def kernel_env(notebook_path: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """The environment a kernel starts with: ours plus the profile's additions."""
    return {**os.environ, **extra, "NBGATE_NOTEBOOK": str(notebook_path)}

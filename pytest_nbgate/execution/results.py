"""What one execution was asked to do and what happened: the facade's value types."""

from __future__ import annotations

import signal
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nbformat import NotebookNode

from pytest_nbgate.notebook.ansi import strip_ansi
from pytest_nbgate.notebook.model import Notebook


@dataclass(frozen=True)
class ExecutionOptions:
    timeout: float | None = 120.0
    """Per cell, in seconds; ``None`` or 0 for none."""
    notebook_timeout: float | None = None
    kernel: str | None = None
    """Overrides the notebook's kernelspec."""
    startup_timeout: float = 60.0
    env: Mapping[str, str] = field(default_factory=dict)
    """Added to the kernel's environment."""
    setup_code: tuple[str, ...] = ()
    """Run silently before the first cell (e.g. starting coverage); not part of the notebook."""
    teardown_code: tuple[str, ...] = ()
    """Run silently after the last cell that ran, even when a cell failed (not after a crash)."""
    output_cap: int = 4 * 1024 * 1024
    """Bytes of output kept per cell; the rest is dropped and the drop noted in the output."""
    allow_errors: bool = False
    """nbmake's ``execution.allow_errors``: cells may raise and the run goes on."""
    import_errors_only: bool = False
    """nbmake's ``--nbmake-find-import-errors``: run every cell, fail only on import errors."""
    cwd: Path | None = None
    """Where the kernel starts; ``None``: the notebook's own folder."""
    install_magics: str = "run"
    """``%pip``/``!conda`` lines: ``run`` them, ``skip`` them, or ``fail`` the cell."""
    current_env: bool = False
    """nbval's ``--nbval-current-env``: this interpreter, whatever the kernelspec says."""
    parameters: str = ""
    """Code injected after the ``parameters`` cell, as papermill's ``injected-parameters``."""


@dataclass(frozen=True)
class CellFailure:
    """Why execution stopped (or what an expected error did not do) in one cell."""

    kind: str
    """``error``, ``timeout``, ``notebook-timeout``, ``died``, ``missing-exception``, ``install``
    (an install line the ``fail`` policy refused to run)."""
    cell_index: int
    ename: str = ""
    evalue: str = ""
    traceback: str = ""
    elapsed: float = 0.0
    limit: float = 0.0
    """The timeout that was exceeded (per cell or per notebook), in seconds."""
    status: str = ""


@dataclass(frozen=True)
class ExecutionResult:
    kernel: str
    executed: Notebook | None = None
    """The notebook with fresh outputs (``None`` when no kernel could start)."""
    failures: tuple[CellFailure, ...] = ()
    missing_kernel: tuple[str, ...] | None = None
    """The kernels that do exist, when the requested one does not."""
    start_error: str = ""
    duration: float = 0.0
    executed_cells: frozenset[int] = frozenset()
    skipped_cells: frozenset[int] = frozenset()

    @property
    def skip_reason(self) -> str | None:
        """The reason given to ``pytest.skip()`` by a cell (pytest-notebook's behaviour)."""
        for failure in self.failures:
            if failure.kind == "error" and failure.ename == "Skipped":
                return failure.evalue or "skipped by a cell"
        return None

    @property
    def ok(self) -> bool:
        return not self.failures and self.missing_kernel is None and not self.start_error


def output_failure(index: int, error: NotebookNode, ename: str) -> CellFailure:
    return CellFailure(
        "error",
        index,
        ename=ename or str(error.get("ename", "")),
        evalue=strip_ansi(str(error.get("evalue", ""))),
        traceback=strip_ansi("\n".join(error.get("traceback", []))),
    )


def describe_exit(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"

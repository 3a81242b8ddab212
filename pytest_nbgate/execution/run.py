"""A pytest-free facade over nbclient: one notebook, one fresh kernel, one result.

:func:`execute` never raises for anything a notebook can do (raise, hang,
crash its kernel, name a kernel that is not installed); it returns an
:class:`ExecutionResult` saying what happened. The kernel is shut down in a
``finally`` on every path, including ``KeyboardInterrupt``, so no kernel
outlives the call.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from pytest_nbgate.execution import proctree
from pytest_nbgate.execution.client import GateClient
from pytest_nbgate.execution.pool import (
    KERNEL_ARGS,
    AdoptingProvisioner,
    KernelRequest,
    KernelSource,
    Started,
)
from pytest_nbgate.notebook.ansi import strip_ansi
from pytest_nbgate.notebook.markers import markers
from pytest_nbgate.notebook.model import Notebook

DEFAULT_KERNEL = "python3"


def transport(folder: str | None) -> dict[str, str]:
    """IPC sockets where the platform has them: no TCP port races between xdist workers."""
    if folder is None:
        return {}
    return {"transport": "ipc", "ip": os.path.join(folder, "kernel")}


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


@dataclass(frozen=True)
class CellFailure:
    """Why execution stopped (or what an expected error did not do) in one cell."""

    kind: str
    """``error``, ``timeout``, ``notebook-timeout``, ``died`` or ``missing-exception``."""
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
    def ok(self) -> bool:
        return not self.failures and self.missing_kernel is None and not self.start_error


def available_kernels() -> tuple[str, ...]:
    return tuple(sorted(KernelSpecManager().find_kernel_specs()))


def resolve_kernel(notebook: Notebook, options: ExecutionOptions) -> str:
    return options.kernel or notebook.kernel_name or DEFAULT_KERNEL


def execute(
    notebook: Notebook, options: ExecutionOptions, source: KernelSource | None = None
) -> ExecutionResult:
    """Run every code cell of ``notebook`` in a fresh kernel in its folder.

    ``source`` supplies kernels started ahead of need (each still a new process
    used once); ``None`` starts one here.
    """
    kernel = resolve_kernel(notebook, options)
    started = None
    if source is not None:
        request = KernelRequest.of(notebook.path, kernel, kernel_env(notebook.path, options.env))
        try:
            started = source.acquire(request)
        except OSError:
            started = None
    run = _Run(notebook, options, kernel, started)
    loop = asyncio.new_event_loop()
    try:
        with _sigterm_interrupts():
            return loop.run_until_complete(run.run())
    finally:
        # Ctrl-C interrupts the loop without running the task's own cleanup.
        run.kill_now()
        _cancel_pending(loop)
        loop.close()
        if run.ipc_dir is not None:
            shutil.rmtree(run.ipc_dir, ignore_errors=True)


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (CI cancelling a job) unwinds like Ctrl-C, so the kernel is shut down."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


async def _within(work: Coroutine[Any, Any, Any], seconds: float | None) -> None:
    """Await ``work`` for at most ``seconds`` (fractional), raising ``TimeoutError`` after.

    Our own deadline rather than nbclient's: nbclient polls in whole seconds, and
    cancelling its call from outside is reported by nbclient as a dead kernel.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        task.result()
        return
    task.cancel()
    with contextlib.suppress(BaseException):
        await task
    raise TimeoutError


def _cancel_pending(loop: asyncio.AbstractEventLoop) -> None:
    """nbclient leaves its output pollers behind when a kernel dies; end them quietly."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


class _Run:
    """One execution; owns the kernel manager and always shuts it down."""

    def __init__(
        self, notebook: Notebook, options: ExecutionOptions, kernel: str, started: Started | None
    ) -> None:
        self.started = started
        self.notebook = notebook
        self.options = options
        self.kernel = kernel
        self.node: NotebookNode = notebook.to_node()
        for cell in self.node.cells:
            if cell.get("cell_type") == "code":
                cell["outputs"] = []
                cell["execution_count"] = None
        self.km: AsyncKernelManager | None = None
        self.client: GateClient | None = None
        self.ipc_dir = None
        if os.name == "posix" and started is None:
            self.ipc_dir = tempfile.mkdtemp(prefix="nbgate-ipc-")

    async def run(self) -> ExecutionResult:
        started = time.monotonic()
        try:
            self.km = AsyncKernelManager(kernel_name=self.kernel, **transport(self.ipc_dir))
            _ = self.km.kernel_spec
        except NoSuchKernel:
            if self.started is not None:
                self.started.kill()
            return ExecutionResult(self.kernel, missing_kernel=available_kernels())
        if self.started is not None:
            self._adopt(self.km, self.started)
        try:
            return await self._run_cells(started)
        finally:
            await self._shutdown()

    @staticmethod
    def _adopt(km: AsyncKernelManager, started: Started) -> None:
        """The kernel is already starting: the manager connects to it instead of launching one."""
        km.kernel_id = started.kernel_id
        km.connection_file = started.connection_file
        km.load_connection_info(started.info)
        provisioner = AdoptingProvisioner(
            kernel_id=started.kernel_id, kernel_spec=km.kernel_spec, parent=km
        )
        provisioner.adopt(started)
        km.provisioner = provisioner

    async def _run_cells(self, started: float) -> ExecutionResult:
        assert self.km is not None
        env = kernel_env(self.notebook.path, self.options.env)
        client = self.client = GateClient(
            self.node,
            self.options.output_cap,
            km=self.km,
            kernel_name=self.kernel,
            startup_timeout=int(self.options.startup_timeout),
            timeout=None,
            interrupt_on_timeout=False,
            allow_errors=False,
            resources={"metadata": {"path": str(self.notebook.path.parent)}},
        )
        try:
            await self.km.start_kernel(
                cwd=str(self.notebook.path.parent),
                env=env,
                extra_arguments=list(KERNEL_ARGS) if self.km.ipykernel else [],
            )
            await client.async_start_new_kernel_client()
        except (RuntimeError, TimeoutError, OSError) as exc:
            return ExecutionResult(self.kernel, start_error=f"{type(exc).__name__}: {exc}")
        setup_error = await self._hidden(client, self.options.setup_code)
        if setup_error:
            return ExecutionResult(self.kernel, start_error=f"setup code failed: {setup_error}")
        # The notebook's budget covers its cells, not the kernel's start-up.
        failures, executed, skipped = await self._cells(client, time.monotonic())
        if not any(f.kind in ("died", "timeout", "notebook-timeout") for f in failures):
            await self._hidden(client, self.options.teardown_code)
        return ExecutionResult(
            self.kernel,
            executed=Notebook.from_node(self.node, self.notebook),
            failures=tuple(failures),
            duration=time.monotonic() - started,
            executed_cells=frozenset(executed),
            skipped_cells=frozenset(skipped),
        )

    async def _cells(
        self, client: GateClient, started: float
    ) -> tuple[list[CellFailure], set[int], set[int]]:
        executed: set[int] = set()
        skipped: set[int] = set()
        for index, cell in enumerate(self.node.cells):
            model = self.notebook.cells[index]
            if not model.is_code or not model.source.strip():
                continue
            wants = markers(model)
            if wants.skip:
                skipped.add(index)
                continue
            budget = self._budget(started)
            if wants.raises:
                cell.metadata.setdefault("tags", []).append("raises-exception")
            cell_started = time.monotonic()
            try:
                await _within(
                    client.async_execute_cell(cell, index, execution_count=len(executed) + 1),
                    budget,
                )
                client.note_dropped(cell, index)
            except CellExecutionError as exc:
                return [self._error(index, exc)], executed | {index}, skipped
            except (CellTimeoutError, TimeoutError):
                per_cell = budget == self.options.timeout
                kind = "timeout" if per_cell else "notebook-timeout"
                limit = budget if per_cell else self.options.notebook_timeout
                elapsed = time.monotonic() - cell_started
                failure = CellFailure(kind, index, elapsed=elapsed, limit=limit or 0.0)
                return [failure], executed, skipped
            except DeadKernelError:
                status = await self._exit_status()
                return [CellFailure("died", index, status=status)], executed, skipped
            executed.add(index)
            if wants.raises and not any(o.get("output_type") == "error" for o in cell.outputs):
                return [CellFailure("missing-exception", index)], executed, skipped
        return [], executed, skipped

    async def _hidden(self, client: NotebookClient, snippets: tuple[str, ...]) -> str:
        """Run code outside the notebook's history; returns an error summary or ``""``."""
        for code in snippets:
            assert client.kc is not None
            msg_id = client.kc.execute(code, silent=True, store_history=False)
            reply = await client.async_wait_for_reply(msg_id)
            content = (reply or {}).get("content", {})
            if content.get("status") != "ok":
                return f"{content.get('ename', 'no reply')}: {content.get('evalue', '')}"
        return ""

    def _budget(self, started: float) -> float | None:
        cell = self.options.timeout or None
        if not self.options.notebook_timeout:
            return cell
        remaining = max(self.options.notebook_timeout - (time.monotonic() - started), 0.01)
        return remaining if cell is None or remaining < cell else cell

    def _error(self, index: int, exc: CellExecutionError) -> CellFailure:
        outputs = self.node.cells[index].get("outputs", [])
        error = next((o for o in outputs if o.get("output_type") == "error"), None)
        traceback = "\n".join(error.get("traceback", [])) if error else exc.traceback
        return CellFailure(
            "error",
            index,
            ename=exc.ename,
            evalue=strip_ansi(str(exc.evalue)),
            traceback=strip_ansi(traceback),
        )

    async def _exit_status(self) -> str:
        assert self.km is not None
        provisioner = self.km.provisioner
        code = None
        for _ in range(20):
            code = await provisioner.poll() if provisioner is not None else None
            if code is not None:
                break
            await asyncio.sleep(0.05)
        return describe_exit(code)

    async def _shutdown(self) -> None:
        if self.client is not None and self.client.kc is not None:
            self.client.kc.stop_channels()
        km = self.km
        if km is None or not km.has_kernel:
            return
        pid = self._kernel_pid()
        strays = proctree.descendants(pid) if pid is not None else []
        try:
            await km.shutdown_kernel(now=True)
        except (RuntimeError, OSError):
            # Already gone: make sure the process group is, too.
            await km.cleanup_resources()
        # Children in a session of their own escaped the process-group kill.
        proctree.kill(strays)

    def _kernel_pid(self) -> int | None:
        provisioner = self.km.provisioner if self.km is not None else None
        pid = getattr(provisioner, "pid", None)
        if pid is None:
            # A local launch keeps a Popen; an adopted (prewarmed) kernel its Started record.
            started = getattr(provisioner, "started", None)
            process = getattr(provisioner, "process", None) or getattr(started, "process", None)
            pid = getattr(process, "pid", None)
        return pid if isinstance(pid, int) else None

    def kill_now(self) -> None:
        """Synchronous last resort: kill the kernel's whole process group."""
        provisioner = self.km.provisioner if self.km is not None else None
        if isinstance(provisioner, AdoptingProvisioner):
            provisioner.kill_now()
            return
        process = getattr(provisioner, "process", None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(os.getpgid(process.pid), signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            process.kill()
        process.wait(timeout=10)


def describe_exit(code: int | None) -> str:
    if code is None:
        return "exit status unknown"
    if code < 0:
        try:
            return f"killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def kernel_env(notebook_path: Path, extra: Mapping[str, str]) -> dict[str, str]:
    """The environment a kernel starts with: ours plus the profile's additions."""
    return {**os.environ, **extra, "NBGATE_NOTEBOOK": str(notebook_path)}

"""A pytest-free facade over nbclient: one notebook, one fresh kernel, one result.

:func:`execute` never raises for anything a notebook can do (raise, hang,
crash its kernel, name a kernel that is not installed); it returns an
:class:`ExecutionResult` saying what happened. The kernel is shut down in a
``finally`` on every path, including ``KeyboardInterrupt``, so no kernel
outlives the call.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import replace

from jupyter_client.kernelspec import NoSuchKernel
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from pytest_nbgate.execution import proctree
from pytest_nbgate.execution.cells import CellPlan, CellSetupError, first_error
from pytest_nbgate.execution.cells import plan as cell_plan
from pytest_nbgate.execution.client import GateClient
from pytest_nbgate.execution.kernel_log import kernel_log, log_tail, quiet_logger
from pytest_nbgate.execution.kernelspec import (
    available_kernels,
    kernel_env,
    resolve_kernel,
    transport,
)
from pytest_nbgate.execution.loop import cancel_pending, sigterm_interrupts, within
from pytest_nbgate.execution.pool import (
    KERNEL_ARGS,
    AdoptingProvisioner,
    KernelRequest,
    KernelSource,
    Started,
)
from pytest_nbgate.execution.results import (
    CellFailure,
    ExecutionOptions,
    ExecutionResult,
    describe_exit,
    output_failure,
)
from pytest_nbgate.notebook.ansi import strip_ansi
from pytest_nbgate.notebook.markers import is_injected, is_parameters
from pytest_nbgate.notebook.model import Notebook

KERNEL_FILE = ("-f", "{connection_file}")
START_ATTEMPTS = 3
"""Tries in all (each a fresh process, within the start-up timeout) for a kernel to start."""
SETUP_FAILED = "setup code failed"
__all__ = ["CellFailure", "ExecutionOptions", "ExecutionResult", "execute", "resolve_kernel"]


def execute(
    notebook: Notebook, options: ExecutionOptions, source: KernelSource | None = None
) -> ExecutionResult:
    """Run every code cell of ``notebook`` in a fresh kernel in its folder.

    ``source`` supplies kernels started ahead of need (each still a new process
    used once); ``None`` starts one here.
    """
    kernel = resolve_kernel(notebook, options)
    started = None
    if source is not None and options.cwd is None and not options.current_env:
        request = KernelRequest.of(notebook.path, kernel, kernel_env(notebook.path, options.env))
        try:
            started = source.acquire(request)
        except OSError:
            started = None
    errors: list[str] = []
    deadline = time.monotonic() + options.startup_timeout
    result = _execute_once(notebook, options, kernel, started)
    # A kernel that dies starting on a busy machine is retried with a fresh process;
    # one that never answers is not (its start-up budget is spent).
    while _retryable(result) and len(errors) + 1 < START_ATTEMPTS:
        if time.monotonic() >= deadline:
            break
        errors.append(result.start_error)
        result = _execute_once(notebook, options, kernel, None)
    if errors and result.start_error:
        return replace(result, start_error=f"{result.start_error} ({len(errors) + 1} attempts)")
    return result


def _retryable(result: ExecutionResult) -> bool:
    return bool(result.start_error) and not result.start_error.startswith(SETUP_FAILED)


def _execute_once(
    notebook: Notebook, options: ExecutionOptions, kernel: str, started: Started | None
) -> ExecutionResult:
    run = _Run(notebook, options, kernel, started)
    loop = asyncio.new_event_loop()
    try:
        with sigterm_interrupts():
            return loop.run_until_complete(run.run())
    finally:
        # Ctrl-C interrupts the loop without running the task's own cleanup.
        run.kill_now()
        cancel_pending(loop)
        loop.close()
        if run.ipc_dir is not None:
            shutil.rmtree(run.ipc_dir, ignore_errors=True)


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
        self.cwd = options.cwd or notebook.path.parent
        self.km: AsyncKernelManager | None = None
        self.client: GateClient | None = None
        self.ipc_dir = None
        if os.name == "posix" and started is None:
            self.ipc_dir = tempfile.mkdtemp(prefix="nbgate-ipc-")
        # The kernel's own stdout/stderr, shown only when it dies (None: not captured).
        self.log = kernel_log(started.folder if started is not None else self.ipc_dir)

    async def run(self) -> ExecutionResult:
        started = time.monotonic()
        try:
            self.km = AsyncKernelManager(
                kernel_name=self.kernel, log=quiet_logger(), **transport(self.ipc_dir)
            )
            _ = self.km.kernel_spec
        except NoSuchKernel:
            if self.started is not None:
                self.started.kill()
            return ExecutionResult(self.kernel, missing_kernel=available_kernels())
        if self.started is not None:
            self._adopt(self.km, self.started)
        elif self.options.current_env and (spec := self.km.kernel_spec) is not None:
            spec.argv = [sys.executable, "-m", "ipykernel_launcher", *KERNEL_FILE]
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
            allow_errors=self.options.allow_errors or self.options.import_errors_only,
            resources={"metadata": {"path": str(self.cwd)}},
            log=quiet_logger(),
        )
        arguments = list(KERNEL_ARGS) if self.km.ipykernel else []
        try:
            with open(self.log or os.devnull, "ab") as log:
                # An adopted kernel writes to its own log already; stdout/stderr go unused then.
                await self.km.start_kernel(
                    cwd=str(self.cwd), env=env, extra_arguments=arguments, stdout=log, stderr=log
                )
            await client.async_start_new_kernel_client()
        except (RuntimeError, TimeoutError, OSError) as exc:
            return ExecutionResult(self.kernel, start_error=f"{type(exc).__name__}: {exc}")
        setup_error = await self._hidden(client, self.options.setup_code)
        if setup_error:
            return ExecutionResult(self.kernel, start_error=f"{SETUP_FAILED}: {setup_error}")
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
        inject_at = self._injection_point()
        if inject_at < 0 and (failure := await self._inject(client, 0)):
            return [failure], executed, skipped
        for index, cell in enumerate(self.node.cells):
            model = self.notebook.cells[index]
            if not model.is_code or not model.source.strip():
                continue
            try:
                plan = cell_plan(model, self.options.install_magics)
            except CellSetupError as exc:
                return [CellFailure("error", index, "CellSetupError", str(exc))], executed, skipped
            if plan.skip or (self.options.parameters and is_injected(model)):
                skipped.add(index)
                continue
            if plan.refused:
                return [CellFailure("install", index, evalue=plan.refused)], executed, skipped
            failure, ran = await self._cell(client, index, cell, plan, started, len(executed) + 1)
            if ran:
                executed.add(index)
            if failure is None and index == inject_at:
                failure = await self._inject(client, index)
            if failure is not None:
                return [failure], executed, skipped
        return [], executed, skipped

    def _injection_point(self) -> int:
        """The ``parameters`` cell's index (-1: inject before the first cell)."""
        cells = self.notebook.cells
        return next((c.index for c in cells if c.is_code and is_parameters(c)), -1)

    async def _inject(self, client: GateClient, index: int) -> CellFailure | None:
        if not self.options.parameters:
            return None
        error = await self._hidden(client, (self.options.parameters,))
        if not error:
            return None
        return CellFailure("error", index, "ParameterError", f"injected parameters: {error}")

    async def _cell(
        self,
        client: GateClient,
        index: int,
        cell: NotebookNode,
        plan: CellPlan,
        started: float,
        count: int,
    ) -> tuple[CellFailure | None, bool]:
        """Run one cell; the failure it ends in (if any) and whether it ran to its end."""
        budget = self._budget(started, plan.timeout)
        if plan.raises:
            cell.metadata.setdefault("tags", []).append("raises-exception")
        original = cell.source
        if plan.source is not None:
            cell.source = plan.source
        cell_started = time.monotonic()
        try:
            await within(client.async_execute_cell(cell, index, execution_count=count), budget)
            client.note_dropped(cell, index)
        except CellExecutionError as exc:
            return self._error(index, exc), True
        except (CellTimeoutError, TimeoutError):
            per_cell = budget == (plan.timeout or self.options.timeout)
            kind = "timeout" if per_cell else "notebook-timeout"
            limit = budget if per_cell else self.options.notebook_timeout
            elapsed = time.monotonic() - cell_started
            return CellFailure(kind, index, elapsed=elapsed, limit=limit or 0.0), False
        except DeadKernelError:
            said = log_tail(self.log) if self.log is not None else ""
            return CellFailure(
                "died", index, status=await self._exit_status(), traceback=said
            ), False
        finally:
            cell.source = original
        return await self._judge(client, index, cell, plan), True

    async def _judge(
        self, client: GateClient, index: int, cell: NotebookNode, plan: CellPlan
    ) -> CellFailure | None:
        """A finished cell's verdict from its outputs; then nbmake's after-cell code."""
        options = self.options
        error = first_error(cell.outputs, import_errors_only=options.import_errors_only)
        if options.import_errors_only:
            return None if error is None else output_failure(index, error, "")
        if plan.raises and error is None and not options.allow_errors:
            return CellFailure("missing-exception", index)
        if error is not None and not plan.raises and not options.allow_errors:
            # The reply said ``ok`` but a post-execute hook (the inline backend
            # drawing a figure, say) raised after the cell's code finished.
            return output_failure(index, error, "")
        if error is None and (failed := await self._hidden(client, plan.after)):
            return CellFailure("error", index, "PostCellExecuteError", failed)
        return None

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

    def _budget(self, started: float, own: float | None = None) -> float | None:
        cell = own or self.options.timeout or None
        if not self.options.notebook_timeout:
            return cell
        remaining = max(self.options.notebook_timeout - (time.monotonic() - started), 0.01)
        return remaining if cell is None or remaining < cell else cell

    def _error(self, index: int, exc: CellExecutionError) -> CellFailure:
        error = first_error(self.node.cells[index].get("outputs", []))
        if error is None:
            return CellFailure(
                "error",
                index,
                ename=exc.ename,
                evalue=strip_ansi(str(exc.evalue)),
                traceback=strip_ansi(exc.traceback),
            )
        return output_failure(index, error, exc.ename)

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

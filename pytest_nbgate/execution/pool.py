"""Kernels started ahead of need, each still its own fresh process (issue 8).

A :class:`KernelSource` hands :func:`pytest_nbgate.execution.run.execute` a kernel
already starting in the notebook's folder with the notebook's environment.
Standard ``ipykernel`` kernels of this interpreter are forked from a fork
server (:mod:`pytest_nbgate.execution.forkserver`) that has imported the kernel
machinery once; other kernelspecs are started as usual, just earlier. Every
kernel gets its own pid, session, folder, environment and random seed; none
is ever reused. :meth:`KernelSource.close` kills whatever was not used.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from jupyter_client.connect import KernelConnectionInfo, write_connection_file
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
from jupyter_client.provisioning.provisioner_base import KernelProvisionerBase

from pytest_nbgate.execution.kernel_log import LOG_NAME

SERVER_SCRIPT = Path(__file__).with_name("forkserver.py")
# As nbclient starts kernels: no history file shared (and locked) by concurrent kernels.
KERNEL_ARGS = ("--HistoryManager.hist_file=:memory:",)
LAUNCHER_ARGS = ["-m", "ipykernel_launcher", "-f", "{connection_file}"]
PYTHON_NAMES = {
    "python",
    f"python{sys.version_info[0]}",
    "python{}.{}".format(*sys.version_info[:2]),
}


@dataclass(frozen=True)
class KernelRequest:
    """Which kernel a notebook needs: its kernelspec, folder and full environment."""

    notebook: Path
    kernel: str
    env: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, notebook: Path, kernel: str, env: Mapping[str, str]) -> KernelRequest:
        return cls(notebook, kernel, tuple(sorted(env.items())))

    @property
    def cwd(self) -> str:
        return str(self.notebook.parent)

    @property
    def python_env(self) -> tuple[tuple[str, str], ...]:
        """What the interpreter reads at start-up: a fork server must have started with it."""
        return tuple((k, v) for k, v in self.env if k.startswith("PYTHON"))


class Process(Protocol):
    def poll(self) -> int | None: ...
    def signal(self, signum: int) -> None: ...
    def kill(self) -> int | None: ...


class Started:
    """One kernel process and its connection file (in a private folder with its IPC sockets)."""

    def __init__(
        self, request: KernelRequest, process: Process, folder: str, info: KernelConnectionInfo
    ) -> None:
        self.request = request
        self.process = process
        self.folder = folder
        self.info = info
        self.kernel_id = uuid.uuid4().hex

    @property
    def connection_file(self) -> str:
        return os.path.join(self.folder, "kernel.json")

    @property
    def log(self) -> str:
        """The kernel's own stdout and stderr (ipykernel's banner, C-level crash text)."""
        return os.path.join(self.folder, LOG_NAME)

    def kill(self) -> int | None:
        """Kill the kernel's process group and remove its files; the exit status."""
        try:
            return self.process.kill()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


class PopenProcess:
    """A kernel started as its kernelspec says, in its own session."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self.popen = popen

    def poll(self) -> int | None:
        return self.popen.poll()

    def signal(self, signum: int) -> None:
        if self.popen.poll() is None:
            _killpg(self.popen.pid, signum)

    def kill(self) -> int | None:
        self.signal(signal.SIGKILL)
        return self.popen.wait(timeout=30)


def _killpg(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        return
    except PermissionError:
        os.kill(pid, signum)


class ForkServer:
    """A fork server child process; every request is one line out, one line back."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.lock = threading.Lock()
        self.popen = subprocess.Popen(
            [sys.executable, str(SERVER_SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=dict(env),
            cwd=tempfile.gettempdir(),
        )
        self.ready = False

    def call(self, **request: Any) -> dict[str, Any]:
        assert self.popen.stdin is not None and self.popen.stdout is not None
        with self.lock:
            if not self.ready:
                hello = self.popen.stdout.readline()
                if not hello or json.loads(hello).get("threads") != 1:
                    raise OSError("kernel fork server did not start cleanly")
                self.ready = True
            self.popen.stdin.write(json.dumps(request).encode() + b"\n")
            self.popen.stdin.flush()
            line = self.popen.stdout.readline()
        if not line:
            raise OSError(f"kernel fork server exited ({self.popen.poll()})")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise OSError(reply["error"])
        return reply

    def close(self) -> None:
        """End of input makes the server kill its kernels and exit."""
        if self.popen.stdin is not None:
            self.popen.stdin.close()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        if self.popen.stdout is not None:
            self.popen.stdout.close()


class ForkedProcess:
    """A kernel forked by a :class:`ForkServer` (its parent, which reaps it)."""

    def __init__(self, server: ForkServer, pid: int) -> None:
        self.server = server
        self.pid = pid
        self.code: int | None = None
        self.done = False

    def poll(self) -> int | None:
        if not self.done:
            self.code = self.server.call(op="poll", pid=self.pid)["code"]
            self.done = self.code is not None
        return self.code

    def signal(self, signum: int) -> None:
        if not self.done:
            self.server.call(op="signal", pid=self.pid, signum=signum)

    def kill(self) -> int | None:
        if not self.done:
            self.code = self.server.call(op="kill", pid=self.pid)["code"]
            self.done = True
        return self.code


class KernelSource:
    """Kernels prepared for the notebooks about to run; at most ``spares`` unclaimed ones."""

    def __init__(self, spares: int = 1, fork: bool = True) -> None:
        self.spares = max(spares, 0)
        self.fork = fork
        self.prepared: list[Started] = []
        self.servers: dict[tuple[tuple[str, str], ...], ForkServer] = {}
        self.specs = KernelSpecManager()

    def prepare(self, request: KernelRequest) -> None:
        """Start a kernel for ``request`` now unless one is already starting."""
        if any(started.request == request for started in self.prepared):
            return
        started = self.start(request)
        if started is None:
            return
        self.prepared.append(started)
        while len(self.prepared) > self.spares + 1:
            self.prepared.pop(0).kill()

    def acquire(self, request: KernelRequest) -> Started | None:
        """A kernel for ``request``, prepared or started now; ``None``: start it the usual way."""
        for started in self.prepared:
            if started.request == request:
                self.prepared.remove(started)
                if started.process.poll() is None:
                    return started
                started.kill()
        return self.start(request)

    def warm(self, kernel: str, env: Mapping[str, str]) -> None:
        """Start the fork server ``kernel`` would use now, while pytest is still collecting."""
        request = KernelRequest.of(Path(tempfile.gettempdir()) / "-", kernel, env)
        try:
            argv = self._argv(self.specs.get_kernel_spec(kernel))
        except NoSuchKernel:
            return
        if self.fork and _is_this_ipykernel(argv):
            self._server(request)

    def keep_only(self, requests: list[KernelRequest]) -> None:
        """Kill prepared kernels no request needs (skipped or deselected items)."""
        for started in list(self.prepared):
            if started.request not in requests:
                self.prepared.remove(started)
                started.kill()

    def close(self) -> None:
        prepared, self.prepared = self.prepared, []
        for started in prepared:
            started.kill()
        servers, self.servers = self.servers, {}
        for server in servers.values():
            server.close()

    def start(self, request: KernelRequest) -> Started | None:
        try:
            spec = self.specs.get_kernel_spec(request.kernel)
        except NoSuchKernel:
            return None
        if spec.env or spec.interrupt_mode != "signal":
            return None
        folder = tempfile.mkdtemp(prefix="nbgate-kernel-")
        try:
            info = self._connection(folder, request.kernel)
            process = self._launch(spec, request, os.path.join(folder, "kernel.json"))
        except (OSError, ValueError):
            shutil.rmtree(folder, ignore_errors=True)
            return None
        return Started(request, process, folder, info)

    def _connection(self, folder: str, kernel: str) -> KernelConnectionInfo:
        ip = os.path.join(folder, "kernel") if os.name == "posix" else "127.0.0.1"
        transport = "ipc" if os.name == "posix" else "tcp"
        fname = os.path.join(folder, "kernel.json")
        key = uuid.uuid4().hex.encode()
        _, info = write_connection_file(
            fname, ip=ip, key=key, transport=transport, kernel_name=kernel
        )
        # The manager compares keys as bytes; the file holds them as text.
        info["key"] = key  # type: ignore[typeddict-item]
        return info

    @staticmethod
    def _argv(spec: KernelSpec) -> list[str]:
        argv = list(spec.argv)
        if argv and argv[0] in PYTHON_NAMES:
            argv[0] = sys.executable
        return argv

    def _launch(self, spec: KernelSpec, request: KernelRequest, conn: str) -> Process:
        argv = self._argv(spec)
        if self.fork and _is_this_ipykernel(argv):
            server = self._server(request)
            launcher = launcher_file()
            reply = server.call(
                op="spawn",
                cwd=request.cwd,
                env=dict(request.env),
                connection_file=conn,
                log=os.path.join(os.path.dirname(conn), LOG_NAME),
                launcher=launcher,
                args=list(KERNEL_ARGS),
            )
            return ForkedProcess(server, int(reply["pid"]))
        cmd = [arg.replace("{connection_file}", conn) for arg in argv]
        if any("ipykernel" in arg for arg in argv):
            cmd += KERNEL_ARGS
        with open(os.path.join(os.path.dirname(conn), LOG_NAME), "ab") as log:
            popen = subprocess.Popen(
                cmd,
                cwd=request.cwd,
                env=dict(request.env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return PopenProcess(popen)

    def _server(self, request: KernelRequest) -> ForkServer:
        key = request.python_env
        if key not in self.servers:
            self.servers[key] = ForkServer(dict(request.env))
        return self.servers[key]


def _is_this_ipykernel(argv: list[str]) -> bool:
    if argv[1:] != LAUNCHER_ARGS or os.name != "posix" or not sys.platform.startswith("linux"):
        return False
    return os.path.realpath(argv[0]) == os.path.realpath(sys.executable)


def launcher_file() -> str:
    """What ``sys.argv[0]`` is in a kernel started with ``python -m ipykernel_launcher``."""
    spec = importlib.util.find_spec("ipykernel_launcher")
    return str(spec.origin) if spec is not None else "ipykernel_launcher.py"


class AdoptingProvisioner(KernelProvisionerBase):
    """Hands a kernel manager a kernel that is already starting, instead of launching one."""

    started: Started | None = None

    def adopt(self, started: Started) -> None:
        self.started = started
        self.connection_info = started.info

    @property
    def has_process(self) -> bool:
        return self.started is not None

    async def poll(self) -> int | None:
        return self.started.process.poll() if self.started is not None else 0

    async def wait(self) -> int | None:
        while (code := await self.poll()) is None:
            await asyncio.sleep(0.01)
        return code

    async def send_signal(self, signum: int) -> None:
        if self.started is not None:
            self.started.process.signal(signum)

    async def kill(self, restart: bool = False) -> None:
        if self.started is not None:
            self.started.process.kill()

    async def terminate(self, restart: bool = False) -> None:
        await self.send_signal(signal.SIGTERM)

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        return {**kwargs, "cmd": []}

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        return self.connection_info

    async def cleanup(self, restart: bool = False) -> None:
        started, self.started = self.started, None
        if started is not None:
            started.kill()

    def kill_now(self) -> None:
        """Synchronous, for ``finally`` blocks whose event loop is gone."""
        started, self.started = self.started, None
        if started is not None:
            started.kill()

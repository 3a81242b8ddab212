"""Kernel fork server: imports the kernel machinery once, then forks one kernel per request.

Run as a script by :mod:`pytest_nbgate.execution.pool`, never imported by the package:
its ``sys.modules`` becomes every kernel's, so it imports nothing a freshly
started ``python -m ipykernel_launcher`` would not. It starts no thread, event
loop, zmq context or socket before forking (checked: a thread refuses forks).

Protocol: one JSON object per line on stdin, one JSON reply per line on stdout.
End of input kills every kernel still alive and exits. Kernels get their own
session (process group) and die with this process (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import atexit
import ctypes
import importlib
import json
import os
import signal
import sys
import threading
import traceback
from typing import Any

# The script's folder is not on a kernel's path.
del sys.path[0]

from ipykernel import kernelapp  # noqa: E402

# What a started kernel imports anyway (shell, debugger, history); importing it
# here is most of the start-up time saved per kernel.
PRELOAD = (
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "ipykernel.comm",
    "ipykernel.eventloops",
    "IPython.core.history",
    "IPython.core.completer",
    "IPython.core.debugger",
    "sqlite3",
    "pdb",
    "psutil",
)
PR_SET_PDEATHSIG = 1

children: dict[int, int | None] = {}


def preload() -> None:
    # debugpy warns about frozen modules on import; kernels keep their own environment.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:
            continue


def reap() -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children[pid] = os.waitstatus_to_exitcode(status)


def become_kernel(request: dict[str, Any], server: int) -> int:
    """In the child: a kernel's own session, folder, environment and randomness."""
    os.setsid()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != server:
        return 1
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    # The kernel's own output (ipykernel's banner, crash text) goes to its log, never
    # to the pytest run's terminal; the caller shows it only when the kernel dies.
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    if "random" in sys.modules:
        sys.modules["random"].seed()
    sys.argv = [request["launcher"], "-f", request["connection_file"], *request["args"]]
    children.clear()
    try:
        kernelapp.launch_new_instance()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0


def spawn(request: dict[str, Any]) -> dict[str, Any]:
    if threading.active_count() != 1:
        return {"error": "fork server has threads; refusing to fork"}
    server = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = become_kernel(request, server)
            atexit._run_exitfuncs()
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    children[pid] = None
    return {"pid": pid}


def signal_group(pid: int, signum: int) -> None:
    if pid in children and children[pid] is None:
        try:
            os.killpg(pid, signum)
        except ProcessLookupError:
            os.kill(pid, signum)


def kill(pid: int) -> dict[str, Any]:
    if children.get(pid, 0) is None:
        signal_group(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        children[pid] = os.waitstatus_to_exitcode(status)
    return {"code": children.pop(pid, None)}


def handle(request: dict[str, Any]) -> dict[str, Any]:
    op = request["op"]
    reap()
    if op == "spawn":
        return spawn(request)
    pid = int(request["pid"])
    if op == "poll":
        return {"code": children.get(pid)}
    if op == "signal":
        signal_group(pid, int(request["signum"]))
        return {}
    if op == "kill":
        return kill(pid)
    return {"error": f"unknown op {op!r}"}


def main() -> None:
    # Ctrl-C reaches the whole terminal group; the caller decides when kernels go.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    preload()
    out = sys.stdout
    out.write(json.dumps({"ready": os.getpid(), "threads": threading.active_count()}) + "\n")
    out.flush()
    try:
        for line in iter(sys.stdin.readline, ""):
            out.write(json.dumps(handle(json.loads(line))) + "\n")
            out.flush()
    finally:
        for pid, code in list(children.items()):
            if code is None:
                kill(pid)


if __name__ == "__main__":
    main()
    # The caller waits for this exit at session end; the interpreter's own
    # finalisation of everything preloaded would add ~50 ms and saves nothing.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)

"""The event loop around one execution: our own deadline, SIGTERM as Ctrl-C, quiet cleanup."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Coroutine, Iterator
from typing import Any


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
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


async def within(work: Coroutine[Any, Any, Any], seconds: float | None) -> None:
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


def cancel_pending(loop: asyncio.AbstractEventLoop) -> None:
    """nbclient leaves its output pollers behind when a kernel dies; end them quietly."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))

"""nbclient's NotebookClient with two changes: a bounded output store and a prompt ready check."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import zmq
from jupyter_client.client import KernelClient
from nbclient import NotebookClient
from nbclient.util import ensure_async, run_hook
from nbformat import NotebookNode

DISPLAYED = ("stream", "display_data", "execute_result", "update_display_data")
RECONNECT_MS = 5
"""How soon the client's sockets retry a kernel that has not bound its own yet.

A prewarmed kernel is often still starting when its client connects: with
zmq's default of 100 ms, a notebook waited ~100 ms more for a kernel that was
ready after ~40 ms.
"""


class GateClient(NotebookClient):
    """Keeps at most ``output_cap`` bytes of output per cell: a flood cannot exhaust memory."""

    def __init__(self, nb: NotebookNode, output_cap: int, **kwargs: Any) -> None:
        super().__init__(nb, **kwargs)
        self.output_cap = output_cap
        self.kept: dict[int, int] = {}
        self.dropped: dict[int, int] = {}

    def output(
        self, outs: list[NotebookNode], msg: dict[str, Any], display_id: str | None, cell_index: int
    ) -> NotebookNode | None:
        if msg["msg_type"] in DISPLAYED:
            size = _size(msg.get("content", {}))
            kept = self.kept.get(cell_index, 0)
            if kept + size > self.output_cap:
                self.dropped[cell_index] = self.dropped.get(cell_index, 0) + size
                return None
            self.kept[cell_index] = kept + size
        out: NotebookNode | None = super().output(outs, msg, display_id, cell_index)
        return out

    def note_dropped(self, cell: NotebookNode, index: int) -> None:
        """Say in the cell's own output that, and how much, output was dropped."""
        dropped = self.dropped.pop(index, 0)
        if dropped:
            text = (
                f"[nbgate: {dropped} bytes of output dropped after the first {self.output_cap}]\n"
            )
            note = {"output_type": "stream", "name": "stderr", "text": text}
            cell.outputs.append(NotebookNode(note))  # type: ignore[no-untyped-call]

    async def async_start_new_kernel_client(self) -> KernelClient:
        assert self.km is not None
        self.kc = kc = self.km.client()
        # The client's own context: only the sockets of this kernel's client.
        kc.context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_MS)
        kc.start_channels()
        await wait_ready(kc, self.km, float(self.startup_timeout))
        kc.allow_stdin = False
        await run_hook(self.on_notebook_start, notebook=self.nb)
        return kc


async def wait_ready(kc: KernelClient, km: Any, timeout: float) -> None:
    """Until the kernel answers ``kernel_info`` on shell and publishes on IOPub.

    jupyter_client waits 0.2 s for IOPub after every reply, which a new
    subscription usually misses once; asking again at once costs a millisecond.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg_id = kc.kernel_info()
        if await _reply(kc, msg_id, min(1.0, max(deadline - time.monotonic(), 0.01))):
            if await _published(kc, 0.02):
                return
        elif not await km.is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")


async def _reply(kc: KernelClient, msg_id: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            msg = await ensure_async(kc.shell_channel.get_msg(timeout=left))
        except Exception:  # queue.Empty, or zmq's own timeout error
            return False
        if msg.get("parent_header", {}).get("msg_id") == msg_id:
            return True
    return False


async def _published(kc: KernelClient, timeout: float) -> bool:
    try:
        await ensure_async(kc.iopub_channel.get_msg(timeout=timeout))
    except Exception:  # nothing yet: the subscription is not live
        await asyncio.sleep(0)
        return False
    return True


def _size(content: dict[str, Any]) -> int:
    if "text" in content:
        return len(str(content["text"]))
    return len(json.dumps(content.get("data", {}), default=str))

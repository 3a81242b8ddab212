"""What of a cell is compared: which cells, and each output as a keyed, normalised item.

A cell becomes an ordered mapping ``key -> Item``: ``stdout`` and ``stderr``
(all stream pieces of that name joined, as nbval does, since how a kernel
splits a stream into messages is not the notebook's behaviour), then
``output K MIME`` for the K-th rich output (``execute_result``,
``display_data`` or ``error``), one item per checked mime type.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from pytest_nbgate.notebook.markers import markers, output_decision
from pytest_nbgate.notebook.model import Cell, Output
from pytest_nbgate.snapshots.settings import SnapshotSettings

IMAGE_MIMES = frozenset({"image/png", "image/jpeg"})


@dataclass(frozen=True)
class Item:
    """One comparable piece of a cell's output."""

    key: str
    mime: str
    """``stream``, ``error`` or the mime type."""
    text: str = ""
    """Normalised text; for images, the external store's reference line."""
    output_index: int | None = None
    """Index in the cell's ``outputs`` (of the first piece, for streams)."""
    image: bytes | None = None


def cell_key(cell: Cell) -> str:
    """How the external store names a cell: its id, else ``#index``."""
    return cell.id or f"#{cell.index}"


def output_checked(cell: Cell, settings: SnapshotSettings) -> bool:
    """nbval's rule: the last check/ignore marker wins, comments over tags; else the mode.

    ``mode: marked-only`` is ``--nbval-lax``: only cells marked to be checked are.
    """
    if not cell.is_code:
        return False
    decision = output_decision(cell)
    if decision is None:
        return settings.mode == "all"
    return decision


def stderr_checked(cell: Cell, settings: SnapshotSettings) -> bool:
    return not settings.ignore_stderr and not markers(cell).ignore_stderr


def cell_items(cell: Cell, settings: SnapshotSettings) -> dict[str, Item]:
    """The cell's stored or fresh outputs as normalised items, in a stable order."""
    streams: dict[str, list[Output]] = {}
    rich: list[Output] = []
    for output in cell.outputs:
        if output.output_type == "stream":
            streams.setdefault(output.name or "stdout", []).append(output)
        elif output.output_type in ("execute_result", "display_data", "error"):
            rich.append(output)
    items: dict[str, Item] = {}
    for name in sorted(streams):
        if name == "stderr" and not stderr_checked(cell, settings):
            continue
        pieces = streams[name]
        text = settings.normalization.text("".join(o.text for o in pieces), "stream")
        items[name] = Item(name, "stream", text, pieces[0].index)
    for position, output in enumerate(rich):
        for item in _rich_items(position, output, settings):
            items[item.key] = item
    return items


def _rich_items(position: int, output: Output, settings: SnapshotSettings) -> list[Item]:
    norm = settings.normalization
    if output.output_type == "error":
        text = norm.text(f"{output.ename}: {output.evalue}", "error")
        return [Item(f"output {position} error", "error", text, output.index)]
    found: list[Item] = []
    for mime in settings.mime_types:
        if mime not in output.data:
            continue
        key = f"output {position} {mime}"
        value = output.data[mime]
        if mime in IMAGE_MIMES:
            found.append(Item(key, mime, "", output.index, image=_decode(value)))
        else:
            found.append(Item(key, mime, norm.text(_as_text(value), mime), output.index))
    return found


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _decode(value: Any) -> bytes:
    try:
        return base64.b64decode(str(value), validate=False)
    except (binascii.Error, ValueError):
        return str(value).encode("utf-8")

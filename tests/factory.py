"""Notebooks built in code: the one place tests make notebooks.

``code``/``markdown``/``raw`` build cells, ``notebook`` assembles them,
``write`` saves with nbformat's own writer and ``load`` builds the
:class:`~pytest_nbgate.notebook.model.Notebook` model from the same JSON text, so
file-line mapping is exercised exactly as on disk.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from pytest_nbgate.notebook.model import Notebook

PY_KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
PY_LANGUAGE = {"name": "python"}


def _lines(source: str) -> list[str]:
    return source.splitlines(keepends=True)


def _id() -> str:
    return uuid.uuid4().hex[:8]


def code(
    source: str,
    outputs: list[dict[str, Any]] | None = None,
    execution_count: int | None = None,
    tags: tuple[str, ...] = (),
    cell_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    meta = dict(metadata or {})
    if tags:
        meta["tags"] = list(tags)
    return {
        "cell_type": "code",
        "execution_count": execution_count,
        "id": cell_id or _id(),
        "metadata": meta,
        "outputs": outputs or [],
        "source": _lines(source),
    }


def markdown(source: str, tags: tuple[str, ...] = (), cell_id: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"tags": list(tags)} if tags else {}
    return {
        "cell_type": "markdown",
        "id": cell_id or _id(),
        "metadata": meta,
        "source": _lines(source),
    }


def raw(source: str) -> dict[str, Any]:
    return {"cell_type": "raw", "id": _id(), "metadata": {}, "source": _lines(source)}


def stream(text: str, name: str = "stdout") -> dict[str, Any]:
    return {"output_type": "stream", "name": name, "text": _lines(text)}


def result(data: dict[str, Any], execution_count: int | None = 1) -> dict[str, Any]:
    joined = {
        k: _lines(v) if isinstance(v, str) and not k.startswith("image/png") else v
        for k, v in data.items()
    }
    return {
        "output_type": "execute_result",
        "execution_count": execution_count,
        "data": joined,
        "metadata": {},
    }


def display(data: dict[str, Any]) -> dict[str, Any]:
    return {"output_type": "display_data", "data": data, "metadata": {}}


def error(ename: str, evalue: str, traceback: list[str] | None = None) -> dict[str, Any]:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": traceback or []}


def notebook(
    *cells: dict[str, Any],
    kernel: str | None = "python3",
    metadata: dict[str, Any] | None = None,
    minor: int = 5,
) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if kernel is not None:
        meta["kernelspec"] = {**PY_KERNELSPEC, "name": kernel}
        meta["language_info"] = dict(PY_LANGUAGE)
    meta.update(metadata or {})
    return {"cells": list(cells), "metadata": meta, "nbformat": 4, "nbformat_minor": minor}


def dumps(nb: dict[str, Any], indent: int = 1) -> str:
    """As nbformat writes (``indent=1``, sorted keys) unless told otherwise."""
    return json.dumps(nb, indent=indent, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: Path, nb: dict[str, Any], indent: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(nb, indent), encoding="utf-8")
    return path


def load(nb: dict[str, Any], relpath: str = "nb.ipynb", indent: int = 1) -> Notebook:
    text = dumps(nb, indent)
    return Notebook.from_bytes(text.encode("utf-8"), Path(relpath).absolute(), relpath)

"""Build the labelled set: notebooks with planted values in every place a value can hide.

``build(directory)`` writes ``pos-NNN.ipynb`` notebooks (three plants each,
cycling through every detector x location pair) and ``neg-NNN.ipynb``
notebooks (tricky negatives and binary images only), and returns the labels.
"""

from __future__ import annotations

import base64
import html
import itertools
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests import factory
from tests.labelled.values import Secret, negatives, planted

LOCATIONS = (
    "source",
    "markdown",
    "raw",
    "stream",
    "text-plain",
    "html",
    "markdown-output",
    "json",
    "traceback",
    "attachment-name",
    "cell-metadata",
    "notebook-metadata",
    "widget-state",
)
OUTPUT_LOCATIONS = frozenset(
    {"stream", "text-plain", "html", "markdown-output", "json", "traceback"}
)


@dataclass(frozen=True)
class Plant:
    """Ground truth: ``rule_id`` must report at ``cell_index`` (None: notebook level)."""

    path: str
    rule_id: str
    location: str
    cell_index: int | None
    in_output: bool
    value: str


def _png(rng: random.Random) -> str:
    return base64.b64encode(bytes(rng.randrange(256) for _ in range(600))).decode()


def _cell(secret: Secret, location: str, rng: random.Random) -> dict[str, Any]:
    text = secret.snippet
    if location == "source":
        return factory.code(f"import os\n{text}\n")
    if location == "markdown":
        return factory.markdown(f"## Setup\n\n{text}\n")
    if location == "raw":
        return factory.raw(f"config:\n{text}\n")
    if location == "attachment-name":
        cell = factory.markdown("![figure](attachment:figure.png)")
        cell["attachments"] = {f"{secret.value}.png": {"image/png": _png(rng)}}
        return cell
    if location == "cell-metadata":
        return factory.code("x = 1", metadata={"deploy": {"note": text}})
    return factory.code("show()", outputs=[_output(text, location)], execution_count=1)


def _output(text: str, location: str) -> dict[str, Any]:
    if location == "stream":
        return factory.stream(f"connecting...\n{text}\n")
    if location == "text-plain":
        return factory.result({"text/plain": f"   id  value\n0   1  {text}"})
    if location == "html":
        cell = html.escape(text)
        return factory.display({"text/html": f"<table><tr><th>id</th><td>{cell}</td></tr></table>"})
    if location == "markdown-output":
        return factory.display({"text/markdown": f"**config** {text}"})
    if location == "json":
        return factory.display({"application/json": {"config": {"note": text}}})
    trace = ["\x1b[0;31mValueError\x1b[0m", f"\x1b[0;32m----> 1\x1b[0m {text}"]
    return factory.error("ValueError", "bad config", trace)


def _notebook_level(secret: Secret, location: str) -> dict[str, Any]:
    if location == "notebook-metadata":
        return {"deploy": {"note": secret.snippet}}
    state = {"model_name": "TextModel", "state": {"value": secret.snippet}}
    return {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"m1": state}}}}


def _pairs(rng: random.Random) -> list[tuple[int, str]]:
    kinds = len(planted(random.Random(0)))
    pairs = list(itertools.product(range(kinds), LOCATIONS))
    rng.shuffle(pairs)
    return pairs


def _positive(
    path: str, pairs: list[tuple[int, str]], rng: random.Random
) -> tuple[dict[str, Any], list[Plant]]:
    cells: list[dict[str, Any]] = [
        factory.markdown("# Analysis"),
        factory.code("import pandas as pd"),
    ]
    metadata: dict[str, Any] = {}
    plants: list[Plant] = []
    used: set[str] = set()
    for kind, location in pairs:
        secret = planted(rng)[kind]
        if location == "attachment-name" and not secret.token:
            location = "source"
        if location in ("notebook-metadata", "widget-state"):
            if location in used:
                location = "stream"
            else:
                used.add(location)
                metadata.update(_notebook_level(secret, location))
                plants.append(Plant(path, secret.rule_id, location, None, False, secret.value))
                continue
        plants.append(
            Plant(
                path,
                secret.rule_id,
                location,
                len(cells),
                location in OUTPUT_LOCATIONS,
                secret.value,
            )
        )
        cells.append(_cell(secret, location, rng))
    return factory.notebook(*cells, metadata=metadata), plants


def _negative(rng: random.Random) -> dict[str, Any]:
    lines = negatives(rng)
    image = {"image/png": _png(rng), "text/plain": "<Figure size 640x480 with 1 Axes>"}
    return factory.notebook(
        factory.code("\n".join(lines[:6]), outputs=[factory.display(image)], execution_count=1),
        factory.markdown(
            f"Figure: ![x](data:image/png;base64,{_png(rng)})\n\n" + "\n".join(lines[6:12])
        ),
        factory.code(
            "print(info)", outputs=[factory.stream("\n".join(lines[6:]))], execution_count=2
        ),
        factory.code(
            "df", outputs=[factory.result({"text/plain": "\n".join(lines)})], execution_count=3
        ),
    )


def build(directory: Path, positives: int = 120, negative: int = 30, seed: int = 4) -> list[Plant]:
    """Write the labelled set into ``directory``; returns every plant."""
    rng = random.Random(seed)
    pairs = _pairs(rng)
    per = -(-len(pairs) // positives)
    plants: list[Plant] = []
    for index in range(positives):
        chunk = pairs[index * per : (index + 1) * per] or [pairs[rng.randrange(len(pairs))]]
        name = f"pos-{index:03d}.ipynb"
        nb, found = _positive(name, chunk, rng)
        factory.write(directory / name, nb)
        plants.extend(found)
    for index in range(negative):
        factory.write(directory / f"neg-{index:03d}.ipynb", _negative(rng))
    return plants

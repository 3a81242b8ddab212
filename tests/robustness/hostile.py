"""Hostile notebook files, as bytes: what a pull request may put under a ``.ipynb`` name."""

from __future__ import annotations

import json
from typing import Any

from tests import factory


def dumps(nb: dict[str, Any]) -> bytes:
    return factory.dumps(nb).encode()


def _cell_without(key: str) -> bytes:
    nb = factory.notebook(factory.code("x = 1"))
    del nb["cells"][0][key]
    return dumps(nb)


def _without(key: str) -> bytes:
    nb = factory.notebook(factory.code("x = 1"))
    del nb[key]
    return dumps(nb)


def _output_type(kind: str) -> bytes:
    return dumps(factory.notebook(factory.code("x", outputs=[{"output_type": kind, "x": 1}])))


def _cell_type(kind: str) -> bytes:
    nb = factory.notebook(factory.code("SELECT 1"))
    nb["cells"][0]["cell_type"] = kind
    return dumps(nb)


def _duplicate_ids() -> bytes:
    return dumps(
        factory.notebook(
            factory.code("x = 1", cell_id="same"), factory.code("y = 2", cell_id="same")
        )
    )


def _source_as(kind: type) -> bytes:
    nb = factory.notebook(factory.code("x = 1\ny = x + 1\n"), factory.markdown("# Title\ntext"))
    for cell in nb["cells"]:
        cell["source"] = "".join(cell["source"]) if kind is str else cell["source"]
    return dumps(nb)


def _nested(depth: int) -> bytes:
    nb = factory.notebook(factory.code("x = 1"))
    nb["metadata"]["deep"] = json.loads("[" * depth + "]" * depth)
    return dumps(nb)


V3 = {
    "nbformat": 3,
    "nbformat_minor": 0,
    "metadata": {"name": "old"},
    "worksheets": [
        {
            "cells": [
                {
                    "cell_type": "code",
                    "input": ["x = 1\n", "print(x)"],
                    "language": "python",
                    "outputs": [],
                    "prompt_number": 1,
                    "metadata": {},
                },
                {"cell_type": "markdown", "source": "# Old", "metadata": {}},
            ],
            "metadata": {},
        }
    ],
}
V2 = {
    "nbformat": 2,
    "metadata": {"name": "older"},
    "worksheets": [
        {"cells": [{"cell_type": "code", "input": "x = 1", "language": "python", "outputs": []}]}
    ],
}

GOOD = dumps(factory.notebook(factory.code("x = 1\nprint(x)")))

# (id, bytes, expected failing line pattern or None when the file must pass)
CASES: list[tuple[str, bytes, str | None]] = [
    ("empty", b"", "*NB001*file is empty*"),
    ("whitespace", b" \n\t\r\n", "*NB001*file is empty*"),
    ("binary", bytes(range(256)) * 4, "*NB001*not UTF-8*binary file?*"),
    ("truncated", GOOD[: len(GOOD) // 2], "*NB001*invalid JSON at line *, column *"),
    ("json-list", b"[]", "*NB001*top-level JSON value is a list, expected an object*"),
    ("json-string", b'"notebook"', "*NB001*top-level JSON value is a string*"),
    (
        "nbformat-3",
        json.dumps(V3).encode(),
        "*NB003*nbformat 3 is not supported*upgraded in memory*",
    ),
    ("nbformat-2", json.dumps(V2).encode(), "*NB003*nbformat 2 *"),
    (
        "nbformat-5",
        json.dumps({"nbformat": 5, "cells": []}).encode(),
        "*NB003*nbformat 5 is not supported*",
    ),
    ("no-cells", _without("cells"), "*NB002*'cells' is missing*"),
    ("no-metadata", _without("metadata"), "*NB002*schema*'metadata' is a required property*"),
    ("cell-no-metadata", _cell_without("metadata"), "*cell 0*NB002*schema: at cells/0*"),
    ("cell-no-source", _cell_without("source"), "*cell 0*NB002*schema: at cells/0*"),
    ("cell-no-id", _cell_without("id"), "*cell 0*NB002*schema: at cells/0*'id'*"),
    ("source-list", _source_as(list), None),
    ("source-string", _source_as(str), None),
    ("unknown-output", _output_type("hologram"), "*cell 0*NB002*schema: at cells/0/outputs/0*"),
    ("unknown-cell", _cell_type("sql"), "*cell 0*NB001*schema: cell 0 has unknown cell_type*"),
    ("duplicate-ids", _duplicate_ids(), "*cell 1*NB002*duplicate cell id 'same'*"),
    (
        "invalid-utf8",
        GOOD.replace(b"x = 1", b"x = \xff\xfe"),
        "*NB001*not UTF-8 text (invalid byte at offset *",
    ),
    ("utf8-bom", b"\xef\xbb\xbf" + GOOD, None),
    ("crlf", GOOD.replace(b"\n", b"\r\n"), None),
    ("deep-json", b"[" * 200_000 + b"]" * 200_000, "*NB001*nested too deeply*"),
    ("deep-metadata", _nested(500), "*NB001*JSON nested deeper than 100 levels at metadata/deep*"),
    ("lone-surrogate", GOOD.replace(b"x = 1", b"x = '\\udc80'"), "*NB001*lone UTF-16 surrogate*"),
    ("huge-integer", b'{"nbformat": ' + b"9" * 5000 + b"}", "*NB001*invalid JSON*"),
]

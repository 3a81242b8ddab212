"""Hypothesis strategies: arbitrary JSON, notebook-shaped JSON and its text layouts."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

# Text that reaches the interesting paths: newlines, CR, tabs, non-ASCII, surrogates, ANSI.
TEXT = st.lists(
    st.one_of(
        st.characters(codec=None),
        st.sampled_from(["\n", "\r", "\r\n", "\t", "\x1b[31m", "é", "😀", "\\", '"', "<", "&"]),
    ),
    max_size=30,
).map("".join)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
JSON: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20,
)
SOURCE = st.one_of(TEXT, st.lists(TEXT, max_size=6), JSON)
MIMES = st.sampled_from(
    ["text/plain", "text/html", "image/png", "image/svg+xml", "application/json", "text/markdown"]
)


def _maybe(value: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually the right type, sometimes anything at all."""
    return st.one_of(value, value, value, JSON)


OUTPUT = st.one_of(
    st.fixed_dictionaries(
        {"output_type": st.just("stream"), "name": _maybe(st.sampled_from(["stdout", "stderr"]))},
        optional={"text": SOURCE},
    ),
    st.fixed_dictionaries(
        {"output_type": _maybe(st.sampled_from(["execute_result", "display_data"]))},
        optional={
            "data": _maybe(st.dictionaries(MIMES, SOURCE, max_size=3)),
            "metadata": JSON,
            "execution_count": _maybe(st.integers(min_value=0, max_value=50)),
        },
    ),
    st.fixed_dictionaries(
        {"output_type": st.just("error")},
        optional={"ename": TEXT, "evalue": TEXT, "traceback": _maybe(st.lists(TEXT, max_size=3))},
    ),
    JSON,
)
CELL = st.one_of(
    st.fixed_dictionaries(
        {"cell_type": _maybe(st.sampled_from(["code", "markdown", "raw", "sql"]))},
        optional={
            "source": SOURCE,
            "id": _maybe(st.text("abcdef0123456789-_", min_size=1, max_size=12)),
            "metadata": _maybe(
                st.fixed_dictionaries({}, optional={"tags": _maybe(st.lists(TEXT, max_size=3))})
            ),
            "outputs": _maybe(st.lists(OUTPUT, max_size=3)),
            "execution_count": _maybe(st.integers(min_value=0, max_value=50)),
            "attachments": JSON,
        },
    ),
    JSON,
)
KERNELSPEC = st.fixed_dictionaries(
    {"name": _maybe(st.sampled_from(["python3", "ir", ""])), "language": _maybe(TEXT)}
)
NOTEBOOK = st.fixed_dictionaries(
    {
        "nbformat": st.one_of(st.just(4), st.just(4), st.integers(min_value=-2, max_value=6), JSON),
        "cells": _maybe(st.lists(CELL, max_size=5)),
    },
    optional={
        "nbformat_minor": _maybe(st.integers(min_value=0, max_value=6)),
        "metadata": _maybe(st.fixed_dictionaries({}, optional={"kernelspec": _maybe(KERNELSPEC)})),
        "worksheets": JSON,
    },
)


@st.composite
def layouts(draw: st.DrawFn, value: Any) -> bytes:
    """``value`` as a file: any indent, separators, line endings, ASCII escaping and BOM."""
    indent = draw(st.sampled_from([None, 0, 1, 2, "\t"]))
    separators = draw(st.sampled_from([None, (",", ":"), (", ", ": "), (" ,\n", " :\n ")]))
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=draw(st.booleans()))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8", "surrogatepass")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + data

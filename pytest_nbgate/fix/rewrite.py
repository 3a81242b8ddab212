"""A plan applied to a notebook's text: only the planned values change, byte for byte.

Outputs and execution counts go through the golden writer
(:func:`pytest_nbgate.snapshots.ipynb.rewrite`, the file's own JSON style);
metadata keys, trailing cells and ``nbformat_minor`` through span edits
(:mod:`pytest_nbgate.fix.spans`). The result is parsed and compared with the
same changes made to the parsed original: anything else, and nothing is written.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from pytest_nbgate.fix import spans
from pytest_nbgate.fix.plan import Plan
from pytest_nbgate.notebook.model import SUPPORTED_MAJOR, Notebook
from pytest_nbgate.redaction import redact_text
from pytest_nbgate.snapshots import ipynb

_REDACTED_FIELDS = ("text", "evalue")
_BINARY_PREFIXES = ("image/", "video/", "audio/", "application/pdf")


class RewriteError(ValueError):
    """The notebook's text is laid out in a way the rewrite cannot preserve."""


def rewrite(notebook: Notebook, fix: Plan, clean: Callable[[str], str] = redact_text) -> str:
    """The fixed text of ``notebook``; raises :class:`RewriteError` rather than guess.

    ``clean`` redacts output text (the notebook's own redactor masks values found elsewhere).
    """
    raw = json.loads(notebook.text.lstrip("\ufeff"))
    if raw.get("nbformat") != SUPPORTED_MAJOR:
        # An older notebook was upgraded in memory to be checked; its file has another layout.
        version = raw.get("nbformat")
        raise RewriteError(f"only nbformat 4 files are rewritten, this one is nbformat {version}")
    try:
        text = _outputs(notebook.text, raw, fix, clean)
        text = spans.apply(text, _structure(text, fix))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise RewriteError(str(exc)) from exc
    style = ipynb.Style.of(notebook.text, raw)
    if json.loads(text.lstrip("\ufeff")) != _expected(raw, fix, style, clean):
        raise RewriteError("the rewrite would change more than planned")
    return text


def _outputs(text: str, raw: dict[str, Any], fix: Plan, clean: Callable[[str], str]) -> str:
    changes: dict[int, tuple[list[Any], int | None]] = {}
    for index in sorted(fix.strip | set(fix.redact)):
        if fix.drop_from is not None and index >= fix.drop_from:
            continue
        cell = raw["cells"][index]
        if index in fix.strip:
            changes[index] = ([], None)
        else:
            outputs = redacted(cell["outputs"], fix.redact[index], clean)
            changes[index] = (outputs, cell["execution_count"])
    return ipynb.rewrite(text, changes) if changes else text


def redacted(
    outputs: list[Any], indices: set[int], clean: Callable[[str], str] = redact_text
) -> list[Any]:
    """``outputs`` with every detected secret in the text of those at ``indices`` redacted.

    ``clean`` is the redactor's text method: a notebook's own
    (:meth:`~pytest_nbgate.redaction.Redactor.text`) also masks the values
    found elsewhere in it.
    """
    result = copy.deepcopy(outputs)
    for index in indices:
        output = result[index]
        for key in _REDACTED_FIELDS:
            if key in output:
                output[key] = _redact_value(output[key], clean)
        if isinstance(output.get("traceback"), list):
            output["traceback"] = [_redact_value(line, clean) for line in output["traceback"]]
        for mime, value in (output.get("data") or {}).items():
            if not mime.startswith(_BINARY_PREFIXES):
                output["data"][mime] = _redact_value(value, clean)
    return result


def _redact_value(value: Any, clean: Callable[[str], str]) -> Any:
    """A string, or a list of lines redacted as one text (a key may span lines)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        joined = "".join(value)
        cleaned = clean(joined)
        return value if cleaned == joined else cleaned.splitlines(keepends=True)
    if isinstance(value, dict):
        return {key: _redact_value(part, clean) for key, part in value.items()}
    return value


def _structure(text: str, fix: Plan) -> list[spans.Edit]:
    if not (fix.notebook_keys or fix.cell_keys or fix.minor or fix.drop_from is not None):
        return []
    layout = spans.Layout.of(text)
    edits: list[spans.Edit] = []
    if fix.notebook_keys:
        edits += spans.remove_members(layout, layout.value("metadata"), fix.notebook_keys)
    cells = layout.cells()
    for index, keys in sorted(fix.cell_keys.items()):
        if fix.drop_from is None or index < fix.drop_from:
            metadata = layout.cell_metadata(cells[index][0])
            edits += spans.remove_members(layout, metadata, keys)
    if fix.drop_from is not None:
        edits += spans.remove_tail(layout.value("cells"), cells, fix.drop_from)
    if fix.minor is not None:
        start, end = layout.value("nbformat_minor")
        edits.append(spans.Edit(start, end, str(fix.minor)))
    return edits


def _expected(
    raw: dict[str, Any], fix: Plan, style: ipynb.Style, clean: Callable[[str], str]
) -> dict[str, Any]:
    """The parsed original with the planned changes made to it."""
    expected = copy.deepcopy(raw)
    cells = expected["cells"]
    for index in fix.strip:
        cells[index]["outputs"], cells[index]["execution_count"] = [], None
    for index, outputs in fix.redact.items():
        if index not in fix.strip:
            fresh = redacted(cells[index]["outputs"], outputs, clean)
            cells[index]["outputs"] = ipynb.stored_form(fresh, style)
    for key in fix.notebook_keys:
        expected["metadata"].pop(key, None)
    for index, keys in fix.cell_keys.items():
        for key in keys:
            cells[index]["metadata"].pop(key, None)
    if fix.drop_from is not None:
        del cells[fix.drop_from :]
    if fix.minor is not None:
        expected["nbformat_minor"] = fix.minor
    return expected

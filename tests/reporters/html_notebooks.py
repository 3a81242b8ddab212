"""Notebooks for the HTML report tests, built in code with the shared factory."""

from __future__ import annotations

import base64
import io
from typing import Any

from PIL import Image

from pytest_nbgate.findings import Finding, Location, Severity
from pytest_nbgate.reporters.base import NotebookOutcome, ReportData
from tests import factory

DRAW = (
    "import io\n"
    "from PIL import Image\n"
    "from IPython.display import Image as Show, display\n"
    "buffer = io.BytesIO()\n"
    "Image.new('RGB', (40, 30), (30, 60, 220)).save(buffer, 'PNG')\n"
    "display(Show(data=buffer.getvalue()))"
)


def png(color: tuple[int, int, int], size: tuple[int, int] = (40, 30)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def snapshot_failure() -> dict[str, Any]:
    """A plot cell whose golden is red and fresh output blue, and a changed number."""
    stored_image = factory.display(
        {"image/png": png((220, 40, 30)), "text/plain": "<IPython.core.display.Image object>"}
    )
    return factory.notebook(
        factory.code(DRAW, outputs=[stored_image], execution_count=1, cell_id="plot"),
        factory.code(
            "rows = 99\nprint(f'count {rows} rows')",
            outputs=[factory.stream("count 100 rows\n")],
            execution_count=2,
            cell_id="count",
        ),
    )


def many_notebooks(count: int, per: int = 3) -> ReportData:
    """``count`` notebooks with ``per`` findings each (rules alternate), and each cell's source."""
    rules = (
        ("NB101", "cell-too-long", Severity.WARNING),
        ("NB207", "undefined-name", Severity.ERROR),
    )
    findings, outcomes = [], []
    for number in range(count):
        path = f"many/nb-{number:03d}.ipynb"
        for k in range(per):
            rule_id, name, severity = rules[k % len(rules)]
            where = Location(path=path, cell_index=k, line=2, file_line=10 + k)
            message = f"{name} in cell {k} of notebook {number}"
            findings.append(Finding(rule_id, name, severity, where, message))
        cells = {
            str(k): {"id": f"c{k}", "type": "code", "lines": [f"'q{n}' + x{k}" for n in range(9)]}
            for k in range(per)
        }
        extra = {"html.lint": {"cells": cells, "snapshots": {}}}
        outcomes.append(NotebookOutcome(path, {"lint": "failed"}, 0.1, extra))
    return ReportData(
        tool_version="test",
        root="/repo",
        fail_on=Severity.ERROR,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        notebooks=tuple(outcomes),
    )

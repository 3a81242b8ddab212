"""``--nbgate-save-executed DIR``: keep each notebook as CI ran it, for the job's artifacts.

The copy is what a reviewer downloads to see a failure: fresh outputs, cell
after cell, up to and including the cell that failed (later cells never ran,
so their committed outputs would only mislead). It leaves the machine, so
every source and output text goes through the redactor first, and it is
checked against the nbformat schema before it is written, atomically, under
``DIR`` at the notebook's repository path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from pytest_nbgate.execution.run import ExecutionResult
from pytest_nbgate.files import write_text
from pytest_nbgate.fix.rewrite import redacted
from pytest_nbgate.redaction import Redactor, TextScanner

# nbformat is untyped; one Any-typed handle keeps mypy --strict honest.
_NBF: Any = nbformat


def artifact_path(folder: Path, relpath: str) -> Path:
    """Where the copy of ``relpath`` goes: its repository path under ``folder``.

    A notebook collected from outside the project keeps only its name.
    """
    relative = Path(relpath)
    if relative.is_absolute() or ".." in relative.parts:
        relative = Path(relative.name)
    return folder / relative


class ArtifactError(ValueError):
    """The executed copy could not be saved; the message names the notebook and why."""


def save_executed(
    result: ExecutionResult, folder: Path, redactor: Redactor | None = None
) -> Path | None:
    """Write the executed copy of ``result``'s notebook; ``None`` when nothing ran.

    ``redactor`` is the notebook's (the gate passes the one knowing its stored
    and fresh values); without it one is made from the executed copy, so a
    value detected in one cell is masked in every other too.
    Raises :class:`ArtifactError` when the copy is not a valid notebook or cannot be written.
    """
    executed = result.executed
    if executed is None:
        return None
    clean = (redactor or Redactor.for_notebooks(TextScanner(), (executed,))).text
    node = executed.to_node()
    if result.failures:
        last = min(failure.cell_index for failure in result.failures)
        del node.cells[last + 1 :]
    for cell in node.cells:
        cell.source = clean(cell.source)
        if cell.cell_type == "code":
            outputs = redacted(cell.outputs, set(range(len(cell.outputs))), clean)
            cell.outputs = _NBF.from_dict(outputs)
    path = artifact_path(folder, executed.relpath)
    try:
        _NBF.validate(node)
        write_text(path, _NBF.writes(node))
    except (OSError, _NBF.ValidationError) as exc:
        problem = getattr(exc, "message", None) or exc
        raise ArtifactError(f"{executed.relpath}: executed copy not saved: {problem}") from exc
    return path

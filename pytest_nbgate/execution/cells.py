"""What the gate does around one code cell: skip it, bound it, rewrite it, judge it.

Every peer's per-cell knob is read here from the cell model, so the run loop
in :mod:`pytest_nbgate.execution.run` only executes: our markers (through
:mod:`pytest_nbgate.notebook.markers`), a ``nbgate-timeout=30`` tag, the
install-magic policy, and nbmake's ``mock`` / ``post_cell_execute`` metadata.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pytest_nbgate.notebook.markers import markers, timeout_tag
from pytest_nbgate.notebook.model import Cell
from pytest_nbgate.notebook.params import assignment

INSTALL_POLICIES = ("run", "skip", "fail")
_INSTALL = re.compile(
    r"^[ \t]*(?:[%!][ \t]*(?:pip|pip3|conda|mamba|micromamba|uv[ \t]+pip)\b"
    r"|![ \t]*python[\d.]*[ \t]+-m[ \t]+pip\b).*$",
    re.MULTILINE,
)
IMPORT_ERRORS = frozenset({"ModuleNotFoundError", "ImportError"})


class CellSetupError(ValueError):
    """A cell's peer metadata cannot be honoured (an nbmake mock that is not a variable name)."""


@dataclass(frozen=True)
class CellPlan:
    skip: bool = False
    raises: bool = False
    timeout: float | None = None
    """This cell's own limit (``nbgate-timeout=`` tag); ``None``: the run's default."""
    source: str | None = None
    """The source to send instead of the cell's (install lines dropped); ``None``: unchanged."""
    refused: str = ""
    """The install line that the ``fail`` policy refuses to run."""
    after: tuple[str, ...] = ()
    """Code run after the cell succeeded: nbmake's mocks, then its ``post_cell_execute``."""


def install_lines(source: str) -> list[str]:
    """``%pip install``, ``!conda install``... lines: changes to the environment, not analysis."""
    if "pip" not in source and "conda" not in source and "mamba" not in source:
        return []
    return [match.group(0).strip() for match in _INSTALL.finditer(source)]


def plan(cell: Cell, install_policy: str = "run") -> CellPlan:
    """What to do with ``cell``; raises :class:`CellSetupError` for unusable nbmake metadata."""
    wants = markers(cell)
    if wants.skip:
        return CellPlan(skip=True)
    source = None
    refused = ""
    if install_policy != "run" and (lines := install_lines(cell.source)):
        if install_policy == "fail":
            refused = lines[0]
        else:
            source = _INSTALL.sub(lambda m: _indent(m.group(0)) + "pass", cell.source)
    return CellPlan(
        raises=wants.raises,
        timeout=timeout_tag(cell),
        source=source,
        refused=refused,
        after=_after(cell.metadata.get("nbmake")),
    )


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _after(section: Any) -> tuple[str, ...]:
    if not isinstance(section, Mapping):
        return ()
    code: list[str] = []
    mocks = section.get("mock")
    if isinstance(mocks, Mapping):
        for name, value in mocks.items():
            try:
                code.append(assignment(str(name), value))
            except ValueError as exc:
                raise CellSetupError(f"nbmake.mock: {exc}") from None
    lines = section.get("post_cell_execute")
    if isinstance(lines, list) and lines:
        code.append("\n".join(str(line) for line in lines))
    return tuple(code)


def first_error(outputs: list[Any], *, import_errors_only: bool = False) -> Any:
    """The first ``error`` output (only import errors when ``import_errors_only``), or ``None``."""
    for output in outputs:
        if output.get("output_type") != "error":
            continue
        if not import_errors_only or output.get("ename") in IMPORT_ERRORS:
            return output
    return None

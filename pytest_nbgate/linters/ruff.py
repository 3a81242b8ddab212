"""ruff over notebooks: one ``ruff check`` process for every notebook of a batch.

ruff reads ``.ipynb`` files itself (IPython magics included) and reports each
message with the cell number and the line inside the cell, so nothing is
converted here: the notebooks are passed as they are on disk, from the
project root, and ruff finds the project's ``[tool.ruff]`` (``pyproject.toml``,
``ruff.toml``) the way it does for any file. Files named on the command line
are checked even when the project's ``exclude`` lists ``*.ipynb``.

Findings keep ruff's own codes (``F401``) and rule names (``unused-import``),
at the cell, the line in the cell and the line of the ``.ipynb`` text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_nbgate.findings import Finding, Location, Severity, evidence_hash
from pytest_nbgate.linters.pylint import is_python
from pytest_nbgate.notebook.model import Notebook

NOTEBOOK_NOISE: tuple[str, ...] = ("E402", "E501", "B018", "T201", "T203", "D100", "INP001")
"""Ignored by default, whatever the project selects: imports arrive where they are first needed
(NB107 reports that once), long lines hold URLs and formulas, a bare expression or ``print`` is
how a notebook shows a value, and a notebook is neither a documented module nor in a package."""

SERIOUS = ("E9", "F63", "F7", "F82")
"""Syntax errors, impossible comparisons, misplaced statements and undefined names: errors."""
SYNTAX_ERROR = "RUFF"
"""The rule id of a message ruff gives no code (a cell it cannot parse)."""
TIMEOUT = 300.0
_CODE = re.compile(r"^[A-Z]+[0-9]+$")


class RuffError(RuntimeError):
    """ruff is missing, refused its configuration or printed something that is not its JSON."""


@dataclass(frozen=True)
class RuffSettings:
    """The profile's ``ruff:`` section, resolved."""

    enabled: bool = False
    select: tuple[str, ...] | None = None
    """Replaces the project's (or ruff's default) selection; ``None`` keeps it."""
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = NOTEBOOK_NOISE
    config: Path | None = None
    """An explicit ruff configuration file; ``None``: ruff's own discovery from each notebook."""

    @classmethod
    def from_section(cls, section: Mapping[str, Any], root: Path | None = None) -> RuffSettings:
        root = root or Path.cwd()
        select = section.get("select")
        config = section.get("config")
        return cls(
            enabled=bool(section.get("enabled", False)),
            select=tuple(select) if select is not None else None,
            extend_select=tuple(section.get("extend-select", ())),
            ignore=tuple(section.get("ignore", NOTEBOOK_NOISE)),
            config=(root / config) if isinstance(config, str) else None,
        )

    def arguments(self) -> list[str]:
        """``ruff check`` options (the files come last)."""
        args = ["check", "--output-format=json", "--no-cache", "--exit-zero", "--no-fix"]
        if self.config is not None:
            args.append(f"--config={self.config}")
        if self.select is not None:
            args.append(f"--select={','.join(self.select) or 'NONE'}")
        if self.extend_select:
            args.append(f"--extend-select={','.join(self.extend_select)}")
        if self.ignore:
            args.append(f"--ignore={','.join(self.ignore)}")
        return args


def ruff_binary() -> str:
    """The ``ruff`` executable of this environment (the ``ruff`` package ships it)."""
    try:
        from ruff.__main__ import find_ruff_bin
    except ImportError:
        found = shutil.which("ruff")
        if found is None:
            raise RuffError("ruff is not installed (pip install 'pytest-nbgate[ruff]')") from None
        return found
    return str(find_ruff_bin())


def run_ruff(
    notebooks: Sequence[Notebook], settings: RuffSettings, root: Path
) -> dict[str, list[Finding]]:
    """Findings per notebook relpath (every notebook given has an entry), from one process."""
    findings: dict[str, list[Finding]] = {nb.relpath: [] for nb in notebooks}
    by_path = {_key(nb.path): nb for nb in notebooks if is_python(nb) and nb.code_cells}
    if not by_path:
        return findings
    for message in _messages([nb.path for nb in by_path.values()], settings, root):
        notebook = by_path.get(_key(Path(str(message.get("filename", "")))))
        if notebook is not None:
            findings[notebook.relpath].append(to_finding(notebook, message))
    for found in findings.values():
        found.sort(key=Finding.sort_key)
    return findings


def _key(path: Path) -> str:
    return os.path.normcase(str(path.resolve()))


def _messages(paths: Sequence[Path], settings: RuffSettings, root: Path) -> list[dict[str, Any]]:
    command = [ruff_binary(), *settings.arguments(), "--", *map(str, paths)]
    try:
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuffError(f"ruff could not run: {exc}") from exc
    if done.returncode != 0:
        raise RuffError(f"ruff exited with status {done.returncode}: {_last_line(done.stderr)}")
    try:
        messages = json.loads(done.stdout or "[]")
    except json.JSONDecodeError as exc:
        raise RuffError(f"ruff printed no JSON: {_last_line(done.stdout)}") from exc
    if not isinstance(messages, list):
        raise RuffError("ruff printed JSON that is not a list of messages")
    return [m for m in messages if isinstance(m, dict)]


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no output)"


def to_finding(notebook: Notebook, message: Mapping[str, Any]) -> Finding:
    """One ruff message at its cell (ruff counts every cell from 1) and line in the cell."""
    cell_number = message.get("cell")
    index = cell_number - 1 if isinstance(cell_number, int) else None
    cell = notebook.cells[index] if index is not None and 0 <= index < len(notebook.cells) else None
    start = message.get("location") or {}
    line = start.get("row") if cell is not None else None
    column = start.get("column") if line is not None else None
    given = str(message.get("code") or "")
    # A syntax error has no code: ``null`` in older ruff, ``invalid-syntax`` in newer.
    code = given if _CODE.match(given) else SYNTAX_ERROR
    location = Location(
        path=notebook.relpath,
        cell_index=cell.index if cell else None,
        cell_id=cell.id if cell else None,
        line=line,
        column=column,
        file_line=notebook.file_line(cell.index, line) if cell else 1,
    )
    text = str(message.get("message", ""))
    return Finding(
        rule_id=code,
        rule_name=_name(message),
        severity=Severity.ERROR if _serious(code) else Severity.WARNING,
        location=location,
        message=text,
        evidence=evidence_hash(f"{code}\x1f{text}"),
    )


def _name(message: Mapping[str, Any]) -> str:
    """ruff's rule name; older ruff only gives it as the last part of the rule's URL."""
    if not _CODE.match(str(message.get("code") or "")):
        return "syntax-error"
    name = message.get("name") or str(message.get("url") or "").rstrip("/").rpartition("/")[2]
    return str(name) if name else "ruff"


def _serious(code: str) -> bool:
    return code == SYNTAX_ERROR or code.startswith(SERIOUS)

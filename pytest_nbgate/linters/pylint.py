"""pylint over notebooks: one virtual module per notebook, one pylint run for all of them.

Each notebook's code cells become one Python module, cell after cell, each
cell preceded by a ``# %% cell N`` marker line. IPython syntax goes through
:func:`pytest_nbgate.notebook.ipython.to_python`, which keeps the line count, so every
line of the module maps back to exactly one (cell, line). All modules are
written to one temporary folder and checked by a single in-process
:class:`pylint.lint.Run`: pylint's start-up and astroid's inference of the
libraries the notebooks share (pandas, numpy, ...) are paid once, not once per
notebook as ``nbqa pylint`` does per call.

Findings carry ``rule_id = "PL" + msg id`` (``PLW0611``), ``rule_name`` =
pylint's symbol, and a location mapped to the cell, the line in the cell and
the line of the ``.ipynb`` text.
"""

from __future__ import annotations

import ast
import contextlib
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pytest_nbgate.findings import Finding, Location, Severity, evidence_hash
from pytest_nbgate.notebook.ipython import parse, to_python
from pytest_nbgate.notebook.model import Notebook

if TYPE_CHECKING:
    from pylint.message import Message
    from pylint.reporters import BaseReporter

NOTEBOOK_NOISE: tuple[str, ...] = (
    "missing-module-docstring",
    "invalid-name",
    "redefined-outer-name",
    "wrong-import-position",
    "ungrouped-imports",
    "reimported",
    "trailing-newlines",
    "too-many-lines",
)
"""Off by default: normal in notebooks (module-level names are not constants, cells re-import,
imports arrive where they are first needed; NB1xx already reports imports not at the top)."""

DISPLAY_MESSAGES = frozenset({"W0104", "W0105", "W0106"})
"""pointless-statement, pointless-string-statement, expression-not-assigned: on a cell's last
statement that is how a notebook displays a value."""
SEMICOLON = "W0301"
"""unnecessary-semicolon: ending a cell's last statement, ``;`` is how a notebook hides a value."""

NOTEBOOK_BUILTINS = ("display", "get_ipython", "In", "Out")
MARKER = "# %% cell {index}"
RCFILES = ("pylintrc", ".pylintrc", "pyproject.toml", "setup.cfg")
_SEVERITY = {
    "fatal": Severity.ERROR,
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "refactor": Severity.INFO,
    "convention": Severity.INFO,
    "info": Severity.INFO,
}
_LINE_REF = re.compile(r"\(?\bline \d+\)?")
MAGIC_MARK = "# nbgate: magic"


class PylintError(ValueError):
    """pylint refused its configuration (unknown option, unreadable rcfile)."""


@dataclass(frozen=True)
class PylintSettings:
    """The profile's ``pylint:`` section, resolved."""

    enabled: bool = False
    disable: tuple[str, ...] = NOTEBOOK_NOISE
    enable: tuple[str, ...] = ()
    rcfile: Path | None = None
    """Explicit rcfile; ``None``: the project's pylintrc, pyproject.toml [tool.pylint], ..."""
    min_score: float | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    """Extra pylint options, ``max-line-length: 120`` becomes ``--max-line-length=120``."""
    display_last_expression: bool = True
    jobs: int = 1

    @classmethod
    def from_section(cls, section: Mapping[str, Any], root: Path | None = None) -> PylintSettings:
        root = root or Path.cwd()
        rcfile = section.get("rcfile")
        score = section.get("min-score")
        return cls(
            enabled=bool(section.get("enabled", False)),
            disable=tuple(section.get("disable", NOTEBOOK_NOISE)),
            enable=tuple(section.get("enable", ())),
            rcfile=(root / rcfile) if isinstance(rcfile, str) else project_rcfile(root),
            min_score=float(score) if score is not None else None,
            options={str(k): _option_text(v) for k, v in section.get("options", {}).items()},
            display_last_expression=bool(section.get("display-last-expression", True)),
            jobs=int(section.get("jobs", 1)),
        )

    def arguments(self) -> list[str]:
        """pylint command-line options (the files come first, separately)."""
        args = ["--persistent=n", "--reports=n", "--score=n", f"--jobs={self.jobs}"]
        args.append(f"--rcfile={self.rcfile}" if self.rcfile else "--rcfile=")
        args += [f"--{name}={value}" for name, value in self.options.items()]
        if "additional-builtins" not in self.options:
            args.append(f"--additional-builtins={','.join(NOTEBOOK_BUILTINS)}")
        if self.disable:
            args.append(f"--disable={','.join(self.disable)}")
        if self.enable:
            args.append(f"--enable={','.join(self.enable)}")
        return args


def _option_text(value: Any) -> str:
    if isinstance(value, bool):
        return "y" if value else "n"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def project_rcfile(root: Path) -> Path | None:
    """The project's pylint configuration, as pylint would find it from ``root``."""
    for name in RCFILES:
        path = root / name
        if not path.is_file():
            continue
        if name in ("pylintrc", ".pylintrc"):
            return path
        text = path.read_text("utf-8", errors="replace")
        if "[tool.pylint" in text or re.search(r"^\[pylint", text, re.MULTILINE):
            return path
    return None


@dataclass(frozen=True)
class VirtualModule:
    """A notebook's code cells as one module, with each line's (cell index, cell line)."""

    notebook: Notebook
    text: str
    origins: tuple[tuple[int, int | None], ...]
    """Per module line: (cell index, 1-based line in the cell), ``None`` on the marker line."""
    display_lines: frozenset[tuple[int, int]]
    """(cell, line) of each cell's last statement when it is a bare expression."""
    last_lines: frozenset[tuple[int, int]] = frozenset()
    """(cell, line) where each cell's last statement ends."""

    def line_text(self, line: int | None) -> str:
        lines = self.text.split("\n")
        return lines[line - 1] if line is not None and 1 <= line <= len(lines) else ""

    def locate(self, line: int | None) -> tuple[int, int | None] | None:
        if line is None or not 1 <= line <= len(self.origins):
            return None
        return self.origins[line - 1]


def build_module(notebook: Notebook) -> VirtualModule:
    """The virtual module of ``notebook``'s code cells (IPython syntax made harmless)."""
    lines: list[str] = []
    origins: list[tuple[int, int | None]] = []
    display: set[tuple[int, int]] = set()
    last_lines: set[tuple[int, int]] = set()
    for cell in notebook.code_cells:
        lines.append(MARKER.format(index=cell.index))
        origins.append((cell.index, None))
        source = cell.source.replace("\r\n", "\n").replace("\r", "\n")
        converted = to_python(source).split("\n")
        if converted and converted[-1] == "":
            converted.pop()
        for number, text in enumerate(converted, start=1):
            lines.append(text)
            origins.append((cell.index, number))
        tree = parse(source)
        if tree is not None and tree.body:
            last = tree.body[-1]
            last_lines.add((cell.index, last.end_lineno or last.lineno))
            if isinstance(last, ast.Expr):
                display.add((cell.index, last.lineno))
    text = "\n".join(lines) + "\n"
    return VirtualModule(notebook, text, tuple(origins), frozenset(display), frozenset(last_lines))


@dataclass(frozen=True)
class PylintRun:
    """What one batch run found: findings and score per notebook relpath."""

    findings: Mapping[str, list[Finding]]
    scores: Mapping[str, float | None]
    """pylint's score (0-10) per notebook; ``None`` when the notebook has no statement."""
    problems: tuple[str, ...] = ()
    """Messages about no notebook (rcfile problems, unknown message names)."""
    duration: float = 0.0


def _collector() -> tuple[BaseReporter, list[Message]]:
    """A reporter that keeps pylint's messages (in the list) instead of printing them."""
    # pylint is imported only when it runs (--nbgate-pylint): importing it costs
    # every pytest start with the plugin installed about 80 ms.
    from pylint.reporters import BaseReporter

    collected: list[Message] = []

    class Collector(BaseReporter):
        name = "nbgate-collector"

        def __init__(self) -> None:
            super().__init__(output=None)

        def handle_message(self, msg: Message) -> None:
            collected.append(msg)

        def _display(self, layout: Any) -> None:
            return None

        def display_messages(self, layout: Any) -> None:
            return None

        def display_reports(self, layout: Any) -> None:
            return None

    return Collector(), collected


def is_python(notebook: Notebook) -> bool:
    return notebook.language in (None, "python", "python3", "ipython", "ipython3")


def lint_notebooks(
    notebooks: Sequence[Notebook], settings: PylintSettings
) -> dict[str, list[Finding]]:
    """Findings per notebook relpath (every notebook given has an entry)."""
    return dict(run_pylint(notebooks, settings).findings)


def run_pylint(notebooks: Sequence[Notebook], settings: PylintSettings) -> PylintRun:
    """One pylint run over every Python notebook in ``notebooks``."""
    started = time.monotonic()
    modules = [build_module(nb) for nb in notebooks if is_python(nb) and nb.code_cells]
    findings: dict[str, list[Finding]] = {nb.relpath: [] for nb in notebooks}
    scores: dict[str, float | None] = {nb.relpath: None for nb in notebooks}
    if not modules:
        return PylintRun(findings, scores, duration=time.monotonic() - started)
    with tempfile.TemporaryDirectory(prefix="nbgate-pylint-") as tmp:
        by_path = _write_modules(modules, Path(tmp))
        folders = list(dict.fromkeys(str(m.notebook.path.parent) for m in modules))
        messages, statements = _run(list(by_path), settings, folders)
        problems: list[str] = []
        for msg in messages:
            module = by_path.get(str(Path(msg.abspath).resolve())) if msg.abspath else None
            if module is None:
                problems.append(f"{msg.msg_id} ({msg.symbol}): {msg.msg}")
                continue
            finding = to_finding(module, msg, settings)
            if finding is not None:
                findings[module.notebook.relpath].append(finding)
        for path, module in by_path.items():
            relpath = module.notebook.relpath
            scores[relpath] = score(findings[relpath], statements.get(Path(path).stem, 0))
            findings[relpath].extend(_score_findings(module.notebook, scores[relpath], settings))
            findings[relpath].sort(key=Finding.sort_key)
    return PylintRun(findings, scores, tuple(problems), time.monotonic() - started)


def _write_modules(modules: Sequence[VirtualModule], folder: Path) -> dict[str, VirtualModule]:
    by_path: dict[str, VirtualModule] = {}
    for number, module in enumerate(modules):
        stem = re.sub(r"\W", "_", module.notebook.path.stem)[:40]
        path = folder / f"nbgate_{number:04d}_{stem}.py"
        path.write_text(module.text, encoding="utf-8", newline="\n")
        by_path[str(path.resolve())] = module
    return by_path


def _run(
    files: list[str], settings: PylintSettings, folders: list[str]
) -> tuple[list[Message], dict[str, int]]:
    # Imported here, not at the top: see _collector.
    from pylint.lint import Run

    reporter, collected = _collector()
    with _extra_sys_path(folders):
        try:
            result = Run([*settings.arguments(), *files], reporter=reporter, exit=False)
        except SystemExit as exc:
            raise PylintError(f"pylint refused its options (exit status {exc.code})") from exc
    statements = {
        name: int(stats.get("statement", 0))
        for name, stats in result.linter.stats.by_module.items()
    }
    return collected, statements


@contextlib.contextmanager
def _extra_sys_path(folders: list[str]) -> Iterator[None]:
    """Notebooks import modules next to them (their kernel's cwd); let astroid find those."""
    saved = list(sys.path)
    # First, as in the kernel, whose cwd (the notebook's folder) comes before site-packages.
    sys.path[:0] = [f for f in folders if f not in sys.path]
    try:
        yield
    finally:
        sys.path[:] = saved


def to_finding(module: VirtualModule, msg: Message, settings: PylintSettings) -> Finding | None:
    """``msg`` at its cell and line, or ``None`` when it is a notebook's way to display a value."""
    origin = module.locate(msg.line)
    cell_index, line = origin if origin is not None else (None, None)
    if settings.display_last_expression and _displays(module, msg.msg_id, (cell_index, line)):
        return None
    if msg.msg_id == "W0107" and module.line_text(msg.line).endswith(MAGIC_MARK):
        return None
    notebook = module.notebook
    cell = notebook.cells[cell_index] if cell_index is not None else None
    location = Location(
        path=notebook.relpath,
        cell_index=cell_index,
        cell_id=cell.id if cell else None,
        line=line,
        column=msg.column + 1 if line is not None and msg.column is not None else None,
        file_line=notebook.file_line(cell_index, line) if cell_index is not None else 1,
    )
    return Finding(
        rule_id=f"PL{msg.msg_id}",
        rule_name=msg.symbol,
        severity=_SEVERITY.get(msg.category, Severity.WARNING),
        location=location,
        message=msg.msg,
        evidence=evidence_hash(f"{msg.symbol}\x1f{_LINE_REF.sub('', msg.msg)}"),
    )


def _displays(module: VirtualModule, msg_id: str, where: tuple[int | None, int | None]) -> bool:
    """The message is about how the cell shows (or hides with ``;``) its last value."""
    if where[0] is None or where[1] is None:
        return False
    at = (where[0], where[1])
    if msg_id in DISPLAY_MESSAGES:
        return at in module.display_lines
    return msg_id == SEMICOLON and at in module.last_lines


def score(findings: Sequence[Finding], statements: int) -> float | None:
    """pylint's default evaluation, ``10 - (5 * E + W + R + C) / statements * 10``.

    Computed here, per notebook, after the display-expression filter.
    """
    if statements <= 0:
        return None
    if any(f.rule_id.startswith("PLF") for f in findings):
        return 0.0
    errors = sum(f.rule_id.startswith("PLE") for f in findings)
    others = sum(f.rule_id[2:3] in ("W", "R", "C") for f in findings)
    return max(0.0, 10.0 - (5 * errors + others) / statements * 10)


def _score_findings(
    notebook: Notebook, value: float | None, settings: PylintSettings
) -> list[Finding]:
    if settings.min_score is None or value is None or value >= settings.min_score:
        return []
    message = f"pylint score {value:.2f}/10 (min {settings.min_score:.2f})"
    location = Location(path=notebook.relpath, file_line=1)
    return [Finding("PL", "pylint", Severity.ERROR, location, message, evidence_hash("score"))]

"""NB106-NB110: code that only works on the author's machine or in the author's order."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.checks.structure._common import as_python, is_python, tree
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook.model import Cell, Notebook


class EmptyCell(Rule):
    """A code cell holds nothing but whitespace.

    What it does:
        Reports blank code cells, the trailing ones Jupyter leaves included,
        except a blank cell right after a markdown cell: exercise notebooks
        use that as the answer slot for the question above it.

    Why is this bad?
        Empty cells are noise in the diff and in execution counts, and a
        reader wonders what was deleted there.

    Example:
        A blank cell between two plots.

    Use instead:
        Delete it.

    Options:
        None.
    """

    id = "NB106"
    name = "empty-cell"
    severity = Severity.INFO
    message = "Code cell is empty"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        previous = None
        for cell in notebook.cells:
            slot = previous is not None and previous.cell_type == "markdown"
            if cell.is_code and not slot and not cell.source.strip():
                yield self.at(notebook, cell)
            previous = cell


def _is_import(node: ast.stmt) -> bool:
    if isinstance(node, ast.Import | ast.ImportFrom):
        return True
    # ``try: import x`` / ``except ImportError:`` is how optional dependencies are imported.
    return isinstance(node, ast.Try) and any(_is_import(child) for child in node.body)


def _is_setup(node: ast.stmt) -> bool:
    """Statements that may precede imports: magics, docstrings, configuration calls, constants."""
    if _is_import(node) or isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Expr):
        return isinstance(node.value, ast.Constant | ast.Call)
    return isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(node.value, ast.Constant)


class ImportNotAtTop(Rule):
    """A module is imported in a code cell after cells that already did work.

    What it does:
        Finds the first code cell that does more than set up (imports,
        magics, configuration calls such as ``sns.set()``, constants) and
        reports each later code cell with a top-level ``import``. Imports
        inside functions are not reported: those are deliberate.

    Why is this bad?
        The notebook's dependencies are not visible in one place, and a
        missing package fails halfway through a long run instead of at once.

    Example:
        ``import seaborn`` in cell 30, just before the first plot.

    Use instead:
        Move the import to the first code cells.

    Options:
        None.
    """

    id = "NB107"
    name = "import-not-at-top"
    severity = Severity.INFO
    message = "Import in a code cell after cell {work_cell} already ran code"
    default_enabled = False

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        if not is_python(notebook):
            return
        work_cell: int | None = None
        for cell in notebook.code_cells:
            module = tree(cell)
            if module is None:
                continue
            if work_cell is not None:
                node = next((stmt for stmt in module.body if _is_import(stmt)), None)
                if node is not None:
                    yield self.at(notebook, cell, line=node.lineno, work_cell=work_cell)
            elif not all(_is_setup(stmt) for stmt in module.body):
                work_cell = cell.index


_INSTALL = re.compile(
    r"^\s*(?:[!%]\s*|[!%]?\{[^}]*\}\s*)?"
    r"(?:(?:pip3?|conda|mamba|micromamba|uv\s+pip)|(?:\S*python[\d.]*|\{[^}]*\})\s+-m\s+pip)"
    r"\s+install\b"
)
_SHELL_CELLS = ("%%bash", "%%sh", "%%script", "%%system", "%%!", "%%cmd", "%%powershell")
_SHELL_CALL = ("get_ipython().system(", "get_ipython().getoutput(")
_SHELL_MAGICS = ("run_line_magic('sx'", "run_line_magic('system'")


def _shell_lines(cell: Cell) -> Iterator[tuple[int, str]]:
    """(1-based line, original text) of each line that runs a shell command."""
    source = cell.source
    if "!" not in source and "%" not in source:
        return
    lines = cell.lines
    if source.lstrip().startswith(_SHELL_CELLS):
        # The body is the script; the ``%%bash`` line itself runs nothing.
        yield from ((number, text) for number, text in enumerate(lines[1:], 2) if text.strip())
        return
    converted = as_python(cell)[0].split("\n")
    for number, (text, python) in enumerate(zip(lines, converted, strict=False), 1):
        if any(call in python for call in _SHELL_CALL + _SHELL_MAGICS) or _install(text):
            yield number, text


def _install(line: str) -> bool:
    stripped = line.lstrip()
    if stripped.startswith("%"):
        return bool(re.match(r"%\s*(pip|conda|mamba)\s+install\b", stripped))
    return bool(_INSTALL.match(line)) and stripped.startswith("!")


class InstallInNotebook(Rule):
    """A cell installs packages (``%pip install``, ``!pip install``, ``!conda install``).

    What it does:
        Reports ``pip``/``conda``/``mamba`` ``install`` commands run from a cell
        through a magic, a shell escape or a ``%%bash`` cell.

    Why is this bad?
        Running the notebook changes the environment it runs in: CI installs
        unpinned versions on every run, and the real dependencies are
        written nowhere a tool can read.

    Example:
        ``!pip install pandas``

    Use instead:
        Declare dependencies in ``requirements.txt`` or ``pyproject.toml``
        and install them before running the notebook.

    Options:
        None.
    """

    id = "NB108"
    name = "install-in-notebook"
    severity = Severity.WARNING
    message = "Package install from a cell: {command}"
    evidence_fields = ("command",)

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for cell in notebook.code_cells:
            shell_cell = cell.source.lstrip().startswith(_SHELL_CELLS)
            for number, text in _shell_lines(cell):
                if _install(text) or (shell_cell and _INSTALL.match(text)):
                    yield self.at(notebook, cell, line=number, command=text.strip()[:80])


class ShellEscape(Rule):
    """A cell runs a shell command (``!ls``, ``files = !ls``, ``%%bash``).

    What it does:
        Reports each shell escape, ``%sx``/``%system`` magic and each line of
        a ``%%bash``/``%%sh``/``%%script`` cell. Package installs are NB108.

    Why is this bad?
        Shell commands tie the notebook to one operating system and shell,
        fail silently (a failed ``!cmd`` does not raise), and bypass the
        Python-level checks of this gate.

    Example:
        ``!wget https://example.com/data.csv``

    Use instead:
        Use Python (``pathlib``, ``shutil``, ``urllib``, ``subprocess.run(...,
        check=True)``) so failures raise and the code runs everywhere.

    Options:
        None.
    """

    id = "NB109"
    name = "shell-escape"
    severity = Severity.INFO
    message = "Shell command in a cell: {command}"
    evidence_fields = ("command",)

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for cell in notebook.code_cells:
            for number, text in _shell_lines(cell):
                if not _install(text) and not _INSTALL.match(text):
                    yield self.at(notebook, cell, line=number, command=text.strip()[:80])


_USER_PATH = re.compile(
    r"(?<![\w.~$-])(/(?:home|Users)/)([A-Za-z0-9._-]+)"
    r"|\b([A-Za-z]:(?:\\\\|\\|/)Users(?:\\\\|\\|/))([^\\/\s'\"]+)"
)
_PLACEHOLDERS = frozenset({"username", "user", "you", "me", "name", "yourname", "your_name"})


class AbsoluteUserPath(Rule):
    """Code refers to a path inside someone's home folder.

    What it does:
        Reports ``/home/<user>``, ``/Users/<user>`` and ``C:\\Users\\<user>``
        paths in code cells (placeholders such as ``/home/user`` are still
        reported: they do not exist either). The user name is redacted.

    Why is this bad?
        The notebook runs only on the author's machine, and the path leaks
        the author's account name.

    Example:
        ``pd.read_csv("/Users/jane/Downloads/sales.csv")``

    Use instead:
        A path relative to the notebook (``Path("data/sales.csv")``), or
        one read from configuration or an environment variable.

    Options:
        None.
    """

    id = "NB110"
    name = "absolute-user-path"
    severity = Severity.WARNING
    message = "Absolute path into a home folder: {path}"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for cell in notebook.code_cells:
            if "Users" not in cell.source and "/home/" not in cell.source:
                continue
            for number, line in enumerate(cell.lines, 1):
                for match in _USER_PATH.finditer(line):
                    root = match.group(1) or match.group(3)
                    user = match.group(2) or match.group(4)
                    shown = user if user.lower() in _PLACEHOLDERS else user[:1] + "***"
                    yield self.at(
                        notebook,
                        cell,
                        line=number,
                        column=match.start() + 1,
                        path=root + shown,
                        evidence=match.group(0),
                    )


RULES: tuple[type[Rule], ...] = (
    EmptyCell,
    ImportNotAtTop,
    InstallInNotebook,
    ShellEscape,
    AbsoluteUserPath,
)

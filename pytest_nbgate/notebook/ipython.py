"""IPython cell source to plain Python, line for line.

:func:`to_python` keeps the line count exactly (line *i* of the result is line
*i* of the cell), so an AST line number, a pylint message or a finding lands
on the line the author wrote. Escapes become what IPython itself would run
(``get_ipython().run_line_magic(...)``, ``get_ipython().system(...)``), through
IPython's own :class:`~IPython.core.inputtransformer2.TransformerManager`
whenever that keeps the line count, except that timing and profiling magics
(``%time x = f(y)``) keep their statement as Python so its names are seen.
Cell magics whose body is not Python (``%%bash``) become comment lines.

Nothing here raises on any input string; the results are cached by source
because several rules and the pylint bridge ask about the same cells.
"""

from __future__ import annotations

import ast
import functools
import re
import warnings

MAGIC_LINE = "pass  # nbgate: magic"
"""What a line is replaced with when nothing better keeps the code valid."""

PYTHON_BODY_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "px", "snakeviz", "lprun"}
)
"""Cell magics whose body runs as Python in the user namespace (or close enough to it)."""

STATEMENT_LINE_MAGICS = frozenset({"time", "timeit", "prun", "memit", "debug", "lprun"})
"""Line magics whose whole argument (after its options) is a Python statement."""

AUTOMAGICS = frozenset(
    {
        "alias", "autoreload", "aimport", "bookmark", "cat", "cd", "clear", "conda", "config",
        "cp", "cpaste", "debug", "dhist", "dirs", "doctest_mode", "edit", "env", "gui", "hist",
        "history", "less", "load", "load_ext", "loadpy", "logon", "logoff", "logstart", "ls",
        "lsmagic", "ll", "macro", "magic", "man", "matplotlib", "mkdir", "more", "mv", "page",
        "paste", "pastebin", "pdb", "pdef", "pdoc", "pfile", "pinfo", "pinfo2", "pip", "popd",
        "pprint", "precision", "prun", "psearch", "psource", "pushd", "pwd", "pycat", "pylab",
        "quickref", "recall", "rehashx", "reload_ext", "rerun", "reset", "reset_selective",
        "rm", "rmdir", "run", "save", "sc", "set_env", "store", "sx", "system", "tb", "time",
        "timeit", "unalias", "unload_ext", "who", "who_ls", "whos", "xdel", "xmode",
    }
)  # fmt: skip
"""Line magics IPython runs without ``%`` when automagic is on (its default)."""

_CELL_MAGIC = re.compile(r"\A(\s*\n)*%%(\w+)(.*)")
_LINE_MAGIC_CALL = re.compile(r"^(\s*)get_ipython\(\)\.run_line_magic\(('[^']*'), (.*)\)$")
_OPTIONS = re.compile(r"^(\s*-[A-Za-z](\s*\d+|\s+\S+(?=\s+-))?)*\s*")
_ESCAPE = re.compile(r"^\s*(%|!|\?)|\?\s*$|=\s*[!%]")
_ASSIGN_ESCAPE = re.compile(r"^(\s*)([\w.\[\]'\", ()*]+?)\s*=\s*[!%]")
_CAPTURE = re.compile(r"^\s*%%capture(?:\s+-{1,2}\S+)*\s+([A-Za-z_]\w*)", re.MULTILINE)
_SX_ASSIGN = re.compile(r"^\s*([A-Za-z_]\w*)\s*=\s*(?:!|%sx\b|%system\b)", re.MULTILINE)


def to_python(source: str) -> str:
    """``source`` as valid Python when possible, always with the same number of ``\\n``."""
    return _convert(source)[0]


def parse(source: str) -> ast.Module | None:
    """The AST of :func:`to_python` of ``source`` (cached), or ``None`` if it still does not parse.

    Callers must not mutate the returned tree: it is shared.
    """
    return _convert(source)[1]


def magic_assigned_names(source: str) -> frozenset[str]:
    """Names bound by IPython syntax that plain Python cannot show (``%%capture out``)."""
    if "%" not in source and "!" not in source:
        return frozenset()
    return frozenset(_CAPTURE.findall(source)) | frozenset(_SX_ASSIGN.findall(source))


def has_magic(source: str) -> bool:
    """Whether any line of ``source`` uses IPython syntax (a cheap pre-filter, may over-report)."""
    return any(_ESCAPE.search(line) for line in source.split("\n"))


def convert(source: str) -> tuple[str, ast.Module | None]:
    """:func:`to_python` and :func:`parse` in one step, uncached: the caller keeps the result."""
    try:
        text = _normalise(source)
        tree = _try_parse(text)
        if tree is not None:
            return text, tree
        text = _transform(text)
        text, tree = _repair(text)
    except Exception:  # a linter helper must never crash on a strange cell
        return _fallback(source), None
    return text, tree


@functools.lru_cache(maxsize=512)
def _convert(source: str) -> tuple[str, ast.Module | None]:
    return convert(source)


def _normalise(source: str) -> str:
    # Python treats a lone \r as a line break and \0 as an error; Cell.lines splits on \n only.
    if "\r" in source:
        source = source.replace("\r\n", "\n").replace("\r", " ")
    return source.replace("\0", " ") if "\0" in source else source


def _try_parse(text: str) -> ast.Module | None:
    try:
        if "\\" not in text:
            return ast.parse(text)
        with warnings.catch_warnings():
            # Invalid escapes in user strings warn at parse time; that is pylint's to report.
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None


def _transform(text: str) -> str:
    lines = _dedent(text.split("\n"))
    text = "\n".join(lines)
    match = _CELL_MAGIC.match(text)
    if match is None:
        return _transform_lines(lines)
    first = text[: match.end()].count("\n")
    magic = match.group(2)
    head = [*lines[:first], MAGIC_LINE]
    body = lines[first + 1 :]
    if magic in PYTHON_BODY_CELL_MAGICS:
        return "\n".join(head) + "\n" + _transform_lines(body) if body else "\n".join(head)
    return "\n".join([*head, *(_comment(line) for line in body)])


def _dedent(lines: list[str]) -> list[str]:
    """IPython strips the first line's indent from every line that starts with it."""
    first = next((line for line in lines if line.strip()), "")
    indent = first[: len(first) - len(first.lstrip())]
    if not indent:
        return lines
    return [line[len(indent) :] if line.startswith(indent) else line for line in lines]


def _comment(line: str) -> str:
    return "# " + line if line.strip() else line


def _transform_lines(lines: list[str]) -> str:
    text = "\n".join(lines)
    if not has_magic(text):
        return text
    converted = _ipython(text)
    if converted is not None and converted.count("\n") == text.count("\n"):
        return "\n".join(_unwrap_statement(line) for line in converted.split("\n"))
    return "\n".join(_escape_line(line) for line in lines)


@functools.cache
def _manager() -> object:
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager()  # type: ignore[no-untyped-call]


def ipython_transform(source: str) -> str:
    """IPython's own rewrite of a cell, exactly as the kernel compiles it (lines may move).

    Coverage needs the kernel's line numbers; linters use :func:`to_python`,
    which keeps the cell's.
    """
    try:
        return str(_manager().transform_cell(source))  # type: ignore[attr-defined]
    except (SyntaxError, ValueError, IndexError):
        return source


def _ipython(text: str) -> str | None:
    # IPython drops leading blank lines and adds a final newline; put the count back.
    stripped = text.lstrip("\n")
    leading = len(text) - len(stripped)
    if not stripped.strip():
        return text
    with warnings.catch_warnings():
        # IPython warns on form feeds and other odd line breaks; the line count check covers it.
        warnings.simplefilter("ignore")
        out: str = _manager().transform_cell(stripped)  # type: ignore[attr-defined]
    if not text.endswith("\n") and out.endswith("\n"):
        out = out[:-1]
    return "\n" * leading + out


def _unwrap_statement(line: str) -> str:
    """``%time x = f(y)`` runs ``x = f(y)``; keep it as Python so its names count."""
    match = _LINE_MAGIC_CALL.match(line)
    if match is None:
        return line
    try:
        name = ast.literal_eval(match.group(2))
        args = ast.literal_eval(match.group(3))
    except (ValueError, SyntaxError):
        return line
    if name not in STATEMENT_LINE_MAGICS or not isinstance(args, str) or "\n" in args:
        return line
    statement = _OPTIONS.sub("", args, count=1).strip()
    if not statement or _try_parse(statement) is None:
        return line
    return f"{match.group(1)}{statement}  # nbgate: %{name}"


def _escape_line(line: str) -> str:
    if not _ESCAPE.search(line):
        return line
    indent = line[: len(line) - len(line.lstrip())]
    assigned = _ASSIGN_ESCAPE.match(line)
    if assigned and not line.lstrip().startswith(("%", "!", "?")):
        return f"{indent}{assigned.group(2)} = None  # nbgate: magic"
    return indent + MAGIC_LINE


def _repair(text: str) -> tuple[str, ast.Module | None]:
    """Blank out automagic lines (``cd data``, ``pwd``) one syntax error at a time."""
    lines = text.split("\n")
    for _ in range(min(len(lines), 50)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return "\n".join(lines), ast.parse("\n".join(lines))
        except (SyntaxError, ValueError) as exc:
            number = getattr(exc, "lineno", None)
            if not number or not 1 <= number <= len(lines):
                break
            line = lines[number - 1]
            words = line.split()
            if not words or words[0].lstrip("%") not in AUTOMAGICS or MAGIC_LINE in line:
                break
            lines[number - 1] = line[: len(line) - len(line.lstrip())] + MAGIC_LINE
        except (MemoryError, RecursionError):
            break
    return "\n".join(lines), None


def _fallback(source: str) -> str:
    try:
        return "\n".join(_escape_line(line) for line in source.split("\n"))
    except Exception:  # last resort: keep the line count, lose the code
        return "\n" * source.count("\n")

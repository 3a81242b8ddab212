"""ipython.to_python: IPython syntax to Python, line for line, never raising."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_nbgate.notebook.ipython import magic_assigned_names, parse, to_python

CASES = [
    (
        "%matplotlib inline\nimport numpy as np",
        "get_ipython().run_line_magic('matplotlib', 'inline')\nimport numpy as np",
    ),
    ("!ls -l", "get_ipython().system('ls -l')"),
    ("files = !ls", "files = get_ipython().getoutput('ls')"),
    ("obj?", "get_ipython().run_line_magic('pinfo', 'obj')"),
    ("??obj", "get_ipython().run_line_magic('pinfo2', 'obj')"),
    ("%time x = f(y)", "x = f(y)  # nbgate: %time"),
    (
        "%timeit -n 10 -r 3 L = [n for n in range(3)]",
        "L = [n for n in range(3)]  # nbgate: %timeit",
    ),
    ("for i in r:\n    %time f(i)", "for i in r:\n    f(i)  # nbgate: %time"),
    ("%%bash\nls\necho hi", "pass  # nbgate: magic\n# ls\n# echo hi"),
    ("%%time\nx = 1\n!ls", "pass  # nbgate: magic\nx = 1\nget_ipython().system('ls')"),
    ("\n\n%%timeit\nx = 1", "\n\npass  # nbgate: magic\nx = 1"),
    ("cd data\nx = 1", "pass  # nbgate: magic\nx = 1"),
    ("x = 1\n", "x = 1\n"),
    ("s = '''\n%not a magic\n'''", "s = '''\n%not a magic\n'''"),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_to_python_converts_line_for_line(source: str, expected: str) -> None:
    assert to_python(source) == expected
    assert parse(source) is not None


@pytest.mark.parametrize(
    "source",
    ["%magic a \\\n b\nc", "def f(:\n %pip install x", "x = (\n!ls", "\0\r\n%%", "%%%%", "?"],
)
def test_broken_input_keeps_line_count(source: str) -> None:
    assert to_python(source).count("\n") == source.count("\n")


def test_magic_assigned_names() -> None:
    source = "%%capture --no-stderr out\nprint(1)\nfiles = !ls\ntext = %sx cat f"
    assert magic_assigned_names(source) == {"out", "files", "text"}
    assert magic_assigned_names("x = 1") == frozenset()


LINES = st.sampled_from(
    ["x = 1", "%time y = x", "!ls", "files = !ls", "obj?", "??obj", "%%bash", "%%time", "if x:",
     "    pass", "    %matplotlib inline", "'''", "cd ..", "def f(", ")", "\\", "", "  ", "\t",
     "x = %sx ls", ">>> x", "%pip install q", "print('?')"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=20)), max_size=8))
def test_to_python_never_raises_and_keeps_lines(lines: list[str]) -> None:
    source = "\n".join(lines)
    out = to_python(source)
    assert isinstance(out, str)
    assert out.count("\n") == source.count("\n")
    tree = parse(source)
    if tree is not None:
        assert isinstance(tree, ast.Module)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_to_python_on_any_text(source: str) -> None:
    assert to_python(source).count("\n") == source.count("\n")

"""A warm static run and a collection: a replayed item parses nothing, a node is built once."""

from __future__ import annotations

import pytest

from tests import factory

STATIC = ("--nbgate", "--nbgate-no-execute", "-p", "no:randomly", "-p", "no:xdist")

COUNTING = """
import pytest
from pytest_nbgate.items import NotebookFile
from pytest_nbgate.notebook.model import Notebook

COUNTS = {"parsed": 0, "nodes": 0}
_from_bytes = Notebook.from_bytes.__func__
_init = NotebookFile.__init__


def _counted_from_bytes(cls, *args, **kwargs):
    COUNTS["parsed"] += 1
    return _from_bytes(cls, *args, **kwargs)


def _counted_init(self, *args, **kwargs):
    COUNTS["nodes"] += 1
    _init(self, *args, **kwargs)


Notebook.from_bytes = classmethod(_counted_from_bytes)
NotebookFile.__init__ = _counted_init


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"parsed={COUNTS['parsed']} nodes={COUNTS['nodes']}")
"""


@pytest.fixture
def folder(pytester: pytest.Pytester) -> pytest.Pytester:
    # The conftest counts, it changes nothing the gate does.
    pytester.makeconftest(COUNTING)
    for name in ("a", "b", "c", "d", "e"):
        # A caught print keeps a capture section to redact, the case that once parsed.
        source = f"{name} = 1\nprint({name})"
        factory.write(pytester.path / f"{name}.ipynb", factory.notebook(factory.code(source)))
    return pytester


def test_a_replayed_static_item_parses_no_notebook(folder: pytest.Pytester) -> None:
    cold = folder.runpytest_subprocess(*STATIC, "-s")
    cold.stdout.fnmatch_lines(["parsed=5 nodes=5"])
    warm = folder.runpytest_subprocess(*STATIC, "-v")
    warm.stdout.fnmatch_lines(["*a.ipynb::lint PASSED (cached)*", "parsed=0 nodes=5"])


def test_notebooks_named_one_by_one_are_each_built_once(folder: pytest.Pytester) -> None:
    named = ["a.ipynb", "b.ipynb", "c.ipynb"]
    result = folder.runpytest_subprocess(*STATIC, "--co", "-q", *named)
    # pytest re-collects the folder per file argument; its other notebooks stay unbuilt.
    result.stdout.fnmatch_lines(["a.ipynb::lint", "b.ipynb::lint", "c.ipynb::lint"])
    result.stdout.fnmatch_lines(["parsed=0 nodes=3", "3 tests collected*"])


def test_a_folder_argument_still_collects_its_subfolders(folder: pytest.Pytester) -> None:
    nested = folder.path / "deep" / "er"
    nested.mkdir(parents=True)
    factory.write(nested / "f.ipynb", factory.notebook(factory.code("f = 1")))
    result = folder.runpytest_subprocess(*STATIC, "--co", "-q", "deep", "a.ipynb")
    result.stdout.fnmatch_lines(["deep/er/f.ipynb::lint", "a.ipynb::lint", "parsed=0 nodes=2"])

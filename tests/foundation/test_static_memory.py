"""The static gate keeps nothing of a notebook once it is checked, and leaves the GC as it was."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from pytest_nbgate import cli
from pytest_nbgate.checks.hidden_state import names
from pytest_nbgate.checks.secrets import scan
from pytest_nbgate.checks.structure import _common
from pytest_nbgate.config import RawOptions, build
from pytest_nbgate.notebook import gcpause
from pytest_nbgate.notebook.model import Notebook
from tests import factory


def _leaky_notebook() -> dict[str, object]:
    # Every shared analysis runs: names (NB206), an AST, the secrets/PII scan.
    return factory.notebook(
        factory.code(
            "print(total)\n%matplotlib inline",
            outputs=[factory.stream("mail anna.berg@gmail.com\n")],
        ),
        factory.code("total = 1"),
    )


def test_checked_notebooks_are_freed_by_reference_counting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(3):
        factory.write(tmp_path / f"nb{index}.ipynb", _leaky_notebook())
    seen: list[weakref.ref[Notebook]] = []
    read = Notebook.from_bytes

    def tracked(*args: object, **kwargs: object) -> Notebook:
        notebook = read(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(weakref.ref(notebook))
        return notebook

    monkeypatch.setattr(Notebook, "from_bytes", tracked)
    gate = build(RawOptions(no_execute=True), tmp_path)
    with gcpause.paused():  # only reference counting may free them
        findings, checked = cli.static_findings(gate, [tmp_path])
        alive = [ref for ref in seen if ref() is not None]
    assert len(checked) == len(seen) == 3
    assert {f.rule_id for f in findings} >= {"NB206", "PII101"}
    assert alive == []


def test_shared_analyses_are_computed_once_per_notebook_and_cell() -> None:
    notebook = factory.load(_leaky_notebook())
    assert scan.scan_of(notebook) is scan.scan_of(notebook)
    assert names.issues(notebook) is names.issues(notebook)
    cell = notebook.cells[0]
    assert _common.as_python(cell) is _common.as_python(cell)
    assert _common.tree(cell) is not None
    again = factory.load(_leaky_notebook())
    assert scan.scan_of(again) is not scan.scan_of(notebook)


def test_paused_restores_the_collector_state() -> None:
    assert gc.isenabled()
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gcpause.paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with gcpause.paused():
            pass
        assert not gc.isenabled()  # a caller's own pause is left alone
    finally:
        gc.enable()

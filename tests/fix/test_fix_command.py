"""``nbgate fix``: every fixable rule repaired byte for byte, ``--diff``, refusals, leaks."""

from __future__ import annotations

import copy
import difflib
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from pytest_nbgate import cli
from tests import factory

ROOT = Path(__file__).resolve().parents[2]


def _token() -> str:
    # Assembled here so that no secret scanner ever sees a whole token in the repository.
    return "ghp" + "_" + "A1b2C3d4E5f6G7h8I9j0" + "K1l2M3n4O5p6Q7r8"


def _fix(path: Path, *args: str) -> int:
    return cli.main(["fix", str(path), *args])


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def _write(path: Path, nb: dict[str, Any], *, indent: int = 1, crlf: bool = False) -> bytes:
    text = factory.dumps(nb, indent)
    data = (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")
    path.write_bytes(data)
    return data


def _expect(nb: dict[str, Any], *, indent: int = 1, crlf: bool = False) -> bytes:
    text = factory.dumps(nb, indent)
    return (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")


def _with_outputs() -> dict[str, Any]:
    return factory.notebook(
        factory.markdown("# Title"),
        factory.code(
            "x = 1\nx", outputs=[factory.result({"text/plain": "1"}, 3)], execution_count=3
        ),
        factory.code("print(x)", outputs=[factory.stream("1\n")], execution_count=7, tags=("t",)),
        factory.code("y = 2"),
    )


@pytest.mark.parametrize(("indent", "crlf"), [(1, False), (2, True)], ids=["nbformat", "crlf-2"])
def test_outputs_and_counts_stripped_byte_exact(tmp_path: Path, indent: int, crlf: bool) -> None:
    nb = _with_outputs()
    path = tmp_path / "a.ipynb"
    _write(path, nb, indent=indent, crlf=crlf)
    assert _fix(path, "--select", "NB120") == 1
    expected = copy.deepcopy(nb)
    for cell in expected["cells"][1:3]:
        cell["outputs"], cell["execution_count"] = [], None
    assert path.read_bytes() == _expect(expected, indent=indent, crlf=crlf)
    assert _fix(path, "--select", "NB120") == 0


def test_keep_tag_and_profile_decide_which_cells_are_stripped(tmp_path: Path) -> None:
    nb = _with_outputs()
    nb["cells"][2]["metadata"]["tags"] = ["nbgate-keep-output"]
    path = tmp_path / "a.ipynb"
    _write(path, nb)
    assert _fix(path, "--profile", "stripped") == 1
    expected = copy.deepcopy(nb)
    expected["cells"][1]["outputs"], expected["cells"][1]["execution_count"] = [], None
    assert path.read_bytes() == _expect(expected)


def test_volatile_metadata_removed_and_nothing_else(tmp_path: Path) -> None:
    timing = {"iopub.execute_input": "2024-01-01T00:00:00Z"}
    cells = [
        factory.code("a = 1", metadata={"execution": timing, "tags": ["keep"]}),
        factory.code("b = 2", metadata={"executionInfo": {"elapsed": 5}, "id": "XyZ", "x": 1}),
        factory.code("c = 3", metadata={"papermill": {"duration": 1.5}}),
    ]
    widgets = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    nb = factory.notebook(*cells, metadata={"widgets": widgets, "papermill": {"version": "2"}})
    path = tmp_path / "a.ipynb"
    _write(path, nb)
    assert _fix(path, "--select", "NB121") == 1
    expected = copy.deepcopy(nb)
    del expected["metadata"]["widgets"], expected["metadata"]["papermill"]
    expected["cells"][0]["metadata"] = {"tags": ["keep"]}
    expected["cells"][1]["metadata"] = {"x": 1}
    expected["cells"][2]["metadata"] = {}
    assert path.read_bytes() == _expect(expected)


def test_trailing_blank_cells_removed_counts_never_renumbered(tmp_path: Path) -> None:
    nb = factory.notebook(
        factory.code("a = 1", execution_count=5),
        factory.code(""),
        factory.code("b = 2", execution_count=9),
        factory.code(""),
        factory.code("   \n"),
    )
    path = tmp_path / "a.ipynb"
    _write(path, nb)
    assert _fix(path) == 1
    expected = copy.deepcopy(nb)
    del expected["cells"][3:]
    assert path.read_bytes() == _expect(expected)


def test_nbformat_minor_raised_when_cells_carry_ids(tmp_path: Path) -> None:
    path = tmp_path / "a.ipynb"
    nb = factory.notebook(factory.code("x = 1"), minor=4)
    before = _write(path, nb)
    assert _fix(path, "--diff") == 1
    assert path.read_bytes() == before
    expected = _expect({**nb, "nbformat_minor": 5})
    assert _fix(path) == 1
    assert path.read_bytes() == expected
    no_ids = factory.notebook(factory.code("x = 1"), minor=4)
    del no_ids["cells"][0]["id"]
    untouched = _write(tmp_path / "b.ipynb", no_ids)
    assert _fix(tmp_path / "b.ipynb") == 0
    assert (tmp_path / "b.ipynb").read_bytes() == untouched


def test_diff_prints_a_unified_diff_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nb = _with_outputs()
    path = tmp_path / "a.ipynb"
    before = _write(path, nb)
    capsys.readouterr()
    assert _fix(path, "--select", "NB120", "--diff") == 1
    out = capsys.readouterr().out
    assert path.read_bytes() == before
    expected = copy.deepcopy(nb)
    for cell in expected["cells"][1:3]:
        cell["outputs"], cell["execution_count"] = [], None
    diff = "".join(
        difflib.unified_diff(
            before.decode().splitlines(keepends=True),
            _expect(expected).decode().splitlines(keepends=True),
            fromfile=f"a/{path.name}",
            tofile=f"b/{path.name}",
        )
    )
    assert out == diff + "nbgate fix: would fix 1 of 1 notebook(s)\n"


def test_unparsable_notebook_reported_and_left_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.ipynb"
    broken.write_bytes(b'{"cells": [')
    good = tmp_path / "good.ipynb"
    _write(good, factory.notebook(factory.code("x = 1"), factory.code("")))
    assert _fix(tmp_path) == 3
    out = capsys.readouterr().out
    assert "broken.ipynb: cannot be read, left untouched: invalid JSON" in out
    assert broken.read_bytes() == b'{"cells": ['
    assert "fixed 1 of 2 notebook(s)" in out
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_older_nbformat_is_checked_but_never_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cell = {"cell_type": "code", "input": ["x"], "language": "python", "metadata": {}}
    cell["outputs"] = [{"output_type": "pyout", "prompt_number": 1, "text": ["1"], "metadata": {}}]
    worksheets = [{"cells": [cell], "metadata": {}}]
    old = {"metadata": {}, "nbformat": 3, "nbformat_minor": 0, "worksheets": worksheets}
    path = tmp_path / "old.ipynb"
    before = _write(path, old)
    assert _fix(path, "--select", "NB120") == 3
    assert path.read_bytes() == before
    assert "only nbformat 4 files are rewritten, this one is nbformat 3" in capsys.readouterr().out


def test_leak_in_output_redacted_leak_in_code_only_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = _token()
    nb = factory.notebook(
        factory.code(f"TOKEN = {token!r}"),
        factory.code("show()", outputs=[factory.stream(f"using {token}\nok\n")], execution_count=1),
    )
    path = tmp_path / "a.ipynb"
    _write(path, nb)
    assert _fix(path, "--diff") == 1
    assert _fix(path) == 1
    out = capsys.readouterr().out
    text = path.read_text("utf-8")
    assert text.count(token) == 1, "the source keeps its secret: a person must rotate it"
    assert "using gh…" in text and "ok\\n" in text
    assert "SEC103 not fixed: a secret or personal datum in code must be rotated" in out
    assert token not in out


def test_fixable_rules_say_so_in_docs_and_rules_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    for rule_id in ("NB120", "NB121", "NB106", "NB002", "SEC103", "PII101"):
        assert " fixable " in rows[rule_id], rule_id
    assert " fixable " not in rows["NB101"]
    assert cli.main(["explain", "NB121"]) == 0
    assert "Fixable: `nbgate fix` removes the volatile metadata keys." in capsys.readouterr().out


def test_pre_commit_hook_runs_fix_next_to_check() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["nbgate"]["entry"] == "nbgate check"
    assert hooks["nbgate-fix"]["entry"] == "nbgate fix"
    assert hooks["nbgate-fix"]["files"] == hooks["nbgate"]["files"]


def test_check_says_how_many_findings_fix_would_repair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path / "a.ipynb", factory.notebook(factory.code("x = 1"), factory.code("")))
    _write(tmp_path / "b.ipynb", factory.notebook(factory.code(""), factory.code("y = 2")))
    assert cli.main(["check", str(tmp_path)]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == "2 notebook(s) checked: 2 warning (fail-on=error); 1 fixable with `nbgate fix`"

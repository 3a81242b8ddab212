"""A value detected in one cell is masked wherever else the notebook lets it out.

The password below is found by its context (``password = "…"``); printed
bare, or passed to a call, nothing about it says "secret", so only the
notebook's own redactor can mask it there. Each test plants it (assembled at
runtime) and checks one way out: the HTML report's cell sources, the executed
copy saved for CI artifacts, ``nbgate fix --diff`` and a cell's ``pytest.skip()``
reason.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pytest_nbgate import cli
from pytest_nbgate.redaction import redact_text
from pytest_nbgate.registry import Selector
from pytest_nbgate.reporters import html_evidence
from pytest_nbgate.ruleset import RuleSet
from tests import factory
from tests.leaks import pieces

PASSWORD = "Tr0ub4" + "dor&3x" + "Q!"
"""Short, with ``&`` and ``!``: no entropy or format rule recognises it on its own."""


def _leaks(text: str) -> bool:
    return any(piece in text for piece in pieces(PASSWORD))


def test_the_planted_value_is_beyond_a_stateless_rescan() -> None:
    # Otherwise the tests below would pass without the notebook's redactor.
    assert redact_text(f'connect(host, "{PASSWORD}")') == f'connect(host, "{PASSWORD}")'
    assert redact_text(f'password = "{PASSWORD}"') != f'password = "{PASSWORD}"'


def test_html_evidence_masks_a_value_found_in_another_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = factory.notebook(
        factory.code(f'password = "{PASSWORD}"'),
        factory.code(f'session = connect(host, "{PASSWORD}")'),
    )
    factory.write(tmp_path / "db.ipynb", notebook)
    monkeypatch.chdir(tmp_path)
    cli.main(["check", "db.ipynb", "--format", "html", "--output", "report.html"])
    report = (tmp_path / "report.html").read_text("utf-8")
    assert "connect(host" in report, "the second cell's source is shown"
    assert not _leaks(report)


def test_html_evidence_collected_alone_masks_it_too() -> None:
    notebook = factory.load(
        factory.notebook(
            factory.code(f'password = "{PASSWORD}"'),
            factory.code(f'session = connect(host, "{PASSWORD}")'),
        )
    )
    findings = RuleSet.build(Selector.build(["NB", "SEC"])).run(notebook)
    assert {(f.rule_id, f.location.cell_index) for f in findings} >= {("NB207", 1)}
    evidence = html_evidence.collect(notebook, findings)
    assert evidence["cells"]["1"]["lines"][0].startswith("session = connect(host, ")
    assert not _leaks(json.dumps(evidence))


def test_saved_executed_copy_masks_a_printed_value(pytester: pytest.Pytester) -> None:
    notebook = factory.notebook(
        factory.code(f'password = "{PASSWORD}"'),
        factory.code("print('connecting with', password)"),
    )
    factory.write(pytester.path / "db.ipynb", notebook)
    result = pytester.runpytest_subprocess(
        "--nbgate", "-k", "execute", "--nbgate-save-executed=artifacts"
    )
    saved = (pytester.path / "artifacts" / "db.ipynb").read_text("utf-8")
    assert "connecting with" in saved
    assert not _leaks(saved)
    assert not _leaks(result.stdout.str())


def test_skip_reason_raised_in_a_cell_is_redacted(pytester: pytest.Pytester) -> None:
    notebook = factory.notebook(
        factory.code(f'password = "{PASSWORD}"'),
        factory.code("import pytest\npytest.skip('no database for ' + password)"),
    )
    factory.write(pytester.path / "db.ipynb", notebook)
    result = pytester.runpytest_subprocess(
        "--nbgate", "-k", "execute", "-rs", "--junitxml=junit.xml"
    )
    result.assert_outcomes(skipped=1, deselected=1)
    assert "no database for" in result.stdout.str()
    assert not _leaks(result.stdout.str())
    assert not _leaks((pytester.path / "junit.xml").read_text("utf-8"))


def test_fix_diff_masks_a_value_found_in_another_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "gh" + "p_" + "Zq7Lm2Xw9Rt4Kd8Hs1Vb" + "6Nc3Fj5Gy0PaQe4Uo8I2"
    notebook = factory.notebook(
        factory.code(f'password = "{PASSWORD}"'),
        factory.code(
            "show()", outputs=[factory.stream(f"token {token}\nlogged in with {PASSWORD}\n")]
        ),
    )
    factory.write(tmp_path / "db.ipynb", notebook)
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    cli.main(["fix", "db.ipynb", "--diff"])
    diff = out.getvalue()
    assert "logged in with" in diff
    assert not _leaks(diff)
    assert token not in diff

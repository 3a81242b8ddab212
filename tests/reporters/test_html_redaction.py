"""No secret or personal datum reaches the HTML report: not from sources, outputs or tracebacks.

Every kind the detectors know is planted, assembled at runtime, in a cell's
source, in what a cell prints (the source holds only halves) and in an
exception message; the run goes through two xdist workers, so the evidence
also crosses a process boundary.
"""

from __future__ import annotations

import ast
import html
import random

import pytest

from tests import factory
from tests.labelled.values import Secret, planted

VALUES = planted(random.Random(19))


def _halves(value: str) -> str:
    cut = len(value) // 2
    return f"{value[:cut]!r} + {value[cut:]!r}"


def _source_line(snippet: str) -> str:
    """The snippet as valid Python, so the cell runs: code as it is, else a comment or string."""
    try:
        ast.parse(snippet)
    except SyntaxError:
        return f'key = """{snippet}"""' if "\n" in snippet else f"# {snippet}"
    return snippet


def _notebooks(values: list[Secret]) -> dict[str, dict[str, object]]:
    """Sources and outputs in one notebook, the traceback in another (it stops the golden check)."""
    prints = "\n".join(f"print({_halves(s.value)})" for s in values)
    token = next(s for s in values if s.rule_id == "SEC103")
    email = next(s for s in values if s.rule_id == "PII101")
    raising = (
        f"user = {_halves(email.value)}\n"
        f"raise RuntimeError('login failed: ' + user + ' ' + {_halves(token.value)})"
    )
    sources = factory.notebook(
        # Some snippets call what is not defined: the cell is expected to raise.
        factory.code(
            "\n".join(_source_line(s.snippet) for s in values),
            cell_id="sources",
            tags=("raises-exception",),
        ),
        # A golden that differs, so the report shows the golden and the fresh side.
        factory.code(prints, outputs=[factory.stream("nothing yet\n")], execution_count=1),
    )
    return {"sources.ipynb": sources, "raises.ipynb": factory.notebook(factory.code(raising))}


def _pieces(secret: Secret) -> list[str]:
    """The value, and each body line of a multi-line one (a private key's, not its markers)."""
    lines = [line for line in secret.value.split("\n") if len(line) >= 16 and "-----" not in line]
    return [secret.value, *lines]


def test_planted_secrets_and_personal_data_never_reach_the_html_report(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    for name, notebook in _notebooks(VALUES).items():
        factory.write(pytester.path / name, notebook)
    result = pytester.runpytest(
        "--nbgate", "-n", "2", "-p", "no:cacheprovider", "--nbgate-report=html:report.html"
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    written = (pytester.path / "report.html").read_text(encoding="utf-8")
    shown = html.unescape(written)
    # The report does show these cells: a missing section would pass vacuously.
    for rule in ("SEC103", "PII101", "NB301", "NB401"):
        assert f'data-rule="{rule}"' in written, rule
    assert "RuntimeError" in shown and "login failed" in shown
    # The workers' evidence arrived: cell excerpts, and the leaking output's sides held back.
    assert '<pre class="ln">\n1\n' in written and "<mark>" in written
    assert "found sensitive data in this cell's output" in shown
    leaked = [(s.rule_id, p) for s in VALUES for p in _pieces(s) if p in shown]
    assert leaked == []

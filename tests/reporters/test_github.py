"""GitHub reporter: exact workflow commands, escaping, the per-step cap, the step summary."""

from __future__ import annotations

import dataclasses

import pytest

from pytest_nbgate.findings import Severity
from pytest_nbgate.reporters import github
from tests.reporters.sample import FINDINGS, KEY, LONG, finding, report


def test_each_finding_is_annotated_at_its_ipynb_line_grouped_by_kind() -> None:
    assert github.render(report()) == (
        "::error file=notebooks/etl.ipynb,line=41,title=NB301 cell-raised"
        "::ZeroDivisionError: division by zero (cell 2, line 3)\n"
        "::error file=notebooks/etl.ipynb,line=120,title=SEC101 aws-access-key"
        "::AWS access key AK…2D in output (cell 5, output 0)\n"
        "::warning file=notebooks/etl.ipynb,line=77,title=NB101 cell-too-long"
        "::Cell has 88 non-blank lines (max 40) (cell 4, line 1)\n"
        "::warning file=notebooks/plot%2C v2.ipynb,line=12,title=PLW0611 unused-import"
        "::Unused import os (cell 0, line 1)\n"
        "::notice file=old.ipynb,line=1,title=NB003 unsupported-nbformat"
        "::nbformat 3: 50%25 of tools%0Arefuse it (notebook)\n"
    )


def test_no_findings_print_nothing() -> None:
    assert github.render(report(())) == ""


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_workflow_command_escaping(raw: str, data: str, prop: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_a_message_cannot_inject_a_second_command() -> None:
    evil = dataclasses.replace(LONG, message="x\n::error file=a.py::forged")
    (line,) = github.render(report((evil,))).splitlines()
    assert line.endswith("::x%0A::error file=a.py::forged (cell 4, line 1)")


def test_the_evidence_hash_never_reaches_the_output() -> None:
    out = github.render(report()) + github.render_summary(report())
    assert KEY.evidence and KEY.evidence not in out


def _many(count: int, severity: Severity) -> tuple:  # type: ignore[type-arg]
    return tuple(
        finding("NB101", "cell-too-long", severity, "a.ipynb", f"m{i}", cell=i, file_line=i + 1)
        for i in range(count)
    )


def test_up_to_the_cap_every_finding_is_annotated() -> None:
    lines = github.render(report(_many(github.ANNOTATIONS_PER_KIND, Severity.ERROR))).splitlines()
    assert len(lines) == github.ANNOTATIONS_PER_KIND
    assert all(line.startswith("::error ") for line in lines)


def test_past_the_cap_the_rest_are_summarised_and_listed_in_the_log() -> None:
    findings = _many(12, Severity.WARNING) + _many(1, Severity.ERROR)
    lines = github.render(report(findings)).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    warnings = [line for line in commands if line.startswith("::warning")]
    assert len(warnings) == github.ANNOTATIONS_PER_KIND
    assert warnings[-1] == (
        "::warning title=nbgate::3 more warning finding(s) not annotated: GitHub shows "
        "10 warning annotations per step. They are listed below and in the step summary."
    )
    assert lines[-3:] == [f"a.ipynb:{i + 1}: NB101 m{i} (cell {i})" for i in range(9, 12)]
    assert sum(line.startswith("::error") for line in commands) == 1


def test_step_summary_is_a_markdown_table_of_findings_and_notebooks() -> None:
    assert github.render_summary(report(FINDINGS[:3])) == (
        "## nbgate 0.1.0: failed\n"
        "\n"
        "1 error, 2 warning in 2 notebook(s); the gate fails on error and above "
        "(1 such finding(s)).\n"
        "\n"
        "### Findings\n"
        "\n"
        "| Severity | Rule | File | Where | Message |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| error | NB301 cell-raised | notebooks/etl.ipynb:41 | cell 2, line 3 "
        "| ZeroDivisionError: division by zero |\n"
        "| warning | NB101 cell-too-long | notebooks/etl.ipynb:77 | cell 4, line 1 "
        "| Cell has 88 non-blank lines (max 40) |\n"
        "| warning | PLW0611 unused-import | notebooks/plot, v2.ipynb:12 | cell 0, line 1 "
        "| Unused import os |\n"
        "\n"
        "### Notebooks\n"
        "\n"
        "| Notebook | execute | lint | Seconds |\n"
        "| --- | --- | --- | --- |\n"
        "| notebooks/etl.ipynb | failed | passed | 2.2 |\n"
        "| old.ipynb | - | passed | 0.5 |\n"
    )


def test_step_summary_of_a_clean_run_says_passed() -> None:
    summary = github.render_summary(report(()))
    assert summary.startswith("## nbgate 0.1.0: passed\n\nno findings in 2 notebook(s);")
    assert "### Findings" not in summary


def test_step_summary_cells_cannot_break_the_table_or_inject_html() -> None:
    cell = github.escape_markdown_cell("a | b\n<img src=x> `c` \\ & d")
    assert cell == "a \\| b &lt;img src=x&gt; \\`c\\` \\\\ &amp; d"


def test_step_summary_lists_at_most_the_row_cap() -> None:
    count = github.SUMMARY_MAX_ROWS + 5
    summary = github.render_summary(report(_many(count, Severity.INFO)))
    assert summary.count("| info |") == github.SUMMARY_MAX_ROWS
    assert "_5 more finding(s) not listed._" in summary

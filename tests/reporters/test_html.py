"""The HTML reporter as a pure formatter: exact markup, escaping, the policy, limits, front ends."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html as stdlib_html
import json
import re
from pathlib import Path

import pytest
import yaml

from pytest_nbgate import cli
from pytest_nbgate.findings import Severity
from pytest_nbgate.reporters import html, html_evidence, html_parts
from pytest_nbgate.reporters.base import NotebookOutcome
from tests import factory
from tests.reporters import html_notebooks, sample


def test_changed_characters_are_marked_on_both_sides() -> None:
    assert html_parts.char_marks("count 100 <rows>", "count 99 <rows>") == (
        "count <del>100</del> &lt;rows&gt;",
        "count <ins>99</ins> &lt;rows&gt;",
    )


def _sides(diff: str) -> list[tuple[list[str], list[str]]]:
    """Each side's gutter and code lines (the parser drops the newline after ``<pre>``)."""
    pres = re.findall(r"<pre[^>]*>\n(.*?)</pre>", diff, re.DOTALL)
    assert len(pres) == 4, diff
    return [(pres[0].split("\n"), pres[1].split("\n")), (pres[2].split("\n"), pres[3].split("\n"))]


def test_side_by_side_folds_long_unchanged_runs_and_marks_the_change() -> None:
    golden = "\n".join([f"line {i}" for i in range(20)] + ["total 100"])
    fresh = "\n".join([f"line {i}" for i in range(20)] + ["total 101"])
    diff = html_parts.side_by_side(golden, fresh)
    (left_numbers, left), (right_numbers, right) = _sides(diff)
    # Three lines, the fold, three lines, the change: both sides line for line.
    assert len(left) == len(right) == len(left_numbers) == len(right_numbers) == 8
    assert left[3] == right[3] == "… 14 unchanged lines" and left_numbers[3] == ""
    assert left_numbers[-1] == right_numbers[-1] == "21"
    assert left[-1] == '<span class="chg">total 10<del>0</del></span>'
    assert right[-1] == '<span class="chg">total 10<ins>1</ins></span>'
    assert "<td" not in diff


def test_a_missing_golden_side_shows_only_added_rows() -> None:
    diff = html_parts.side_by_side(None, "new\n'output'")
    (left_numbers, left), (right_numbers, right) = _sides(diff)
    assert left == left_numbers == ["", ""]
    assert right == ['<span class="ins">new</span>', "<span class=\"ins\">'output'</span>"]
    assert right_numbers == ["1", "2"]
    assert 'class="del"' not in diff


def test_markup_in_findings_is_escaped_and_only_our_scripts_exist() -> None:
    hostile = sample.finding(
        "NB101",
        "cell-too-long",
        Severity.WARNING,
        'nb"<x>.ipynb',
        "<script>alert(1)</script> & <img src=x onerror=alert(2)>",
        cell=0,
    )
    page = html.render(sample.report((hostile,)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x" in page
    assert "<img" not in page
    assert page.count("<script>") == 2
    assert 'nb"&lt;x&gt;.ipynb' in page and "<x>" not in page


def test_the_policy_allows_exactly_the_inline_style_and_scripts_by_hash() -> None:
    page = html.render(sample.report())
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        bodies = re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.DOTALL)
        digests = {
            "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
            for b in bodies
        }
        assert bodies and set(directives[directive].split()) == digests
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_summary_findings_in_cell_order_and_links_to_rule_docs() -> None:
    page = html.render(sample.report())
    assert "<tr><th>Fail on</th><td>error</td></tr>" in page
    assert "<tr><th>Findings</th><td>2 error, 2 warning, 1 info (5 in all)</td></tr>" in page
    etl = page[page.index('<span class="path">notebooks/etl.ipynb') :]
    order = [m for m in re.findall(r'data-rule="(\w+)"', etl)][:3]
    assert order == ["NB301", "NB101", "SEC101"]
    for rule in ("NB301", "NB101", "SEC101", "PLW0611", "NB003"):
        assert f'href="#rule-{rule}"' in page
        assert f'<article class="ruledoc" id="rule-{rule}">' in page


def test_source_excerpt_marks_the_finding_line_and_says_what_is_left_out() -> None:
    cell = {"id": "c2", "type": "code", "lines": [f"x{i} = {i}" for i in range(1, 21)], "total": 20}
    extra = {"html.execute": {"cells": {"2": cell}, "snapshots": {}}}
    outcome = NotebookOutcome("notebooks/etl.ipynb", {"execute": "failed"}, 1.0, extra)
    data = dataclasses.replace(sample.report((sample.RAISED,)), notebooks=(outcome,))
    page = html.render(data)
    gutter, code = re.findall(r'<pre class="(?:ln|src)"[^>]*>\n(.*?)</pre>', page, re.DOTALL)
    assert gutter.split("\n") == ["1", "2", "3", "4", "5", "6"]
    assert code.split("\n")[2] == "<mark>x3 = 3</mark>" and code.count("<mark>") == 1
    assert 'data-shown="lines 1–6 of 20"' in page
    assert "· cell 2, line 3 (code cell id c2) ·" in page


def test_past_the_first_notebooks_sections_are_closed_but_hold_their_findings() -> None:
    count = html.OPEN_NOTEBOOKS + 5
    page = html.render(html_notebooks.many_notebooks(count, per=2))
    sections = re.findall(r'<details class="nb"( open)? data-nb="(\d+)"', page)
    assert [int(n) for _, n in sections] == list(range(count))
    assert [bool(o) for o, _ in sections] == [n < html.OPEN_NOTEBOOKS for n in range(count)]
    last = page[page.index(f'data-nb="{count - 1}"') :]
    assert last.count('<article class="finding') == 2
    assert f'<main id="notebooks" data-findings="{2 * count}" data-open="20">' in page


def test_long_details_and_images_are_cut_with_a_note(tmp_path: Path) -> None:
    cut = html_parts.preformatted("\n".join(map(str, range(1000))), 10, 10_000)
    assert cut.endswith('<p class="note">… 990 more lines not shown</p>')
    big = tmp_path / "big-fresh.png"
    big.write_bytes(b"\x89PNG" + b"0" * (html_parts.MAX_IMAGE_BYTES + 1))
    figure = html_parts.ImageBudget().figure("fresh", str(big))
    assert "not embedded: over the per-image image limit" in figure and "<img" not in figure
    small = tmp_path / "small.png"
    small.write_bytes(b"\x89PNG" + b"0" * 10)
    assert "over the per-report image limit" in html_parts.ImageBudget(left=5).figure(
        "diff", str(small)
    )
    assert "diff image not found" in html_parts.ImageBudget().figure("diff", str(tmp_path / "x"))


def test_a_flagged_line_the_redactor_does_not_change_is_hidden_whole() -> None:
    notebook = factory.load(factory.notebook(factory.code("x = 1\nlabel = 'harmless'")))
    finding = sample.finding(
        "SEC199", "made-up", Severity.ERROR, notebook.relpath, "a secret", cell=0, line=2
    )
    evidence = html_evidence.collect(notebook, [finding])
    assert evidence["cells"]["0"]["lines"] == [
        "x = 1",
        "«line hidden: SEC199 found sensitive data here»",
    ]


def test_nbgate_check_writes_the_html_report_with_cell_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory.write(tmp_path / "nb.ipynb", factory.notebook(factory.code("print(undefined_name)")))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--format", "html", "-o", "report.html", "."]) == 1
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'data-rule="NB207"' in page
    assert "<mark>print(undefined_name)</mark>" in page


def test_the_json_report_leaves_the_html_evidence_out(pytester: pytest.Pytester) -> None:
    factory.write(pytester.path / "nb.ipynb", factory.notebook(factory.code("print(missing)")))
    pytester.runpytest("--nbgate", "--nbgate-no-execute", "--nbgate-report=html:r.html,json:r.json")
    notebook = json.loads((pytester.path / "r.json").read_text())["notebooks"][0]
    assert set(notebook) == {"path", "items"}
    assert "print(missing)" in (pytester.path / "r.html").read_text()


def test_pytest_html_shows_each_notebook_section_in_its_items(pytester: pytest.Pytester) -> None:
    pytest.importorskip("pytest_html", reason="pytest-html is in the test extra")
    factory.write(pytester.path / "nb.ipynb", factory.notebook(factory.code("print(missing)")))
    result = pytester.runpytest(
        "--nbgate", "--nbgate-no-execute", "--html=ph.html", "--self-contained-html"
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    shown = stdlib_html.unescape((pytester.path / "ph.html").read_text(encoding="utf-8"))
    assert '<div class=\\"nbgate\\">' in shown or '<div class="nbgate">' in shown
    assert "NB207" in shown and "print(missing)" in shown


def test_the_action_and_the_gitlab_template_publish_the_html_report() -> None:
    root = Path(__file__).resolve().parents[2]
    action = yaml.safe_load((root / "action.yml").read_text(encoding="utf-8"))
    steps = action["runs"]["steps"]
    upload = next(s for s in steps if s.get("id") == "upload")
    link = steps[steps.index(upload) + 1]
    assert "steps.upload.outputs.artifact-url" in link["env"]["NBGATE_ARTIFACT_URL"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in link["run"] and "nbgate.html" in link["run"]
    gitlab = yaml.safe_load((root / "ci/gitlab/nbgate.gitlab-ci.yml").read_text(encoding="utf-8"))
    artifacts = gitlab[".nbgate"]["artifacts"]
    assert artifacts["expose_as"] and artifacts["paths"] == ["nbgate-reports/"]
    assert "html:$dir/nbgate.html" in "\n".join(gitlab[".nbgate"]["script"])

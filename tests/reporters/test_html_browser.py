"""The HTML report as headless Chromium builds it: findings, images, filters, no requests.

Real runs (real kernels) write the report; the assertions read the DOM the
browser built after the page's script ran (``--dump-dom``). Only a missing
browser skips, with the reason (``.ci/run`` installs Debian's chromium).
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from pytest_nbgate.reporters import html
from tests import factory
from tests.reporters import browser, html_notebooks, sample

EXAMPLE = Path(__file__).resolve().parents[2] / "example_repo" / "failing"


class Dom(HTMLParser):
    """The findings and images of a dumped DOM, with the attributes the browser set."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.findings: list[dict[str, str | None]] = []
        self.images: list[dict[str, str | None]] = []
        self.sections: list[dict[str, str | None]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "article" and "finding" in (found.get("class") or ""):
            self.findings.append(found)
        elif tag == "img":
            self.images.append(found)
        elif tag == "details" and "nb" in (found.get("class") or "").split():
            self.sections.append(found)

    def visible(self) -> list[dict[str, str | None]]:
        return [f for f in self.findings if "hidden" not in f]


@pytest.fixture
def failing_report(
    pytester: pytest.Pytester, process_mark: str
) -> tuple[Path, list[dict[str, Any]]]:
    """example_repo/failing through the whole gate (but the 5 s timeout), HTML and JSON."""
    shutil.copytree(EXAMPLE, pytester.path / "failing")
    result = pytester.runpytest(
        "--nbgate",
        "--deselect=failing/timeout.ipynb::execute",
        "-p",
        "no:cacheprovider",
        "--nbgate-report=html:out/nbgate.html,json:out/nbgate.json",
        "failing",
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    findings = json.loads((pytester.path / "out" / "nbgate.json").read_text())["findings"]
    return pytester.path / "out" / "nbgate.html", findings


def test_failing_examples_in_the_browser_every_finding_and_working_filters(
    failing_report: tuple[Path, list[dict[str, Any]]],
    tmp_path: Path,
) -> None:
    page, findings = failing_report
    dom = browser.dump_dom(page)
    facts = browser.root_data(dom)
    built = Dom(dom)
    assert facts["ready"] == "1"
    assert "csp-violations" not in facts
    assert sorted((f["data-rule"], f["data-severity"]) for f in built.findings) == sorted(
        (f["rule_id"], f["severity"]) for f in findings
    )
    assert int(facts["visible"]) == len(findings) == len(built.visible())
    # The raising cell's traceback and its source, not only the message.
    assert "Traceback (most recent call last)" in dom
    assert 'customers.groupby("regoin")' in dom or "customers.groupby(&quot;regoin&quot;)" in dom
    browser.screenshot(page, tmp_path / "failing.png")
    # The filters, set from the address as a shared link would.
    raised = [f for f in findings if f["rule_id"] == "NB301"]
    by_rule = Dom(browser.dump_dom(page, "#filter?rule=NB301"))
    assert [f["data-rule"] for f in by_rule.visible()] == ["NB301"] * len(raised)
    assert len(by_rule.findings) == len(findings)
    warnings = [f for f in findings if f["severity"] == "warning"]
    by_severity = Dom(browser.dump_dom(page, "#filter?severity=warning"))
    assert {f["data-severity"] for f in by_severity.visible()} == {"warning"}
    assert len(by_severity.visible()) == len(warnings)


def test_snapshot_image_diff_shows_three_loaded_images_and_marked_text(
    pytester: pytest.Pytester, process_mark: str, tmp_path: Path
) -> None:
    factory.write(pytester.path / "plot.ipynb", html_notebooks.snapshot_failure())
    result = pytester.runpytest("--nbgate", "-p", "no:cacheprovider", "--nbgate-report=html:r.html")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    page = pytester.path / "r.html"
    dom_text = browser.dump_dom(page)
    dom = Dom(dom_text)
    assert [f["data-rule"] for f in dom.findings] == ["NB401", "NB401"]
    roles = {img["data-role"]: int(img["data-natural-width"] or 0) for img in dom.images}
    assert roles == {"golden": 40, "fresh": 40, "diff": 40}
    assert all((img["src"] or "").startswith("data:image/png;base64,") for img in dom.images)
    assert browser.root_data(dom_text)["images-loaded"] == "3"
    assert "count <del>100</del> rows" in dom_text
    assert "count <ins>99</ins> rows" in dom_text
    browser.screenshot(page, tmp_path / "image-diff.png", size="1280,1100")


def test_without_its_script_everything_is_there_and_the_filters_stay_hidden(
    tmp_path: Path,
) -> None:
    dom = browser.dump_dom(_without_script(html.render(sample.report()), tmp_path / "no.html"))
    assert len(Dom(dom).findings) == len(sample.FINDINGS)
    assert '<nav id="filters" hidden="">' in dom
    assert "ready" not in browser.root_data(dom)
    assert "Cell has 88 non-blank lines (max 40)" in dom


def _without_script(rendered: str, page: Path) -> Path:
    """The report with its own policy turning its script off (--dump-dom needs scripting)."""
    start = rendered.index("script-src ")
    end = rendered.index(";", start)
    page.write_text(rendered[:start] + "script-src 'none'" + rendered[end:], encoding="utf-8")
    return page


def test_a_large_report_without_script_holds_every_finding_in_closed_sections(
    tmp_path: Path,
) -> None:
    count = html.OPEN_NOTEBOOKS + 10
    data = html_notebooks.many_notebooks(count, per=3)
    dom = browser.dump_dom(_without_script(html.render(data), tmp_path / "large.html"))
    built = Dom(dom)
    assert len(built.findings) == len(data.findings) == 3 * count
    assert "ready" not in browser.root_data(dom)
    assert [n["data-nb"] for n in built.sections] == [str(n) for n in range(count)]
    assert ["open" in n for n in built.sections] == [n < html.OPEN_NOTEBOOKS for n in range(count)]
    # The last, closed section: its findings with their messages and sources, in the DOM.
    last = dom[dom.index(f'id="nb-{count - 1}"') :]
    assert last.count('<article class="finding') == 3
    assert f"undefined-name in cell 1 of notebook {count - 1}" in last
    assert "<mark>'q1' + x1</mark>" in last


def test_filters_reach_into_closed_sections_and_open_the_notebook_asked_for(
    tmp_path: Path,
) -> None:
    count = html.OPEN_NOTEBOOKS + 10
    data = html_notebooks.many_notebooks(count, per=3)
    page = tmp_path / "large.html"
    page.write_text(html.render(data), encoding="utf-8")
    opened = Dom(browser.dump_dom(page))
    assert len(opened.visible()) == len(data.findings)
    assert browser.root_data(browser.dump_dom(page))["visible"] == str(len(data.findings))
    wanted = count - 1
    dom = browser.dump_dom(page, f"#filter?notebook={wanted}")
    by_notebook = Dom(dom)
    assert browser.root_data(dom)["visible"] == "3"
    assert [f["id"] for f in by_notebook.visible()] == [f"f-{wanted}-{i}" for i in range(3)]
    shown = [n for n in by_notebook.sections if "hidden" not in n]
    assert [(n["data-nb"], "open" in n) for n in shown] == [(str(wanted), True)]
    by_rule = Dom(browser.dump_dom(page, "#filter?rule=NB207"))
    assert len(by_rule.visible()) == sum(f.rule_id == "NB207" for f in data.findings) == count
    assert len(by_rule.findings) == len(data.findings)
    # More matching notebooks than arrive open: the sections stay as they came.
    assert ["open" in n for n in by_rule.sections] == [
        n < html.OPEN_NOTEBOOKS for n in range(count)
    ]
    browser.screenshot(page, tmp_path / "large.png")


def test_a_filter_down_to_a_few_notebooks_opens_their_sections(tmp_path: Path) -> None:
    count = html.OPEN_NOTEBOOKS + 10
    data = html_notebooks.many_notebooks(count, per=2)
    # Two closed sections, 25 and 28, get the only NB301 findings.
    late = ("many/nb-025.ipynb", "many/nb-028.ipynb")
    findings = [
        dataclasses.replace(f, rule_id="NB301", rule_name="cell-raised")
        if f.location.path in late and f.location.cell_index == 0
        else f
        for f in data.findings
    ]
    page = tmp_path / "few.html"
    page.write_text(html.render(dataclasses.replace(data, findings=tuple(findings))), "utf-8")
    dom = Dom(browser.dump_dom(page, "#filter?rule=NB301"))
    assert [f["id"] for f in dom.visible()] == ["f-25-0", "f-28-0"]
    shown = [(n["data-nb"], "open" in n) for n in dom.sections if "hidden" not in n]
    assert shown == [("25", True), ("28", True)]
    assert all("open" not in n for n in dom.sections[html.OPEN_NOTEBOOKS :] if "hidden" in n)


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_policy_blocks_every_remote_load(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, seen = server
    rendered = html.render(sample.report())
    planted = (
        f'<img src="{base}/pixel.png"><link rel="stylesheet" href="{base}/style.css">'
        f'<script src="{base}/code.js"></script><iframe src="{base}/frame"></iframe>'
    )
    page = tmp_path / "doctored.html"
    page.write_text(rendered.replace("<main ", planted + "<main ", 1), encoding="utf-8")
    facts = browser.root_data(browser.dump_dom(page))
    assert seen == []
    assert int(facts["csp-violations"]) >= 4
    # Our own inline style and scripts are allowed by their hashes: the script ran.
    assert facts["ready"] == "1"

"""The HTML report at scale: 1,000 notebooks, 10,000 findings; size, render time, browser time.

    .venv/bin/python benchmarks/html_report.py [--notebooks 1000] [--per-notebook 10] [--runs 3]
        [--screenshot report.png]

Builds report data like a large run's (every finding with its cell's source,
one traceback and one text diff per notebook, an image diff in every 20th
notebook), renders it, and opens it in headless Chromium (Debian's
``chromium``). Printed, medians of ``--runs``:

* render time, and the JSON reporter's on the same data (ratio);
* file size (the target: under 20 MB);
* the browser's DOMContentLoaded and first contentful paint, measured by the
  page itself with ``performance`` and written into ``data-*`` attributes,
  next to the same figures for a one-line page in the same run (the browser's
  own floor), and the browser's wall and CPU time for both;
* the time of each filter change, and of "Expand all", up to the new layout;
* the load average before and after.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from pytest_nbgate.findings import Finding, Location, Severity
from pytest_nbgate.reporters import html, json
from pytest_nbgate.reporters.base import NotebookOutcome, ReportData

RULES = (
    ("NB101", "cell-too-long", Severity.WARNING),
    ("NB207", "undefined-name", Severity.ERROR),
    ("NB201", "execution-out-of-order", Severity.WARNING),
    ("NB202", "execution-count-gap", Severity.INFO),
    ("PLW0611", "unused-import", Severity.WARNING),
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CHANGES = (("f-rule", "NB207"), ("f-severity", "warning"), ("f-notebook", "7"))
# Added to a copy of the report (its hash joins the policy): after the page is laid out,
# change each filter as a reader would and time it up to the new layout.
CHANGE_SCRIPT = """window.addEventListener("load", function () {
  var root = document.documentElement;
  void document.body.offsetHeight;
  CHANGES.forEach(function (change, i) {
    var select = document.getElementById(change[0]);
    var started = performance.now();
    select.value = change[1];
    select.dispatchEvent(new Event("change"));
    void document.body.offsetHeight;
    var took = (performance.now() - started).toFixed(1);
    root.dataset["change" + i] = took + ":" + root.dataset.visible;
    select.value = "";
    select.dispatchEvent(new Event("change"));
    void document.body.offsetHeight;
  });
  var started = performance.now();
  document.getElementById("f-expand").click();
  void document.body.offsetHeight;
  root.dataset.expand = (performance.now() - started).toFixed(1);
});""".replace("CHANGES", repr([list(c) for c in CHANGES]))
# The one-line page's own probe: the same figures the report's script writes.
PROBE = """<script>window.addEventListener("load", function () {
  var root = document.documentElement;
  root.dataset.domMs = performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd;
  var paint = performance.getEntriesByName("first-contentful-paint")[0];
  if (paint) { root.dataset.paintMs = paint.startTime; }
});</script>"""
TRACEBACK = "\n".join(
    ["---------------------------------------------------------------------------"]
    + [
        f"File /srv/lib/module_{i}.py:{i * 7}, in step_{i}(frame)\n    value = step_{i + 1}(frame)"
        for i in range(12)
    ]
    + ["KeyError: 'regoin'"]
)


def _png(path: Path, color: tuple[int, int, int]) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _cell(index: int) -> dict[str, object]:
    lines = [f"frame_{index} = load('data/part-{index}.parquet')  # step {n}" for n in range(24)]
    return {"id": f"c{index}", "type": "code", "lines": lines, "total": len(lines)}


def notebook(number: int, per: int, images: Path) -> tuple[list[Finding], NotebookOutcome]:
    path = f"analyses/team-{number % 40}/notebook-{number:04d}.ipynb"
    findings = []
    for k in range(per - 2):
        rule_id, name, severity = RULES[k % len(RULES)]
        where = Location(path=path, cell_index=k, line=1 + k % 20, file_line=40 + 30 * k)
        findings.append(Finding(rule_id, name, severity, where, f"{name} in step {k} of {number}"))
    raised = Location(path=path, cell_index=per - 2, line=3, file_line=400)
    findings.append(
        Finding(
            "NB301", "cell-raised", Severity.ERROR, raised, "KeyError: 'regoin'", detail=TRACEBACK
        )
    )
    mismatch = Location(path=path, cell_index=per - 1, output_index=0, file_line=420)
    diff = "--- golden stdout\n+++ fresh stdout\n@@ -1 +1 @@\n-count 100\n+count 99"
    findings.append(
        Finding(
            "NB401",
            "output-mismatch",
            Severity.ERROR,
            mismatch,
            "Output differs in stdout",
            detail=diff,
        )
    )
    golden = "\n".join(f"row {i}: {i * 1.5:.2f}" for i in range(30))
    fresh = golden.replace("row 17: 25.50", "row 17: 25.75")
    items: list[dict[str, object]] = [
        {
            "key": "stdout",
            "mime": "stream",
            "golden": {"text": golden, "truncated": 0},
            "fresh": {"text": fresh, "truncated": 0},
        }
    ]
    if number % 20 == 0:
        roles = {"golden": (200, 40, 30), "fresh": (30, 60, 220), "diff": (255, 0, 0)}
        files = {
            role: _png(images / f"{number}-{role}.png", color) for role, color in roles.items()
        }
        items.append({"key": "output 1 image/png", "mime": "image/png", "images": files})
    cells = {str(i): _cell(i) for i in range(per)}
    extra = {"html.execute": {"cells": cells, "snapshots": {str(per - 1): items}}}
    outcome = NotebookOutcome(path, {"lint": "failed", "execute": "failed"}, 1.5, extra)
    return findings, outcome


def data(notebooks: int, per: int, images: Path) -> ReportData:
    findings: list[Finding] = []
    outcomes = []
    for number in range(notebooks):
        found, outcome = notebook(number, per, images)
        findings.extend(found)
        outcomes.append(outcome)
    return ReportData(
        tool_version="bench",
        root="/srv/project",
        fail_on=Severity.ERROR,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        notebooks=tuple(outcomes),
        profile="default",
    )


def timed(call: object, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def browse(browser: str, page: Path, fragment: str) -> tuple[float, float, dict[str, str]]:
    """Wall time, the browser's CPU time (all its processes) and the page's data attributes."""
    with tempfile.TemporaryDirectory() as profile:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri() + fragment],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    tag = re.search(r"<html\b[^>]*>", done.stdout)
    return wall, cpu, dict(re.findall(r'data-([\w-]+)="([^"]*)"', tag.group(0) if tag else ""))


def with_changes(page: Path, target: Path) -> Path:
    """A copy of the report that times filter changes after load (see ``CHANGE_SCRIPT``)."""
    text = page.read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(CHANGE_SCRIPT.encode()).digest()).decode()
    text = text.replace("script-src ", f"script-src 'sha256-{digest}' ", 1)
    text = text.replace("</body>", f"<script>{CHANGE_SCRIPT}</script></body>", 1)
    target.write_text(text, encoding="utf-8")
    return target


def opening(runs: list[tuple[float, float, dict[str, str]]]) -> str:
    """Medians: DOMContentLoaded, first contentful paint, the browser's wall and CPU time."""
    dom = statistics.median(float(r[2]["dom-ms"]) for r in runs)
    paints = [float(r[2]["paint-ms"]) for r in runs if "paint-ms" in r[2]]
    # A page that loads before its first frame has no paint yet when the DOM is dumped.
    paint = f"{statistics.median(paints):.0f} ms" if paints else "not before load"
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    return (
        f"DOMContentLoaded {dom:.0f} ms, first contentful paint {paint}; "
        f"browser wall {wall:.2f} s, cpu {cpu:.2f} s"
    )


def browser_figures(browser: str, page: Path, work: Path, runs_wanted: int) -> None:
    """The report and a one-line page, alternated so both see the same machine."""
    floor = work / "one-line.html"
    floor.write_text(f"<!DOCTYPE html><title>one line</title><h1>one line</h1>{PROBE}")
    pages, floors = [], []
    for _ in range(runs_wanted):
        floors.append(browse(browser, floor, ""))
        pages.append(browse(browser, page, ""))
    print(f"open: {opening(pages)}")
    print(f"one-line page: {opening(floors)}")
    timed_page = with_changes(page, work / "changes.html")
    changes = [browse(browser, timed_page, "")[2] for _ in range(runs_wanted)]
    expand = statistics.median(float(c["expand"]) for c in changes)
    print(f"expand all: {expand:.1f} ms to the new layout")
    for i, (select, value) in enumerate(CHANGES):
        ms = statistics.median(float(c[f"change{i}"].split(":")[0]) for c in changes)
        shown = changes[0][f"change{i}"].split(":")[1]
        print(f"filter change {select}={value}: {ms:.1f} ms to the new layout, {shown} shown")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=int, default=1000)
    parser.add_argument("--per-notebook", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, help="Also write a screenshot of the report")
    args = parser.parse_args()
    print(load())
    browser = shutil.which("chromium")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        report = data(args.notebooks, args.per_notebook, work)
        print(f"{len(report.notebooks)} notebooks, {len(report.findings)} findings")
        html_time, page_text = timed(lambda: html.render(report), args.runs)
        json_time, _ = timed(lambda: json.render(report), args.runs)
        page = work / "report.html"
        page.write_text(str(page_text), encoding="utf-8")
        size = page.stat().st_size
        print(
            f"render: html {html_time:.2f} s, json {json_time:.2f} s "
            f"(ratio {html_time / json_time:.1f})"
        )
        print(f"size: {size / 1e6:.2f} MB (target < 20 MB)")
        if browser is None:
            print("no chromium on PATH: browser figures skipped")
            return 0
        browser_figures(browser, page, work, args.runs)
        if args.screenshot:
            shot = [f"--screenshot={args.screenshot.resolve()}", "--window-size=1280,2400"]
            subprocess.run([browser, *FLAGS, *shot, page.as_uri()], capture_output=True, check=True)
            print(f"screenshot: {args.screenshot}")
    print(load())
    return 0


def load() -> str:
    return "load average " + " ".join(f"{n:.2f}" for n in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())

"""Property: no report and no terminal line ever holds a planted secret or personal datum.

Random values of every detector family (``tests.labelled.values``) are planted
in random places of random notebooks: sources (assignments, bare names, shell
lines, raised messages), markdown, stream, rich, HTML and error outputs, cell
and notebook metadata. Every report format is rendered and searched for each
value and for every 16-character piece of one.

The static route runs in process for thousands of examples; the executed
route (``pytest --nbgate`` with real kernels) batches many values per notebook
in a couple of pytester runs.
"""

from __future__ import annotations

import importlib
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytest_nbgate import __version__
from pytest_nbgate.config import GateConfig, RawOptions, build
from pytest_nbgate.findings import Finding
from pytest_nbgate.gate import Runtime, lint
from pytest_nbgate.reporters import terminal
from pytest_nbgate.reporters.base import NotebookOutcome, ReportData
from tests import factory
from tests.labelled.values import Secret, planted
from tests.leaks import leaked

EXAMPLES = int(os.environ.get("NBGATE_LEAK_EXAMPLES", "1000"))
Place = Callable[[str], dict[str, Any]]


def _meta(text: str) -> dict[str, Any]:
    return factory.code("x = 1", metadata={"note": text})


PLACES: dict[str, Place] = {
    "code": factory.code,
    "name": lambda t: factory.code(f"print({t})\nuse({t}.strip())"),
    "shell": lambda t: factory.code(f"!curl -H 'X-Key: {t}' https://api.test/v1"),
    "raise": lambda t: factory.code(f"raise ValueError({t!r})"),
    "markdown": lambda t: factory.markdown(f"Use this: {t}"),
    "stream": lambda t: factory.code("show()", outputs=[factory.stream(t + "\n")]),
    "result": lambda t: factory.code("x", outputs=[factory.result({"text/plain": t})]),
    "html": lambda t: factory.code(
        "df", outputs=[factory.display({"text/html": f"<table><tr><td>{t}</td></tr></table>"})]
    ),
    "error": lambda t: factory.code(
        "boom()", outputs=[factory.error("ValueError", t, [f"ValueError: {t}", f"  x = {t!r}"])]
    ),
    "metadata": _meta,
}
FILLER = [
    factory.code("import pandas as pd\ndf = pd.read_csv('data.csv')"),
    factory.markdown("# Analysis"),
    factory.code("undefined_thing + 1"),
]


def _planting(secret: Secret, place: str, bare: bool) -> dict[str, Any]:
    """A token may stand alone; a password is only a secret in its context (the snippet)."""
    text = secret.value if bare and secret.token else secret.snippet
    return PLACES[place](text)


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory) -> GateConfig:
    return build(RawOptions(no_execute=True), tmp_path_factory.mktemp("repo"), {})


@pytest.fixture(scope="module")
def runtime(gate: GateConfig) -> Runtime:
    return Runtime.for_gate(gate)


def render_all(findings: list[Finding], relpath: str, gate: GateConfig) -> list[str]:
    data = ReportData(
        tool_version=__version__,
        root=".",
        fail_on=gate.fail_on,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        notebooks=(NotebookOutcome(relpath, {"lint": "failed"}),),
    )
    texts = [terminal.format_findings(data.findings), *terminal.summary_lines(data)]
    for name in ("json", "sarif", "gitlab", "github"):
        texts.append(importlib.import_module(f"pytest_nbgate.reporters.{name}").render(data))
    github = importlib.import_module("pytest_nbgate.reporters.github")
    texts.append(github.render_summary(data))
    return texts


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    seed=st.integers(0, 2**32),
    picks=st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(sorted(PLACES)), st.booleans()),
        min_size=1,
        max_size=5,
    ),
    filler=st.lists(st.sampled_from(range(len(FILLER))), max_size=3),
)
def test_static_route_reports_never_hold_a_planted_value(
    gate: GateConfig,
    runtime: Runtime,
    seed: int,
    picks: list[tuple[int, str, bool]],
    filler: list[int],
) -> None:
    secrets = planted(random.Random(seed))
    chosen = [secrets[n % len(secrets)] for n, _, _ in picks]
    cells = [_planting(s, place, bare) for s, (_, place, bare) in zip(chosen, picks, strict=True)]
    cells[1:1] = [FILLER[i] for i in filler]
    notebook = factory.load(factory.notebook(*cells))
    findings = lint(notebook, gate, runtime)
    problems = leaked(render_all(findings, notebook.relpath, gate), [s.value for s in chosen])
    assert problems == [], [
        f"{s.rule_id} in {p}" for s, (_, p, _) in zip(chosen, picks, strict=True)
    ]


def _executed_notebook(seed: int) -> tuple[dict[str, Any], list[str]]:
    """One cell per family and per way a kernel shows a value: printed, raised, a bare name."""
    rng = random.Random(seed)
    cells, values = [], []
    for n, secret in enumerate(planted(rng)):
        value = secret.value
        half = len(value) // 2
        build_it = f"v = {value[:half]!r} + {value[half:]!r}\n"
        shown = ("print(v)", "raise RuntimeError('failed with ' + v)", "v")[n % 3]
        cells.append(factory.code(build_it + shown))
        if secret.token and n % 2:
            cells.append(factory.code(f"!echo {value} > /dev/null\nprint({value})"))
        values.append(value)
    return factory.notebook(*cells), values


@pytest.mark.parametrize("seed", [11, 23])
def test_executed_route_reports_and_terminal_never_hold_a_planted_value(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, process_mark: str, seed: int
) -> None:
    nb, values = _executed_notebook(seed)
    factory.write(pytester.path / "planted.ipynb", nb)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(pytester.path / "summary.md"))
    result = pytester.runpytest(
        "--nbgate",
        "-p",
        "no:cacheprovider",
        "-v",
        "-rA",
        "--nbgate-github",
        "--nbgate-report=json:r.json",
        "--nbgate-report=sarif:r.sarif",
        "--nbgate-report=gitlab:r.gitlab.json",
        "--junitxml=junit.xml",
    )
    names = ["r.json", "r.sarif", "r.gitlab.json", "junit.xml", "summary.md"]
    files = [Path(pytester.path / name).read_text("utf-8") for name in names]
    assert '"NB301"' in files[0] or "NB301" in files[0]
    outputs = [result.stdout.str(), result.stderr.str(), *files]
    assert leaked(outputs, values) == []

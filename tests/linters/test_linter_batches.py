"""pylint and ruff lint each notebook once per session: batched alone, once each under xdist."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest

from tests import factory

# Wraps the real linters (they still run) to log which notebooks each call lints, per process.
SPY = """
import json, os
import pytest_nbgate.linters.batches as batches

LOG = os.path.join(os.path.dirname(__file__), "lint-calls.jsonl")


def spying(kind, real):
    def run(notebooks, *args):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        line = json.dumps([kind, worker, sorted(nb.relpath for nb in notebooks)])
        fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(fd, (line + "\\n").encode())
        os.close(fd)
        return real(notebooks, *args)
    return run


batches.lint_notebooks = spying("pylint", batches.lint_notebooks)
batches.run_ruff = spying("ruff", batches.run_ruff)
"""
NAMES = [f"nb{n}.ipynb" for n in range(5)]


def _calls(pytester: pytest.Pytester, *args: str) -> list[tuple[str, str, list[str]]]:
    for name in NAMES:
        source = f"import os\nvalue_{name[2]} = missing_{name[2]}"
        factory.write(pytester.path / name, factory.notebook(factory.code(source)))
    pytester.makeconftest(SPY)
    result = pytester.runpytest_subprocess(
        "--nbgate",
        "--nbgate-no-execute",
        "--nbgate-pylint",
        "--nbgate-ruff",
        "-k",
        "pylint or ruff",
        *args,
    )
    result.assert_outcomes(failed=2 * len(NAMES))
    lines = (pytester.path / "lint-calls.jsonl").read_text().splitlines()
    return [tuple(json.loads(line)) for line in lines]  # type: ignore[misc]


def _linted(calls: list[tuple[str, str, list[str]]], kind: str) -> collections.Counter[str]:
    return collections.Counter(path for k, _, paths in calls if k == kind for path in paths)


def _rules(report: Path) -> list[tuple[str, str]]:
    data = json.loads(report.read_text())
    return sorted((f["path"], f["rule_id"]) for f in data["findings"])


def test_each_notebook_is_linted_once_alone_and_under_xdist(pytester: pytest.Pytester) -> None:
    calls = _calls(pytester, "--nbgate-report=json:single.json")
    assert sorted((kind, paths) for kind, _, paths in calls) == [
        ("pylint", NAMES),
        ("ruff", NAMES),
    ]
    (pytester.path / "lint-calls.jsonl").unlink()
    calls = _calls(pytester, "-n", "2", "--nbgate-report=json:xdist.json")
    assert {worker for _, worker, _ in calls} == {"gw0", "gw1"}
    for kind in ("pylint", "ruff"):
        assert _linted(calls, kind) == collections.Counter(NAMES), kind
    single = _rules(pytester.path / "single.json")
    assert ("nb3.ipynb", "F821") in single and ("nb3.ipynb", "PLE0602") in single
    assert _rules(pytester.path / "xdist.json") == single

"""Run the gate over notebooks made in code and read each item's verdict from the JSON report."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests import factory

Notebooks = dict[str, dict[str, Any]]


def verdicts(pytester: pytest.Pytester, notebooks: Notebooks, *args: str) -> dict[str, str]:
    """``{"name.ipynb::execute": "passed", ...}`` for every item that ran (skips included)."""
    for name, nb in notebooks.items():
        factory.write(pytester.path / name, nb)
    result = pytester.runpytest("--nbgate", "--nbgate-report=json:report.json", *args)
    (pytester.path / "summary.txt").write_text(result.stdout.str())
    report = json.loads((pytester.path / "report.json").read_text())
    return {
        f"{entry['path']}::{item}": outcome
        for entry in report["notebooks"]
        for item, outcome in entry["items"].items()
    }


def execute_verdicts(pytester: pytest.Pytester, notebooks: Notebooks, *args: str) -> dict[str, str]:
    """The ``::execute`` verdicts only, keyed by notebook name."""
    found = verdicts(pytester, notebooks, "-k", "execute", *args)
    return {key.partition("::")[0]: value for key, value in found.items() if "::execute" in key}

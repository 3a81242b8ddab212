"""gitleaks' labelled secrets, placed in notebooks three ways and scored.

The cases are read from the shared suite next to the project and decoded in
memory only: no decoded value is ever written to a file, a test id or a
message (misses are named by case id).
"""

from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_nbgate import registry
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.ruleset import RuleSet

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT.parent / "shared" / "secret-suites" / "gitleaks-cases.jsonl"
PLACEMENTS = ("source", "stdout", "execute_result")
CELLS_PER_NOTEBOOK = 400


@dataclass(frozen=True)
class Case:
    id: str
    rule: str
    provider: str
    kind: str
    origin: str
    value: str = field(repr=False)


def load_cases(path: Path = SUITE) -> list[Case]:
    if not path.is_file():
        return []
    cases = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            raw: dict[str, Any] = json.loads(line)
            value = base64.b64decode("".join(raw.pop("value_b64").split())).decode("utf-8")
            cases.append(Case(value=value, **raw))
    return cases


def _cell(case: Case, placement: str, count: int) -> dict[str, Any]:
    if placement == "source":
        return {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "source": case.value,
            "execution_count": None,
        }
    if placement == "stdout":
        output: dict[str, Any] = {
            "output_type": "stream",
            "name": "stdout",
            "text": case.value + "\n",
        }
        source = "print(value)"
    else:
        output = {
            "output_type": "execute_result",
            "data": {"text/plain": case.value},
            "metadata": {},
            "execution_count": count,
        }
        source = "value"
    return {
        "cell_type": "code",
        "metadata": {},
        "outputs": [output],
        "source": source,
        "execution_count": count,
    }


def notebooks(cases: Sequence[Case], placement: str) -> Iterable[tuple[Notebook, list[Case]]]:
    """Notebooks of a few hundred cells each, cell ``i`` holding ``cases[i]``."""
    for start in range(0, len(cases), CELLS_PER_NOTEBOOK):
        chunk = list(cases[start : start + CELLS_PER_NOTEBOOK])
        cells = [_cell(case, placement, n + 1) for n, case in enumerate(chunk)]
        raw = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
        relpath = f"{placement}-{start}.ipynb"
        yield Notebook.from_dict(raw, Path(relpath).absolute(), relpath), chunk


def default_rules() -> RuleSet:
    return RuleSet.build(registry.Selector.build(list(registry.SENSITIVE_PREFIXES)))


@dataclass
class Tally:
    """Counts per placement and provider family; misses and false alarms by case id."""

    tp: int = 0
    found: int = 0
    fp: int = 0
    flagged: int = 0
    missed: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.tp if self.tp else 1.0

    @property
    def fp_rate(self) -> float:
        return self.flagged / self.fp if self.fp else 0.0


def _flagged_cells(findings: Iterable[Finding], prefixes: tuple[str, ...]) -> set[int]:
    return {
        f.location.cell_index
        for f in findings
        if f.rule_id.startswith(prefixes) and f.location.cell_index is not None
    }


def score(
    cases: Sequence[Case],
    placement: str,
    run: Callable[[Notebook], list[Finding]] | None = None,
) -> tuple[Tally, dict[str, Tally]]:
    """The placement's tally and one per provider."""
    check = run or default_rules().run
    total = Tally()
    providers: dict[str, Tally] = defaultdict(Tally)
    for notebook, chunk in notebooks(cases, placement):
        findings = check(notebook)
        secret = _flagged_cells(findings, ("SEC",))
        sensitive = _flagged_cells(findings, registry.SENSITIVE_PREFIXES)
        for index, case in enumerate(chunk):
            for tally in (total, providers[case.provider]):
                if case.kind == "tp":
                    tally.tp += 1
                    tally.found += index in secret
                    if index not in secret:
                        tally.missed.append(case.id)
                else:
                    tally.fp += 1
                    tally.flagged += index in sensitive
                    if index in sensitive:
                        tally.alarms.append(case.id)
    return total, dict(providers)

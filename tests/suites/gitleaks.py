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
    """Counts per placement and provider family; misses and false alarms by case id.

    ``disputed`` counts the fp cases whose exact string is also a tp case of
    another gitleaks rule (one Cloudflare key is a tp of its rule and an fp of
    the two others): a scanner reporting secrets, whatever their rule, flags
    those by finding the tp. :attr:`clear_fp_rate` leaves them out.
    """

    tp: int = 0
    found: int = 0
    fp: int = 0
    flagged: int = 0
    disputed: int = 0
    disputed_flagged: int = 0
    missed: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.tp if self.tp else 1.0

    @property
    def fp_rate(self) -> float:
        return self.flagged / self.fp if self.fp else 0.0

    @property
    def clear_fp_rate(self) -> float:
        clear = self.fp - self.disputed
        return (self.flagged - self.disputed_flagged) / clear if clear else 0.0


def disputed_ids(cases: Sequence[Case]) -> frozenset[str]:
    """Ids of the fp cases whose string is also labelled tp in the suite."""
    positives = {case.value for case in cases if case.kind == "tp"}
    return frozenset(c.id for c in cases if c.kind == "fp" and c.value in positives)


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
    disputed = disputed_ids(cases)
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
                    _count_fp(tally, case.id, index in sensitive, case.id in disputed)
    return total, dict(providers)


def _count_fp(tally: Tally, case_id: str, flagged: bool, disputed: bool) -> None:
    tally.fp += 1
    tally.flagged += flagged
    tally.disputed += disputed
    tally.disputed_flagged += flagged and disputed
    if flagged:
        tally.alarms.append(case_id)

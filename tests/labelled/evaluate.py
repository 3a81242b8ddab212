"""Score the sensitive-data rules on the labelled set and on the real corpus."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pytest_nbgate import registry
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Notebook, NotebookError
from pytest_nbgate.ruleset import RuleSet
from tests.labelled.generator import Plant

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
KNOWN_CORPUS_LEAKS = Path(__file__).with_name("corpus_true_leaks.json")
"""Reviewed corpus findings that are real leaks (a committed API key, a person's e-mail).

Stored as a baseline: fingerprints only, never the values."""


def sensitive_rules() -> RuleSet:
    return RuleSet.build(registry.Selector.build(["SEC", "PII"]))


def read_all(paths: Iterable[Path], root: Path) -> list[Notebook]:
    notebooks = []
    for path in sorted(paths):
        try:
            notebooks.append(Notebook.read(path, root))
        except NotebookError:
            continue
    return notebooks


def scan(notebooks: Iterable[Notebook], rules: RuleSet | None = None) -> list[Finding]:
    ruleset = rules or sensitive_rules()
    return [finding for nb in notebooks for finding in ruleset.run(nb)]


def is_found(plant: Plant, findings: Iterable[Finding]) -> bool:
    return any(
        f.rule_id == plant.rule_id
        and f.location.path == plant.path
        and f.location.cell_index == plant.cell_index
        and (f.location.output_index is not None) == plant.in_output
        for f in findings
    )


@dataclass(frozen=True)
class Score:
    plants: int
    found: int
    missed: tuple[Plant, ...]
    negative_findings: tuple[Finding, ...]

    @property
    def recall(self) -> float:
        return self.found / self.plants if self.plants else 1.0


def score(plants: list[Plant], findings: list[Finding]) -> Score:
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        by_path.setdefault(finding.location.path, []).append(finding)
    missed = tuple(p for p in plants if not is_found(p, by_path.get(p.path, [])))
    negatives = tuple(f for f in findings if f.location.path.startswith("neg-"))
    return Score(len(plants), len(plants) - len(missed), missed, negatives)


def known_corpus_leaks() -> frozenset[str]:
    data = json.loads(KNOWN_CORPUS_LEAKS.read_text("utf-8"))
    return frozenset(item["fingerprint"] for item in data["findings"])

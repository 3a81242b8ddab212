"""Every NB1xx/NB2xx rule over the real notebooks of ../shared/corpus: no crash, sane counts.

The counts are pinned as ranges: a rule that suddenly fires on hundreds of
hand-written notebooks is a false-positive regression, and one that stops
firing on the known stale notebooks has stopped working.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from pytest_nbgate.checks import hidden_state, structure
from pytest_nbgate.checks.base import Rule
from pytest_nbgate.notebook.model import Notebook

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
RULES: tuple[type[Rule], ...] = (*structure.RULES, *hidden_state.RULES)

# rule id -> (min, max) findings on the whole corpus, see docs/rules-thresholds.md
EXPECTED = {
    "NB101": (10, 14),  # the long figure-script cells of 06.00-Figure-Code (two copies)
    "NB102": (0, 0),
    "NB103": (0, 0),
    "NB104": (8, 12),
    "NB105": (4, 8),
    "NB106": (5, 20),  # blank cells after code cells, never the exercise answer slots
    "NB108": (0, 0),
    "NB109": (2, 8),
    "NB110": (0, 0),
    "NB111": (0, 0),
    "NB112": (0, 0),
    "NB113": (0, 0),
    "NB114": (15, 25),  # teaching tracebacks not tagged raises-exception
    "NB117": (2, 2),  # the two metadata-less Untitled.ipynb
    "NB118": (2, 2),
    "NB201": (20, 40),
    "NB202": (100, 300),
    "NB203": (1, 5),
    "NB204": (20, 35),
    "NB205": (1, 6),
    "NB206": (0, 0),
    "NB207": (0, 0),
}


def corpus() -> list[Notebook]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return [Notebook.read(path, CORPUS) for path in sorted(CORPUS.rglob("*.ipynb"))]


@pytest.fixture(scope="module")
def notebooks() -> list[Notebook]:
    return corpus()


def test_all_rules_run_on_every_corpus_notebook(notebooks: list[Notebook]) -> None:
    counts: Counter[str] = Counter()
    rules = [rule() for rule in RULES]
    started = time.perf_counter()
    for notebook in notebooks:
        for rule in rules:
            counts.update(finding.rule_id for finding in rule.check(notebook))
    elapsed = time.perf_counter() - started
    print(
        f"\n{len(notebooks)} notebooks, {len(notebooks) / elapsed:.0f}/s:",
        dict(sorted(counts.items())),
    )
    assert len(notebooks) >= 200
    for rule_id, (low, high) in EXPECTED.items():
        assert low <= counts[rule_id] <= high, (rule_id, counts[rule_id])


def test_deleting_a_defining_cell_is_caught(notebooks: list[Notebook]) -> None:
    """Mutation check: remove the cell that imports numpy and NB207 must notice."""
    notebook = next(
        nb for nb in notebooks if nb.relpath.endswith("02.02-The-Basics-Of-NumPy-Arrays.ipynb")
    )
    kept = tuple(cell for cell in notebook.cells if "import numpy as np" not in cell.source)
    assert len(kept) < len(notebook.cells)
    mutated = replace(notebook, cells=kept)
    ids = {f.rule_id for rule in hidden_state.RULES for f in rule().check(mutated)}
    assert "NB207" in ids


def test_moving_a_defining_cell_down_is_caught(notebooks: list[Notebook]) -> None:
    notebook = next(
        nb for nb in notebooks if nb.relpath.endswith("02.02-The-Basics-Of-NumPy-Arrays.ipynb")
    )
    cells = list(notebook.cells)
    first = next(i for i, cell in enumerate(cells) if "import numpy as np" in cell.source)
    cells.append(cells.pop(first))
    mutated = replace(notebook, cells=tuple(replace(c, index=i) for i, c in enumerate(cells)))
    assert any(f.rule_id == "NB206" for f in hidden_state.RULES[5]().check(mutated))

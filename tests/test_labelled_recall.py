"""The issue's acceptance figures: recall on the labelled set, false positives on real notebooks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.labelled import evaluate, generator


def test_recall_on_the_labelled_set_is_at_least_98_percent(tmp_path: Path) -> None:
    plants = generator.build(tmp_path)
    findings = evaluate.scan(evaluate.read_all(tmp_path.glob("*.ipynb"), tmp_path))
    score = evaluate.score(plants, findings)
    assert len(plants) >= 300 and len(list(tmp_path.glob("*.ipynb"))) >= 100
    assert score.recall >= 0.98, score.missed
    assert score.negative_findings == ()
    blobs = "\n".join(json.dumps(f.to_dict()) for f in findings)
    assert not [p.value for p in plants if p.value in blobs]


@pytest.mark.skipif(not evaluate.CORPUS.is_dir(), reason="shared corpus not available")
def test_at_most_one_false_positive_per_100_corpus_notebooks() -> None:
    notebooks = evaluate.read_all(evaluate.CORPUS.rglob("*.ipynb"), evaluate.CORPUS)
    findings = evaluate.scan(notebooks)
    known = evaluate.known_corpus_leaks()
    false_positives = [f for f in findings if f.fingerprint not in known]
    assert len(false_positives) <= len(notebooks) / 100, [f.message for f in false_positives]

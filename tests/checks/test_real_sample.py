"""The whole static gate over the real notebooks shipped in ``tests/data/real``.

The same guard as the corpus tests, where the corpus is absent: no crash, no
false secret or personal-data finding, and pinned counts per rule (a rule that
starts firing on these awkward but legitimate files has regressed).
"""

from __future__ import annotations

from collections import Counter

import pytest

from pytest_nbgate.cli import static_findings
from pytest_nbgate.config import RawOptions, build
from pytest_nbgate.findings import Finding
from pytest_nbgate.registry import SENSITIVE_PREFIXES
from tests.conftest import SAMPLE

EXPECTED = {
    "NB001": 1,  # test4plus's cell of a kind from the future: not a valid notebook
    "NB002": 6,  # test4plus's other keys from the future, v4.5 without cell ids
    "NB003": 2,  # nbformat 2, and a v3 file nbformat itself cannot upgrade
    "NB106": 4,
    "NB111": 1,
    "NB114": 1,
    "NB117": 7,  # test files without kernel metadata
    "NB201": 3,
    "NB202": 11,
    "NB205": 1,
    "NB207": 2,  # `ip` and `future_output` really are bound by no cell
}


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    gate = build(RawOptions(no_execute=True), SAMPLE.parent)
    found, checked = static_findings(gate, [SAMPLE])
    assert len(checked) == len(list(SAMPLE.rglob("*.ipynb"))) >= 19
    return found


def test_counts_per_rule_are_pinned(findings: list[Finding]) -> None:
    counts = Counter(f.rule_id for f in findings)
    assert dict(counts) == EXPECTED


def test_no_secret_or_personal_data_is_reported_on_legitimate_files(
    findings: list[Finding],
) -> None:
    # Widget state holds IPY_MODEL_<hex> references, base64 images hold random-looking runs.
    sensitive = [f for f in findings if f.rule_id.startswith(SENSITIVE_PREFIXES)]
    assert sensitive == []


def test_every_finding_names_a_file_of_the_sample(findings: list[Finding]) -> None:
    root = build(RawOptions(no_execute=True), SAMPLE.parent).paths_root
    for finding in findings:
        # Paths are relative to the repository root (the git top level here).
        assert (root / finding.location.path).is_file(), finding.location.path


def test_the_sample_is_shipped_unchanged() -> None:
    # Pinned by size so that an accidental re-save (which reformats JSON) is noticed.
    sizes = {p.relative_to(SAMPLE).as_posix(): p.stat().st_size for p in SAMPLE.rglob("*.ipynb")}
    assert sizes["nbformat/test4.ipynb"] == 17454
    assert sizes["nbconvert/Widget_List.ipynb"] == 96683
    assert sum(sizes.values()) > 400_000

"""Recall and false-positive rate on gitleaks' labelled cases, in each of the three placements.

Every run prints the figures per placement (and the providers with misses),
naming misses and false alarms by case id only, never by value.
"""

from __future__ import annotations

import pytest

from tests.suites import gitleaks

CASES = gitleaks.load_cases()
TARGET_RECALL = 0.97
TARGET_FP_RATE = 0.05
MIN_RECALL = {"source": 0.987, "stdout": 0.99, "execute_result": 0.99}
"""A ratchet at today's recall (above the target): a lost format fails the test."""
MAX_CLEAR_FP_RATE = {"source": 0.01, "stdout": 0.025, "execute_result": 0.025}
"""A ratchet at today's false-positive rate without the disputed cases (the target is 5%)."""
MAX_FP_RATE = {"source": 0.056, "stdout": 0.071, "execute_result": 0.071}
"""A ratchet at today's rate over all 342 fp cases, disputed ones included.

17 fp strings are also tp cases of another rule (16 Cloudflare keys, one
Anthropic key): finding those tps flags them, 5.0% of the suite on its own.
The rest are values assigned to a key-like name and random enough that a
context rule reports them (``key = <random>`` printed in a cell)."""


@pytest.mark.skipif(not CASES, reason="shared secret suite (../shared/secret-suites) not found")
@pytest.mark.parametrize("placement", gitleaks.PLACEMENTS)
def test_recall_and_false_positive_rate_per_placement(
    placement: str, capsys: pytest.CaptureFixture[str]
) -> None:
    total, providers = gitleaks.score(CASES, placement)
    with capsys.disabled():
        print(
            f"\n[{placement}] recall {total.recall:.1%} ({total.found}/{total.tp}), "
            f"false positives {total.fp_rate:.1%} ({total.flagged}/{total.fp}), "
            f"without the {total.disputed} disputed {total.clear_fp_rate:.1%} "
            f"({total.flagged - total.disputed_flagged}/{total.fp - total.disputed})"
        )
        for name, tally in sorted(providers.items()):
            if tally.missed or tally.alarms:
                print(
                    f"  {name}: recall {tally.recall:.0%}, missed {' '.join(tally.missed[:8])}"
                    f"{' …' if len(tally.missed) > 8 else ''}; flagged {' '.join(tally.alarms)}"
                )
    assert total.recall >= max(TARGET_RECALL, MIN_RECALL[placement]), (
        f"missed: {' '.join(total.missed)}"
    )
    assert total.clear_fp_rate <= min(TARGET_FP_RATE, MAX_CLEAR_FP_RATE[placement]), (
        f"flagged: {' '.join(total.alarms)}"
    )
    assert total.fp_rate <= MAX_FP_RATE[placement], f"flagged: {' '.join(total.alarms)}"


@pytest.mark.skipif(not CASES, reason="shared secret suite (../shared/secret-suites) not found")
def test_disputed_cases_are_the_ones_labelled_both_ways() -> None:
    disputed = gitleaks.disputed_ids(CASES)
    by_id = {case.id: case for case in CASES}
    positives = {case.value for case in CASES if case.kind == "tp"}
    assert len(disputed) == 17
    assert all(by_id[i].kind == "fp" and by_id[i].value in positives for i in disputed)

"""Recall and false-positive rate on gitleaks' labelled cases, in each of the three placements.

Every run prints the figures per placement (and the providers with misses),
naming misses and false alarms by case id only, never by value.
"""

from __future__ import annotations

import pytest

from tests.suites import gitleaks

CASES = gitleaks.load_cases()
MIN_RECALL = 0.97
MAX_FP_RATE = {"source": 0.08, "stdout": 0.125, "execute_result": 0.125}
"""A ratchet at today's rates: the target is 5% in every placement (not reached yet).

Most remaining false alarms are gitleaks' "wrong format for this rule" cases,
which still look random to the generic SEC122/SEC123 detectors."""


@pytest.mark.skipif(not CASES, reason="shared secret suite (../shared/secret-suites) not found")
@pytest.mark.parametrize("placement", gitleaks.PLACEMENTS)
def test_recall_and_false_positive_rate_per_placement(
    placement: str, capsys: pytest.CaptureFixture[str]
) -> None:
    total, providers = gitleaks.score(CASES, placement)
    with capsys.disabled():
        print(
            f"\n[{placement}] recall {total.recall:.1%} ({total.found}/{total.tp}), "
            f"false positives {total.fp_rate:.1%} ({total.flagged}/{total.fp})"
        )
        for name, tally in sorted(providers.items()):
            if tally.missed or tally.alarms:
                print(
                    f"  {name}: recall {tally.recall:.0%}, missed {' '.join(tally.missed[:8])}"
                    f"{' …' if len(tally.missed) > 8 else ''}; flagged {' '.join(tally.alarms)}"
                )
    assert total.recall >= MIN_RECALL, f"missed: {' '.join(total.missed)}"
    assert total.fp_rate <= MAX_FP_RATE[placement], f"flagged: {' '.join(total.alarms)}"

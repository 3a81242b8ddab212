"""NB099: suppression comments that suppress nothing (off by default)."""

from __future__ import annotations

from pytest_nbgate.checks.base import Phase, Rule
from pytest_nbgate.findings import Severity


class UnusedSuppression(Rule):
    """A ``# nbgate: ignore[...]`` comment that matched no finding.

    What it does:
        After all rules ran on a notebook, reports each suppression comment
        (or each code in it) that did not silence any finding. Off by default;
        turn it on with ``select: [NB099]`` or ``--nbgate-select NB099``.

    Why is this bad?
        Stale suppressions hide the next real problem on that line.

    Example:
        ``x = 1  # nbgate: ignore[NB101]`` in a three-line cell.

    Use instead:
        Delete the comment.

    Options:
        None.
    """

    id = "NB099"
    name = "unused-suppression"
    severity = Severity.WARNING
    phase = Phase.REPORTED
    default_enabled = False
    message = "Suppression of {codes} matched no finding"
    evidence_fields = ("codes",)


RULES: tuple[type[Rule], ...] = (UnusedSuppression,)

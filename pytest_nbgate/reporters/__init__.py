"""Pure formatters: a :class:`ReportData` in, text out; run on the controller only.

:data:`REPORTERS` is the one table of report formats: ``--nbgate-report``,
the ``nbgate_report`` ini key and ``nbgate check --format`` validate against
it and dispatch through it, so a format cannot be accepted and then missing.
Each module is imported only when its report is written, which keeps the
plugin's start-up cheap.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pytest_nbgate.reporters.base import ReportData


@dataclass(frozen=True)
class Reporter:
    """One report format: the module whose ``render(data) -> str`` writes it."""

    name: str
    module: str
    needs_path: bool = True
    """``False`` for formats printed on the run's output (GitHub workflow commands)."""

    def render(self, data: ReportData) -> str:
        rendered: str = importlib.import_module(self.module).render(data)
        return rendered


REPORTERS: dict[str, Reporter] = {
    reporter.name: reporter
    for reporter in (
        Reporter("text", "pytest_nbgate.reporters.terminal"),
        Reporter("json", "pytest_nbgate.reporters.json"),
        Reporter("sarif", "pytest_nbgate.reporters.sarif"),
        Reporter("gitlab", "pytest_nbgate.reporters.gitlab"),
        Reporter("github", "pytest_nbgate.reporters.github", needs_path=False),
        Reporter("html", "pytest_nbgate.reporters.html"),
    )
}

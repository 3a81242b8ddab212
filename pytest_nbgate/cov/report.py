"""Coverage results as people read them: module summary, per-notebook lines, COV findings.

Pure functions over :class:`ModuleCoverage` (all notebooks combined, from
:func:`pytest_nbgate.cov.kernel.combine`) and
:class:`~pytest_nbgate.cov.statements.NotebookCoverage` (one notebook's cells);
both serialise with ``to_dict`` for the JSON report and travel through xdist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_nbgate.checks.quality import ModuleCoverageLow, NotebookCoverageLow
from pytest_nbgate.cov.statements import NotebookCoverage
from pytest_nbgate.findings import Finding, Location, evidence_hash
from pytest_nbgate.notebook.model import Notebook


@dataclass(frozen=True)
class ModuleStat:
    path: str
    statements: int
    missing: int
    branches: int
    partial: int
    percent: float
    missing_lines: tuple[int, ...]


@dataclass(frozen=True)
class ModuleCoverage:
    """Coverage of the measured source, all notebooks combined."""

    percent: float
    modules: tuple[ModuleStat, ...]
    data_file: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": round(self.percent, 2),
            "data_file": self.data_file,
            "modules": [
                {**vars(m), "percent": round(m.percent, 2), "missing_lines": list(m.missing_lines)}
                for m in self.modules
            ],
        }

    def least_covered(self, count: int = 5) -> list[ModuleStat]:
        return sorted((m for m in self.modules if m.percent < 100), key=lambda m: m.percent)[:count]


def summarise(data: Mapping[str, Any], root: Path, data_file: str) -> ModuleCoverage:
    modules = []
    for path, entry in sorted(data["files"].items()):
        summary = entry["summary"]
        modules.append(
            ModuleStat(
                path=_relative(path, root),
                statements=summary["num_statements"],
                missing=summary["missing_lines"],
                branches=summary.get("num_branches", 0),
                partial=summary.get("num_partial_branches", 0),
                percent=summary["percent_covered"],
                missing_lines=tuple(entry["missing_lines"]),
            )
        )
    return ModuleCoverage(data["totals"]["percent_covered"], tuple(modules), data_file)


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def notebook_findings(
    notebook: Notebook, measured: NotebookCoverage, minimum: float | None
) -> list[Finding]:
    """COV101 when the notebook's cell coverage is below ``minimum`` (``cells-fail-under``)."""
    if minimum is None or not measured.statements or measured.percent >= minimum:
        return []
    partial = [c for c in measured.cells if c.missing]
    cells = ", ".join(f"cell {c.index} ({c.executed}/{c.statements})" for c in partial[:8])
    more = f" and {len(partial) - 8} more" if len(partial) > 8 else ""
    return [
        NotebookCoverageLow.at(
            notebook,
            percent=measured.percent,
            minimum=minimum,
            cells=cells + more,
            evidence=f"cells<{minimum}",
            detail="\n".join(c.describe() for c in partial),
        )
    ]


def module_findings(
    measured: ModuleCoverage, minimum: float | None, where: Notebook | str
) -> list[Finding]:
    """COV102 when combined module coverage is below ``minimum`` (``fail-under``).

    ``where`` places the finding: a notebook, or a path such as the source folder.
    """
    if minimum is None or measured.percent >= minimum:
        return []
    least = measured.least_covered()
    modules = ", ".join(f"{m.path} {m.percent:.0f}%" for m in least) or "none"
    fields: dict[str, Any] = {"percent": measured.percent, "minimum": minimum, "modules": modules}
    detail = "\n".join(
        f"{m.path}: {m.percent:.1f}% missing lines {ranges(m.missing_lines)}" for m in least
    )
    if isinstance(where, Notebook):
        return [ModuleCoverageLow.at(where, evidence=f"modules<{minimum}", detail=detail, **fields)]
    return [
        Finding(
            ModuleCoverageLow.id,
            ModuleCoverageLow.name,
            ModuleCoverageLow.severity,
            Location(path=where),
            ModuleCoverageLow.message.format(**fields),
            evidence_hash(f"modules<{minimum}"),
            detail,
        )
    ]


def ranges(lines: Sequence[int]) -> str:
    """``3-5, 9`` from ``[3, 4, 5, 9]``."""
    spans: list[list[int]] = []
    for line in sorted(lines):
        if spans and line == spans[-1][1] + 1:
            spans[-1][1] = line
        else:
            spans.append([line, line])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def summary_lines(
    notebooks: Sequence[NotebookCoverage], modules: ModuleCoverage | None
) -> list[str]:
    """Terminal summary: one line per notebook's cells, then the modules and their total."""
    lines = []
    for measured in sorted(notebooks, key=lambda n: n.relpath):
        if not measured.measured:
            lines.append(f"{measured.relpath}: cells not measured (the kernel did not finish)")
            continue
        partial = ", ".join(str(c.index) for c in measured.cells if c.missing)
        tail = f"; cells not fully run: {partial}" if partial else ""
        lines.append(
            f"{measured.relpath}: cells {measured.percent:.1f}% "
            f"({measured.executed}/{measured.statements} statements){tail}"
        )
    if modules is not None:
        for stat in modules.modules:
            missing = f"  missing {ranges(stat.missing_lines)}" if stat.missing_lines else ""
            lines.append(f"{stat.path}: {stat.percent:.1f}%{missing}")
        lines.append(f"modules total: {modules.percent:.1f}%")
    return lines

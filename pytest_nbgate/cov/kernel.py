"""Coverage measured inside each notebook's kernel: project modules and the cells themselves.

Life of one measurement (``<nb>::execute`` on whichever process runs it):

1. :func:`kernel_data_file` names a raw data file no other kernel, worker or
   run can use (pid + random suffix); :func:`setup_code` and
   :func:`teardown_code` go into ``ExecutionOptions.setup_code`` /
   ``teardown_code``: coverage's API is started in the kernel before the
   first cell and saved after the last.
2. :func:`collect` (after :func:`~pytest_nbgate.execution.run.execute`) splits the
   raw data: the cells' part becomes a :class:`NotebookCoverage` (which
   statements of which cells ran); the module part is written as
   ``<data-file>.<suffix>`` for the session, and, when pytest-cov is active,
   once more as ``<pytest-cov data file>.nbgate.<suffix>``, which pytest-cov's
   own combine step (run when the tests end, before its report) picks up, so
   its report counts unit tests and notebooks together.
3. :func:`combine` (controller, session end) merges the ``<data-file>.*``
   files into ``<data-file>`` and summarises it as :class:`ModuleCoverage`.

ipykernel compiles each cell under ``<tmp>/ipykernel_<pid>/<murmur2 of the
cell source>.py``; measuring that folder too and hashing each cell's source
the same way maps the executed lines back to cells.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_nbgate.cov.report import (
    ModuleCoverage,
    ModuleStat,
    module_findings,
    notebook_findings,
    summarise,
    summary_lines,
)
from pytest_nbgate.cov.statements import CellCoverage, NotebookCoverage, cell_coverage
from pytest_nbgate.notebook.model import Notebook

__all__ = [
    "CellCoverage",
    "CoverageSettings",
    "ModuleCoverage",
    "ModuleStat",
    "NotebookCoverage",
    "PytestCov",
    "cell_coverage",
    "collect",
    "combine",
    "erase",
    "kernel_data_file",
    "module_findings",
    "notebook_findings",
    "pytest_cov",
    "setup_code",
    "summary_lines",
    "teardown_code",
]

DATA_FILE = ".nbgate-coverage"
_CELL_FILE = re.compile(r"^(\d+)\.py$")
_QUIET = (
    "module-not-imported",
    "module-not-measured",
    "no-data-collected",
    "already-imported",
    "couldnt-parse",
    "include-ignored",
)


@dataclass(frozen=True)
class CoverageSettings:
    """The profile's ``coverage:`` section (or ``--nbgate-cov``), resolved against the root."""

    source: tuple[str, ...] = ()
    """Absolute folders, or importable package names, to measure."""
    branch: bool = True
    cells: bool = True
    fail_under: float | None = None
    cells_fail_under: float | None = None
    rcfile: Path | None = None
    data_file: Path = Path(DATA_FILE)

    @property
    def enabled(self) -> bool:
        return bool(self.source) or self.cells_fail_under is not None

    @classmethod
    def from_section(
        cls, section: Mapping[str, Any], root: Path, source: Sequence[str] | None = None
    ) -> CoverageSettings:
        """``source`` (from ``--nbgate-cov``) replaces the section's ``source`` when given."""
        entries = list(source) if source else list(section.get("source", []))
        rcfile = section.get("rcfile")
        return cls(
            source=tuple(_resolve_source(entry, root) for entry in entries),
            branch=bool(section.get("branch", True)),
            cells=bool(section.get("cells", True)),
            fail_under=_percent(section.get("fail-under")),
            cells_fail_under=_percent(section.get("cells-fail-under")),
            rcfile=root / rcfile if isinstance(rcfile, str) else None,
            data_file=(root / str(section.get("data-file", DATA_FILE))).absolute(),
        )


def _percent(value: Any) -> float | None:
    return None if value is None else float(value)


def _resolve_source(entry: str, root: Path) -> str:
    """A folder under the root becomes absolute (the kernel's cwd is the notebook's folder)."""
    path = Path(entry) if Path(entry).is_absolute() else root / entry
    return str(path.resolve()) if path.is_dir() else entry


def kernel_data_file(settings: CoverageSettings) -> Path:
    """A raw data file for one kernel: unique across xdist workers, kernels and runs."""
    base = settings.data_file
    return base.with_name(f"{base.name}-kernel.{os.getpid()}.{uuid.uuid4().hex[:12]}")


_SETUP = """\
def _nbgate_coverage_start(config):
    import json
    import os

    import coverage

    options = json.loads(config)
    source = list(options["source"])
    if options["cells"]:
        from ipykernel.compiler import get_tmp_directory

        os.makedirs(get_tmp_directory(), exist_ok=True)
        source.append(get_tmp_directory())
    cov = coverage.Coverage(
        data_file=options["data_file"],
        source=source,
        branch=options["branch"],
        config_file=options["config_file"] or False,
    )
    cov.set_option("run:disable_warnings", options["quiet"])
    cov.start()


_nbgate_coverage_start({config})
del _nbgate_coverage_start
"""

_TEARDOWN = """\
def _nbgate_coverage_stop():
    import os

    import coverage

    cov = coverage.Coverage.current()
    if cov is not None:
        cov.stop()
        cov.save()
    try:
        from ipykernel.compiler import get_tmp_directory

        os.rmdir(get_tmp_directory())
    except (ImportError, OSError):
        pass


_nbgate_coverage_stop()
del _nbgate_coverage_stop
"""


def setup_code(settings: CoverageSettings, data_file: Path) -> str:
    """Kernel code starting coverage; every user-given string travels as one JSON literal."""
    options = {
        "data_file": str(data_file),
        "source": list(settings.source),
        "cells": settings.cells,
        "branch": settings.branch,
        "config_file": str(settings.rcfile) if settings.rcfile else "",
        "quiet": list(_QUIET),
    }
    return _SETUP.replace("{config}", repr(json.dumps(options)))


def teardown_code() -> str:
    """Kernel code stopping coverage and saving its data file."""
    return _TEARDOWN


def is_cell_file(path: str) -> bool:
    """``<tmp>/ipykernel_<pid>/<hash>.py``, the name ipykernel compiles a cell under."""
    parent = Path(path).parent.name
    return parent.startswith("ipykernel_") and bool(_CELL_FILE.match(Path(path).name))


def collect(
    raw_file: Path,
    notebook: Notebook,
    settings: CoverageSettings,
    pytest_cov_data_file: Path | None = None,
    pytest_cov_branch: bool = False,
) -> NotebookCoverage:
    """Split one kernel's raw data into cell coverage and module data files; removes it."""
    from coverage import CoverageData

    if not raw_file.is_file():
        return cell_coverage(notebook, {}, measured=False)
    raw = CoverageData(basename=str(raw_file))
    raw.read()
    files = raw.measured_files()
    cells = sorted(f for f in files if is_cell_file(f))
    executed = {Path(f).stem: set(raw.lines(f) or ()) for f in cells}
    modules = sorted(files - set(cells))
    suffix = raw_file.name.removeprefix(f"{settings.data_file.name}-kernel.")
    if modules:
        target = settings.data_file.with_name(f"{settings.data_file.name}.{suffix}")
        _write_subset(raw, modules, target, arcs=raw.has_arcs())
        if pytest_cov_data_file is not None:
            export = pytest_cov_data_file.with_name(f"{pytest_cov_data_file.name}.nbgate.{suffix}")
            _write_subset(raw, modules, export, arcs=raw.has_arcs() and pytest_cov_branch)
    raw.close()
    raw_file.unlink(missing_ok=True)
    return cell_coverage(notebook, executed)


def _write_subset(raw: Any, files: Sequence[str], target: Path, *, arcs: bool) -> None:
    """The module part of ``raw``; ``arcs=False`` keeps lines only (for line-only pytest-cov)."""
    from coverage import CoverageData

    out = CoverageData(basename=str(target))
    if arcs:
        out.add_arcs({f: raw.arcs(f) or [] for f in files})
    else:
        out.add_lines({f: raw.lines(f) or [] for f in files})
    out.touch_files(files)
    out.write()
    out.close()


def combine(settings: CoverageSettings, root: Path | None = None) -> ModuleCoverage | None:
    """Merge the session's ``<data-file>.*`` into ``<data-file>``; ``None`` when nothing ran."""
    import coverage
    from coverage.exceptions import NoDataError

    cov = coverage.Coverage(
        data_file=str(settings.data_file),
        branch=settings.branch,
        config_file=str(settings.rcfile) if settings.rcfile else False,
    )
    cov.set_option("run:disable_warnings", list(_QUIET))
    try:
        cov.combine(keep=False)
    except NoDataError:
        return None
    cov.save()
    report = settings.data_file.with_name(f"{settings.data_file.name}-report.json")
    try:
        cov.json_report(outfile=str(report), ignore_errors=True)
    except NoDataError:
        return None
    data = json.loads(report.read_text("utf-8"))
    report.unlink()
    return summarise(data, root or Path.cwd(), str(settings.data_file))


@dataclass(frozen=True)
class PytestCov:
    """Where an active pytest-cov keeps its data, and how it measures."""

    data_file: Path
    branch: bool
    source: tuple[str, ...]


def pytest_cov(plugin: Any) -> PytestCov | None:
    """pytest-cov's settings from its plugin object (``pluginmanager.getplugin("_cov")``).

    Duck-typed on pytest-cov's controller (``cov_controller.cov``, ``.topdir``) so that this
    module never imports pytest-cov; ``None`` when it is not measuring.
    """
    controller = getattr(plugin, "cov_controller", None)
    cov = getattr(controller, "cov", None)
    if cov is None:
        return None
    topdir = Path(getattr(controller, "topdir", None) or Path.cwd())
    source = tuple(getattr(controller, "cov_source", None) or ())
    data_file = Path(topdir, cov.config.data_file).absolute()
    return PytestCov(data_file, bool(cov.config.branch), source)


def erase(settings: CoverageSettings) -> None:
    """Remove a previous run's data (controller, session start)."""
    base = settings.data_file
    for path in base.parent.glob(f"{base.name}*"):
        if path.name == base.name or path.name[len(base.name)] in ".-":
            path.unlink(missing_ok=True)

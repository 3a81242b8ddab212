"""Real kernels: five runs of volatile notebooks never fail; real changes always do.

One notebook holds every classic flake source (timestamps, object reprs,
seeded floats, float noise, a DataFrame, a matplotlib figure, a tqdm bar,
durations, UUIDs, temp paths, warnings, an expected exception). It is run
six times in one module-scoped fixture: the first run writes the goldens of
both stores, the five others are compared with them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from pytest_nbgate.execution.run import ExecutionOptions, ExecutionResult, execute
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.snapshots import SnapshotSettings, compare_notebook, write_golden
from tests import factory
from tests.snapshots.notebooks import volatile_notebook

pytestmark = pytest.mark.slow


@dataclass
class Project:
    root: Path
    notebook: Notebook
    first: ExecutionResult
    reruns: list[ExecutionResult]
    changed: ExecutionResult

    def settings(self, **section: object) -> SnapshotSettings:
        return SnapshotSettings.from_section(section, self.root)


def run(path: Path, root: Path) -> ExecutionResult:
    result = execute(Notebook.read(path, root), ExecutionOptions(timeout=60))
    assert result.ok and result.executed is not None, result
    return result


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("project")
    path = factory.write(root / "notebooks" / "volatile.ipynb", volatile_notebook())
    first = run(path, root)
    notebook = Notebook.read(path, root)
    reruns = [run(path, root) for _ in range(5)]
    changed_path = factory.write(
        root / "changed" / "volatile.ipynb",
        volatile_notebook(value="0.75", peak="2.6", greeting="hello, world!"),
    )
    changed = run(changed_path, root)
    return Project(root, notebook, first, reruns, changed)


def compare(project: Project, settings: SnapshotSettings, result: ExecutionResult) -> list[Finding]:
    assert result.executed is not None
    return compare_notebook(
        project.notebook, result.executed, settings, executed_cells=result.executed_cells
    )


def updated(project: Project, settings: SnapshotSettings) -> Notebook:
    """A copy of the notebook whose goldens (of the given store) come from the first run."""
    folder = project.root / f"{settings.store}-store"
    path = folder / "notebooks" / "volatile.ipynb"
    if not path.exists():
        path.parent.mkdir(parents=True)
        path.write_bytes(project.notebook.path.read_bytes())
        notebook = Notebook.read(path, folder)
        assert project.first.executed is not None
        write_golden(notebook, project.first.executed, settings, project.first.executed_cells)
    return Notebook.read(path, folder)


@pytest.mark.parametrize("store", ["notebook", "external"])
def test_five_runs_of_a_volatile_notebook_give_no_snapshot_failure(
    project: Project, store: str
) -> None:
    settings = SnapshotSettings.from_section(
        {"store": store, "folder": "snaps"}, project.root / f"{store}-store"
    )
    golden = updated(project, settings)
    for result in project.reruns:
        assert result.executed is not None
        findings = compare_notebook(
            golden, result.executed, settings, executed_cells=result.executed_cells
        )
        assert findings == [], "\n".join(f.message + "\n" + f.detail for f in findings)


@pytest.mark.parametrize("store", ["notebook", "external"])
def test_changed_text_dataframe_and_plot_are_caught_with_readable_diffs(
    project: Project, store: str
) -> None:
    settings = SnapshotSettings.from_section(
        {"store": store, "folder": "snaps"}, project.root / f"{store}-store"
    )
    golden = updated(project, settings)
    assert project.changed.executed is not None
    findings = compare_notebook(
        golden, project.changed.executed, settings, executed_cells=project.changed.executed_cells
    )
    by_cell = {f.location.cell_id: f for f in findings}
    assert sorted(by_cell) == ["frame", "greeting", "plot"]
    assert by_cell["greeting"].detail.endswith("-hello, world\n+hello, world!")
    assert "first line: \"print('hello, world!')\"" not in by_cell["greeting"].detail
    frame = by_cell["frame"].detail
    assert (
        "output 0 text/plain" in frame and "-0  Oslo  0.50" in frame and "+0  Oslo  0.75" in frame
    )
    assert "output 0 text/html [compared as markup tokens" in frame
    assert "-<td>0.50</td>" in frame and "+<td>0.75</td>" in frame
    plot = by_cell["plot"].detail
    assert "output 0 image/png [compared by pixels" in plot and "pixels (" in plot
    for kind in ("golden", "fresh", "diff"):
        shown = next(line for line in plot.splitlines() if line.strip().startswith(f"{kind}:"))
        assert (settings.root / shown.split(": ", 1)[1]).is_file()
    assert "normalisers: ansi, trailing-whitespace" in plot and "float tolerance rel=1e-09" in plot


def test_update_rewrites_only_what_changed_in_the_notebook(project: Project) -> None:
    settings = SnapshotSettings.from_section({}, project.root / "notebook-store")
    golden = updated(project, settings)
    rerun = project.reruns[0]
    assert rerun.executed is not None
    before = golden.path.read_text()
    assert write_golden(golden, rerun.executed, settings, rerun.executed_cells) is None
    assert golden.path.read_text() == before, "equal-after-normalisation outputs must not churn"
    assert project.changed.executed is not None
    assert write_golden(golden, project.changed.executed, settings, rerun.executed_cells)
    after = json.loads(golden.path.read_text())
    cells = {cell["id"]: cell for cell in after["cells"]}
    assert cells["greeting"]["outputs"][0]["text"] == ["hello, world!\n"]
    assert cells["clock"]["outputs"] == json.loads(before)["cells"][1]["outputs"]


def test_dataframe_value_change_below_tolerance_passes_above_fails(project: Project) -> None:
    settings = SnapshotSettings.from_section({"tolerance": {"rel": 0.5}}, project.root)
    golden = updated(project, SnapshotSettings.from_section({}, project.root / "notebook-store"))
    assert project.changed.executed is not None
    findings = compare_notebook(
        golden,
        project.changed.executed,
        settings,
        executed_cells=project.changed.executed_cells,
    )
    assert "frame" not in {f.location.cell_id for f in findings}

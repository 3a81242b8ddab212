"""Execution benchmark: nbgate vs nbmake vs nbval vs a plain nbclient loop (issue 8).

Every tool runs the same notebooks from the same venv, in a fresh process per
run, interleaved (tool order rotates each round) so background load hits all
alike. Reports the median wall time, the ratio to nbgate and the peak memory
of the whole process tree (parent, kernels, fork server; sampled every 20 ms).

Workloads: ``small`` (N generated four-cell notebooks), ``example`` (the
notebooks of ``example_repo/notebooks``), ``large`` (one notebook of many
cells: prewarming must not slow it down) and ``small -n 2`` (pytest-xdist).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PYTEST = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
NBCLIENT_LOOP = """
import sys, nbformat
from nbclient import NotebookClient
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    folder = {"metadata": {"path": path.rpartition("/")[0]}}
    NotebookClient(nb, timeout=120, resources=folder).execute()
"""


@dataclass(frozen=True)
class Tool:
    name: str
    argv: tuple[str, ...]
    """Before the notebook paths; ``{ini}`` is an empty ini file (no project settings)."""


def tools(workers: int = 0) -> list[Tool]:
    # nbval's items are cells: they must stay on one worker per notebook.
    xdist = ("-n", str(workers), "--dist", "loadfile") if workers else ()
    base = (*PYTEST, "-c", "{ini}", "--rootdir", "{root}", *xdist)
    found = [
        Tool("nbgate", (*base, "--nbgate", "-p", "pytest_nbgate.prewarm", "-k", "execute")),
        Tool("nbgate prewarm=0", (*base, "--nbgate", "--nbgate-prewarm=0", "-k", "execute")),
        Tool("nbmake", (*base, "--nbmake")),
        Tool("nbval", (*base, "--nbval-lax")),
    ]
    if not workers:
        found.append(Tool("nbclient loop", (PY, "-c", NBCLIENT_LOOP)))
    return found


def small_notebook(index: int) -> dict[str, Any]:
    sources = [
        f"import math\nx = math.sqrt({index})",
        "print(x)",
        "squares = [i * i for i in range(1000)]",
        "sum(squares)",
    ]
    return _notebook(sources)


def large_notebook(cells: int) -> dict[str, Any]:
    sources = ["total = 0"] + [f"total += sum(range({i} * 100))\ntotal" for i in range(cells)]
    return _notebook(sources)


def _notebook(sources: list[str]) -> dict[str, Any]:
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": f"c{n}",
            "metadata": {},
            "outputs": [],
            "source": source,
        }
        for n, source in enumerate(sources)
    ]
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    metadata = {"kernelspec": kernelspec, "language_info": {"name": "python"}}
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def write_notebooks(folder: Path, notebooks: list[dict[str, Any]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, notebook in enumerate(notebooks):
        path = folder / f"nb_{index:04d}.ipynb"
        path.write_text(json.dumps(notebook, indent=1))
        paths.append(path)
    return paths


def measure(argv: list[str], cwd: Path) -> tuple[float, float, bool]:
    """Wall seconds, peak MiB of the process tree, success."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0]
    done = threading.Event()
    sampler = threading.Thread(target=sample_rss, args=(proc.pid, peak, done), daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.stderr.write(output.decode(errors="replace")[-3000:])
    return wall, peak[0] / 2**20, proc.returncode == 0


def sample_rss(pid: int, peak: list[int], done: threading.Event) -> None:
    """Keep ``peak[0]`` at the largest RSS of ``pid`` and its children until ``done``."""
    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while not done.is_set():
        total = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        peak[0] = max(peak[0], total)
        time.sleep(0.02)


def run_workload(
    name: str, paths: list[Path], chosen: list[Tool], repeat: int, root: Path
) -> dict[str, Any]:
    ini = root / "empty.ini"
    ini.write_text("[pytest]\n")
    walls: dict[str, list[float]] = {tool.name: [] for tool in chosen}
    peaks: dict[str, list[float]] = {tool.name: [] for tool in chosen}
    for round_ in range(repeat):
        shift = round_ % len(chosen)
        for tool in chosen[shift:] + chosen[:shift]:
            fill = {"{ini}": str(ini), "{root}": str(root)}
            argv = [fill.get(arg, arg) for arg in tool.argv] + [str(p) for p in paths]
            wall, peak, ok = measure(argv, root)
            if not ok:
                print(f"  {name}: {tool.name} failed (exit status != 0)", file=sys.stderr)
            walls[tool.name].append(wall)
            peaks[tool.name].append(peak)
    return summarise(name, len(paths), walls, peaks)


def summarise(
    name: str, count: int, walls: dict[str, list[float]], peaks: dict[str, list[float]]
) -> dict[str, Any]:
    ours = statistics.median(walls["nbgate"])
    rows = []
    for tool, times in walls.items():
        median = statistics.median(times)
        rows.append(
            {
                "tool": tool,
                "median_s": round(median, 3),
                "per_notebook_s": round(median / count, 3),
                "ratio_to_nbgate": round(median / ours, 2),
                "peak_mib": round(max(peaks[tool]), 1),
                "runs": [round(t, 3) for t in times],
            }
        )
    return {"workload": name, "notebooks": count, "rows": rows}


def table(result: dict[str, Any]) -> str:
    head = f"{result['workload']} ({result['notebooks']} notebooks)"
    lines = [
        head,
        f"  {'tool':<18} {'median s':>9} {'s/notebook':>11} {'x nbgate':>9} {'peak MiB':>9}",
    ]
    for row in result["rows"]:
        lines.append(
            f"  {row['tool']:<18} {row['median_s']:>9.2f} {row['per_notebook_s']:>11.3f}"
            f" {row['ratio_to_nbgate']:>9.2f} {row['peak_mib']:>9.0f}"
        )
    return "\n".join(lines)


def workloads(args: argparse.Namespace, root: Path) -> list[tuple[str, list[Path], int]]:
    small = write_notebooks(root / "small", [small_notebook(i) for i in range(args.count)])
    large = write_notebooks(root / "large", [large_notebook(args.large_cells)])
    # Copied: goldens and image diffs belong to the project the notebooks run in.
    example = []
    for source in sorted((ROOT / "example_repo" / "notebooks").glob("*.ipynb")):
        (root / "example").mkdir(exist_ok=True)
        example.append(root / "example" / source.name)
        example[-1].write_bytes(source.read_bytes())
    chosen = [(f"small x{args.count}", small, 0), (f"large ({args.large_cells} cells)", large, 0)]
    if example:
        chosen.insert(1, ("example_repo/notebooks", example, 0))
    if not args.quick:
        chosen.append((f"small x{args.count}, -n 2", small, 2))
    return chosen


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="Small notebooks")
    parser.add_argument("--large-cells", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="Fewer runs, no xdist")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat = min(args.repeat, 1)
    results = []
    with tempfile.TemporaryDirectory(prefix="nbgate-exec-bench-") as tmp:
        root = Path(tmp)
        for name, paths, workers in workloads(args, root):
            results.append(run_workload(name, paths, tools(workers), args.repeat, root))
            print(table(results[-1]), flush=True)
    return {"execution": results, "repeat": args.repeat}


if __name__ == "__main__":
    main()

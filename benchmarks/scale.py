"""Scale benchmark (issue 16): ``python benchmarks/scale.py [--repeat N] [--quick]``.

Prints, in one run:

* the static gate, cold (empty cache) and warm (every result cached), through
  pytest (``pytest --nbgate --nbgate-no-execute``) and through ``nbgate
  check``, with the default workers and in one process (``-j1``), on 75 and
  on all notebooks of ``../shared/corpus`` (one folder argument each): notebooks/s
  with the start-up excluded (pytest: from the start of collection, by
  ``timing_plugin.py``; the command: around ``cli.main``) and peak RSS of the
  process;
* the warm/cold ratio of each;
* pytest's floor: the same files as do-nothing items (``floor_plugin.py``), what
  pytest itself costs one item per notebook, against which the warm pytest
  route is read;
* the execution cache on ``example_repo/notebooks`` (``--nbgate-cache=all``):
  a miss (cold) against a hit (warm);
* nbgate against nbmake and nbval (and a plain nbclient loop) on the small
  notebooks and the 200-cell notebook, from ``exec_bench.py``;
* with ``--load-kernels N``, the kernels-under-load test with N kernels.

Every figure is the median of ``--repeat`` runs, tools interleaved, each run a
fresh process with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed:
CI images write ``.pyc`` files, and without them pytest re-compiles and
re-rewrites every plugin module on every start). Results go to
``results/scale-latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import exec_bench  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
PY = sys.executable
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak MiB of the process tree (sampled every 10 ms)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env or ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    peak = [0]
    done = threading.Event()
    sampler = threading.Thread(
        target=exec_bench.sample_rss, args=(proc.pid, peak, done), daemon=True
    )
    sampler.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1, 5):  # 1: findings; 5: pytest found nothing (empty folder)
        raise SystemExit(f"{argv[:6]}... exited {proc.returncode}:\n{output.decode()[-3000:]}")
    return wall, peak[0] / 2**20


CLI_TIMED = """
import sys, time
from pytest_nbgate import cli
started = time.perf_counter()
status = cli.main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as handle:
    handle.write(f"{time.perf_counter() - started:.6f}\\n")
raise SystemExit(status)
"""


def static_commands(work: Path, cache: Path) -> dict[str, list[str]]:
    """Both front ends, from ``work`` (their cache lives there, never in the corpus)."""
    pytest = [PY, "-m", "pytest", "-c", str(work / "empty.ini"), "--rootdir", str(work)]
    pytest += ["-q", "-p", "no:randomly", "-p", "timing_plugin", "-o", f"cache_dir={cache}"]
    # Installed for this project's own tests, not by a user of the gate: its terminal
    # summary imports hypothesis (~0.2 s) in every session.
    pytest += ["-p", "no:hypothesispytest"]
    timing = str(work / "timing")
    gate = [*pytest, "--nbgate", "--nbgate-no-execute", "--nbgate-cache=static"]
    check = [PY, "-c", CLI_TIMED, timing, "check", "--cache=static", "-o", os.devnull]
    return {
        "pytest": gate,
        "pytest -j1": [*gate, "--nbgate-jobs=1"],
        "pytest floor": [*pytest, "-p", "floor_plugin"],
        "nbgate check": check,
        "check -j1": [*check, "--jobs=1"],
    }


def timed(argv: list[str], work: Path, cwd: Path | None = None) -> tuple[float, float, float]:
    """In-process seconds (start-up excluded), wall seconds and peak MiB of one run.

    A pytest run's stages (``timing_plugin.py``) are added to ``STAGES``, under ``argv``.
    """
    timing = work / "timing"
    timing.unlink(missing_ok=True)
    env = {**ENV, "NBGATE_BENCH_TIMING": str(timing), "PYTHONPATH": str(HERE)}
    wall, peak = measure(argv, cwd or work, env)
    recorded = json.loads(timing.read_text())
    if isinstance(recorded, dict):
        STAGES.setdefault(tuple(argv), []).append(recorded["stages"])
        return float(recorded["total"]), wall, peak
    return float(recorded), wall, peak


STAGES: dict[tuple[str, ...], list[dict[str, float]]] = {}
"""Each pytest command's stage seconds, one dict a run."""


def stage_table(work: Path, folder: Path, count: int) -> tuple[str, dict[str, Any]]:
    """Where the one-process pytest route's session time goes, cold and warm (medians)."""
    commands = static_commands(work, work / ".pytest_cache")
    argv = (*commands["pytest -j1"], str(folder))
    split = {"cold": STAGES.get(argv, [])[0::2], "warm": STAGES.get(argv, [])[1::2]}
    medians = {
        phase: {stage: statistics.median(run[stage] for run in runs) for stage in runs[0]}
        for phase, runs in split.items()
        if runs
    }
    lines = [f"where pytest -j1's time goes, {count} notebooks (s, medians)"]
    if medians:
        stages = list(next(iter(medians.values())))
        lines.append("  " + f"{'':<6}" + "".join(f"{stage:>16}" for stage in stages))
        for phase, values in medians.items():
            lines.append("  " + f"{phase:<6}" + "".join(f"{values[s]:>16.3f}" for s in stages))
    return "\n".join(lines), medians


def folder_of(work: Path, name: str, paths: list[Path]) -> Path:
    """One folder argument reaching exactly ``paths``, as a repository's notebooks are passed.

    pytest collects each command-line argument on its own (about 4 ms a file),
    which would be timed as the gate's cost: a folder of links keeps it out.
    """
    folder = work / name
    folder.mkdir()
    for path in paths:
        (folder / "__".join(path.relative_to(CORPUS).parts)).symlink_to(path)
    return folder


def static_gate(work: Path, sizes: dict[str, list[Path]], repeat: int) -> list[dict[str, Any]]:
    cache = work / ".pytest_cache"
    commands = static_commands(work, cache)
    samples: dict[tuple[str, str, str], list[tuple[float, float, float]]] = {}
    for round_ in range(repeat):
        for route, argv in commands.items():
            for size in sizes:
                shutil.rmtree(cache, ignore_errors=True)
                folder = str(work / f"corpus-{size}")
                for phase in ("cold", "warm"):
                    run = timed([*argv, folder], work)
                    samples.setdefault((route, phase, size), []).append(run)
        print(f"  static gate: round {round_ + 1}/{repeat} done", file=sys.stderr, flush=True)
    rows: list[dict[str, Any]] = []
    for route in commands:
        for size, paths in sizes.items():
            row: dict[str, Any] = {"route": route, "notebooks": len(paths)}
            for phase in ("cold", "warm"):
                runs = samples[(route, phase, size)]
                net = statistics.median(n for n, _, _ in runs)
                row[phase] = {
                    "net_s": round(net, 3),
                    "wall_s": round(statistics.median(w for _, w, _ in runs), 3),
                    "notebooks_per_s": round(len(paths) / net, 1),
                    "peak_mib": round(statistics.median(p for _, _, p in runs), 1),
                }
            row["warm_over_cold"] = round(row["cold"]["net_s"] / row["warm"]["net_s"], 1)
            rows.append(row)
    return rows


def static_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "static gate (start-up excluded; medians)",
        f"  {'route':<13} {'notebooks':>9} {'cold nb/s':>10} {'cold MiB':>9}"
        f" {'warm nb/s':>10} {'warm MiB':>9} {'warm/cold':>10} {'cold wall s':>12}",
    ]
    for row in rows:
        cold, warm = row["cold"], row["warm"]
        lines.append(
            f"  {row['route']:<13} {row['notebooks']:>9} {cold['notebooks_per_s']:>10.0f}"
            f" {cold['peak_mib']:>9.0f} {warm['notebooks_per_s']:>10.0f} {warm['peak_mib']:>9.0f}"
            f" {row['warm_over_cold']:>9.1f}x {cold['wall_s']:>12.2f}"
        )
    by = {(r["route"], r["notebooks"]): r for r in rows}
    for count in sorted({r["notebooks"] for r in rows}):
        ours, cli = by.get(("pytest", count)), by.get(("nbgate check", count))
        floor, alone = by.get(("pytest floor", count)), by.get(("pytest -j1", count))
        if not (ours and cli and floor and alone):
            continue
        cold, warm, bare = (x["net_s"] for x in (ours["cold"], ours["warm"], floor["cold"]))
        check, single = cli["cold"]["net_s"], alone["cold"]["net_s"]
        lines.append(
            f"  {count} notebooks: pytest / nbgate check, cold {cold / check:.2f}x the time;"
            f" workers {single / cold:.2f}x faster than one process;"
            f" warm pytest {warm / bare:.2f}x pytest's floor"
        )
    return "\n".join(lines)


def execution_cache(work: Path, repeat: int) -> dict[str, Any]:
    """``example_repo`` with ``--nbgate-cache=all``: every notebook executed, then replayed."""
    project = work / "example_repo"
    shutil.copytree(ROOT / "example_repo", project, ignore=shutil.ignore_patterns(".*cache*"))
    cache = work / ".exec-cache"
    argv = [PY, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "timing_plugin"]
    argv += ["-o", f"cache_dir={cache}", "-o", "addopts=", "--nbgate", "--nbgate-cache=all"]
    argv.append("notebooks")
    runs: dict[str, list[tuple[float, float, float]]] = {"miss": [], "hit": []}
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        runs["miss"].append(timed(argv, work, cwd=project))
        runs["hit"].append(timed(argv, work, cwd=project))
    result: dict[str, Any] = {}
    for kind, samples in runs.items():
        result[f"{kind}_s"] = round(statistics.median(n for n, _, _ in samples), 2)
        result[f"{kind}_wall_s"] = round(statistics.median(w for _, w, _ in samples), 2)
    result["ratio"] = round(result["miss_s"] / result["hit_s"], 1)
    return result


def execution_vs_peers(work: Path, count: int, cells: int, repeat: int) -> list[dict[str, Any]]:
    small = exec_bench.write_notebooks(
        work / "small", [exec_bench.small_notebook(i) for i in range(count)]
    )
    large = exec_bench.write_notebooks(work / "large", [exec_bench.large_notebook(cells)])
    chosen = [t for t in exec_bench.tools(0) if t.name != "nbgate prewarm=0"]
    results = []
    for name, paths in ((f"small x{count}", small), (f"large ({cells} cells)", large)):
        results.append(exec_bench.run_workload(name, paths, chosen, repeat, work))
        print(exec_bench.table(results[-1]), flush=True)
    return results


def kernels_under_load(count: int) -> dict[str, Any]:
    test = ROOT / "tests" / "execution" / "test_kernels_under_load.py"
    env = {**ENV, "NBGATE_LOAD_KERNELS": str(count)}
    started = time.perf_counter()
    done = subprocess.run([PY, "-m", "pytest", "-q", str(test)], cwd=ROOT, env=env, check=False)
    return {"kernels": count, "passed": done.returncode == 0, "s": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="One run each")
    parser.add_argument("--count", type=int, default=20, help="Small notebooks to execute")
    parser.add_argument("--large-cells", type=int, default=200)
    parser.add_argument("--load-kernels", type=int, default=0, help="Also start N under load")
    parser.add_argument("--static-only", action="store_true")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    corpus = sorted(CORPUS.rglob("*.ipynb"))
    if not corpus:
        raise SystemExit(f"no notebooks under {CORPUS}")
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} on {os.cpu_count()} cores; median of {repeat}")
    result: dict[str, Any] = {"load_before": load, "repeat": repeat}
    with tempfile.TemporaryDirectory(prefix="nbgate-scale-") as tmp:
        work = Path(tmp)
        (work / "empty.ini").write_text("[pytest]\n")
        sizes = {"75": corpus[:: max(len(corpus) // 75, 1)][:75], "all": corpus}
        for size, paths in sizes.items():
            folder_of(work, f"corpus-{size}", paths)
        result["static"] = static_gate(work, sizes, repeat)
        print(static_table(result["static"]), flush=True)
        table, result["pytest_stages"] = stage_table(work, work / "corpus-all", len(corpus))
        print(table, flush=True)
        if not args.static_only:
            result["execution_cache"] = cached = execution_cache(work, repeat)
            print(
                f"execution cache, example_repo/notebooks (start-up excluded):"
                f" miss {cached['miss_s']:.2f} s, hit {cached['hit_s']:.2f} s"
                f" ({cached['ratio']:.1f}x; whole command {cached['miss_wall_s']:.1f} s"
                f" / {cached['hit_wall_s']:.1f} s)",
                flush=True,
            )
            result["execution"] = execution_vs_peers(work, args.count, args.large_cells, repeat)
    if args.load_kernels:
        result["load"] = kernels_under_load(args.load_kernels)
        print(f"kernels under load: {result['load']}")
    result["load_after"] = os.getloadavg()
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "scale-latest.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()

"""Run every benchmark and print their tables: ``python benchmarks/run.py [--quick]``.

Execution and collection results go to ``benchmarks/results/run-<time>.json``
(and ``latest.json``); when ``results/baseline.json`` exists the medians are
compared with it. The static-gate and pylint benchmarks run as their own
scripts when present and write their own JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import collect_bench  # noqa: E402
import exec_bench  # noqa: E402

RESULTS = HERE / "results"
OTHERS = {
    "lint_throughput.py": ([], []),
    "static_gate.py": ([], []),
    "pylint_vs_nbqa.py": ([], ["--count", "10", "--repeat", "1", "--skip-per-notebook"]),
    "ruff_vs_nbqa.py": ([], ["--repeat", "1"]),
}


def machine() -> dict[str, Any]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text().splitlines() if "model name" in line]
        model = names[0].split(":", 1)[1].strip() if names else ""
    return {
        "cpus": os.cpu_count(),
        "cpu": model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def compare(current: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    old = {
        (w["workload"], r["tool"]): r["median_s"]
        for w in [*baseline.get("execution", []), baseline.get("collection", {})]
        for r in w.get("rows", [])
    }
    lines = ["vs baseline.json (median now / then)"]
    for workload in [*current.get("execution", []), current.get("collection", {"rows": []})]:
        for row in workload["rows"]:
            then = old.get((workload.get("workload"), row["tool"]))
            if then:
                ratio = row["median_s"] / then
                lines.append(f"  {workload['workload']:<28} {row['tool']:<18} {ratio:6.2f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="One run each, fewer notebooks")
    parser.add_argument("--only", choices=("execution", "collection", "ours", "others"))
    args = parser.parse_args()
    quick = ["--quick"] if args.quick else []
    report: dict[str, Any] = {"machine": machine(), "when": time.strftime("%Y-%m-%dT%H:%M:%S")}
    if args.only in (None, "ours", "execution"):
        report.update(exec_bench.main(quick))
    if args.only in (None, "ours", "collection"):
        report["collection"] = collect_bench.main(
            quick + (["--count", "300"] if args.quick else [])
        )
    if "execution" in report or "collection" in report:
        write(report)
    if args.only in (None, "others"):
        others(args.quick)


def write(report: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    text = json.dumps(report, indent=1)
    (RESULTS / f"run-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(text)
    (RESULTS / "latest.json").write_text(text)
    baseline = RESULTS / "baseline.json"
    if baseline.exists():
        print("\n".join(compare(report, json.loads(baseline.read_text()))))
    print(f"machine: {report['machine']}")


def others(quick: bool) -> None:
    for script, (full, fast) in OTHERS.items():
        path = HERE / script
        if path.exists():
            print(f"\n== {script}", flush=True)
            subprocess.run([sys.executable, str(path), *(fast if quick else full)], check=False)


if __name__ == "__main__":
    main()

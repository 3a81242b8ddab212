"""Static lint throughput (NB rules only, reading included) over ../shared/corpus, one process.

    python benchmarks/lint_throughput.py

Prints notebooks per second (best of 3 passes; the first pays for imports and
caches) and the peak RSS of this process; writes results/lint_throughput.json.
The whole static gate with secrets and personal data is ``static_gate.py``.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path

from pytest_nbgate.config import RawOptions, build
from pytest_nbgate.gate import Runtime, lint
from pytest_nbgate.notebook.model import Notebook

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PASSES = 3


def main() -> None:
    gate = build(RawOptions(no_execute=True, select=("NB",)), ROOT)
    runtime = Runtime.for_gate(gate)
    files = sorted(CORPUS.rglob("*.ipynb"))
    rates = []
    for _ in range(PASSES):
        started = time.perf_counter()
        findings = sum(len(lint(Notebook.read(f, ROOT), gate, runtime)) for f in files)
        rates.append(len(files) / (time.perf_counter() - started))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "notebooks": len(files),
        "findings": findings,
        "best_nb_per_s": max(rates),
        "all_nb_per_s": rates,
        "peak_rss_mib": peak,
    }
    print(
        f"static lint (NB rules, reading included) over {len(files)} notebooks: "
        f"{max(rates):.0f} notebooks/s (passes: {', '.join(f'{r:.0f}' for r in rates)}), "
        f"peak RSS {peak:.0f} MiB, {findings} findings"
    )
    out = ROOT / "benchmarks" / "results" / "lint_throughput.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()

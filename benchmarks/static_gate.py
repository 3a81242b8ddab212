"""Sensitive-data gate vs ``detect-secrets scan``, and the whole static gate, in one run.

    .venv/bin/python benchmarks/static_gate.py [--corpus ../shared/corpus]

Builds the labelled set into a temporary folder, runs nbgate's SEC/PII rules
and ``detect-secrets scan --all-files`` on the same files (each in its own
process, timed, peak RSS from ``wait4``), scores recall on the plants and
findings on the real corpus, then times the whole static gate
(structure lint + secrets + personal data, as ``nbgate check`` runs it) in
one process. Prints a table and writes ``benchmarks/results/static_gate.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.labelled import evaluate, generator  # noqa: E402


def _run(command: list[str], cwd: Path = ROOT) -> tuple[str, float, float]:
    """stdout, wall seconds, peak RSS in MiB of one child process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        out.seek(0)
        return out.read().decode(), elapsed, usage.ru_maxrss / 1024


def nbgate_worker(folder: Path) -> None:
    """Child mode: scan every notebook under ``folder``, print findings as JSON lines."""
    notebooks = evaluate.read_all(folder.rglob("*.ipynb"), folder)
    start = time.perf_counter()
    findings = evaluate.scan(notebooks)
    elapsed = time.perf_counter() - start
    print(json.dumps({"scan_seconds": elapsed, "notebooks": len(notebooks)}))
    for finding in findings:
        print(json.dumps(finding.to_dict()))


def nbgate(folder: Path) -> dict[str, Any]:
    text, wall, rss = _run([sys.executable, __file__, "--worker", str(folder)])
    lines = text.splitlines()
    head = json.loads(lines[0])
    findings = [json.loads(line) for line in lines[1:]]
    return {"wall_s": wall, "peak_rss_mib": rss, "findings": findings, **head}


def detect_secrets(folder: Path) -> dict[str, Any]:
    exe = Path(sys.executable).with_name("detect-secrets")
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.ipynb"))
    text, wall, rss = _run([str(exe), "scan", "--all-files", *files], cwd=folder)
    results: dict[str, list[dict[str, Any]]] = json.loads(text)["results"]
    return {"wall_s": wall, "peak_rss_mib": rss, "results": results, "notebooks": len(files)}


def _ds_found(plant: generator.Plant, folder: Path, results: dict[str, list[Any]]) -> bool:
    hits = results.get(plant.path, [])
    wanted = {hashlib.sha1(plant.value.encode()).hexdigest()}
    if any(hit["hashed_secret"] in wanted for hit in hits):
        return True
    lines = (folder / plant.path).read_text("utf-8").splitlines()
    probe = json.dumps(plant.value)[1:20]
    return any(probe in lines[hit["line_number"] - 1] for hit in hits)


def static_gate(corpus: Path, passes: int = 5) -> dict[str, float]:
    """The whole static gate as ``nbgate check`` runs it, timed over ``passes`` passes.

    Each pass reads, validates and lints every notebook (structure, hidden state,
    secrets, personal data), one at a time, exactly as the command does. The first
    pass also pays one-time costs (the nbformat schema compiled for each format
    minor met, IPython's input transformer imported).
    """
    from pytest_nbgate.cli import static_findings
    from pytest_nbgate.config import RawOptions, build

    gate = build(RawOptions(no_execute=True), ROOT)
    times: list[float] = []
    for _ in range(passes):
        start = time.perf_counter()
        findings, checked = static_findings(gate, [corpus])
        times.append(time.perf_counter() - start)
    steady = statistics.median(times[1:])
    return {
        "notebooks": len(checked),
        "rules": len(gate.ruleset.rules),
        "first_pass_s": times[0],
        "steady_pass_s": steady,
        "best_pass_s": min(times[1:]),
        "notebooks_per_s": len(checked) / steady,
        "first_pass_notebooks_per_s": len(checked) / times[0],
        "findings": len(findings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=evaluate.CORPUS)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        nbgate_worker(args.worker)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plants = generator.build(folder)
        ours = nbgate(folder)
        score = evaluate.score(plants, [_finding(f) for f in ours["findings"]])
        theirs = detect_secrets(folder)
        ds_found = sum(_ds_found(p, folder, theirs["results"]) for p in plants)
        ds_neg = sum(
            len(v) for k, v in theirs["results"].items() if Path(k).name.startswith("neg-")
        )
    corpus_ours = nbgate(args.corpus)
    corpus_theirs = detect_secrets(args.corpus)
    known = evaluate.known_corpus_leaks()
    report = _report(
        plants, score, ours, theirs, ds_found, ds_neg, corpus_ours, corpus_theirs, known
    )
    report["static_gate"] = static_gate(args.corpus)
    _print(report)
    out = ROOT / "benchmarks" / "results" / "static_gate.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def _finding(data: dict[str, Any]) -> Any:
    from pytest_nbgate.findings import Finding

    return Finding.from_dict(data)


def _report(plants, score, ours, theirs, ds_found, ds_neg, c_ours, c_theirs, known):  # type: ignore[no-untyped-def]
    n = c_ours["notebooks"]
    raw_ours = len(c_ours["findings"])
    triaged = sum(1 for f in c_ours["findings"] if f["fingerprint"] not in known)
    raw_theirs = sum(len(v) for v in c_theirs["results"].values())
    return {
        "labelled": {"notebooks": ours["notebooks"], "plants": len(plants)},
        "nbgate": {
            "recall": score.recall,
            "missed": [(p.rule_id, p.location) for p in score.missed],
            "negative_notebook_findings": len(score.negative_findings),
            "corpus_findings": raw_ours,
            "corpus_findings_per_100": 100 * raw_ours / n,
            "corpus_false_positives_per_100": 100 * triaged / n,
            "corpus_scan_ms_per_notebook": 1000 * c_ours["scan_seconds"] / n,
            "corpus_process_wall_s": c_ours["wall_s"],
            "corpus_notebooks_per_s_process": n / c_ours["wall_s"],
            "peak_rss_mib": c_ours["peak_rss_mib"],
        },
        "detect_secrets": {
            "recall": ds_found / len(plants),
            "negative_notebook_findings": ds_neg,
            "corpus_findings": raw_theirs,
            "corpus_findings_per_100": 100 * raw_theirs / n,
            "corpus_process_wall_s": c_theirs["wall_s"],
            "corpus_notebooks_per_s_process": n / c_theirs["wall_s"],
            "peak_rss_mib": c_theirs["peak_rss_mib"],
        },
        "corpus_notebooks": n,
    }


def _print(report: dict[str, Any]) -> None:
    ours, theirs, gate = report["nbgate"], report["detect_secrets"], report["static_gate"]
    rows = [
        ("recall (labelled)", f"{ours['recall']:.3f}", f"{theirs['recall']:.3f}"),
        (
            "findings on negatives",
            ours["negative_notebook_findings"],
            theirs["negative_notebook_findings"],
        ),
        (
            "corpus findings / 100 nb",
            f"{ours['corpus_findings_per_100']:.2f}",
            f"{theirs['corpus_findings_per_100']:.2f}",
        ),
        ("corpus FP / 100 nb (triaged)", f"{ours['corpus_false_positives_per_100']:.2f}", "-"),
        (
            "notebooks/s (process wall)",
            f"{ours['corpus_notebooks_per_s_process']:.1f}",
            f"{theirs['corpus_notebooks_per_s_process']:.1f}",
        ),
        ("peak RSS MiB", f"{ours['peak_rss_mib']:.0f}", f"{theirs['peak_rss_mib']:.0f}"),
    ]
    print(f"labelled set: {report['labelled']}; corpus: {report['corpus_notebooks']} notebooks")
    print(f"{'':32s}{'nbgate':>12s}{'detect-secrets':>16s}")
    for name, a, b in rows:
        print(f"{name:32s}{a!s:>12s}{b!s:>16s}")
    print(
        f"nbgate SEC+PII scan: {ours['corpus_scan_ms_per_notebook']:.2f} ms/notebook (in process)"
    )
    print(
        f"whole static gate ({gate['rules']} rules, one process): "
        f"{gate['notebooks_per_s']:.0f} notebooks/s (median pass {gate['steady_pass_s']:.2f} s, "
        f"best {gate['best_pass_s']:.2f} s); first pass {gate['first_pass_notebooks_per_s']:.0f} "
        f"notebooks/s ({gate['first_pass_s']:.2f} s, with one-time start-up)"
    )


if __name__ == "__main__":
    main()

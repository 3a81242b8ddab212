"""ruff over the corpus: pytest-nbgate's ``::ruff`` pass, ``ruff check`` and ``nbqa ruff``.

    .venv/bin/python benchmarks/ruff_vs_nbqa.py [--repeat 5]

All notebooks of ``../shared/corpus`` are copied to a temporary folder outside
the repository (nbQA writes its temporary files next to each notebook and the
corpus is read-only). Every tool gets the same rules (``--select`` ruff's
classic default, ``--ignore`` nbgate's notebook noise), no cache, one process
each, interleaved in rotating order, median of ``--repeat`` runs:

- ``nbgate``: :func:`pytest_nbgate.linters.ruff.run_ruff` over every notebook,
  timed inside a process that has already read them (what the ``::ruff``
  items of a session cost together), and the same process's wall time with
  interpreter start-up and reading (``nbgate_process``);
- ``ruff``: ``ruff check`` run directly on the notebooks;
- ``nbqa``: ``nbqa ruff`` on the notebooks.

Agreement is counted on (notebook, cell, line, code); nbgate reports cells by
index among all cells, nbQA by position among code cells, and both are mapped
to code-cell positions. Results go to ``benchmarks/results/ruff.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "benchmarks" / "results" / "ruff.json"
sys.path.insert(0, str(ROOT))

from pytest_nbgate.linters.ruff import NOTEBOOK_NOISE, ruff_binary  # noqa: E402

SELECT = "E4,E7,E9,F"
CODE = re.compile(r"^[A-Z]+[0-9]+$")
RULE_ARGS = (f"--select={SELECT}", f"--ignore={','.join(NOTEBOOK_NOISE)}", "--no-cache")
NBQA_LINE = re.compile(r"^(?P<path>.+?\.ipynb):cell_(?P<cell>\d+):(?P<line>\d+):\d+: (?P<code>\w+)")
NBGATE_SCRIPT = """
import json, sys, time
from pathlib import Path
from pytest_nbgate.linters.ruff import RuffSettings, run_ruff
from pytest_nbgate.notebook.model import Notebook
folder = Path(sys.argv[1])
notebooks = [Notebook.read(p, folder) for p in sorted(folder.glob("*.ipynb"))]
settings = RuffSettings(enabled=True, select=tuple(sys.argv[2].split(",")),
                        ignore=tuple(sys.argv[3].split(",")))
started = time.perf_counter()
found = run_ruff(notebooks, settings, folder)
elapsed = time.perf_counter() - started
ordinal = {nb.relpath: {c.index: n for n, c in enumerate(nb.code_cells, 1)} for nb in notebooks}
rows = [[path, ordinal[path].get(f.location.cell_index, 0), f.location.line or 0, f.rule_id]
        for path, fs in found.items() for f in fs]
print(json.dumps({"seconds": elapsed, "rows": rows}))
"""


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[:3]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def run_nbgate(folder: Path) -> tuple[float, float, set[tuple[str, int, int, str]]]:
    command = [sys.executable, "-c", NBGATE_SCRIPT, str(folder), SELECT, ",".join(NOTEBOOK_NOISE)]
    process_seconds, output = timed(command, ROOT)
    data = json.loads(output)
    rows = {(path, cell, line, code) for path, cell, line, code in data["rows"]}
    return data["seconds"], process_seconds, rows


def run_ruff(folder: Path, names: list[str]) -> tuple[float, set[tuple[str, int, int, str]]]:
    command = [ruff_binary(), "check", "--output-format=json", "--exit-zero", *RULE_ARGS, *names]
    seconds, output = timed(command, folder)
    code_cells = _code_cell_positions(folder)
    rows = {
        (
            Path(m["filename"]).name,
            code_cells[Path(m["filename"]).name].get((m["cell"] or 0) - 1, 0),
            m["location"]["row"],
            m["code"] if CODE.match(m["code"] or "") else "RUFF",
        )
        for m in json.loads(output)
    }
    return seconds, rows


def run_nbqa(folder: Path, names: list[str]) -> tuple[float, set[tuple[str, int, int, str]]]:
    command = [sys.executable, "-m", "nbqa", "ruff", *names, *RULE_ARGS, "--exit-zero"]
    command.append("--output-format=concise")
    seconds, output = timed(command, folder)
    rows = set()
    for line in output.splitlines():
        match = NBQA_LINE.match(line)
        if match:
            name = Path(match["path"]).name
            rows.add((name, int(match["cell"]), int(match["line"]), match["code"]))
    return seconds, rows


def _code_cell_positions(folder: Path) -> dict[str, dict[int, int]]:
    """Per notebook: index among all cells -> 1-based position among code cells."""
    positions = {}
    for path in folder.glob("*.ipynb"):
        cells = json.loads(path.read_text("utf-8")).get("cells", [])
        code = [i for i, c in enumerate(cells) if c.get("cell_type") == "code"]
        positions[path.name] = {index: n for n, index in enumerate(code, 1)}
    return positions


def agreement(a: set[tuple[str, int, int, str]], b: set[tuple[str, int, int, str]]) -> float:
    return round(len(a & b) / max(len(a | b), 1), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sources = sorted(CORPUS.rglob("*.ipynb"))
    times: dict[str, list[float]] = {"nbgate": [], "nbgate_process": [], "ruff": [], "nbqa": []}
    with tempfile.TemporaryDirectory(prefix="nbgate-ruff-bench-") as tmp:
        folder = Path(tmp)
        for number, source in enumerate(sources):
            shutil.copyfile(source, folder / f"{number:03d}_{source.name}")
        names = sorted(p.name for p in folder.glob("*.ipynb"))
        found: dict[str, set[tuple[str, int, int, str]]] = {}
        for round_number in range(args.repeat):
            order = ["nbgate", "ruff", "nbqa"]
            for tool in order[round_number % 3 :] + order[: round_number % 3]:
                if tool == "nbgate":
                    seconds, process, found["nbgate"] = run_nbgate(folder)
                    times["nbgate"].append(seconds)
                    times["nbgate_process"].append(process)
                elif tool == "ruff":
                    seconds, found["ruff"] = run_ruff(folder, names)
                    times["ruff"].append(seconds)
                else:
                    seconds, found["nbqa"] = run_nbqa(folder, names)
                    times["nbqa"].append(seconds)
    medians = {tool: statistics.median(values) for tool, values in times.items()}
    result = {
        "notebooks": len(names),
        "cpus": os.cpu_count(),
        "ruff_args": list(RULE_ARGS),
        "median_seconds": {tool: round(value, 3) for tool, value in medians.items()},
        "ratio_to_nbgate": {
            tool: round(value / medians["nbgate"], 2) for tool, value in medians.items()
        },
        "runs": {tool: [round(v, 3) for v in values] for tool, values in times.items()},
        "messages": {tool: len(rows) for tool, rows in found.items()},
        "agreement": {
            "nbgate_vs_ruff": agreement(found["nbgate"], found["ruff"]),
            "nbgate_vs_nbqa": agreement(found["nbgate"], found["nbqa"]),
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

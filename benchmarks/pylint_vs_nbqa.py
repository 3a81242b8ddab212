"""pylint over 50 notebooks: pytest-nbgate's one batch run against ``nbqa pylint``.

    .venv/bin/python benchmarks/pylint_vs_nbqa.py [--count 50] [--skip-per-notebook]

The notebooks come from ``../shared/corpus`` (nbformat 4, more than three code
cells, evenly spaced over the sorted list so the choice is stable). They are
copied to a temporary folder outside the repository, because nbQA writes its
temporary ``.py`` files next to each notebook and the corpus is read-only.

Three timings, each a fresh process so interpreter and pylint start-up count:

- ``nbgate``: :func:`pytest_nbgate.linters.pylint.run_pylint` over all notebooks;
- ``nbqa-batch``: one ``nbqa pylint`` call over all notebooks;
- ``nbqa-per-notebook``: one ``nbqa pylint`` call per notebook, as a per-item
  pytest plugin or ``pre-commit`` with one file each runs it.

Both tools get the same pylint options and the display-expression filter is
off, so the messages are comparable: agreement is counted on (notebook, code
cell, line, message id). Results go to ``benchmarks/results/pylint.json``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "benchmarks" / "results" / "pylint.json"
sys.path.insert(0, str(ROOT))

from pytest_nbgate.linters.pylint import NOTEBOOK_NOISE  # noqa: E402

DISABLE = (*NOTEBOOK_NOISE, "duplicate-code")
PYLINT_ARGS = (
    "--rcfile=",
    "--persistent=n",
    "--additional-builtins=display,get_ipython,In,Out",
    f"--disable={','.join(DISABLE)}",
)
NBQA_LINE = re.compile(
    r"^(?P<path>.+?\.ipynb):cell_(?P<cell>\d+):(?P<line>\d+):\d+: (?P<id>[A-Z]\d{4}):"
)
NBGATE_SCRIPT = """
import json, sys
from pathlib import Path
from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.linters.pylint import PylintSettings, run_pylint
folder = Path(sys.argv[1])
notebooks = [Notebook.read(p, folder) for p in sorted(folder.glob("*.ipynb"))]
settings = PylintSettings(disable=tuple(sys.argv[2].split(",")), display_last_expression=False)
run = run_pylint(notebooks, settings)
ordinal = {nb.relpath: {c.index: n for n, c in enumerate(nb.code_cells, 1)} for nb in notebooks}
out = [
    [path, ordinal[path].get(f.location.cell_index, 0), f.location.line or 0, f.rule_id[2:]]
    for path, found in run.findings.items() for f in found
]
print(json.dumps(out))
"""


def select(count: int) -> list[Path]:
    rows = [line.split("\t") for line in (CORPUS / "MANIFEST.tsv").read_text().splitlines()[1:]]
    eligible = sorted(r[2] for r in rows if r[5].startswith("4") and int(r[6]) > 3)
    step = len(eligible) / count
    return [CORPUS / eligible[int(i * step)] for i in range(count)]


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode >= 32 or (done.returncode and not done.stdout):
        raise SystemExit(f"{command[:3]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def nbqa_messages(output: str) -> set[tuple[str, int, int, str]]:
    found = set()
    for line in output.splitlines():
        match = NBQA_LINE.match(line)
        if match:
            name = Path(match["path"]).name
            found.add((name, int(match["cell"]), int(match["line"]), match["id"]))
    return found


def run_nbgate(folder: Path) -> tuple[float, set[tuple[str, int, int, str]]]:
    command = [sys.executable, "-c", NBGATE_SCRIPT, str(folder), ",".join(DISABLE)]
    elapsed, output = timed(command, ROOT)
    rows = json.loads(output)
    return elapsed, {(path, cell, line, msg) for path, cell, line, msg in rows if cell}


def nbqa_command(files: list[str]) -> list[str]:
    return [sys.executable, "-m", "nbqa", "pylint", *files, *PYLINT_ARGS]


KEYWORDS = {"C0116": "def ", "C0115": "class ", "W0611": "import", "E0401": "import"}
"""Messages whose line must hold a keyword: an objective check of each tool's line mapping."""


def cell_lines(folder: Path) -> dict[tuple[str, int], list[str]]:
    lines = {}
    for path in folder.glob("*.ipynb"):
        cells = json.loads(path.read_text("utf-8"))["cells"]
        code = [c for c in cells if c.get("cell_type") == "code"]
        for number, cell in enumerate(code, start=1):
            source = cell.get("source", "")
            lines[(path.name, number)] = (
                "".join(source) if isinstance(source, list) else source
            ).split("\n")
    return lines


def positions_right(
    found: set[tuple[str, int, int, str]], lines: dict[tuple[str, int], list[str]]
) -> dict[str, int]:
    checked = right = 0
    for name, cell, line, msg in found:
        if msg not in KEYWORDS:
            continue
        checked += 1
        text = lines.get((name, cell), [])
        right += 1 <= line <= len(text) and KEYWORDS[msg] in text[line - 1]
    return {"checked": checked, "right": right}


def where(
    found: set[tuple[str, int, int, str]], skip: str = ""
) -> collections.Counter[tuple[str, int, str]]:
    return collections.Counter((name, cell, msg) for name, cell, _, msg in found if msg != skip)


def compare(
    ours: set[tuple[str, int, int, str]], theirs: set[tuple[str, int, int, str]]
) -> dict[str, object]:
    both = ours & theirs
    return {
        "nbgate_messages": len(ours),
        "nbqa_messages": len(theirs),
        "identical": len(both),
        "agreement": round(len(both) / max(len(ours | theirs), 1), 4),
        # Same notebook, cell and message id, any line: separates mapping from content differences.
        "agreement_ignoring_lines": round(
            sum((where(ours) & where(theirs)).values())
            / max(sum((where(ours) | where(theirs)).values()), 1),
            4,
        ),
        "agreement_ignoring_lines_and_W0301": round(
            sum((where(ours, "W0301") & where(theirs, "W0301")).values())
            / max(sum((where(ours, "W0301") | where(theirs, "W0301")).values()), 1),
            4,
        ),
        "only_nbgate_by_id": dict(collections.Counter(m[3] for m in ours - theirs).most_common(10)),
        "only_nbqa_by_id": dict(collections.Counter(m[3] for m in theirs - ours).most_common(10)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--skip-per-notebook", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="Best of N for the two batch runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nbgate-bench-") as tmp:
        folder = Path(tmp)
        for number, source in enumerate(select(args.count)):
            shutil.copyfile(source, folder / f"{number:02d}_{source.name}")
        names = sorted(p.name for p in folder.glob("*.ipynb"))
        nbgate_times, batch_times = [], []
        for _ in range(args.repeat):  # interleaved, so load from other processes hits both alike
            nbgate_seconds, ours = run_nbgate(folder)
            batch_seconds, output = timed(nbqa_command(names), folder)
            nbgate_times.append(nbgate_seconds)
            batch_times.append(batch_seconds)
        nbgate_time, batch_time = min(nbgate_times), min(batch_times)
        theirs = nbqa_messages(output)
        lines = cell_lines(folder)
        per_notebook = None
        if not args.skip_per_notebook:
            per_notebook = sum(timed(nbqa_command([name]), folder)[0] for name in names)
    result = {
        "notebooks": len(names),
        "cpus": os.cpu_count(),
        "seconds": {
            "nbgate": round(nbgate_time, 2),
            "nbqa_batch": round(batch_time, 2),
            "nbqa_per_notebook": None if per_notebook is None else round(per_notebook, 2),
        },
        "speedup": {
            "vs_nbqa_batch": round(batch_time / nbgate_time, 2),
            "vs_nbqa_per_notebook": None
            if per_notebook is None
            else round(per_notebook / nbgate_time, 2),
        },
        "runs": {
            "nbgate": [round(t, 2) for t in nbgate_times],
            "nbqa_batch": [round(t, 2) for t in batch_times],
        },
        "messages": compare(ours, theirs),
        "line_check": {
            "nbgate": positions_right(ours, lines),
            "nbqa": positions_right(theirs, lines),
        },
        "pylint_args": list(PYLINT_ARGS),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

"""Start-up cost of the installed plugin when ``--nbgate`` is off: ``pytest --co`` on one test.

Runs ``python -m pytest --collect-only`` on a project holding one plain test,
with the plugin loaded (gate off) and with ``-p no:nbgate``, interleaved, and
prints the medians and their ratio (goal: at most 1.10). The other installed
pytest plugins (nbval and nbmake import nbformat and nbclient themselves) are
turned off on both sides, so the difference is ours alone. Also prints which
heavy modules the gate-off run imported (goal: none).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OTHERS = ("-p", "no:nbval", "-p", "no:nbmake", "-p", "no:cacheprovider")
HEAVY = ("nbclient", "jupyter_client", "nbformat", "pylint", "detect_secrets", "yaml", "IPython")
PROBE = (
    "import sys, pytest; pytest.main(sys.argv[1:]); "
    "print('IMPORTED', [m for m in {heavy!r} if m in sys.modules])"
)


def _time(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> dict[str, float | list[str]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nbgate-startup-") as tmp:
        root = Path(tmp)
        (root / "test_one.py").write_text("def test_one():\n    assert True\n")
        (root / "pytest.ini").write_text("[pytest]\n")
        base = [sys.executable, "-m", "pytest", "--collect-only", "-q", *OTHERS]
        runs: dict[str, list[float]] = {"plugin (gate off)": [], "-p no:nbgate": []}
        for round_ in range(args.repeat):
            order = list(runs) if round_ % 2 == 0 else list(reversed(runs))
            for name in order:
                extra = ["-p", "no:nbgate"] if name.startswith("-p") else []
                runs[name].append(_time([*base, *extra], root))
        probe = [sys.executable, "-c", PROBE.format(heavy=HEAVY), "--collect-only", "-q", *OTHERS]
        out = subprocess.run(probe, cwd=root, check=True, capture_output=True, text=True).stdout
    imported = json.loads(out.rsplit("IMPORTED", 1)[1].strip().replace("'", '"'))
    with_plugin = statistics.median(runs["plugin (gate off)"])
    without = statistics.median(runs["-p no:nbgate"])
    result: dict[str, float | list[str]] = {
        "plugin_median_s": round(with_plugin, 3),
        "no_plugin_median_s": round(without, 3),
        "ratio": round(with_plugin / without, 3),
        "heavy_imports": imported,
    }
    print(f"pytest --co, one test, median of {args.repeat} interleaved runs")
    print(f"  plugin installed, gate off: {with_plugin:.3f} s")
    print(f"  -p no:nbgate:               {without:.3f} s")
    print(f"  ratio:                      {with_plugin / without:.3f}x (goal <= 1.10)")
    print(f"  heavy modules imported with the gate off: {imported or 'none'}")
    return result


if __name__ == "__main__":
    main()

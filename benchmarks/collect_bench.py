"""Collection benchmark: ``pytest --nbgate --collect-only`` on many generated notebooks."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exec_bench import PYTEST, measure, small_notebook, write_notebooks


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    rows = []
    with tempfile.TemporaryDirectory(prefix="nbgate-collect-bench-") as tmp:
        root = Path(tmp)
        (root / "empty.ini").write_text("[pytest]\n")
        write_notebooks(root / "nbs", [small_notebook(i) for i in range(args.count)])
        base = [*PYTEST, "-c", str(root / "empty.ini"), "--rootdir", str(root), "--collect-only"]
        for name, extra in (("nbgate", ["--nbgate"]), ("nbmake", ["--nbmake"])):
            runs = [measure([*base, *extra, "nbs"], root) for _ in range(repeat)]
            walls = [wall for wall, _, _ in runs]
            rows.append(
                {
                    "tool": name,
                    "median_s": round(statistics.median(walls), 3),
                    "per_notebook_ms": round(1000 * statistics.median(walls) / args.count, 2),
                    "peak_mib": round(max(peak for _, peak, _ in runs), 1),
                    "ok": all(ok for _, _, ok in runs),
                }
            )
    result = {"workload": f"collect-only x{args.count}", "notebooks": args.count, "rows": rows}
    print(table(result), flush=True)
    return result


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['workload']} (pytest --collect-only)",
        f"  {'tool':<18} {'median s':>9} {'ms/notebook':>12} {'peak MiB':>9}",
    ]
    for row in result["rows"]:
        lines.append(
            f"  {row['tool']:<18} {row['median_s']:>9.2f} {row['per_notebook_ms']:>12.2f}"
            f" {row['peak_mib']:>9.0f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

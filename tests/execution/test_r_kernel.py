"""A real R kernel (IRkernel): execution, failures, goldens and cleanup work for any kernel.

``.ci/run`` installs Debian's ``r-cran-irkernel`` where apt is available.
"""

from __future__ import annotations

import json

import pytest
from jupyter_client.kernelspec import KernelSpecManager

from tests import factory

R_META = {
    "kernelspec": {"name": "ir", "display_name": "R", "language": "R"},
    "language_info": {"name": "R"},
}

pytestmark = pytest.mark.skipif(
    "ir" not in KernelSpecManager().find_kernel_specs(),
    reason="no 'ir' kernelspec: .ci/run installs r-cran-irkernel with apt",
)


def r_notebook(*cells: dict) -> dict:
    return factory.notebook(*cells, kernel=None, metadata=R_META)


def test_an_r_notebook_runs_fails_times_out_and_is_compared_with_its_golden(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    stored = [factory.stream("total 6\n")]
    notebooks = {
        # Python-only rules stay off: this is not Python and NB207 must not read it.
        "ok.ipynb": r_notebook(
            factory.code("xs <- c(1, 2, 3)\ntotal <- sum(xs)"),
            factory.code('cat("total", total, "\\n")', outputs=stored, execution_count=2),
        ),
        "fails.ipynb": r_notebook(factory.code('x <- 1\nstop("no data for ", x)')),
        "changed.ipynb": r_notebook(factory.code('cat("total", 7, "\\n")', outputs=stored)),
        "slow.ipynb": r_notebook(factory.code("Sys.sleep(60)", tags=("nbgate-timeout=1",))),
    }
    for name, nb in notebooks.items():
        factory.write(pytester.path / name, nb)
    result = pytester.runpytest("--nbgate", "--nbgate-report=json:report.json")
    report = json.loads((pytester.path / "report.json").read_text())
    outcomes = {entry["path"]: entry["items"] for entry in report["notebooks"]}
    assert outcomes == {
        "changed.ipynb": {"execute": "failed", "lint": "passed"},
        "fails.ipynb": {"execute": "failed", "lint": "passed"},
        "ok.ipynb": {"execute": "passed", "lint": "passed"},
        "slow.ipynb": {"execute": "failed", "lint": "passed"},
    }
    found = {(f["path"], f["rule_id"]) for f in report["findings"] if f["severity"] == "error"}
    assert found == {
        ("fails.ipynb", "NB301"),
        ("changed.ipynb", "NB401"),
        ("slow.ipynb", "NB303"),
    }
    result.stdout.fnmatch_lines(["*fails.ipynb:cell 0*NB301*no data for 1*"])

"""Our own notebook metadata and profile keys: skip, xfail, cell timeout, cwd, re-runs, installs."""

from __future__ import annotations

import json

import pytest

from tests import factory
from tests.peers.verdicts import execute_verdicts

code, notebook = factory.code, factory.notebook


def test_skip_and_xfail_metadata_apply_to_execute_and_keep_the_static_checks(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    factory.write(
        pytester.path / "skip.ipynb",
        notebook(code("1 / 0"), metadata={"nbgate": {"skip": "data not public"}}),
    )
    factory.write(
        pytester.path / "xfail.ipynb",
        notebook(code("1 / 0"), metadata={"nbgate": {"xfail": "upstream bug 12"}}),
    )
    result = pytester.runpytest("--nbgate", "-rsx")
    result.assert_outcomes(passed=2, skipped=1, xfailed=1)
    result.stdout.fnmatch_lines_random(
        ["*skip.ipynb*data not public", "*xfail.ipynb*upstream bug 12"]
    )


def test_a_cell_timeout_tag_bounds_that_cell_only(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    notebooks = {
        "tagged.ipynb": notebook(code("import time\ntime.sleep(20)", tags=("nbgate-timeout=1",))),
        "longer.ipynb": notebook(code("import time\ntime.sleep(2)", tags=("nbgate-timeout=30",))),
    }
    found = execute_verdicts(pytester, notebooks, "--nbgate-timeout=1")
    assert found == {"tagged.ipynb": "failed", "longer.ipynb": "passed"}


@pytest.mark.parametrize(
    ("cwd", "expected"), [("notebook", "sub"), ("rootdir", ""), ("data", "data")]
)
def test_execution_cwd_chooses_where_the_kernel_starts(
    pytester: pytest.Pytester, process_mark: str, cwd: str, expected: str
) -> None:
    (pytester.path / "data").mkdir()
    (pytester.path / "gate.yaml").write_text(f"extends: default\nexecution:\n  cwd: {cwd}\n")
    source = (
        "import os\n"
        f"here = os.path.relpath(os.getcwd(), {str(pytester.path)!r})\n"
        f"assert here == ({expected!r} or '.'), here"
    )
    notebooks = {"sub/nb.ipynb": notebook(code(source))}
    assert execute_verdicts(pytester, notebooks, "--nbgate-profile=gate.yaml") == {
        "sub/nb.ipynb": "passed"
    }


def test_reruns_cure_a_kernel_death_and_the_run_is_reported_flaky(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    (pytester.path / "gate.yaml").write_text("extends: default\nexecution:\n  reruns: 1\n")
    dies_once = (
        "import os, pathlib\n"
        "marker = pathlib.Path('attempted')\n"
        "first = not marker.exists()\n"
        "marker.write_text('1')\n"
        "if first:\n"
        "    os._exit(1)"
    )
    notebooks = {
        "dies_once.ipynb": notebook(code(dies_once)),
        "raises.ipynb": notebook(code("1 / 0")),
    }
    found = execute_verdicts(pytester, notebooks, "--nbgate-profile=gate.yaml")
    assert found == {"dies_once.ipynb": "passed", "raises.ipynb": "failed"}
    summary = (pytester.path / "summary.txt").read_text()
    assert "flaky: dies_once.ipynb (execute ran 2 times" in summary
    assert "flaky: raises.ipynb" not in summary
    report = json.loads((pytester.path / "report.json").read_text())
    flaky = {entry["path"]: entry.get("flaky") for entry in report["notebooks"]}
    assert flaky == {"dies_once.ipynb": {"attempts": 2, "passed": True}, "raises.ipynb": None}


@pytest.mark.parametrize(
    ("policy", "expected"), [("run", "failed"), ("skip", "passed"), ("fail", "failed")]
)
def test_install_magic_policy(
    pytester: pytest.Pytester, process_mark: str, policy: str, expected: str
) -> None:
    (pytester.path / "gate.yaml").write_text(
        f"extends: default\nexecution:\n  install-magics: {policy}\n"
    )
    # pip writes its log even when the install fails: the log says whether the line ran.
    source = "if True:\n    !pip install --log pip.log --no-index nbgate-no-such-package\nx = 1"
    check = "import os\nassert not os.path.exists('pip.log'), 'the install line ran'"
    notebooks = {"installs.ipynb": notebook(code(source), code(check))}
    found = execute_verdicts(pytester, notebooks, "--nbgate-profile=gate.yaml")
    assert found == {"installs.ipynb": expected}
    report = json.loads((pytester.path / "report.json").read_text())
    rules = [f["rule_id"] for f in report["findings"]]
    assert rules == {"run": ["NB301"], "skip": [], "fail": ["NB308"]}[policy]

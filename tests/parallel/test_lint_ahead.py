"""Linting ahead in forked workers: the same findings, the same cache, no process left behind.

Every run here forks real workers (``--nbgate-jobs 2``, ``nbgate check --jobs
2``) over real notebooks and compares what it reports with a one-process run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_nbgate.parallel.ahead import MIN_NOTEBOOKS
from pytest_nbgate.parallel.prelint import static_plan
from tests import factory, leaks
from tests.conftest import real_notebooks
from tests.procs import marked_processes

COUNT = MIN_NOTEBOOKS + 8


def _project(root: Path) -> list[Path]:
    """``COUNT`` notebooks, each with findings of a different family, and one unreadable file."""
    kinds = [
        factory.code("print(total)"),  # NB207: bound by no cell
        factory.code("x = 1", outputs=[factory.stream(f"token {leaks.github_token()}\n")]),
        factory.code("print('a')", outputs=[factory.stream("mail anna.berg@gmail.com\n")]),
        factory.code("\n".join(f"v{i} = {i}" for i in range(120))),  # a long cell
        factory.code("import os", execution_count=7),  # hidden state: counts out of order
    ]
    paths = []
    for index in range(COUNT - 1):
        cells = [kinds[index % len(kinds)], factory.markdown(f"# notebook {index}")]
        paths.append(factory.write(root / "nbs" / f"nb{index:02}.ipynb", factory.notebook(*cells)))
    broken = root / "nbs" / "broken.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    return [*paths, broken]


def _report(pytester: pytest.Pytester, name: str, *args: str) -> tuple[dict[str, object], str]:
    out = pytester.path / f"{name}.json"
    result = pytester.runpytest_subprocess(
        "--nbgate", "--nbgate-no-execute", "-p", "no:randomly", "-v",
        f"--nbgate-report=json:{out}", *args,
    )  # fmt: skip
    assert result.ret == 1, result.stdout.str()[-3000:]
    report = json.loads(out.read_text())
    return {key: report[key] for key in ("findings", "notebooks", "summary")}, result.stdout.str()


def test_pytest_route_reports_exactly_what_one_process_reports(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    _project(pytester.path)
    alone, _ = _report(pytester, "alone", "--nbgate-jobs=1", "-p", "no:cacheprovider")
    forked, _ = _report(pytester, "forked", "--nbgate-jobs=2", "-p", "no:cacheprovider")
    assert forked == alone
    rules = {finding["rule_id"] for finding in alone["findings"]}  # type: ignore[attr-defined]
    assert {"NB001", "NB207", "PII101"} <= rules
    assert any(rule.startswith("SEC") for rule in rules)
    assert leaks.github_token() not in json.dumps(forked)


def test_results_found_by_workers_are_cached_for_the_next_run(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    _project(pytester.path)
    cold, cold_out = _report(pytester, "cold", "--nbgate-jobs=2")
    warm, warm_out = _report(pytester, "warm", "--nbgate-jobs=2")
    assert warm == cold
    assert "PASSED (cached)" not in cold_out
    # Every notebook replays, whether a worker or the main process linted it.
    assert len(re.findall(r"::lint (?:PASSED|FAILED) \(cached\)", warm_out)) == COUNT


def test_a_worker_killed_mid_run_costs_no_result(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    _project(pytester.path)
    pytester.makeconftest(
        """
        import os, signal
        from pytest_nbgate.stash import RUNTIME_KEY

        def pytest_runtest_setup(item):
            ahead = item.config.stash[RUNTIME_KEY].ahead
            if "nb01" in item.nodeid and ahead is not None and ahead._executor is not None:
                for pid in list(ahead._executor._processes):
                    os.kill(pid, signal.SIGKILL)
        """
    )
    alone, _ = _report(pytester, "alone", "--nbgate-jobs=1", "-p", "no:cacheprovider")
    killed, _ = _report(pytester, "killed", "--nbgate-jobs=2", "-p", "no:cacheprovider")
    assert killed == alone


def test_workers_fork_only_for_a_static_session_with_work_to_share(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(
        """
        import pytest
        from pytest_nbgate.stash import RUNTIME_KEY

        @pytest.hookimpl(wrapper=True)
        def pytest_runtestloop(session):
            ahead = session.config.stash[RUNTIME_KEY].ahead
            outcome = yield
            forked = ahead is not None and ahead._executor is not None
            print(f"PLANNED={ahead is not None} FORKED={forked}")
            return outcome
        """
    )
    paths = _project(pytester.path)
    run = pytester.runpytest_subprocess
    static = ("--nbgate", "--nbgate-no-execute", "-s", "-p", "no:randomly")
    run(*static, "--nbgate-jobs=2").stdout.fnmatch_lines(["*PLANNED=True FORKED=True"])
    # Warm: every notebook replays from the cache, the workers would have nothing to do.
    run(*static, "--nbgate-jobs=2").stdout.fnmatch_lines(["*PLANNED=True FORKED=False"])
    off = (*static, "-p", "no:cacheprovider")
    run(*off, "--nbgate-jobs=1").stdout.fnmatch_lines(["*PLANNED=False FORKED=False"])
    few = [str(path) for path in paths[: MIN_NOTEBOOKS - 1]]
    run(*off, "--nbgate-jobs=2", *few).stdout.fnmatch_lines(["*PLANNED=False FORKED=False"])


def test_only_a_session_of_lint_items_is_planned(pytester: pytest.Pytester) -> None:
    _project(pytester.path)
    static, _ = pytester.inline_genitems("--nbgate", "--nbgate-no-execute")
    assert [source.path.name for source in static_plan(static)] == sorted(
        path.name for path in (pytester.path / "nbs").iterdir()
    )
    # Executing sessions spend their time in kernels, already on the other cores.
    executing, _ = pytester.inline_genitems("--nbgate")
    assert static_plan(executing) == []


@pytest.mark.parametrize(
    ("stop", "status"),
    [
        ("raise KeyboardInterrupt", pytest.ExitCode.INTERRUPTED),
        # Killed outright, the session cannot shut its workers down: they must die with it.
        ("os.kill(os.getpid(), signal.SIGKILL)", -9),
    ],
    ids=["ctrl-c", "sigkill"],
)
def test_no_worker_outlives_its_session(
    pytester: pytest.Pytester, process_mark: str, stop: str, status: int
) -> None:
    _project(pytester.path)
    pytester.makeconftest(
        f"""
        import os, signal

        def pytest_runtest_call(item):
            if "nb03" in item.nodeid:
                {stop}
        """
    )
    result = pytester.runpytest_subprocess("--nbgate", "--nbgate-no-execute", "--nbgate-jobs=2")
    assert result.ret == status
    assert marked_processes(process_mark, wait=3.0) == []


def _check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest_nbgate.cli", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_nbgate_check_with_workers_reports_what_one_process_reports(
    tmp_path: Path, process_mark: str
) -> None:
    _, corpus = real_notebooks()
    _project(tmp_path)
    for name, paths in (("project", ["nbs"]), ("real", [str(p) for p in corpus[:40]])):
        outputs = []
        for jobs in ("1", "2"):
            out = tmp_path / f"{name}-{jobs}.json"
            args = ["--cache", "off", "--format", "json", "-o", str(out), "--jobs", jobs]
            done = _check(tmp_path, "check", *paths, *args)
            assert done.returncode in (0, 1), done.stderr
            outputs.append(out.read_bytes())
        assert outputs[0] == outputs[1]


def test_baselined_findings_matched_by_workers_are_not_reported_stale(tmp_path: Path) -> None:
    _project(tmp_path)
    assert _check(tmp_path, "baseline", "nbs").returncode == 0
    check = ("check", "nbs", "--baseline", ".nbgate-baseline.json", "--jobs", "2", "--cache", "off")
    done = _check(tmp_path, *check)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "stale baseline entry" not in done.stderr
    # The control: with one entry fewer matched, the stale report would show it.
    factory.write(tmp_path / "nbs" / "nb00.ipynb", factory.notebook(factory.code("y = 2")))
    done = _check(tmp_path, *check)
    assert "stale baseline entry" in done.stderr


def test_a_notebook_changed_after_its_worker_read_it_is_linted_again(
    pytester: pytest.Pytester,
) -> None:
    paths = _project(pytester.path)
    clean = pytester.path / "clean.json"
    factory.write(clean, factory.notebook(factory.code("y = 2")))
    pytester.makeconftest(
        f"""
        import shutil
        from concurrent import futures
        from pytest_nbgate.stash import RUNTIME_KEY

        def pytest_runtest_setup(item):
            ahead = item.config.stash[RUNTIME_KEY].ahead
            if item.path.name == {paths[-2].name!r} and ahead is not None:
                # The workers start at the far end: this one is linted from the old bytes.
                futures.wait([ahead._futures[str(item.parent.source.path)]])
                shutil.copyfile({str(clean)!r}, item.path)
        """
    )
    report, _ = _report(pytester, "changed", "--nbgate-jobs=2", "-p", "no:cacheprovider")
    paths_found = {finding["path"] for finding in report["findings"]}  # type: ignore[attr-defined]
    assert f"nbs/{paths[-3].name}" in paths_found
    assert f"nbs/{paths[-2].name}" not in paths_found

"""``--nbgate-cache``: results cached by content, replayed while nothing they depend on changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_nbgate import cli
from pytest_nbgate.config import RawOptions, build
from pytest_nbgate.gate import Runtime
from tests import factory

STATIC = ("--nbgate", "--nbgate-no-execute", "-v", "-p", "no:randomly")


def _repo(pytester: pytest.Pytester, *, failing: bool = False) -> None:
    factory.write(pytester.path / "clean.ipynb", factory.notebook(factory.code("x = 1\nprint(x)")))
    source = "print(not_defined_anywhere)" if failing else "y = 2"
    factory.write(pytester.path / "other.ipynb", factory.notebook(factory.code(source)))


def _entries(pytester: pytest.Pytester, kind: str) -> list[Path]:
    return sorted((pytester.path / ".pytest_cache" / "d" / "nbgate" / kind).rglob("*.json"))


def test_unchanged_notebook_is_replayed_and_a_one_byte_change_is_not(
    pytester: pytest.Pytester,
) -> None:
    _repo(pytester)
    cold = pytester.runpytest(*STATIC, "--nbgate-report=json:cold.json")
    cold.stdout.fnmatch_lines(["clean*::lint PASSED*", "other*::lint PASSED*"])
    cold.stdout.no_fnmatch_line("*(cached)*")
    warm = pytester.runpytest(*STATIC, "--nbgate-report=json:warm.json")
    warm.stdout.fnmatch_lines(["clean*::lint PASSED (cached)*", "*2 item(s) (cached): 2 lint"])
    assert (pytester.path / "warm.json").read_bytes() == (pytester.path / "cold.json").read_bytes()
    path = pytester.path / "clean.ipynb"
    path.write_text(path.read_text().replace("x = 1", "x = 2"))
    edited = pytester.runpytest(*STATIC)
    edited.stdout.re_match_lines([r"clean.*::lint PASSED +\[", r"other.*::lint PASSED \(cached\)"])


def test_a_warm_run_replays_failures_and_their_findings(pytester: pytest.Pytester) -> None:
    _repo(pytester, failing=True)
    cold = pytester.runpytest(*STATIC)
    warm = pytester.runpytest(*STATIC)
    warm.stdout.fnmatch_lines(["other*::lint FAILED (cached)*", "*NB2*not_defined_anywhere*"])
    assert warm.ret == cold.ret == pytest.ExitCode.TESTS_FAILED


@pytest.mark.parametrize(
    "change",
    [("--nbgate-ignore=NB2",), ("--nbgate-select=NB1",)],
    ids=["ignore", "select"],
)
def test_a_rule_configuration_change_reruns_every_notebook(
    pytester: pytest.Pytester, change: tuple[str, ...]
) -> None:
    _repo(pytester, failing=True)
    pytester.runpytest(*STATIC)
    pytester.runpytest(*STATIC, *change).stdout.no_fnmatch_line("*(cached)*")


@pytest.mark.parametrize("off", [("--nbgate-cache=off",), ("-p", "no:cacheprovider")])
def test_cache_off_never_reads_or_writes(pytester: pytest.Pytester, off: tuple[str, ...]) -> None:
    _repo(pytester)
    pytester.runpytest(*STATIC, *off)
    assert _entries(pytester, "static") == []
    pytester.runpytest(*STATIC)
    pytester.runpytest(*STATIC, *off).stdout.no_fnmatch_line("*(cached)*")


def test_corrupt_and_foreign_entries_are_ignored_with_a_warning(pytester: pytest.Pytester) -> None:
    _repo(pytester)
    pytester.runpytest(*STATIC)
    first, second = _entries(pytester, "static")
    first.write_bytes(first.read_bytes()[:20])
    second.write_text('{"nbgate-cache": 1, "key": "someone else", "payload": {"findings": []}}')
    result = pytester.runpytest(*STATIC)
    result.stdout.no_fnmatch_line("*(cached)*")
    result.stdout.fnmatch_lines(["*ignoring unusable cache entry*"])
    result.assert_outcomes(passed=2, warnings=2)
    pytester.runpytest(*STATIC).stdout.fnmatch_lines(["*2 item(s) (cached)*"])


def test_xdist_workers_share_one_cache_directory(pytester: pytest.Pytester) -> None:
    for index in range(6):
        factory.write(
            pytester.path / f"nb{index}.ipynb", factory.notebook(factory.code(f"v = {index}"))
        )
    cold = pytester.runpytest(*STATIC, "-n", "2", "--nbgate-report=json:cold.json")
    cold.assert_outcomes(passed=6)
    assert len(_entries(pytester, "static")) == 6
    leftovers = list((pytester.path / ".pytest_cache").rglob("*.tmp"))
    assert leftovers == []
    warm = pytester.runpytest(*STATIC, "-n", "2", "--nbgate-report=json:warm.json")
    warm.stdout.fnmatch_lines(["*6 item(s) (cached): 6 lint"])
    assert (pytester.path / "warm.json").read_bytes() == (pytester.path / "cold.json").read_bytes()


def test_nbgate_check_shares_the_pytest_cache(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(pytester)
    pytester.runpytest(*STATIC)
    monkeypatch.chdir(pytester.path)
    gate = build(RawOptions(no_execute=True), pytester.path)
    cold, _ = cli.static_findings(gate, [pytester.path], cache=False)
    runtime = Runtime.for_gate(gate)
    warm, checked = cli.static_findings(gate, [pytester.path], cache=True, runtime=runtime)
    assert runtime.caches is not None
    assert (runtime.caches.store.hits, runtime.caches.store.misses) == (2, 0)
    assert warm == cold and len(checked) == 2
    assert cli.main(["check", "--cache", "off", "clean.ipynb"]) == 0


def test_pylint_results_are_cached_per_notebook(pytester: pytest.Pytester) -> None:
    _repo(pytester)
    args = (*STATIC, "--nbgate-pylint")
    pytester.runpytest(*args).stdout.re_match_lines([r"clean.*::pylint PASSED +\["])
    path = pytester.path / "other.ipynb"
    path.write_text(path.read_text().replace("y = 2", "import os"))
    warm = pytester.runpytest(*args)
    warm.stdout.re_match_lines(
        [r"clean.*::pylint PASSED \(cached\)", r"other.*::pylint PASSED +\["]
    )
    warm.stdout.fnmatch_lines(["*PLW0611*unused-import*"])

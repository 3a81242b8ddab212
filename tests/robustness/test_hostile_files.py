"""Hostile files: each gives one clear finding naming the file and the problem; the rest runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pytest_nbgate.notebook.model import Notebook, NotebookError
from tests import factory
from tests.robustness.hostile import CASES, GOOD

STATIC = ("--nbgate", "--nbgate-no-execute", "--nbgate-fail-on=warning", "-p", "no:cacheprovider")


def run_static(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    (pytester.path / "good.ipynb").write_bytes(GOOD)
    result = pytester.runpytest(*STATIC, *args)
    result.stdout.no_fnmatch_line("*INTERNALERROR*")
    result.stdout.no_fnmatch_line("*Traceback*")
    return result


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_hostile_file_is_one_clear_finding_and_the_session_goes_on(
    pytester: pytest.Pytester, content: bytes, expected: str | None
) -> None:
    (pytester.path / "bad.ipynb").write_bytes(content)
    result = run_static(pytester)
    if expected is None:
        result.assert_outcomes(passed=2)
        return
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([f"bad.ipynb{expected}"])
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_crlf_and_bom_files_map_findings_to_the_same_lines() -> None:
    crlf = GOOD.replace(b"\n", b"\r\n")
    plain, windows, bom = (
        Notebook.from_bytes(data, Path("nb.ipynb"), "nb.ipynb")
        for data in (GOOD, crlf, b"\xef\xbb\xbf" + crlf)
    )
    lines = [
        (nb.file_line(0), nb.file_line(0, 1), nb.file_line(0, 2)) for nb in (plain, windows, bom)
    ]
    assert lines[0] == lines[1] == lines[2]
    assert GOOD.splitlines()[lines[0][2] - 1].strip() == b'"print(x)"'


def test_directory_symlink_loop_collects_each_notebook_once(pytester: pytest.Pytester) -> None:
    (pytester.path / "sub").mkdir()
    os.symlink("..", pytester.path / "sub" / "up")
    result = run_static(pytester)
    result.assert_outcomes(passed=1)


def test_device_fifo_and_link_loop_are_never_read(pytester: pytest.Pytester) -> None:
    os.symlink("/dev/zero", pytester.path / "zero.ipynb")
    os.mkfifo(pytester.path / "pipe.ipynb")
    os.symlink("loop.ipynb", pytester.path / "loop.ipynb")
    for name, problem in [
        ("zero.ipynb", "not a regular file"),
        ("pipe.ipynb", "not a regular file"),
        ("loop.ipynb", "cannot read file: Too many levels of symbolic links"),
    ]:
        with pytest.raises(NotebookError, match=problem) as caught:
            Notebook.read(pytester.path / name, pytester.path)
        assert caught.value.rule_id == "NB004"
    # pytest itself only collects regular files: the session neither blocks nor fills memory.
    run_static(pytester).assert_outcomes(passed=1)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_named(pytester: pytest.Pytester) -> None:
    path = pytester.path / "secret.ipynb"
    path.write_bytes(GOOD)
    path.chmod(0)
    result = run_static(pytester)
    result.stdout.fnmatch_lines(["secret.ipynb: NB004*cannot read file: Permission denied*"])


def test_permission_error_is_named_even_as_root(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def deny(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if str(path).endswith("secret.ipynb"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    (pytester.path / "secret.ipynb").write_bytes(GOOD)
    monkeypatch.setattr(os, "open", deny)
    result = run_static(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["secret.ipynb: NB004*cannot read file: Permission denied*"])


def test_oversized_file_is_refused_before_it_is_read(pytester: pytest.Pytester) -> None:
    with (pytester.path / "huge.ipynb").open("wb") as handle:
        handle.truncate(101 * 1024 * 1024)  # sparse: no disk, no memory
    result = run_static(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["huge.ipynb: NB004*file is 101.0 MB, over the 100.0 MB limit*"])


@pytest.mark.parametrize(
    ("kernel", "language", "source"),
    [
        # Not "ir": IRkernel may well be installed (the suite's R tests install it).
        ("ir-not-installed", "R", "x <- c(1, 2)\nprint(mean(x))"),
        ("julia-1.10", "julia", "x = [1, 2]\nprintln(sum(x))"),
    ],
    ids=["R", "julia"],
)
def test_non_python_kernel_is_not_installed_and_static_rules_still_run(
    pytester: pytest.Pytester, kernel: str, language: str, source: str
) -> None:
    secret = "AKIA" + "Z7Q2D4W6Y8A3C5E7"
    meta = {
        "kernelspec": {"name": kernel, "display_name": language, "language": language.lower()},
        "language_info": {"name": language.lower()},
    }
    nb = factory.notebook(
        factory.code(source), factory.code(f"key = '{secret}'"), kernel=None, metadata=meta
    )
    factory.write(pytester.path / "other.ipynb", nb)
    result = pytester.runpytest("--nbgate", "-p", "no:cacheprovider", "--nbgate-report=json:r.json")
    result.stdout.fnmatch_lines(
        [f"other.ipynb: NB306*No kernel named '{kernel}'*available:*python3*"]
    )
    result.stdout.fnmatch_lines(["other.ipynb:cell 1*SEC*"])
    result.stdout.no_fnmatch_line("*NB207*")  # Python name rules do not read R or Julia
    result.stdout.no_fnmatch_line("*INTERNALERROR*")
    assert secret not in result.stdout.str()

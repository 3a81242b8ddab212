"""``--nbgate-changed REF``: only the notebooks a branch touches, in a real git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pytest_nbgate import cli
from pytest_nbgate.changes.git import resolve_ref
from pytest_nbgate.changes.selection import glob_pattern
from tests import factory

STATIC = ("--nbgate", "--nbgate-no-execute", "-p", "no:cacheprovider", "-p", "no:randomly")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _notebook(path: Path, source: str) -> None:
    factory.write(path, factory.notebook(factory.code(source, cell_id="c0")))


def _branch(root: Path) -> None:
    """main: a, b, c, sub/d and data/x.csv; then a branch edits, renames and adds notebooks."""
    git(root, "init", "-q", "-b", "main")
    for name in ("a", "b", "c", "sub/d"):
        _notebook(root / f"{name}.ipynb", f"{name.replace('/', '_')} = 1")
    (root / "data").mkdir()
    (root / "data" / "x.csv").write_text("1\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    _notebook(root / "a.ipynb", "a = 2")
    git(root, "mv", "b.ipynb", "b2.ipynb")
    git(root, "commit", "-q", "-am", "edit a, rename b")
    _notebook(root / "sub" / "d.ipynb", "d = 2")  # uncommitted
    _notebook(root / "new.ipynb", "n = 1")  # untracked


def test_only_changed_renamed_and_new_notebooks_are_gated(pytester: pytest.Pytester) -> None:
    _branch(pytester.path)
    result = pytester.runpytest(*STATIC, "--nbgate-changed", "main", "-v")
    ran = sorted(
        line.split("::")[0].removesuffix(".ipynb")
        for line in result.outlines
        if "::lint PASSED" in line
    )
    assert ran == ["a", "b2", "new", "sub/d"]
    result.stdout.fnmatch_lines(["*1 deselected*", "1 notebook(s) deselected: unchanged since*"])


def test_a_changed_depends_file_selects_every_notebook(pytester: pytest.Pytester) -> None:
    _branch(pytester.path)
    (pytester.path / "pyproject.toml").write_text(
        '[tool.nbgate.execution]\ndepends = ["data/**/*.csv"]\n'
    )
    before = pytester.runpytest(*STATIC, "--nbgate-changed", "main")
    before.assert_outcomes(passed=4, deselected=1)  # pyproject.toml is no dependency
    (pytester.path / "data" / "x.csv").write_text("2\n")
    pytester.runpytest(*STATIC, "--nbgate-changed", "main").assert_outcomes(passed=5)


def test_a_notebook_depends_on_what_its_metadata_lists(pytester: pytest.Pytester) -> None:
    _branch(pytester.path)
    meta = {"nbgate": {"depends": ["data/*.csv"]}}
    nb = factory.notebook(factory.code("c = 1", cell_id="c0"), metadata=meta)
    factory.write(pytester.path / "c.ipynb", nb)
    git(pytester.path, "commit", "-q", "-am", "c reads data")
    git(pytester.path, "branch", "-f", "main")
    (pytester.path / "data" / "x.csv").write_text("3\n")
    result = pytester.runpytest(*STATIC, "--nbgate-changed", "main", "-v")
    ran = sorted(
        line.split("::")[0].removesuffix(".ipynb")
        for line in result.outlines
        if "::lint PASSED" in line
    )
    assert ran == ["c", "new"]  # sub/d was committed to main with c


@pytest.mark.parametrize(
    ("setup", "ref", "message"),
    [
        ("plain", "main", "*is not inside a git repository*"),
        ("repo", "no-such-branch", "*no-such-branch: unknown ref: no such branch*"),
        ("shallow", "origin/main", "*unknown ref: the clone is shallow*fetch-depth: 0*"),
    ],
)
def test_unusable_base_is_a_usage_error_naming_the_fix(
    pytester: pytest.Pytester,
    tmp_path_factory: pytest.TempPathFactory,
    setup: str,
    ref: str,
    message: str,
) -> None:
    _notebook(pytester.path / "a.ipynb", "a = 1")
    if setup == "repo":
        _branch(pytester.path)
    if setup == "shallow":
        origin = tmp_path_factory.mktemp("origin")
        _branch(origin)
        git(origin, "commit", "-q", "-am", "more")
        clone = pytester.path / "clone"
        git(
            pytester.path,
            "clone",
            "-q",
            "--depth=1",
            "--branch=feature",
            f"file://{origin}",
            "clone",
        )
        args = ("--nbgate-changed", ref, f"--rootdir={clone}", str(clone))
        result = pytester.runpytest_subprocess(*STATIC, *args)
    else:
        result = pytester.runpytest(*STATIC, "--nbgate-changed", ref)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    result.stdout.no_fnmatch_line("*INTERNALERROR*")


def test_nbgate_check_changed_and_the_ci_environment(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _branch(pytester.path)
    monkeypatch.chdir(pytester.path)
    base = git(pytester.path, "rev-parse", "main").strip()
    monkeypatch.setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", base)
    assert cli.main(["check", "--cache", "off", "--changed", "auto", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert '"path": "a.ipynb"' in out and '"path": "c.ipynb"' not in out
    assert "1 unchanged notebook(s) deselected" in err
    assert resolve_ref("auto", {"GITHUB_BASE_REF": "main"}) == "origin/main"
    monkeypatch.delenv("CI_MERGE_REQUEST_DIFF_BASE_SHA")
    assert cli.main(["check", "--changed", "auto"]) == 2
    assert "neither GITHUB_BASE_REF nor CI_MERGE_REQUEST_DIFF_BASE_SHA" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("glob", "matches", "misses"),
    [
        ("data/*.csv", ["data/x.csv"], ["data/sub/x.csv", "x.csv"]),
        ("src/**/*.py", ["src/a.py", "src/p/q/a.py"], ["src.py", "lib/src/a.py"]),
        ("**/conf?.yaml", ["conf1.yaml", "a/b/conf2.yaml"], ["conf10.yaml"]),
    ],
)
def test_depends_globs(glob: str, matches: list[str], misses: list[str]) -> None:
    pattern = glob_pattern(glob)
    assert [m for m in matches if pattern.match(m)] == matches
    assert [m for m in misses if pattern.match(m)] == []

"""Security: safe YAML only, no write outside the repository, no raw secret in any report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import factory

PACKAGE = Path(__file__).resolve().parents[2] / "pytest_nbgate"
# Assembled at run time: no whole secret is committed.
AWS_KEY = "AKIA" + "Z7Q2D4W6Y8A3C5E7"
GITHUB_TOKEN = "ghp_" + "x9Kd2LmQ4rT7vW1yZ3bN5cF8hJ0pS6uE2aG4"
REPORTS = ("json:r/report.json", "sarif:r/report.sarif", "gitlab:r/codequality.json")


def test_package_never_uses_unsafe_loaders() -> None:
    unsafe = re.compile(
        r"yaml\.(load|unsafe_load|full_load|load_all)\(|yaml\.(Unsafe|Full)?Loader\b|pickle|marshal\.load|\beval\(|\bexec\("
    )
    hits = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if unsafe.search(line)
    ]
    assert not hits, hits


def test_yaml_profile_cannot_run_code(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml", evil='extends: default\nfail-on: !!python/object/apply:os.system ["touch pwned"]\n'
    )
    factory.write(pytester.path / "nb.ipynb", factory.notebook(factory.code("x = 1")))
    result = pytester.runpytest("--nbgate", "--nbgate-no-execute", "--nbgate-profile=evil.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*evil.yaml*"])
    assert not (pytester.path / "pwned").exists()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("folder", "/tmp/nbgate-escape"),
        ("folder", "../escape"),
        ("image-diff-folder", "../../escape"),
    ],
)
def test_snapshot_folders_cannot_leave_the_repository(
    pytester: pytest.Pytester, key: str, value: str
) -> None:
    pytester.makefile(
        ".yaml", p=f"extends: default\nsnapshots:\n  store: external\n  {key}: {value}\n"
    )
    factory.write(pytester.path / "nb.ipynb", factory.notebook(factory.code("x = 1")))
    result = pytester.runpytest("--nbgate", "--nbgate-update", "--nbgate-profile=p.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*snapshots.{key}*outside the project root*"])


def test_symlinked_snapshot_folder_pointing_outside_is_refused(
    pytester: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (pytester.path / "snapshots").symlink_to(outside)
    pytester.makefile(
        ".yaml", p="extends: default\nsnapshots:\n  store: external\n  folder: snapshots\n"
    )
    factory.write(pytester.path / "nb.ipynb", factory.notebook(factory.code("x = 1")))
    result = pytester.runpytest("--nbgate", "--nbgate-update", "--nbgate-profile=p.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert not list(outside.iterdir())


def run_outside_the_root(pytester: pytest.Pytester) -> tuple[pytest.RunResult, list[Path]]:
    """``--nbgate-update`` on a notebook given by a path outside the root; the files it added."""
    repo = pytester.path / "repo"
    repo.mkdir()
    (repo / "pytest.ini").write_text("[pytest]\n")
    (repo / "p.yaml").write_text("extends: default\nsnapshots:\n  store: external\n")
    factory.write(
        pytester.path / "outside" / "nb.ipynb", factory.notebook(factory.code("print(1)"))
    )
    visible = "[!.]*"  # pytester's HOME is its folder: IPython's own files are not ours
    before = set(pytester.path.rglob(visible))
    result = pytester.runpytest(
        "--rootdir=repo",
        "-c",
        "repo/pytest.ini",
        "--nbgate",
        "--nbgate-update",
        "--nbgate-profile=p.yaml",
        "outside/nb.ipynb",
    )
    added = [p for p in set(pytester.path.rglob(visible)) - before if repo not in p.parents]
    return result, added


def test_notebook_outside_the_root_never_gets_a_golden_outside(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    result, added = run_outside_the_root(pytester)
    result.stdout.no_fnmatch_line("*INTERNALERROR*")
    assert not [p for p in added if ".ipython" not in p.parts], added


def test_notebook_outside_the_root_is_one_clear_finding(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    result, _added = run_outside_the_root(pytester)
    result.stdout.no_fnmatch_line("*Traceback*")
    result.stdout.fnmatch_lines(["*nb.ipynb*NB4*outside the project root*"])


def secret_project(root: Path) -> None:
    leaky = factory.code(
        f"token = '{GITHUB_TOKEN}'\nraise ValueError('rejected: ' + token)",
        outputs=[factory.stream(f"aws {AWS_KEY}\n")],
        execution_count=1,
    )
    factory.write(root / "leaky.ipynb", factory.notebook(leaky))


def assert_no_raw_secret(root: Path, *texts: str) -> None:
    for text in texts:
        assert AWS_KEY not in text and GITHUB_TOKEN not in text
    for path in (root / "r").rglob("*"):
        content = path.read_text(encoding="utf-8")
        assert AWS_KEY not in content, path.name
        assert GITHUB_TOKEN not in content, path.name


def test_no_report_format_carries_a_raw_secret_static(pytester: pytest.Pytester) -> None:
    secret_project(pytester.path)
    reports = [f"--nbgate-report={spec}" for spec in REPORTS]
    result = pytester.runpytest(
        "--nbgate", "--nbgate-no-execute", "--nbgate-github", "--junitxml=r/junit.xml", *reports
    )
    result.stdout.fnmatch_lines(["*SEC*", "*SEC*"], consecutive=False)
    assert_no_raw_secret(pytester.path, result.stdout.str(), result.stderr.str())


def test_no_report_format_carries_a_raw_secret_executed(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    secret_project(pytester.path)
    reports = [f"--nbgate-report={spec}" for spec in REPORTS]
    result = pytester.runpytest("--nbgate", "--nbgate-github", "--junitxml=r/junit.xml", *reports)
    result.stdout.fnmatch_lines(["*NB301*"])
    assert_no_raw_secret(pytester.path, result.stdout.str(), result.stderr.str())

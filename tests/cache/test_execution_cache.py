"""``cache: all``: execution replayed from the cache until the notebook or what it reads changes."""

from __future__ import annotations

import pytest

from tests import factory

RUN = ("--nbgate", "-v", "-p", "no:randomly")
PROJECT = """
[tool.nbgate]
cache = "all"

[tool.nbgate.execution]
depends = ["data/*.txt"]
"""


def _project(pytester: pytest.Pytester) -> None:
    (pytester.path / "pyproject.toml").write_text(PROJECT)
    (pytester.path / "data").mkdir()
    (pytester.path / "data" / "value.txt").write_text("41\n")
    source = "from pathlib import Path\nprint(int(Path('data/value.txt').read_text()) + 1)"
    factory.write(pytester.path / "reads.ipynb", factory.notebook(factory.code(source)))


@pytest.mark.usefixtures("process_mark")
def test_execution_is_replayed_until_a_depends_file_changes(pytester: pytest.Pytester) -> None:
    _project(pytester)
    cold = pytester.runpytest(*RUN)
    cold.stdout.re_match_lines([r"reads.*::execute PASSED +\["])
    (pytester.path / "README.md").write_text("not a dependency\n")
    warm = pytester.runpytest(*RUN)
    warm.stdout.fnmatch_lines(
        ["reads*::execute PASSED (cached)*", "*2 item(s) (cached): 1 execute, 1 lint"]
    )
    (pytester.path / "data" / "value.txt").write_text("0\n")
    changed = pytester.runpytest(*RUN)
    changed.stdout.re_match_lines(
        [r"reads.*::lint PASSED \(cached\)", r"reads.*::execute PASSED +\["]
    )


@pytest.mark.usefixtures("process_mark")
def test_a_failure_is_replayed_and_update_never_reads_the_cache(pytester: pytest.Pytester) -> None:
    _project(pytester)
    (pytester.path / "data" / "value.txt").write_text("not a number\n")
    pytester.runpytest(*RUN).assert_outcomes(passed=1, failed=1)
    warm = pytester.runpytest(*RUN)
    warm.stdout.fnmatch_lines(["reads*::execute FAILED (cached)*", "*NB301*ValueError*"])
    update = pytester.runpytest(*RUN, "--nbgate-update")
    update.stdout.no_fnmatch_line("*(cached)*")
    off = pytester.runpytest(*RUN, "--nbgate-cache=static")
    off.stdout.re_match_lines([r"reads.*::lint PASSED \(cached\)", r"reads.*::execute FAILED +\["])

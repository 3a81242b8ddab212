"""nbval's documented behaviour, marker by marker and option by option, gives the same verdict.

nbval's documentation: stored outputs are compared with fresh ones;
``# NBVAL_IGNORE_OUTPUT``, ``# NBVAL_CHECK_OUTPUT`` (with ``--nbval-lax``),
``# NBVAL_SKIP`` and ``# NBVAL_RAISES_EXCEPTION`` comments (any number of
leading ``#``, since nbval strips them) and the matching ``nbval-*`` tags;
``--nbval-sanitize-with FILE`` regex/replace pairs; ``--nbval-current-env``.
"""

from __future__ import annotations

import pytest

from tests import factory
from tests.peers.verdicts import Notebooks, execute_verdicts

code, notebook, stream = factory.code, factory.notebook, factory.stream


def printing(value: str, stored: str, marker: str = "", tags: tuple[str, ...] = ()) -> dict:
    """A cell printing ``value`` whose saved output says ``stored``."""
    source = f"{marker}print({value!r})"
    return code(source, outputs=[stream(stored + "\n")], execution_count=1, tags=tags)


NBVAL: Notebooks = {
    "unchanged.ipynb": notebook(printing("same", "same")),
    "changed.ipynb": notebook(printing("fresh", "stored")),
    "ignore_comment.ipynb": notebook(printing("fresh", "stored", "# NBVAL_IGNORE_OUTPUT\n")),
    "ignore_double_hash.ipynb": notebook(printing("fresh", "stored", "## NBVAL_IGNORE_OUTPUT\n")),
    "ignore_tag.ipynb": notebook(printing("fresh", "stored", tags=("nbval-ignore-output",))),
    "skip_comment.ipynb": notebook(code("# NBVAL_SKIP\n1 / 0"), code("x = 1")),
    "skip_double_hash.ipynb": notebook(code("## NBVAL_SKIP\n1 / 0"), code("x = 1")),
    "skip_tag.ipynb": notebook(code("1 / 0", tags=("nbval-skip",)), code("x = 1")),
    "raises_comment.ipynb": notebook(code("# NBVAL_RAISES_EXCEPTION\n1 / 0"), code("x = 1")),
    "raises_tag.ipynb": notebook(code("1 / 0", tags=("nbval-raises-exception",))),
    "raises_missing.ipynb": notebook(code("# NBVAL_RAISES_EXCEPTION\n1 / 1")),
}
EXPECTED = {
    "unchanged.ipynb": "passed",
    "changed.ipynb": "failed",
    "ignore_comment.ipynb": "passed",
    "ignore_double_hash.ipynb": "passed",
    "ignore_tag.ipynb": "passed",
    "skip_comment.ipynb": "passed",
    "skip_double_hash.ipynb": "passed",
    "skip_tag.ipynb": "passed",
    "raises_comment.ipynb": "passed",
    "raises_tag.ipynb": "passed",
    "raises_missing.ipynb": "failed",
}
NBVAL_SAYS = {**EXPECTED, "raises_missing.ipynb": "passed"}
"""nbval itself: the one deliberate difference is a marked cell that does not raise (NB302)."""


def test_each_nbval_marker_gives_nbvals_verdict(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    assert execute_verdicts(pytester, NBVAL) == EXPECTED


def test_lax_compares_only_cells_marked_to_be_checked(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    notebooks = {
        "unmarked.ipynb": notebook(printing("fresh", "stored")),
        "checked.ipynb": notebook(printing("fresh", "stored", "# NBVAL_CHECK_OUTPUT\n")),
        "checked_tag.ipynb": notebook(printing("fresh", "stored", tags=("nbval-check-output",))),
    }
    found = execute_verdicts(pytester, notebooks, "--nbgate-lax")
    assert found == {
        "unmarked.ipynb": "passed",
        "checked.ipynb": "failed",
        "checked_tag.ipynb": "failed",
    }


def test_sanitize_file_in_nbvals_format_scrubs_both_sides(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    (pytester.path / "nbval.cfg").write_text(
        "[run ids]\nregex: run-\\d+\nreplace: run-ID\n\n[hosts]\nregex: host \\w+\nreplace: HOST\n"
    )
    notebooks = {
        "ids.ipynb": notebook(printing("run-123 on host alpha", "run-9 on host beta")),
        "other.ipynb": notebook(printing("job-123", "job-9")),
    }
    found = execute_verdicts(pytester, notebooks, "--nbgate-sanitize-with=nbval.cfg")
    assert found == {"ids.ipynb": "passed", "other.ipynb": "failed"}


def test_sanitize_file_from_the_profile_and_a_missing_one_is_a_usage_error(
    pytester: pytest.Pytester,
) -> None:
    (pytester.path / "nbval.cfg").write_text("regex: \\d+\nreplace: N\n")
    (pytester.path / "gate.yaml").write_text(
        "extends: default\nsnapshots:\n  sanitize-with: [nbval.cfg]\n"
    )
    factory.write(pytester.path / "nb.ipynb", notebook(printing("7", "8")))
    pytester.runpytest("--nbgate", "--nbgate-profile=gate.yaml").assert_outcomes(passed=2)
    result = pytester.runpytest("--nbgate", "--nbgate-sanitize-with=absent.cfg")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*sanitize-with: cannot read absent.cfg*"])


def test_current_env_ignores_the_kernelspec(pytester: pytest.Pytester, process_mark: str) -> None:
    notebooks = {"elsewhere.ipynb": notebook(code("import sys\nx = 1"), kernel="py-project-env")}
    found = execute_verdicts(pytester, notebooks, "--nbgate-current-env")
    assert found == {"elsewhere.ipynb": "passed"}

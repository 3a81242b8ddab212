"""pytest-notebook's documented notebook metadata gives the same verdict here.

pytest-notebook reads ``nbreg`` notebook metadata: ``skip`` (with
``skip_reason``) skips the notebook's test; ``diff_ignore`` paths and
``diff_replace`` ``(path, regex, replacement)`` triples (notebook or cell
level) shape the comparison; a cell calling ``pytest.skip()`` skips the test
at run time instead of failing it.
"""

from __future__ import annotations

import pytest

from tests import factory
from tests.peers.verdicts import execute_verdicts

code, notebook = factory.code, factory.notebook


def test_nbreg_skip_and_a_cell_calling_pytest_skip_skip_the_execute_item(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    factory.write(
        pytester.path / "nbreg_skip.ipynb",
        notebook(code("1 / 0"), metadata={"nbreg": {"skip": True, "skip_reason": "needs a GPU"}}),
    )
    factory.write(
        pytester.path / "nbreg_not_skipped.ipynb",
        notebook(code("1 / 0"), metadata={"nbreg": {"skip": False, "skip_reason": "unused"}}),
    )
    factory.write(
        pytester.path / "skips_itself.ipynb",
        notebook(code("import pytest\npytest.skip('no data today')"), code("1 / 0")),
    )
    result = pytester.runpytest("--nbgate", "-k", "execute", "-rs")
    result.assert_outcomes(skipped=2, failed=1, deselected=3)
    result.stdout.fnmatch_lines_random(
        [
            "SKIPPED [[]1[]] nbreg_skip.ipynb*needs a GPU",
            "SKIPPED [[]1[]] skips_itself.ipynb*no data today",
        ]
    )


def printed(value: str, stored: str, **metadata: object) -> dict:
    outputs = [factory.stream(stored + "\n")]
    return code(f"print({value!r})", outputs=outputs, execution_count=1, metadata=metadata)


def test_nbreg_diff_ignore_and_diff_replace_give_pytest_notebooks_verdict(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    changed = printed("run 123", "run 9")
    notebooks = {
        "compared.ipynb": notebook(changed),
        "ignore_cell.ipynb": notebook(
            changed, metadata={"nbreg": {"diff_ignore": ["/cells/0/outputs"]}}
        ),
        "ignore_other_cell.ipynb": notebook(
            changed, metadata={"nbreg": {"diff_ignore": ["/cells/1/outputs"]}}
        ),
        "ignore_text.ipynb": notebook(
            changed, metadata={"nbreg": {"diff_ignore": ["/cells/*/outputs/*/text"]}}
        ),
        "ignore_in_cell.ipynb": notebook(
            printed("run 123", "run 9", nbreg={"diff_ignore": ["/outputs"]})
        ),
        "replace.ipynb": notebook(
            changed,
            metadata={"nbreg": {"diff_replace": [["/cells/*/outputs/*/text", "\\d+", "N"]]}},
        ),
        "replace_elsewhere.ipynb": notebook(
            changed,
            metadata={"nbreg": {"diff_replace": [["/cells/*/outputs/*/data", "\\d+", "N"]]}},
        ),
    }
    assert execute_verdicts(pytester, notebooks) == {
        "compared.ipynb": "failed",
        "ignore_cell.ipynb": "passed",
        "ignore_other_cell.ipynb": "failed",
        "ignore_text.ipynb": "passed",
        "ignore_in_cell.ipynb": "passed",
        "replace.ipynb": "passed",
        "replace_elsewhere.ipynb": "failed",
    }

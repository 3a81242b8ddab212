"""pytest-notebook's documented notebook metadata gives the same verdict here.

pytest-notebook reads ``nbreg`` notebook metadata: ``skip`` (with
``skip_reason``) skips the notebook's test, and a cell calling
``pytest.skip()`` skips it at run time instead of failing it.
"""

from __future__ import annotations

import pytest

from tests import factory

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

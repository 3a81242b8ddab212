"""An ``error`` output recorded while the kernel reports success still fails the cell.

IPython reports a failing post-execute callback (the inline backend drawing a
figure, any user hook) as an ``error`` output after the cell's code finished,
and the execute reply says ``ok``: nbmake and nbval fail such a cell, so do we.
"""

from __future__ import annotations

import pytest

from tests import factory

HOOK = (
    "def boom(*args):\n"
    "    raise ValueError('hook failed')\n"
    "get_ipython().events.register('post_execute', boom)"
)
BAD_FIGURE = (
    "%matplotlib inline\n"
    "import matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots()\n"
    "ax.set_title('$\\\\frac{1}$')"
)


@pytest.mark.parametrize("source", [HOOK, BAD_FIGURE], ids=["post-execute-hook", "inline-figure"])
def test_error_output_after_a_successful_reply_fails_the_cell(
    pytester: pytest.Pytester, process_mark: str, source: str
) -> None:
    factory.write(
        pytester.path / "nb.ipynb",
        factory.notebook(factory.code("x = 1"), factory.code(source), factory.code("y = 2")),
    )
    result = pytester.runpytest("--nbgate", "-k", "execute")
    result.assert_outcomes(failed=1, deselected=1)
    result.stdout.fnmatch_lines(["*nb.ipynb:cell 1*: NB301 [[]error[]] ValueError: *"])


def test_error_output_in_a_cell_marked_to_raise_passes(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    factory.write(
        pytester.path / "nb.ipynb",
        factory.notebook(factory.code(HOOK, tags=("raises-exception",)), factory.code("y = 2")),
    )
    # The hook stays registered: every later cell records the error too.
    result = pytester.runpytest("--nbgate", "-k", "execute")
    result.assert_outcomes(failed=1, deselected=1)
    result.stdout.fnmatch_lines(["*nb.ipynb:cell 1*: NB301*hook failed*"])

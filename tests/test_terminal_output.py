"""What a failing run prints: node ids, no kernel banners, --tb honoured, colour on request."""

from __future__ import annotations

import re

import pytest

from pytest_nbgate.findings import Finding, Location, Severity
from pytest_nbgate.reporters.terminal import format_failure, trim_traceback
from tests import factory

BANNER = re.compile(r"NOTE: When using the `ipython kernel`|--existing |To connect another client")
TIMEOUT_1S = {"nbgate": {"timeout": 1}}
DECODE = 'import json\n\njson.loads("{")'


@pytest.fixture
def failing(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeini("[pytest]\nnbgate = true\n")
    factory.write(pytester.path / "raises.ipynb", factory.notebook(factory.code(DECODE)))
    # The clue is assembled at run time: only the kernel's log can show it whole.
    dies = "import os\n\nos.write(2, ('clue ' + 'from the dying kernel\\n').encode())\nos._exit(3)"
    factory.write(pytester.path / "dies.ipynb", factory.notebook(factory.code(dies)))
    stale = factory.notebook(factory.code("print(y)", execution_count=1), factory.code("y = 1"))
    hangs = factory.notebook(factory.code("import time\n\ntime.sleep(60)"), metadata=TIMEOUT_1S)
    factory.write(pytester.path / "hangs.ipynb", hangs)
    factory.write(pytester.path / "stale.ipynb", stale)
    return pytester


def _banner_lines(result: pytest.RunResult) -> list[str]:
    out = result.stdout.lines + result.stderr.lines
    return [line for line in out if BANNER.search(line)]


def _on_ci(monkeypatch: pytest.MonkeyPatch, ci: bool) -> None:
    # pytest prints whole failures in the short summary on CI: the same text must not show twice.
    monkeypatch.delenv("BUILD_NUMBER", raising=False)
    if ci:
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)


@pytest.mark.parametrize("ci", [False, True], ids=["local", "ci"])
def test_failing_run_prints_node_ids_and_no_kernel_banner(
    failing: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: bool
) -> None:
    # Four notebooks: kernels come forked from the prewarm fork server.
    _on_ci(monkeypatch, ci)
    result = failing.runpytest_subprocess("-v", "-rf")
    out = result.stdout.str() + result.stderr.str()
    assert result.ret == 1
    assert _banner_lines(result) == []
    assert re.search(r"^raises\.ipynb::execute FAILED", result.stdout.str(), re.M), out
    assert re.search(r"^dies\.ipynb::lint PASSED", result.stdout.str(), re.M), out
    # A timeout and a dead kernel are the finding alone: no "Kernel died" log section.
    assert re.search(r"FAILED hangs\.ipynb::execute - NB303", out), out
    assert "Captured log" not in out
    # The kernel's own output is shown only for the kernel that died, under its finding.
    assert out.count("clue from the dying kernel") == 1
    assert "kernel output (last lines):" in out
    assert re.search(r"FAILED raises\.ipynb::execute - NB301 JSONDecodeError", out), out
    assert re.search(r"FAILED stale\.ipynb::lint - NB206 'y' is read before", out), out
    summary = result.stdout.str().split("short test summary info", 1)[1].splitlines()[1:]
    assert [line for line in summary if not line.startswith(("FAILED ", "="))] == []


def test_a_kernel_started_without_prewarm_is_quiet_too(failing: pytest.Pytester) -> None:
    # -vv prints whole short-summary messages, as CI does.
    result = failing.runpytest_subprocess("--nbgate-prewarm=0", "-vv", "-k", "dies and execute")
    assert result.ret == 1
    assert _banner_lines(result) == []
    assert result.stdout.str().count("clue from the dying kernel") == 1


def test_tb_short_keeps_the_cell_frame_and_the_error_line(failing: pytest.Pytester) -> None:
    result = failing.runpytest_subprocess("--tb=short", "-k", "raises and execute")
    section = result.stdout.str().split("FAILURES", 1)[1].split("= nbgate =", 1)[0]
    assert "Cell In[1], line 3" in section
    assert "JSONDecodeError: Expecting" in section
    assert "json/decoder.py" not in section
    assert "library frame(s) shortened; --tb=long shows them" in section


def test_tb_line_prints_one_line_per_failure(failing: pytest.Pytester) -> None:
    result = failing.runpytest_subprocess("--tb=line", "-k", "stale and lint")
    section = result.stdout.str().split("FAILURES =", 1)[1].split("= nbgate =", 1)[0]
    lines = [line for line in section.splitlines() if line.strip("= ")]
    assert lines == [
        "stale.ipynb:cell 0 [1]:1: NB206 [error] 'y' is read before it is bound "
        "(first bound later, in cell 1)"
    ], section


def test_colour_only_when_asked(failing: pytest.Pytester) -> None:
    coloured = failing.runpytest_subprocess("--color=yes", "-k", "stale and lint")
    assert "\x1b[1mNB206\x1b[0m \x1b[31m[error]\x1b[0m" in coloured.stdout.str()
    plain = failing.runpytest_subprocess("--color=no", "-k", "stale and lint")
    assert "\x1b[" not in plain.stdout.str()
    assert "stale.ipynb:cell 0 [1]:1: NB206 [error]" in plain.stdout.str()


IPYTHON_TRACEBACK = """\
---------------------------------------------------------------------------
KeyError                                  Traceback (most recent call last)
Cell In[2], line 1
----> 1 frame.groupby("regoin")

File /site-packages/pandas/core/frame.py:13788, in DataFrame.groupby(self, by)
  13787
> 13788         return DataFrameGroupBy(obj=self, keys=by)

File /site-packages/pandas/core/groupby/grouper.py:925, in get_grouper(obj, key)
    924     else:
--> 925         raise KeyError(gpr)

KeyError: 'regoin'"""


def test_trim_traceback_keeps_cells_and_the_error_line() -> None:
    short = trim_traceback(IPYTHON_TRACEBACK, "short")
    assert "Cell In[2], line 1" in short and short.endswith("KeyError: 'regoin'")
    assert "frame.py" not in short and "grouper.py" not in short
    auto = trim_traceback(IPYTHON_TRACEBACK, "auto")
    assert "File /site-packages/pandas/core/frame.py:13788" in auto
    assert "return DataFrameGroupBy" not in auto and "raise KeyError(gpr)" in auto
    assert trim_traceback(IPYTHON_TRACEBACK, "long") == IPYTHON_TRACEBACK
    assert trim_traceback("no traceback here", "short") == "no traceback here"


def test_failure_text_starts_with_the_message_for_the_short_summary() -> None:
    where = Location("nb.ipynb", cell_index=2, line=1, execution_count=5)
    finding = Finding("NB301", "cell-raised", Severity.ERROR, where, "KeyError: 'regoin'")
    text = format_failure([finding], Severity.ERROR)
    assert text.splitlines()[0] == "NB301 KeyError: 'regoin' (cell 2 [5]:1)"
    assert "nb.ipynb:cell 2 [5]:1: NB301 [error] KeyError: 'regoin'" in text

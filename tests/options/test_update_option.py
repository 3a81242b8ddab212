"""--nbgate-update end to end: goldens written atomically, compared next run, unused reported."""

from __future__ import annotations

import json

import pytest

from tests import factory


def _nb(pytester: pytest.Pytester, name: str, source: str) -> None:
    factory.write(pytester.path / name, factory.notebook(factory.code(source, cell_id="only")))


def test_notebook_store_missing_golden_update_then_mismatch(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    _nb(pytester, "nb.ipynb", "print('hello')")
    pytester.runpytest("--nbgate").assert_outcomes(passed=2)
    pytester.makefile(".yaml", p="snapshots: {require-outputs: true}\n")
    first = pytester.runpytest("--nbgate", "--nbgate-profile=p.yaml")
    first.stdout.fnmatch_lines(["*nb.ipynb*NB402*", "*--nbgate-update*"])
    pytester.runpytest("--nbgate", "--nbgate-update").assert_outcomes(passed=2)
    saved = json.loads((pytester.path / "nb.ipynb").read_text())
    assert saved["cells"][0]["outputs"][0]["text"] == ["hello\n"]
    pytester.runpytest("--nbgate").assert_outcomes(passed=2)
    text = (pytester.path / "nb.ipynb").read_text().replace('"hello\\n"', '"hallo\\n"')
    (pytester.path / "nb.ipynb").write_text(text)
    result = pytester.runpytest("--nbgate")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*NB401*Output differs*", "*-hallo", "*+hello"])


def test_external_store_under_xdist_and_unused_goldens(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    pytester.makefile(".yaml", profile="extends: default\nsnapshots: {store: external}\n")
    for name in ("a", "b", "c"):
        _nb(pytester, f"{name}.ipynb", f"print('{name}' * 3)")
    args = ("--nbgate", "--nbgate-profile=profile.yaml")
    pytester.runpytest_subprocess(*args, "--nbgate-update", "-n", "2").assert_outcomes(passed=6)
    goldens = sorted(p.name for p in (pytester.path / "__snapshots__").iterdir())
    assert goldens == ["a.ipynb.golden.txt", "b.ipynb.golden.txt", "c.ipynb.golden.txt"]
    assert "| aaa" in (pytester.path / "__snapshots__" / "a.ipynb.golden.txt").read_text()
    (pytester.path / "c.ipynb").unlink()
    result = pytester.runpytest(*args)
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*c.ipynb.golden.txt*NB403*"])
    pytester.runpytest(*args, "--nbgate-update").assert_outcomes(passed=4)
    assert not (pytester.path / "__snapshots__" / "c.ipynb.golden.txt").exists()


def test_update_never_saves_a_leaked_secret(pytester: pytest.Pytester, process_mark: str) -> None:
    token = "gh" + "p_" + "Q7" * 18
    source = f"print('token', {token[:10]!r} + {token[10:]!r})"
    _nb(pytester, "leak.ipynb", source)
    result = pytester.runpytest("--nbgate", "--nbgate-update")
    result.assert_outcomes(passed=1, failed=1)
    assert token not in (pytester.path / "leak.ipynb").read_text()
    assert token not in result.stdout.str()

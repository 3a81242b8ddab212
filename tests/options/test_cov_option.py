"""--nbgate-cov end to end: per-notebook cell coverage, module totals, fail-under, -n 2."""

from __future__ import annotations

import json

import pytest

from tests import factory

MODULE = "def used(x):\n    return x + 1\n\n\ndef unused(x):\n    return x - 1\n"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    (pytester.path / "pkg").mkdir()
    (pytester.path / "pkg" / "calc.py").write_text(MODULE)
    for name in ("a", "b"):
        nb = factory.notebook(
            factory.code("import sys\nsys.path.insert(0, '.')\nfrom pkg.calc import used"),
            factory.code("print(used(1))\nif used(0) > 5:\n    print('never')"),
        )
        factory.write(pytester.path / f"{name}.ipynb", nb)
    pytester.makefile(".yaml", p="coverage: {fail-under: 90}\n")
    return pytester


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["single", "xdist"])
def test_module_and_cell_coverage_with_fail_under(
    project: pytest.Pytester, process_mark: str, workers: tuple[str, ...]
) -> None:
    result = project.runpytest_subprocess(
        "--nbgate",
        "--nbgate-profile=p.yaml",
        "--nbgate-cov=pkg",
        "--nbgate-report=json:r.json",
        *workers,
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "pkg: COV102 [[]error[]] Module coverage 75.0% (min 90.0%)*",
            "*nbgate coverage*",
            "a.ipynb: cells 83.3% (5/6 statements); cells not fully run: 1",
            "pkg/calc.py: 75.0%  missing 6",
        ]
    )
    report = json.loads((project.path / "r.json").read_text())
    assert report["extra"]["coverage"]["percent"] == pytest.approx(75.0)
    cells = {n["path"]: n["coverage"] for n in report["notebooks"]}
    assert set(cells) == {"a.ipynb", "b.ipynb"}
    assert all(c["statements"] > c["executed"] > 0 for c in cells.values())
    assert [f["rule_id"] for f in report["findings"]] == ["COV102"]
    leftovers = [p.name for p in project.path.glob(".nbgate-coverage-kernel*")]
    assert leftovers == []

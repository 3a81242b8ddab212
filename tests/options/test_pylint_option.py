"""The ::pylint item: opt-in, batched, findings mapped to cells and .ipynb lines."""

from __future__ import annotations

import json

import pytest

from tests import factory


def test_pylint_items_only_when_asked(pytester: pytest.Pytester) -> None:
    factory.write(pytester.path / "a.ipynb", factory.notebook(factory.code("x = 1")))
    assert "::pylint" not in pytester.runpytest("--nbgate", "--collect-only", "-q").stdout.str()
    result = pytester.runpytest("--nbgate", "--nbgate-pylint", "--collect-only", "-q")
    assert "a.ipynb::pylint" in result.stdout.str()
    pytester.makefile(".yaml", p="pylint: {enabled: true}\n")
    result = pytester.runpytest("--nbgate", "--nbgate-profile=p.yaml", "--collect-only", "-q")
    assert "a.ipynb::pylint" in result.stdout.str()


def test_pylint_findings_point_at_cell_and_file_line(pytester: pytest.Pytester) -> None:
    nb = factory.notebook(
        factory.code("%matplotlib inline\nimport os", cell_id="imports"),
        factory.code(""),
        factory.code("def f():\n    return undefined_name", cell_id="fn"),
    )
    factory.write(pytester.path / "a.ipynb", nb)
    factory.write(pytester.path / "b.ipynb", factory.notebook(factory.code("y = 2\ny")))
    result = pytester.runpytest(
        "--nbgate", "--nbgate-pylint", "-k", "pylint", "--nbgate-report=json:r.json"
    )
    result.assert_outcomes(passed=1, failed=1, deselected=4)
    report = json.loads((pytester.path / "r.json").read_text())
    by_id = {f["rule_id"]: f for f in report["findings"]}
    undefined = by_id["PLE0602"]
    assert (undefined["cell_id"], undefined["line"]) == ("fn", 2)
    text = factory.dumps(nb).splitlines()
    assert "return undefined_name" in text[undefined["file_line"] - 1]
    assert by_id["PLW0611"]["cell_id"] == "imports"
    assert by_id["PLW0611"]["line"] == 2

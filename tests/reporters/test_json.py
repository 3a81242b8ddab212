"""The JSON report validates against the shipped schema and is identical with -n 2."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from pytest_nbgate.profile import SCHEMAS
from tests import factory


@pytest.fixture
def mixed_repo(pytester: pytest.Pytester) -> pytest.Pytester:
    factory.write(pytester.path / "ok.ipynb", factory.notebook(factory.code("print(1)")))
    factory.write(
        pytester.path / "raises.ipynb",
        factory.notebook(factory.code("x = 1", cell_id="a"), factory.code("x.nope", cell_id="b")),
    )
    factory.write(
        pytester.path / "missing.ipynb", factory.notebook(factory.code("1"), kernel="nope-kernel")
    )
    (pytester.path / "broken.ipynb").write_text('{"cells": [')
    return pytester


def _report(pytester: pytest.Pytester, name: str, *args: str) -> dict:
    result = pytester.runpytest_subprocess("--nbgate", f"--nbgate-report=json:{name}", *args)
    assert result.ret == pytest.ExitCode.TESTS_FAILED, result.stdout.str()
    return json.loads((pytester.path / name).read_text())


def test_report_validates_and_is_identical_under_xdist(
    mixed_repo: pytest.Pytester, process_mark: str
) -> None:
    single = _report(mixed_repo, "single.json")
    parallel = _report(mixed_repo, "parallel.json", "-n", "2")
    schema = json.loads((Path(SCHEMAS) / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(single)
    assert single == parallel
    assert [f["rule_id"] for f in single["findings"]] == ["NB001", "NB306", "NB301"]
    assert single["summary"] == {
        "notebooks": 4,
        "findings": 3,
        "failing": 3,
        "by_severity": {"error": 3, "warning": 0, "info": 0},
    }
    outcomes = {n["path"]: n["items"] for n in single["notebooks"]}
    assert outcomes["broken.ipynb"] == {"lint": "failed"}
    assert outcomes["ok.ipynb"] == {"execute": "passed", "lint": "passed"}


def test_junit_xml_carries_findings_as_properties(mixed_repo: pytest.Pytester) -> None:
    mixed_repo.runpytest("--nbgate", "--nbgate-no-execute", "--junitxml=junit.xml")
    xml = (mixed_repo.path / "junit.xml").read_text()
    assert 'name="nbgate:NB001"' in xml
    assert "invalid JSON at line 1" in xml


def test_unknown_report_format_is_a_usage_error(mixed_repo: pytest.Pytester) -> None:
    result = mixed_repo.runpytest("--nbgate", "--nbgate-report=xml:out.xml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--nbgate-report 'xml:out.xml': unknown format 'xml'*"])

"""GitLab reporter: exact Code Quality JSON, validated against the documented format."""

from __future__ import annotations

import dataclasses
import json

import pytest

from pytest_nbgate.reporters import gitlab
from tests.reporters.sample import KEY, PYLINT, RAISED, report, validate


def test_output_is_the_documented_code_quality_format() -> None:
    issues = json.loads(gitlab.render(report()))
    validate(issues, "gitlab-code-quality.schema.json")
    assert issues[0] == {
        "description": "NB301 ZeroDivisionError: division by zero (cell 2, line 3)",
        "check_name": "NB301",
        "fingerprint": RAISED.fingerprint,
        "severity": "critical",
        "location": {"path": "notebooks/etl.ipynb", "lines": {"begin": 41}},
    }


def test_exact_text() -> None:
    assert gitlab.render(report((PYLINT,))) == (
        "[\n"
        "  {\n"
        '    "description": "PLW0611 Unused import os (cell 0, line 1)",\n'
        '    "check_name": "PLW0611",\n'
        f'    "fingerprint": "{PYLINT.fingerprint}",\n'
        '    "severity": "minor",\n'
        '    "location": {\n'
        '      "path": "notebooks/plot, v2.ipynb",\n'
        '      "lines": {\n'
        '        "begin": 12\n'
        "      }\n"
        "    }\n"
        "  }\n"
        "]\n"
    )


def test_severities_map_onto_gitlab_scale() -> None:
    severities = [issue["severity"] for issue in json.loads(gitlab.render(report()))]
    assert severities == ["critical", "minor", "minor", "critical", "info"]


def test_an_empty_report_is_an_empty_array() -> None:
    assert gitlab.render(report(())) == "[]\n"
    validate([], "gitlab-code-quality.schema.json")


def test_findings_sharing_a_fingerprint_appear_once() -> None:
    again = dataclasses.replace(RAISED, location=dataclasses.replace(RAISED.location, line=9))
    issues = json.loads(gitlab.render(report((RAISED, again))))
    assert len(issues) == 1


def test_the_evidence_hash_never_reaches_the_output() -> None:
    assert KEY.evidence not in gitlab.render(report())


def test_the_schema_rejects_what_gitlab_would_drop() -> None:
    bad = json.loads(gitlab.render(report((RAISED,))))
    bad[0]["severity"] = "error"
    del bad[0]["location"]["lines"]
    with pytest.raises(AssertionError, match="severity") as caught:
        validate(bad, "gitlab-code-quality.schema.json")
    assert "location" in str(caught.value)

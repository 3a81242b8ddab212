"""SARIF reporter: valid SARIF 2.1.0, rule help from the registry, stable fingerprints."""

from __future__ import annotations

import dataclasses
import inspect
import json
from typing import Any

from pytest_nbgate.registry import BY_ID
from pytest_nbgate.reporters import sarif
from tests.reporters.sample import FINDINGS, KEY, LONG, PYLINT, RAISED, report, validate


def _log(findings: tuple = FINDINGS) -> dict[str, Any]:  # type: ignore[type-arg]
    loaded: dict[str, Any] = json.loads(sarif.render(report(findings)))
    return loaded


def test_output_validates_against_the_official_sarif_2_1_0_schema() -> None:
    validate(_log(), "sarif-schema-2.1.0.json")


def test_an_empty_run_is_valid_and_has_no_results() -> None:
    log = _log(())
    validate(log, "sarif-schema-2.1.0.json")
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


def test_result_points_at_the_ipynb_line_with_a_relative_uri() -> None:
    (first,) = _log((RAISED,))["runs"][0]["results"]
    assert first == {
        "ruleId": "NB301",
        "ruleIndex": 0,
        "level": "error",
        "message": {"text": "ZeroDivisionError: division by zero (cell 2, line 3)"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "notebooks/etl.ipynb", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 41},
                }
            }
        ],
        "partialFingerprints": {
            "nbgateFingerprint/v1": RAISED.fingerprint,
            "primaryLocationLineHash": RAISED.fingerprint,
        },
        "properties": {"cellIndex": 2, "cellId": "c2", "cellLine": 3},
    }


def test_uri_is_percent_encoded_and_notebook_level_findings_start_at_line_1() -> None:
    results = _log()["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert "notebooks/plot%2C%20v2.ipynb" in uris
    # The vendored schema's "uri-reference" format is only checked with rfc3987 installed.
    assert all(":" not in uri and not uri.startswith("/") and " " not in uri for uri in uris)
    last = results[-1]
    assert last["level"] == "note"
    assert last["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert "properties" not in last


def test_rules_come_from_the_registry_with_the_docstring_as_help() -> None:
    rules = _log()["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["NB003", "NB101", "NB301", "PLW0611", "SEC101"]
    nb101 = rules[1]
    doc = inspect.cleandoc(BY_ID["NB101"].__doc__ or "")
    assert nb101["name"] == "cell-too-long"
    assert nb101["shortDescription"] == {"text": BY_ID["NB101"].summary()}
    assert nb101["help"]["text"] == doc
    assert "#### What it does" in nb101["help"]["markdown"]
    assert nb101["defaultConfiguration"] == {"level": "warning"}


def test_results_reference_their_rule_by_index() -> None:
    log = _log()
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_unknown_rule_ids_get_a_generic_entry() -> None:
    (rule,) = _log((PYLINT,))["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "PLW0611"
    assert rule["name"] == "unused-import"
    assert rule["shortDescription"]["text"] == "pylint message PLW0611 (unused-import)"
    assert rule["defaultConfiguration"] == {"level": "warning"}


def test_secret_rules_are_security_alerts() -> None:
    (rule,) = _log((KEY,))["runs"][0]["tool"]["driver"]["rules"]
    assert "security" in rule["properties"]["tags"]
    assert rule["properties"]["security-severity"] == "8.0"


def test_moving_a_cell_changes_the_line_but_not_the_fingerprint() -> None:
    location = dataclasses.replace(LONG.location, cell_index=9, line=2, file_line=300)
    moved = dataclasses.replace(LONG, location=location)
    before, after = (_log((f,))["runs"][0]["results"][0] for f in (LONG, moved))
    assert before["partialFingerprints"] == after["partialFingerprints"]
    assert before["locations"] != after["locations"]


def test_the_evidence_hash_never_reaches_the_output() -> None:
    assert KEY.evidence not in sarif.render(report())

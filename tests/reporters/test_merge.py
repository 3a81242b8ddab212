"""Merging per-shard reports: one report, deduplicated by fingerprint, still valid."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_nbgate.findings import Finding
from pytest_nbgate.reporters import gitlab, sarif
from pytest_nbgate.reporters.merge import MergeError, merge_gitlab, merge_json, merge_sarif
from tests.reporters.sample import KEY, LONG, NOTEBOOK_LEVEL, PYLINT, RAISED, report, validate


def _json_report(findings: tuple[Finding, ...], notebooks: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "version": 1,
        "tool_version": "0.1.0",
        "findings": [f.to_dict() for f in findings],
        "notebooks": notebooks,
    }


def test_json_shards_merge_into_one_sorted_list_without_duplicates() -> None:
    shard1 = _json_report((RAISED, LONG), [{"path": "notebooks/etl.ipynb", "items": {"lint": "p"}}])
    shard2 = _json_report(
        (NOTEBOOK_LEVEL, RAISED),
        [
            {"path": "old.ipynb", "items": {"lint": "p"}},
            {"path": "notebooks/etl.ipynb", "items": {"execute": "f"}},
        ],
    )
    merged = merge_json([shard1, shard2])
    assert merged["version"] == 1
    assert [f["rule_id"] for f in merged["findings"]] == ["NB301", "NB101", "NB003"]
    assert merged["notebooks"] == [
        {"path": "notebooks/etl.ipynb", "items": {"lint": "p", "execute": "f"}},
        {"path": "old.ipynb", "items": {"lint": "p"}},
    ]


def test_json_findings_without_a_stored_fingerprint_are_keyed_by_a_computed_one() -> None:
    entry = RAISED.to_dict()
    del entry["fingerprint"]
    merged = merge_json([_json_report((RAISED,), []), {"findings": [entry]}])
    assert len(merged["findings"]) == 1


def test_json_merge_rejects_bad_shards_by_number() -> None:
    with pytest.raises(MergeError, match="no reports"):
        merge_json([])
    with pytest.raises(MergeError, match="shard 2: 'findings'"):
        merge_json([_json_report((), []), {"findings": {"x": 1}}])


def _sarif(*findings: Finding) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(sarif.render(report(tuple(findings))))
    return loaded


def test_sarif_shards_merge_into_one_valid_run() -> None:
    merged = merge_sarif([_sarif(RAISED, PYLINT), _sarif(KEY, RAISED), _sarif()])
    validate(merged, "sarif-schema-2.1.0.json")
    (run,) = merged["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["NB301", "PLW0611", "SEC101"]
    assert [r["ruleId"] for r in run["results"]] == ["NB301", "PLW0611", "SEC101"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert run["tool"]["driver"]["version"] == "0.1.0"


def test_sarif_merge_of_one_shard_is_that_shard() -> None:
    log = _sarif(RAISED, LONG, KEY)
    assert merge_sarif([log]) == log


def test_sarif_runs_of_other_tools_are_kept() -> None:
    other = {"tool": {"driver": {"name": "codeql"}}, "results": []}
    foreign = {"version": "2.1.0", "runs": [other]}
    merged = merge_sarif([_sarif(RAISED), foreign])
    validate(merged, "sarif-schema-2.1.0.json")
    assert merged["runs"][1] == other


def test_sarif_merge_rejects_other_versions() -> None:
    with pytest.raises(MergeError, match=r"shard 2: not a SARIF 2\.1\.0 log"):
        merge_sarif([_sarif(), {"version": "2.0.0", "runs": []}])


def test_gitlab_shards_merge_by_fingerprint() -> None:
    first = json.loads(gitlab.render(report((RAISED, LONG))))
    second = json.loads(gitlab.render(report((LONG, KEY))))
    merged = merge_gitlab([first, second])
    validate(merged, "gitlab-code-quality.schema.json")
    assert [i["check_name"] for i in merged] == ["NB301", "NB101", "SEC101"]

"""Merge per-shard reports into one, deduplicated by finding fingerprint (``nbgate merge``).

Pure functions over parsed JSON: the caller reads the shard files and writes
the result. Sharded CI jobs (pytest-split groups) each see part of the
notebooks; a notebook seen by two shards (a rerun, an overlapping split)
must not count its findings twice, and fingerprints carry no line numbers,
so the same problem has the same fingerprint in every shard.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pytest_nbgate.findings import Finding
from pytest_nbgate.reporters.sarif import FINGERPRINT_KEY, SCHEMA_URI, TOOL_NAME


class MergeError(ValueError):
    """A shard report is not of the expected shape; the message names the shard."""


def _finding_key(entry: dict[str, Any]) -> str:
    fingerprint = entry.get("fingerprint")
    if isinstance(fingerprint, str) and fingerprint:
        return fingerprint
    return Finding.from_dict(entry).fingerprint


def _sort_key(entry: dict[str, Any]) -> tuple[str, int, int, int, str]:
    def number(key: str) -> int:
        value = entry.get(key)
        return value if isinstance(value, int) else -1

    return (
        str(entry.get("path", "")),
        number("cell_index"),
        number("output_index"),
        number("line"),
        str(entry.get("rule_id", "")),
    )


def _list_of_dicts(report: dict[str, Any], key: str, shard: int) -> list[dict[str, Any]]:
    value = report.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise MergeError(f"shard {shard}: {key!r} is not a list of objects")
    return value


def merge_json(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One nbgate JSON report from shard reports.

    ``findings`` are deduplicated by ``fingerprint`` (first shard wins) and
    sorted like :meth:`Finding.sort_key`; ``notebooks`` are merged by
    ``path`` (later shards add item outcomes). Every other top-level key is
    taken from the first report: totals derived from findings are the
    caller's to recompute from the merged list.
    """
    if not reports:
        raise MergeError("no reports to merge")
    findings: dict[str, dict[str, Any]] = {}
    notebooks: dict[str, dict[str, Any]] = {}
    for shard, report in enumerate(reports, 1):
        if not isinstance(report, dict):
            raise MergeError(f"shard {shard}: not a JSON object")
        for entry in _list_of_dicts(report, "findings", shard):
            findings.setdefault(_finding_key(entry), entry)
        for entry in _list_of_dicts(report, "notebooks", shard):
            _merge_notebook(notebooks, entry)
    merged = dict(reports[0])
    merged["findings"] = sorted(findings.values(), key=_sort_key)
    if any("notebooks" in report for report in reports):
        merged["notebooks"] = [notebooks[path] for path in sorted(notebooks)]
    return merged


def _merge_notebook(notebooks: dict[str, dict[str, Any]], entry: dict[str, Any]) -> None:
    path = str(entry.get("path", ""))
    known = notebooks.get(path)
    if known is None:
        notebooks[path] = dict(entry)
        return
    items = {**known.get("items", {}), **entry.get("items", {})}
    notebooks[path] = {**known, **entry, "items": items}


def _result_key(result: dict[str, Any]) -> str:
    fingerprints = result.get("partialFingerprints") or {}
    fingerprint = fingerprints.get(FINGERPRINT_KEY)
    if isinstance(fingerprint, str) and fingerprint:
        return fingerprint
    # A result from an older or foreign writer: identical content is the same result.
    return json.dumps(
        [result.get("ruleId"), result.get("locations"), result.get("message")], sort_keys=True
    )


def _runs(reports: Iterable[dict[str, Any]]) -> Iterable[tuple[int, dict[str, Any]]]:
    for shard, report in enumerate(reports, 1):
        if not isinstance(report, dict) or report.get("version") != "2.1.0":
            raise MergeError(f"shard {shard}: not a SARIF 2.1.0 log")
        runs = report.get("runs")
        if not isinstance(runs, list):
            raise MergeError(f"shard {shard}: not a SARIF 2.1.0 log")
        for run in runs:
            yield shard, run


def merge_sarif(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """One SARIF 2.1.0 log with a single nbgate run from shard logs.

    Rules are united by id (sorted, ``ruleIndex`` recomputed), results
    deduplicated by the nbgate fingerprint. Runs of other tools are kept
    as they are, after the nbgate run.
    """
    if not reports:
        raise MergeError("no reports to merge")
    driver: dict[str, Any] = {}
    rules: dict[str, dict[str, Any]] = {}
    results: dict[str, dict[str, Any]] = {}
    others: list[dict[str, Any]] = []
    for _, run in _runs(reports):
        run_driver = run.get("tool", {}).get("driver", {})
        if run_driver.get("name") != TOOL_NAME:
            others.append(run)
            continue
        driver = driver or {k: v for k, v in run_driver.items() if k != "rules"}
        for rule in run_driver.get("rules", []):
            rules.setdefault(rule["id"], rule)
        for result in run.get("results", []):
            results.setdefault(_result_key(result), result)
    ordered = [rules[rule_id] for rule_id in sorted(rules)]
    index = {rule["id"]: position for position, rule in enumerate(ordered)}
    merged_results = [
        {**result, "ruleIndex": index[result["ruleId"]]}
        if result.get("ruleId") in index
        else result
        for result in results.values()
    ]
    run = {"tool": {"driver": {**driver, "name": TOOL_NAME, "rules": ordered}}}
    run["results"] = merged_results
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run, *others]}


def merge_gitlab(reports: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One Code Quality array from shard arrays, deduplicated by ``fingerprint``.

    GitLab already combines the ``codequality`` reports of a pipeline's jobs;
    this is for users who publish one file.
    """
    issues: dict[str, dict[str, Any]] = {}
    for shard, report in enumerate(reports, 1):
        if not isinstance(report, list):
            raise MergeError(f"shard {shard}: not a Code Quality array")
        for entry in report:
            issues.setdefault(str(entry.get("fingerprint")), entry)
    return list(issues.values())

"""A real run over example_repo/failing: every CI report validates and lands on .ipynb lines."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.reporters.sample import validate

EXAMPLE = Path(__file__).resolve().parents[2] / "example_repo"
ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),title=([^:]+)::")


def test_failing_examples_give_valid_sarif_gitlab_and_annotations(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    shutil.copytree(EXAMPLE / "failing", pytester.path / "failing")
    result = pytester.runpytest(
        "--nbgate",
        "-k",
        "lint",
        "--nbgate-github",
        "--nbgate-report=sarif:out/nbgate.sarif,gitlab:out/gl.json,json:out/nbgate.json",
        "failing",
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    sarif = json.loads((pytester.path / "out" / "nbgate.sarif").read_text())
    validate(sarif, "sarif-schema-2.1.0.json")
    gitlab = json.loads((pytester.path / "out" / "gl.json").read_text())
    validate(gitlab, "gitlab-code-quality.schema.json")
    findings = json.loads((pytester.path / "out" / "nbgate.json").read_text())["findings"]
    assert {f["rule_id"] for f in findings} >= {"NB001", "NB206", "NB207", "PII101"}
    annotations = [m for line in result.stdout.lines if (m := ANNOTATION.match(line))]
    assert annotations
    for match in annotations:
        path, line = pytester.path / match.group(2), int(match.group(3))
        assert 1 <= line <= len(path.read_text().splitlines()), match.group(0)
    used = next(m for m in annotations if m.group(4).startswith("NB206"))
    text = (pytester.path / used.group(2)).read_text().splitlines()[int(used.group(3)) - 1]
    assert "threshold" in text
    results = sarif["runs"][0]["results"]
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
    assert len(gitlab) == len({issue["fingerprint"] for issue in gitlab})

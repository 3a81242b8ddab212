"""Regression tests for the leaks that reached reports: every format, both routes.

- NB109 quoted a shell line with a token in its URL;
- NB206/NB207 printed a name that is a pasted token;
- a traceback holding a ``data:`` URI skipped redaction (an AWS key reached NB301).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pytest_nbgate import cli
from pytest_nbgate.findings import Finding
from pytest_nbgate.redaction import Redactor, TextScanner, redact_text
from tests import factory
from tests.leaks import aws_key_id, github_token, jwt, leaked, pypi_token, stripe_key

FORMATS = ("text", "json", "sarif", "github", "gitlab")


def _static_notebook() -> dict[str, object]:
    token, key, stripe = github_token(), aws_key_id(), stripe_key()
    return factory.notebook(
        factory.code(f"!git clone https://{token}@github.com/org/repo.git"),
        factory.code(f"print({key})\nclient = Client({token}, {stripe})"),
        factory.code(f"{key} = 1\nupload({pypi_token()})\nauth = {jwt()}"),
    )


def _values() -> list[str]:
    return [github_token(), aws_key_id(), stripe_key(), pypi_token(), jwt()]


def test_static_route_reports_quote_no_token_in_any_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factory.write(tmp_path / "leaky.ipynb", _static_notebook())
    monkeypatch.chdir(tmp_path)
    outputs = []
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        cli.main(["check", "leaky.ipynb", "--format", fmt, "--output", str(out)])
        outputs.append(out.read_text("utf-8"))
    ids = {item["rule_id"] for item in json.loads(outputs[1])["findings"]}
    assert {"NB109", "NB206", "NB207", "SEC101", "SEC103"} <= ids
    assert leaked(outputs, _values()) == []


def test_traceback_with_a_data_uri_is_still_redacted() -> None:
    payload = "data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB" * 2
    traceback = f"ValueError: {payload}\n  creds = {aws_key_id()}\n"
    assert aws_key_id() not in redact_text(traceback)
    assert payload.split(",")[0] in redact_text(traceback)


def test_a_known_value_is_redacted_in_pieces_the_rescan_cannot_recognise() -> None:
    header = jwt().split(".")[0]
    redactor = Redactor(TextScanner(), frozenset({jwt()}))
    assert leaked([redactor.text(f"'{header}' is bound by no cell")], [jwt()]) == []


def test_pytest_route_with_execution_leaks_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, process_mark: str
) -> None:
    key = aws_key_id()
    half = len(key) // 2
    nb = factory.notebook(
        factory.code(f"!echo https://{github_token()}@github.com/org/repo.git > /dev/null"),
        factory.code(
            f"k = {key[:half]!r} + {key[half:]!r}\n"
            "raise ValueError('data:image/png;base64,' + 'iVBORw0KGgo' * 4 + ' ' + k)"
        ),
        factory.code(f"print({stripe_key()})"),
    )
    factory.write(pytester.path / "leaky.ipynb", nb)
    summary = pytester.path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = pytester.runpytest(
        "--nbgate",
        "-p",
        "no:cacheprovider",
        "-v",
        "-rA",
        "--nbgate-github",
        "--nbgate-report=json:r.json",
        "--nbgate-report=sarif:r.sarif",
        "--nbgate-report=gitlab:r.gitlab.json",
        "--junitxml=junit.xml",
    )
    files = ["r.json", "r.sarif", "r.gitlab.json", "junit.xml", "summary.md"]
    texts = [(pytester.path / name).read_text("utf-8") for name in files]
    report = json.loads(texts[0])
    ids = {Finding.from_dict(item).rule_id for item in report["findings"]}
    assert {"NB109", "NB301", "SEC109"} <= ids
    outputs = [result.stdout.str(), result.stderr.str(), *texts]
    assert leaked(outputs, [*_values(), key]) == []

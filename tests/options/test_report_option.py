"""--nbgate-report and the nbgate_report ini key: every format of the table, nothing else."""

from __future__ import annotations

import json

import pytest

from pytest_nbgate.reporters import REPORTERS

STATIC = ("--nbgate", "--nbgate-no-execute", "-p", "no:cacheprovider")


@pytest.mark.parametrize("fmt", [name for name, r in REPORTERS.items() if r.needs_path])
def test_every_format_of_the_table_writes_its_report(repo: pytest.Pytester, fmt: str) -> None:
    result = repo.runpytest(*STATIC, f"--nbgate-report={fmt}:out.{fmt}")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    written = (repo.path / f"out.{fmt}").read_text(encoding="utf-8")
    assert "NB207" in written
    if fmt == "html":
        assert written.startswith("<!DOCTYPE html>")
    elif fmt != "text":
        json.loads(written)


def test_an_unknown_format_is_a_usage_error_naming_it(repo: pytest.Pytester) -> None:
    # Accepted by validation and then missing at write time, this used to end in INTERNALERROR.
    result = repo.runpytest(*STATIC, "--nbgate-report=junit-properties:x.xml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown format 'junit-properties'*expected one of: text, json*"])
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_a_format_that_needs_a_path_says_so(repo: pytest.Pytester) -> None:
    result = repo.runpytest(*STATIC, "--nbgate-report=sarif")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*give a path, e.g. sarif:nbgate.sarif*"])


def test_the_ini_key_writes_the_same_report(repo: pytest.Pytester) -> None:
    repo.makeini("[pytest]\nnbgate_report = json:from-ini.json\n")
    repo.runpytest(*STATIC)
    data = json.loads((repo.path / "from-ini.json").read_text(encoding="utf-8"))
    assert [f["rule_id"] for f in data["findings"]] == ["NB207"]


def test_the_command_line_replaces_the_ini_reports(repo: pytest.Pytester) -> None:
    repo.makeini("[pytest]\nnbgate_report = json:from-ini.json\n")
    repo.runpytest(*STATIC, "--nbgate-report=json:from-flag.json")
    assert (repo.path / "from-flag.json").is_file()
    assert not (repo.path / "from-ini.json").exists()

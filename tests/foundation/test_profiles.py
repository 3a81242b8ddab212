"""Profiles: built-ins, extends chains, validation errors that name file, key and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from pytest_nbgate import profile as profiles
from pytest_nbgate.config import ConfigError, RawOptions, build
from pytest_nbgate.findings import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_every_builtin_profile_loads_and_has_its_audience(tmp_path: Path) -> None:
    assert {"default", "strict", "exploratory", "teaching"} <= set(profiles.builtin_names())
    for name in profiles.builtin_names():
        gate = build(RawOptions(profile=name), tmp_path)
        assert gate.profile.name == name
    assert build(RawOptions(profile="strict"), tmp_path).fail_on == Severity.WARNING
    exploratory = build(RawOptions(profile="exploratory"), tmp_path).ruleset
    assert exploratory.is_enabled("NB301", "a.ipynb")
    assert exploratory.is_enabled("NB002", "a.ipynb")
    assert not exploratory.is_enabled("NB101", "a.ipynb")


def test_extends_merges_mappings_replaces_lists_and_appends_extend_lists(tmp_path: Path) -> None:
    write(
        tmp_path / "base.yaml", "extends: default\nselect: [NB0, NB3]\nseverity: {NB0: warning}\n"
    )
    write(
        tmp_path / "team.yaml",
        "extends: base.yaml\nextend-select: [SEC]\nseverity: {NB3: warning}\nfail-on: warning\n",
    )
    gate = build(RawOptions(profile="team.yaml"), tmp_path)
    assert gate.profile.codes("select") == ["NB0", "NB3", "SEC"]
    assert gate.profile.data["severity"] == {
        "NB1": "warning",
        "PII": "error",
        "NB0": "warning",
        "NB3": "warning",
    }
    assert [Path(s).name for s in gate.profile.sources] == [
        "default.yaml",
        "base.yaml",
        "team.yaml",
    ]
    assert gate.fail_on == Severity.WARNING


def test_extends_cycle_is_an_error_naming_the_chain(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "extends: b.yaml\n")
    write(tmp_path / "b.yaml", "extends: a.yaml\n")
    with pytest.raises(ConfigError, match=r"'extends' cycle: .*a.yaml -> .*b.yaml -> .*a.yaml"):
        build(RawOptions(profile="a.yaml"), tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail_on: error\n", r"p.yaml: unknown key 'fail_on' \(did you mean fail-on\?\)"),
        ("execution: {timout: 5}\n", r"unknown key 'execution.timout' \(did you mean timeout\?\)"),
        ("execution: {timeout: soon}\n", r"p.yaml: at execution.timeout: 'soon' is not of type"),
        ("fail-on: fatal\n", r"p.yaml: at fail-on: 'fatal' is not one of"),
        ("select: NB1\n", r"p.yaml: at select: 'NB1' is not of type 'array'"),
        ("- a\n- b\n", r"p.yaml: a profile must be a mapping, not a list"),
        ("select: [\n", r"p.yaml: invalid YAML at line 2"),
        ("select: [NB9999]\n", r"unknown rule or prefix 'NB9999'"),
        ("options: {cell-too-lang: {}}\n", r"options.cell-too-lang: unknown rule"),
        ("extends: defualt\n", r"unknown profile 'defualt' \(did you mean default\?\)"),
        ("!!python/object/apply:os.system ['echo hi']\n", r"p.yaml: invalid YAML"),
    ],
    ids=[
        "typo-top",
        "typo-nested",
        "wrong-type",
        "bad-enum",
        "list-expected",
        "not-mapping",
        "bad-yaml",
        "unknown-id",
        "unknown-rule-options",
        "unknown-parent",
        "unsafe-yaml",
    ],
)
def test_bad_profile_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "p.yaml", text)
    with pytest.raises(ConfigError, match=message):
        build(RawOptions(profile="p.yaml"), tmp_path)


def test_precedence_command_line_over_pyproject_over_profile(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[tool.nbgate]\nextends = 'strict'\nfail-on = 'error'\n"
        "[tool.nbgate.execution]\ntimeout = 7\n",
    )
    gate = build(RawOptions(), tmp_path)
    assert gate.profile.name == "strict"
    assert gate.fail_on == Severity.ERROR
    assert gate.execution.timeout == 7
    overridden = build(RawOptions(fail_on="info", timeout=3, profile="default"), tmp_path)
    assert overridden.profile.name == "default"
    assert overridden.fail_on == Severity.INFO
    assert overridden.execution.timeout == 3


def test_pyproject_typo_names_the_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.nbgate]\nfail-onn = 'error'\n")
    with pytest.raises(
        ConfigError, match=r"pyproject.toml \[tool.nbgate\]: unknown key 'fail-onn'"
    ):
        build(RawOptions(), tmp_path)


def test_bad_profile_on_the_command_line_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", p="execution: {timout: 5}\n")
    result = pytester.runpytest("--nbgate", "--nbgate-profile=p.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*p.yaml: unknown key 'execution.timout' (did you mean timeout?)*"]
    )
    result.stderr.no_fnmatch_line("*INTERNALERROR*")


def test_selection_from_command_line_narrows_the_profile(tmp_path: Path) -> None:
    gate = build(RawOptions(select=("NB3",), ignore=("kernel-died",)), tmp_path)
    assert gate.ruleset.is_enabled("NB301", "x.ipynb")
    assert not gate.ruleset.is_enabled("NB305", "x.ipynb")
    assert not gate.ruleset.is_enabled("NB001", "x.ipynb")


def test_per_file_ignores_apply_to_matching_paths_only(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", "per-file-ignores:\n  'scratch/*.ipynb': [NB3]\n")
    ruleset = build(RawOptions(profile="p.yaml"), tmp_path).ruleset
    assert not ruleset.is_enabled("NB301", "scratch/a.ipynb")
    assert ruleset.is_enabled("NB301", "reports/a.ipynb")

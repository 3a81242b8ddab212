"""SEC rules: (notebook, expected ids) tables, redaction, settings and the baseline."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from pytest_nbgate.baseline import Baseline
from pytest_nbgate.checks.secrets import RULES
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.findings import Finding
from pytest_nbgate.registry import Selector
from pytest_nbgate.ruleset import RuleSet
from tests import factory
from tests.labelled.values import negatives, planted

RNG = random.Random(7)
SECRETS = [s for s in planted(RNG) if s.rule_id.startswith("SEC")]


def run(nb: dict[str, Any], secrets: SecretsSettings | None = None) -> list[Finding]:
    rules = RuleSet.build(Selector.build(["SEC", "PII"]), secrets=secrets)
    return rules.run(factory.load(nb))


@pytest.mark.parametrize("secret", SECRETS, ids=lambda s: s.rule_id)
def test_each_detector_finds_its_secret_in_code(secret: Any) -> None:
    found = run(factory.notebook(factory.code(f"import os\n{secret.snippet}\n")))
    assert secret.rule_id in {f.rule_id for f in found}


@pytest.mark.parametrize("secret", SECRETS, ids=lambda s: s.rule_id)
def test_each_detector_finds_its_secret_in_outputs(secret: Any) -> None:
    nb = factory.notebook(factory.code("show()", outputs=[factory.stream(secret.snippet)]))
    found = [f for f in run(nb) if f.rule_id == secret.rule_id]
    assert found and found[0].location.output_index == 0


@pytest.mark.parametrize("secret", SECRETS, ids=lambda s: s.rule_id)
def test_reports_never_contain_the_raw_value(secret: Any) -> None:
    nb = factory.notebook(factory.code(secret.snippet, outputs=[factory.stream(secret.snippet)]))
    for finding in run(nb):
        blob = json.dumps(finding.to_dict()) + finding.message + finding.detail
        assert secret.value not in blob
        assert secret.value[:12] not in blob


def test_json_escaped_password_in_metadata_is_found() -> None:
    nb = factory.notebook(factory.code("x = 1"), metadata={"db": {"password": "Kx9!mQ27vB"}})
    found = run(nb)
    assert [f.rule_id for f in found] == ["SEC122"]
    assert found[0].location.cell_index is None


def test_tricky_negatives_are_quiet() -> None:
    nb = factory.notebook(factory.code("\n".join(negatives(random.Random(1)))))
    assert run(nb) == []


def test_outputs_only_scope_skips_sources() -> None:
    secret = next(s for s in SECRETS if s.rule_id == "SEC103")
    scoped = SecretsSettings.from_section({"outputs-only": ["SEC103"]})
    nb = factory.notebook(factory.code(secret.snippet, outputs=[factory.stream(secret.snippet)]))
    found = [f for f in run(nb, scoped) if f.rule_id == "SEC103"]
    assert [f.location.output_index for f in found] == [0]


def test_allowlist_drops_matching_values() -> None:
    allowing = SecretsSettings.from_section({"allowlist": ["^Kx9"]})
    assert run(factory.notebook(factory.code('password = "Kx9!mQ27vB"')), allowing) == []


def test_inline_ignore_comment_silences_the_line() -> None:
    nb = factory.notebook(factory.code('password = "Kx9!mQ27vB"  # nbgate: ignore[SEC122]'))
    assert run(nb) == []


def test_bad_allowlist_regex_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="allowlist"):
        SecretsSettings.from_section({"allowlist": ["("]})


def test_baseline_accepts_known_findings_and_stores_no_value(tmp_path: Path) -> None:
    nb = factory.notebook(factory.code('password = "Kx9!mQ27vB"'))
    found = run(nb)
    path = tmp_path / "baseline.json"
    Baseline.from_findings(found).save(path)
    assert "Kx9!mQ27vB" not in path.read_text()
    baseline = Baseline.load(path)
    assert all(baseline.contains(f) for f in found)
    fresh = run(factory.notebook(factory.code('password = "Zq8#nW41pL"')))
    assert baseline.filter(fresh) == fresh


def test_missing_baseline_is_empty(tmp_path: Path) -> None:
    assert Baseline.load(tmp_path / "none.json").entries == frozenset()


def test_every_rule_documents_its_sections() -> None:
    for rule in RULES:
        doc = rule.__doc__ or ""
        for section in (
            "What it does:",
            "Why is this bad?",
            "Example:",
            "Use instead:",
            "Options:",
        ):
            assert section in doc, (rule.id, section)

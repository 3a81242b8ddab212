"""PII rules: validated values found, look-alikes ignored, reports redacted."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from pytest_nbgate.findings import Finding
from pytest_nbgate.registry import Selector
from pytest_nbgate.ruleset import RuleSet
from tests import factory
from tests.labelled.values import planted

PII = [s for s in planted(random.Random(11)) if s.rule_id.startswith("PII")]


def run(nb: dict[str, Any]) -> list[Finding]:
    return RuleSet.build(Selector.build(["PII"])).run(factory.load(nb))


@pytest.mark.parametrize("value", PII, ids=lambda s: s.rule_id)
def test_each_detector_finds_its_value_in_a_table(value: Any) -> None:
    html = f"<table><tr><td>Ann</td><td>{value.snippet}</td></tr></table>"
    nb = factory.notebook(factory.code("df", outputs=[factory.result({"text/html": html})]))
    found = run(nb)
    assert value.rule_id in {f.rule_id for f in found}
    for finding in found:
        assert value.value not in json.dumps(finding.to_dict())


@pytest.mark.parametrize(
    "text",
    [
        "jane@example.com info@acme-corp.de icon@2x.png",
        "4111 1111 1111 1112",
        "000-12-3456",
        "DE00 1234 5678 9012 3456 78",
        "127.0.0.1 10.1.2.3 192.0.2.4 x[1::2]",
        "555-123-4567",
        "version 1.2.3.4",
        "0.4111111111111111",
    ],
)
def test_look_alikes_are_ignored(text: str) -> None:
    assert run(factory.notebook(factory.code(f"s = {text!r}"))) == []


def test_email_is_redacted_as_initials() -> None:
    found = run(factory.notebook(factory.markdown("mail anna.berg@gmail.com")))
    assert [f.message for f in found] == ["e-mail address a***@g*** in markdown cell"]

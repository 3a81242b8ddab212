"""Suppression: line comments, first-line comments, cell tags, per-file ignores, unused ones."""

from __future__ import annotations

from pytest_nbgate import registry
from pytest_nbgate.ruleset import RuleSet
from tests import factory

# NB207 (undefined-name) fires on each read of a name no cell binds.
UNDEFINED = "print(missing_a)\nprint(missing_b)"


def _ids(nb: dict, ruleset: RuleSet | None = None) -> list[tuple[str, int | None, int | None]]:
    findings = (ruleset or RuleSet.default()).run(factory.load(nb))
    return [
        (f.rule_id, f.location.cell_index, f.location.line)
        for f in findings
        if f.rule_id != "NB202"
    ]


def test_line_comment_silences_only_its_line() -> None:
    source = "print(missing_a)  # nbgate: ignore[NB207]\nprint(missing_b)"
    assert _ids(factory.notebook(factory.code(source))) == [("NB207", 0, 2)]


def test_first_line_comment_silences_the_whole_cell_by_name_or_prefix() -> None:
    for code in ("undefined-name", "NB2", "NB207"):
        source = f"# nbgate: ignore[{code}]\n{UNDEFINED}"
        assert _ids(factory.notebook(factory.code(source))) == []


def test_bare_ignore_silences_every_rule_on_the_line() -> None:
    source = "print(missing_a)  # nbgate: ignore\nprint(missing_b)"
    assert _ids(factory.notebook(factory.code(source))) == [("NB207", 0, 2)]


def test_cell_tags_silence_the_cell() -> None:
    for tag in ("nbgate-ignore", "nbgate-ignore:NB207"):
        nb = factory.notebook(factory.code(UNDEFINED, tags=(tag,)))
        assert _ids(nb) == []


def test_per_file_ignores_match_globs() -> None:
    ruleset = RuleSet.build(registry.Selector(), per_file_ignores=[("scratch/*", ["NB2"])])
    nb = factory.notebook(factory.code(UNDEFINED))
    findings = ruleset.run(factory.load(nb, relpath="scratch/a.ipynb"))
    assert [f.rule_id for f in findings] == []
    assert {f.rule_id for f in ruleset.run(factory.load(nb, relpath="reports/a.ipynb"))} == {
        "NB207"
    }


def test_unused_suppression_is_reported_only_when_selected() -> None:
    nb = factory.notebook(factory.code("x = 1  # nbgate: ignore[NB101]\nprint(x)"))
    assert _ids(nb) == []
    selected = RuleSet.build(registry.Selector.build(["ALL", "NB099"]))
    assert _ids(nb, selected) == [("NB099", 0, 1)]

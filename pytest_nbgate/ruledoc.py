"""Rule documentation from the rules' docstrings: ``nbgate explain`` and ``docs/rules.md``."""

from __future__ import annotations

import inspect

from pytest_nbgate import registry
from pytest_nbgate.checks.base import Rule


def explain(code: str) -> str:
    """A rule's full documentation; ``KeyError`` (with a suggestion) for an unknown code."""
    rule = registry.get(code)
    doc = inspect.cleandoc(rule.__doc__ or "")
    header = f"{rule.id} {rule.name} (default severity: {rule.severity})"
    options = _options(rule)
    parts = [header, "=" * len(header), "", doc]
    if options:
        parts += ["", "Option defaults:", *options]
    if not rule.default_enabled:
        parts += ["", f"Off by default: enable with select: [{rule.id}]."]
    return "\n".join(parts)


def _options(rule: type[Rule]) -> list[str]:
    defaults = rule.Options()
    return [f"  {name}: {getattr(defaults, f.name)!r}" for name, f in rule.option_fields().items()]


def reference() -> str:
    """The Markdown rule reference (``docs/rules.md``); a test keeps the file current."""
    lines = [
        "# Rule reference",
        "",
        "Generated from the rules' docstrings by `nbgate rules --markdown`; do not edit by hand.",
        "",
        "| id | name | default severity | summary |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.id} | `{r.name}` | {r.severity} | {r.summary()} |" for r in registry.RULES]
    for rule in registry.RULES:
        lines += ["", f"## {rule.id} `{rule.name}`", "", inspect.cleandoc(rule.__doc__ or "")]
        options = _options(rule)
        if options:
            lines += ["", "Option defaults:", "", *(f"- `{o.strip()}`" for o in options)]
    return "\n".join(lines) + "\n"

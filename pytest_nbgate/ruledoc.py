"""Rule documentation from the rules' docstrings, for every reader of it.

``nbgate explain``, ``docs/rules.md`` and the CI reporters' rule help all come
from here. A finding whose id is not in the registry (a pylint passthrough
such as ``PLW0611``) still gets a generic entry built from the finding itself.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from pytest_nbgate import registry
from pytest_nbgate.checks.base import Rule
from pytest_nbgate.findings import Location, Severity
from pytest_nbgate.fix.plan import fix_note
from pytest_nbgate.registry import BY_ID, PASSTHROUGH_PREFIXES, SENSITIVE_PREFIXES


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
    note = fix_note(rule.id)
    if note:
        parts += ["", f"Fixable: `nbgate fix` {note}."]
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
        "| id | name | default severity | fixable | summary |",
        "|---|---|---|---|---|",
    ]
    for r in registry.RULES:
        fixable = "yes" if fix_note(r.id) else ""
        lines.append(f"| {r.id} | `{r.name}` | {r.severity} | {fixable} | {r.summary()} |")
    for rule in registry.RULES:
        lines += ["", f"## {rule.id} `{rule.name}`", "", inspect.cleandoc(rule.__doc__ or "")]
        note = fix_note(rule.id)
        if note:
            lines += ["", f"Fixable: `nbgate fix` {note}."]
        options = _options(rule)
        if options:
            lines += ["", "Option defaults:", "", *(f"- `{o.strip()}`" for o in options)]
    return "\n".join(lines) + "\n"


_SECTION = re.compile(r"^(What it does|Why is this bad\?|Example|Use instead|Options):?$")
_RST_LITERAL = re.compile(r"``(.+?)``")


@dataclass(frozen=True)
class RuleDoc:
    """What a reporter may say about a rule."""

    id: str
    name: str
    summary: str
    help_text: str
    help_markdown: str
    default_severity: Severity | None
    """``None`` for ids owned by another tool."""

    @property
    def is_security(self) -> bool:
        return self.id.startswith(SENSITIVE_PREFIXES)


def rule_doc(rule_id: str, rule_name: str) -> RuleDoc:
    """The registry's documentation of ``rule_id``, or a generic entry."""
    rule = BY_ID.get(rule_id)
    if rule is None:
        return _generic(rule_id, rule_name)
    text = inspect.cleandoc(rule.__doc__ or rule.summary())
    return RuleDoc(
        id=rule.id,
        name=rule.name,
        summary=rule.summary(),
        help_text=text,
        help_markdown=docstring_markdown(text),
        default_severity=rule.severity,
    )


def _generic(rule_id: str, rule_name: str) -> RuleDoc:
    prefix = next((p for p in PASSTHROUGH_PREFIXES if rule_id.startswith(p)), None)
    family = BY_ID.get(prefix) if prefix else None
    if family is None:
        summary = f"{rule_id} ({rule_name})"
        text = f"{summary}: no documentation is registered for this rule."
        return RuleDoc(rule_id, rule_name, summary, text, text, None)
    summary = f"{family.name} message {rule_id} ({rule_name})"
    doc = inspect.cleandoc(family.__doc__ or family.summary())
    return RuleDoc(
        id=rule_id,
        name=rule_name,
        summary=summary,
        help_text=f"{summary}\n\n{doc}",
        help_markdown=f"{summary}\n\n{docstring_markdown(doc)}",
        default_severity=None,
    )


def docstring_markdown(text: str) -> str:
    """A cleaned rule docstring as Markdown: sections become headings, ``x`` becomes `x`."""
    lines: list[str] = []
    for line in text.splitlines():
        match = _SECTION.match(line.strip())
        if match and not line.startswith(" "):
            lines.append(f"#### {match.group(1)}")
        else:
            # Section bodies are indented by 4; in Markdown that would be a code block.
            lines.append(line[4:] if line.startswith("    ") else line)
    return _RST_LITERAL.sub(r"`\1`", "\n".join(lines)).strip()


def where(location: Location) -> str:
    """``cell 3, line 2``, ``cell 3, output 0`` or ``notebook`` (the path is said elsewhere)."""
    if location.cell_index is None:
        return "notebook"
    if location.output_index is not None:
        return f"cell {location.cell_index}, output {location.output_index}"
    if location.line is not None:
        return f"cell {location.cell_index}, line {location.line}"
    return f"cell {location.cell_index}"


def file_line(location: Location) -> int:
    """The 1-based line in the raw ``.ipynb`` text; 1 when unknown."""
    return location.file_line if location.file_line and location.file_line > 0 else 1

"""SEC122: a literal value assigned to a secret-sounding name, in any common syntax.

Notebooks hold Python, but also pasted shell, YAML, INI, JSON, XML and Go or
Java snippets (a config shown with ``print(open(...).read())``). The
assignment shapes here are those of gitleaks' generator: ``=``, ``:``,
``:=``, ``::=``, ``?=``, ``.=``, ``=>``, ``setProperty("KEY", "value")``,
``<key>value</key>``, typed ``var key string = "..."``.
"""

from __future__ import annotations

import re
from typing import Any

from pytest_nbgate.checks import filters
from pytest_nbgate.checks.secrets import shapes
from pytest_nbgate.checks.secrets.detector import Detector
from pytest_nbgate.checks.secrets.generic import is_known_format, names_provider
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.checks.secrets.scan import Fragment

_NAME = re.compile(r"[\w.-]*")
_KEY = (
    r"password|passwd|passphrase|pwd|secret|secret[_-]?key|api[_-]?key|apikey|access[_-]?key"
    r"|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|bearer[_-]?token|token"
    r"|client[_-]?secret|credentials?|api[_-]?secret|app[_-]?secret"
)
_OPERATOR = (
    r"(?:(?:[\"'\]]|\s+string)?\s*(?::{1,3}=|[?.+]=|=>|==|=|:)"
    r"|(?P<comma>[\"']\s*,)|>)"
)
_TRANSITIONS = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_NOT_TOKEN = re.compile(r"[()\[\]{}]|^(?:os|self|sys|np|pd)\.|^\$")


class KeywordAssignment(Detector):
    """A literal value assigned to a secret-sounding name (``api_key = "…"``, ``password=…``).

    What it does:
        Finds string literals assigned, passed as keyword arguments, or used
        as dict/JSON/YAML/XML values under names ending in password, secret,
        token, api_key, access_key, credentials…, in the assignment syntaxes
        of Python, shell, Go, Java, PHP and config files; unquoted values too
        when they look random (letters and digits mixed, not a Python name).

    Why is this bad?
        A hard-coded credential ships with every copy of the notebook.

    Example:
        ``conn = connect(host=h, password="Tr0ub4dor&3")``

    Use instead:
        ``password=os.environ["DB_PASSWORD"]`` or ``getpass.getpass()``.

    Options:
        None. Placeholders (``YOUR_API_KEY``, ``<token>``, ``***``) are ignored.
    """

    id = "SEC122"
    name = "keyword-assignment"
    label = "secret value"
    message = "Literal value of {key} ({redacted}) in {where}"
    keywords = ("pass", "pwd", "secret", "token", "key", "credential")
    ignore_case = True
    keyword_lines = True
    following_lines = 1
    match_lower = True
    pattern = re.compile(
        rf"(?:{_KEY}){_OPERATOR}[ \t]*\n?[ \t]*"
        r"(?:[rbu]{0,2}(?P<q>[\"'`])(?P<quoted>[^\"'`\n\x00]{4,256})(?P=q)"
        r"|(?P<bare>[^\s\"'`,;)\]}<\x00]{8,256}))"
    )

    value_groups = ("quoted", "bare")

    def accepts(
        self, value: str, match: re.Match[str], fragment: Fragment, settings: SecretsSettings
    ) -> bool:
        if filters.is_placeholder(value) or is_known_format(value) or " " in value.strip():
            return False
        key = self.fields_of(match)["key"]
        if filters.is_decoy_name(key) or names_provider(key):
            return False
        if match.group("comma") is not None and not _inside_longer_name(match):
            # ``setProperty("API_TOKEN", v)``, not ``print("token", v)``.
            return False
        if match.group("quoted") is not None:
            plausible = not filters.is_path_like(value)
        elif fragment.kind in ("source", "markdown"):
            plausible = is_random_token(value)
        else:
            plausible = _plausible_bare(value, match)
        return plausible and not shapes.is_not_a_token(value)

    def fields_of(self, match: re.Match[str]) -> dict[str, Any]:
        text, start = match.string, match.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_.-"):
            start -= 1
        keyword = _NAME.match(text, match.start())
        end = keyword.end() if keyword else match.start()
        return {"key": text[max(start, end - 60) : end]}


def _inside_longer_name(match: re.Match[str]) -> bool:
    start = match.start()
    return start > 0 and (match.string[start - 1].isalnum() or match.string[start - 1] in "_.-")


def is_random_token(value: str) -> bool:
    """An unquoted value in code that is a credential, not an expression or a name.

    Names with a digit or two (``model_v2``) are common; a token mixes letters
    and digits throughout, so many letter/digit transitions tell them apart.
    """
    if len(value) < 12 or _NOT_TOKEN.search(value) or filters.is_word_like(value):
        return False
    if filters.is_path_like(value) or filters.is_low_entropy(value, 3.0):
        return False
    return len(_TRANSITIONS.findall(value)) >= 6 or not value.replace("_", "a").isalnum()


def _plausible_bare(value: str, match: re.Match[str]) -> bool:
    """An unquoted value: printed env/config lines, not Python expressions."""
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    prefix = match.string[line_start : match.start()]
    if "(" in value or "." in value[:1] or value.startswith(("os.", "self.", "$")):
        return False
    if prefix.strip().startswith(("def ", "if ", "for ", "return ", "import ")):
        return False
    return not (filters.is_word_like(value) or filters.is_path_like(value))


RULES = (KeywordAssignment,)

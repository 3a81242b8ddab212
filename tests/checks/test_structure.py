"""NB1xx structure rules: each table row is a notebook that must (or must not) trigger."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_nbgate.checks import structure
from pytest_nbgate.checks.base import Rule
from pytest_nbgate.registry import BY_ID
from tests.factory import code, display, error, load, markdown, notebook, result, stream


def ids(rule_id: str, nb: dict[str, Any], relpath: str = "nb.ipynb", **options: Any) -> list[str]:
    rule: type[Rule] = BY_ID[rule_id]
    instance = rule(rule.Options(**options)) if options else rule()
    return [finding.rule_id for finding in instance.check(load(nb, relpath))]


LONG = "\n".join(f"x{i} = {i}" for i in range(41))
SHORT = "\n\n".join(f"x{i} = {i}" for i in range(40))


def func(body_lines: int, indent: str = "") -> str:
    body = "\n".join(f"{indent}    y{i} = {i}" for i in range(body_lines))
    return f"{indent}def f{body_lines}():\n{body}\n"


FUNC = func(50)
BRANCHY = "\n".join(f"if a{i}:\n    pass" for i in range(10))
PNG = "iVBORw0KGgo" * 70_000

CASES: list[tuple[str, dict[str, Any], int]] = [
    ("NB101", notebook(code(LONG)), 1),
    ("NB101", notebook(code(SHORT)), 0),
    ("NB101", notebook(markdown(LONG)), 0),
    ("NB102", notebook(*[code("x = 1")] * 121), 1),
    ("NB102", notebook(*[code("x = 1")] * 120), 0),
    ("NB103", notebook(code(FUNC)), 1),
    ("NB103", notebook(code(func(49))), 0),
    ("NB103", notebook(code("class C:\n" + func(48, "    ") * 2 + func(5, "    "))), 1),
    ("NB103", notebook(code("class C:\n" + func(48, "    ") + func(48, "    "))), 0),
    ("NB104", notebook(code("\n".join(f"f({i})" for i in range(21)))), 1),
    ("NB104", notebook(code("for i in x:\n" + "\n".join(f"    f({i})" for i in range(30)))), 0),
    ("NB105", notebook(code(BRANCHY)), 1),
    ("NB105", notebook(code("def g():\n    " + BRANCHY.replace("\n", "\n    "))), 1),
    ("NB105", notebook(code(BRANCHY.replace("if a9:\n    pass", "b = 1"))), 0),
    ("NB105", notebook(code("\n".join(f"# if and or {i}" for i in range(20)))), 0),
    ("NB106", notebook(code("x = 1"), code("  \n")), 1),
    ("NB106", notebook(code("")), 1),
    ("NB106", notebook(markdown("## Step 1. Load the data"), code("")), 0),
    (
        "NB107",
        notebook(code("import os\n%matplotlib inline"), code("x = os.getcwd()"), code("import re")),
        1,
    ),
    ("NB107", notebook(code("import os"), code("sns.set()\nN = 3"), code("import re")), 0),
    ("NB107", notebook(code("x = 1"), code("def f():\n    import re")), 0),
    ("NB108", notebook(code("!pip install pandas==2.0")), 1),
    ("NB108", notebook(code("%pip install -q numpy")), 1),
    ("NB108", notebook(code("!{sys.executable} -m pip install numpy")), 1),
    ("NB108", notebook(code("%%bash\nconda install -y scipy")), 1),
    ("NB108", notebook(code("# pip install pandas\nimport pandas")), 0),
    ("NB108", notebook(code("!pip list")), 0),
    ("NB109", notebook(code("!ls -l")), 1),
    ("NB109", notebook(code("files = !ls *.csv")), 1),
    ("NB109", notebook(code("%%bash\necho hi\necho there")), 2),
    ("NB109", notebook(code("if (a\n    != b):\n    pass")), 0),
    ("NB109", notebook(code("s = '!ls'")), 0),
    ("NB109", notebook(code("!pip install x")), 0),
    ("NB110", notebook(code("pd.read_csv('/home/jane/data.csv')")), 1),
    ("NB110", notebook(code("open(r'C:\\Users\\jane\\x.txt')")), 1),
    ("NB110", notebook(code("open('C:\\\\Users\\\\jane\\\\x.txt')")), 1),
    ("NB110", notebook(code("p = '/Users/bob/'")), 1),
    ("NB110", notebook(code("url = 'https://example.com/home/jane/'")), 0),
    ("NB110", notebook(code("p = Path('data') / 'home' / 'x'")), 0),
    ("NB111", notebook(code("print(x)", outputs=[stream("a" * 50_001)])), 1),
    ("NB111", notebook(code("df", outputs=[result({"text/html": "<td>" * 12_600})])), 1),
    ("NB111", notebook(code("print(x)", outputs=[stream("a" * 50_000)])), 0),
    ("NB111", notebook(code("plot()", outputs=[display({"image/png": PNG})])), 0),
    ("NB112", notebook(code("plot()", outputs=[display({"image/png": PNG})])), 1),
    ("NB112", notebook(code("plot()", outputs=[display({"image/png": PNG[:660_000]})])), 0),
    ("NB114", notebook(code("1/0", outputs=[error("ZeroDivisionError", "division by zero")])), 1),
    (
        "NB114",
        notebook(
            code("1/0", outputs=[error("ZeroDivisionError", "x")], tags=("raises-exception",))
        ),
        0,
    ),
    ("NB114", notebook(code("print(1)", outputs=[stream("1\n")])), 0),
    ("NB115", notebook(code("x = 1"), markdown("# Late title")), 1),
    ("NB115", notebook(markdown("intro text"), code("x = 1")), 1),
    ("NB115", notebook(markdown("# Title"), code("x = 1")), 0),
    ("NB115", notebook(markdown("Title\n====="), code("x = 1")), 0),
    ("NB115", notebook(markdown("<h1>Title</h1>"), code("x = 1")), 0),
    ("NB116", notebook(markdown("# T"), *[code(f"x = {i}") for i in range(5)]), 1),
    ("NB116", notebook(*[markdown("# T"), code("x = 1")] * 5), 0),
    ("NB116", notebook(*[code(f"x = {i}") for i in range(4)]), 0),
    ("NB117", notebook(code("x = 1"), kernel=None), 1),
    ("NB117", notebook(code("x"), metadata={"language_info": {"name": "R"}}), 1),
    (
        "NB117",
        notebook(
            code("x"),
            kernel="python2",
            metadata={"language_info": {"name": "python", "version": "3.11.2"}},
        ),
        1,
    ),
    (
        "NB117",
        notebook(code("x"), metadata={"language_info": {"name": "python", "version": "3.11.2"}}),
        0,
    ),
]


@pytest.mark.parametrize(("rule_id", "nb", "expected"), CASES)
def test_rule_triggers_exactly_when_expected(
    rule_id: str, nb: dict[str, Any], expected: int
) -> None:
    assert ids(rule_id, nb) == [rule_id] * expected


@pytest.mark.parametrize(
    ("relpath", "expected"),
    [
        ("Untitled.ipynb", 1),
        ("notebooks/Untitled12.ipynb", 1),
        ("analysis-Copy1.ipynb", 1),
        ("analysis (copy).ipynb", 1),
        ("Copy of analysis.ipynb", 1),
        ("analysis.ipynb", 0),
        ("untitled_regression.ipynb", 0),
        ("Copyright.ipynb", 0),
    ],
)
def test_default_notebook_name(relpath: str, expected: int) -> None:
    assert ids("NB118", notebook(code("x = 1")), relpath) == ["NB118"] * expected


def test_notebook_too_large_uses_file_size() -> None:
    nb = notebook(code("x = 1"))
    assert ids("NB113", nb, max_bytes=100) == ["NB113"]
    assert ids("NB113", nb) == []


def test_options_change_thresholds() -> None:
    assert ids("NB101", notebook(code("a\nb\nc")), max_lines=2) == ["NB101"]
    assert ids("NB104", notebook(code("a\nb\nc")), max_statements=2) == ["NB104"]


def test_messages_state_the_measurement() -> None:
    finding = next(BY_ID["NB101"]().check(load(notebook(code(LONG)))))
    assert finding.message == "Cell has 41 non-blank lines (max 40)"
    assert finding.location.line == 1


def test_user_path_message_redacts_the_user_name() -> None:
    finding = next(BY_ID["NB110"]().check(load(notebook(code("x = '/home/jane/a.csv'")))))
    assert "jane" not in finding.message
    assert finding.message.endswith("/home/j***")
    assert finding.location.column == 6


def test_structure_rules_are_registered_in_id_order() -> None:
    rule_ids = [rule.id for rule in structure.RULES]
    assert rule_ids == sorted(rule_ids)
    assert rule_ids[0] == "NB101"
    for rule in structure.RULES:
        for section in (
            "What it does:",
            "Why is this bad?",
            "Example:",
            "Use instead:",
            "Options:",
        ):
            assert section in (rule.__doc__ or ""), (rule.id, section)

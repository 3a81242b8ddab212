"""NB2xx hidden-state rules: execution counts and the name dataflow, as tables."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_nbgate.checks import hidden_state
from pytest_nbgate.registry import BY_ID
from tests.factory import code, load, notebook, stream


def ids(rule_id: str, nb: dict[str, Any]) -> list[str]:
    return [finding.rule_id for finding in BY_ID[rule_id]().check(load(nb))]


def ran(*counts: int | None) -> dict[str, Any]:
    return notebook(*[code(f"x{i} = {i}", execution_count=c) for i, c in enumerate(counts)])


def cells(*sources: str) -> dict[str, Any]:
    return notebook(*[code(source) for source in sources])


COUNT_CASES: list[tuple[str, dict[str, Any], int]] = [
    ("NB201", ran(1, 3, 2), 1),
    ("NB201", ran(1, 2, 3), 0),
    ("NB201", ran(1, None, 2), 0),
    ("NB202", ran(1, 2, 5), 1),
    ("NB202", ran(3, 4), 1),
    ("NB202", ran(1, 2, 3), 0),
    ("NB202", ran(None, None), 0),
    ("NB203", ran(1, 2, 2), 1),
    ("NB203", ran(1, 2, 3), 0),
    ("NB204", notebook(code("print(1)", outputs=[stream("1\n")])), 1),
    ("NB204", notebook(code("print(1)", outputs=[stream("1\n")], execution_count=1)), 0),
    ("NB205", ran(1, None, 2), 1),
    ("NB205", ran(None, 1, 2, None), 0),
    ("NB205", notebook(code("a", execution_count=1), code(""), code("b", execution_count=2)), 0),
    (
        "NB205",
        notebook(
            code("a", execution_count=1),
            code("slow()", tags=("nbgate-skip",)),
            code("b", execution_count=2),
        ),
        0,
    ),
]

NAME_CASES: list[tuple[str, dict[str, Any], int]] = [
    ("NB206", cells("print(df)", "df = 1"), 1),
    ("NB206", cells("df = 1", "print(df)"), 0),
    ("NB206", cells("print(x)\nx = 1"), 1),
    ("NB206", cells("for i in range(3):\n    if i:\n        print(t)\n    t = i"), 0),
    ("NB206", cells("def f():\n    return later", "later = 1", "f()"), 0),
    ("NB206", cells("class C:\n    y = z", "z = 1"), 1),
    ("NB206", cells("class C:\n    y = 1\n    def m(self):\n        return y", "y = 2"), 0),
    ("NB206", cells("[v for v in w]", "w = []"), 1),
    ("NB206", cells("from numpy import *", "print(pi)", "pi = 3"), 0),
    ("NB206", cells("if (n := 10) > 5:\n    pass", "print(n)"), 0),
    ("NB206", cells("def g():\n    global G\n    G = 1", "g()\nprint(G)"), 0),
    ("NB206", cells("%time y = compute()", "print(y)", "def compute():\n    return 1"), 1),
    ("NB206", cells("x = 1", "del x", "print(x)", "x = 2"), 1),
    ("NB207", cells("print(model)"), 1),
    ("NB207", cells("def f():\n    return missing"), 1),
    ("NB207", cells("print(len([]), display, get_ipython, _, _3, In)"), 0),
    ("NB207", cells("import os.path\nos.getcwd()"), 0),
    (
        "NB207",
        cells("try:\n    import ujson as json\nexcept ImportError as err:\n    print(err)"),
        0,
    ),
    ("NB207", cells("with open('f') as fh:\n    data = fh.read()", "print(data)"), 0),
    ("NB207", cells("[k for k in range(3)]", "print(k)"), 1),
    ("NB207", cells("lambda a, *b, c=1, **d: a + b + c + d + e"), 1),
    ("NB207", cells("def f(a, /, b, *, c):\n    return a + b + c"), 0),
    (
        "NB207",
        cells("def outer():\n    v = 1\n    def inner():\n        nonlocal v\n        return v"),
        0,
    ),
    (
        "NB207",
        cells(
            "match p:\n    case [a, *rest]:\n        print(a, rest)\n"
            "    case {'k': q, **kw}:\n        print(q, kw)"
        ),
        1,
    ),
    ("NB207", cells("p = 1\nmatch p:\n    case [a, *rest]:\n        print(a, rest)"), 0),
    ("NB207", cells("%run helpers.py", "helper()"), 0),
    ("NB207", cells("exec('z = 1')", "print(z)"), 0),
    ("NB207", cells("files = !ls", "print(files)"), 0),
    ("NB207", cells("%%capture captured\nprint(1)", "captured.show()"), 0),
    ("NB207", cells("%%bash\necho $undefined_name"), 0),
    ("NB207", cells("print 'python 2 statement'", "print(undefined_py2)"), 1),
    ("NB207", cells("for i in range(xrange(3)):\n    pass"), 0),
    ("NB207", cells("this is not python (", "print(this)"), 0),
]


@pytest.mark.parametrize(("rule_id", "nb", "expected"), COUNT_CASES + NAME_CASES)
def test_rule_triggers_exactly_when_expected(
    rule_id: str, nb: dict[str, Any], expected: int
) -> None:
    assert ids(rule_id, nb) == [rule_id] * expected


def test_used_before_definition_points_at_the_read() -> None:
    nb = load(cells("x = 1", "y = 2\nprint(x, later)", "later = 3"))
    (finding,) = BY_ID["NB206"]().check(nb)
    assert (finding.location.cell_index, finding.location.line) == (1, 2)
    assert finding.location.column == 10
    assert finding.message == "'later' is read before it is bound (first bound later, in cell 2)"


def test_name_rules_skip_notebooks_in_other_languages() -> None:
    nb = notebook(code("print(undefined)"), metadata={"language_info": {"name": "R"}})
    nb["metadata"]["kernelspec"]["language"] = "R"
    assert ids("NB207", nb) == []


def test_hidden_state_rules_are_registered_in_id_order() -> None:
    rule_ids = [rule.id for rule in hidden_state.RULES]
    assert rule_ids == sorted(rule_ids) and rule_ids[0] == "NB201"

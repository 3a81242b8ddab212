"""Parameter sets (papermill's model): one ``execute[set]`` item each, own kernel, own golden."""

from __future__ import annotations

import pytest

from pytest_nbgate.notebook.params import injected_code, literal, parse_override
from tests import factory

code, notebook = factory.code, factory.notebook

DEFAULTS = code("n_rows = 10\nlabel = 'full'", tags=("parameters",))
USES = code("print(label, n_rows * 2)")


def parametrised(**sets: dict) -> dict:
    return notebook(DEFAULTS, USES, metadata={"nbgate": {"parameters": sets}})


def test_each_metadata_set_is_its_own_item_with_its_values_after_the_defaults(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    check = code("assert (label, n_rows) in {('small', 1), ('full', 1000)}, (label, n_rows)")
    factory.write(
        pytester.path / "nb.ipynb",
        notebook(
            DEFAULTS,
            check,
            metadata={
                "nbgate": {
                    "parameters": {
                        "small": {"n_rows": 1, "label": "small"},
                        "big": {"n_rows": 1000},
                    }
                }
            },
        ),
    )
    result = pytester.runpytest("--nbgate", "-v", "-k", "execute")
    result.assert_outcomes(passed=2, deselected=1)
    result.stdout.fnmatch_lines_random(
        ["*nb.ipynb::execute[[]small[]] PASSED*", "*nb.ipynb::execute[[]big[]] PASSED*"]
    )


def test_profile_sets_by_glob_and_command_line_overrides(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    (pytester.path / "gate.yaml").write_text(
        "extends: default\nparameters:\n  'reports/*.ipynb':\n    ci: {n_rows: 5}\n"
    )
    check = code("assert n_rows == 3, n_rows")
    factory.write(pytester.path / "reports" / "r.ipynb", notebook(DEFAULTS, check))
    factory.write(pytester.path / "other.ipynb", notebook(code("x = 1")))
    result = pytester.runpytest(
        "--nbgate", "--nbgate-profile=gate.yaml", "--nbgate-param=n_rows=3", "-v", "-k", "execute"
    )
    result.assert_outcomes(passed=2, deselected=2)
    result.stdout.fnmatch_lines_random(
        ["*r.ipynb::execute[[]ci[]] PASSED*", "*other.ipynb::execute PASSED*"]
    )


def test_each_set_is_compared_with_its_own_external_golden(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    (pytester.path / "gate.yaml").write_text("extends: default\nsnapshots:\n  store: external\n")
    factory.write(pytester.path / "nb.ipynb", parametrised(small={"n_rows": 1}, big={"n_rows": 7}))
    args = ("--nbgate", "--nbgate-profile=gate.yaml", "-k", "execute")
    pytester.runpytest(*args, "--nbgate-update").assert_outcomes(passed=2, deselected=1)
    goldens = sorted(p.name for p in (pytester.path / "__snapshots__").iterdir())
    assert goldens == ["nb.ipynb[big].golden.txt", "nb.ipynb[small].golden.txt"]
    assert "full 14" in (pytester.path / "__snapshots__" / "nb.ipynb[big].golden.txt").read_text()
    pytester.runpytest(*args).assert_outcomes(passed=2, deselected=1)
    factory.write(pytester.path / "nb.ipynb", parametrised(small={"n_rows": 1}, big={"n_rows": 8}))
    result = pytester.runpytest(*args)
    result.assert_outcomes(passed=1, failed=1, deselected=1)
    result.stdout.fnmatch_lines(["*execute[[]big[]]*", "*NB401*"])


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("n_rows=abc", "is not a Python literal (quote strings"),
        ("n_rows=__import__('os')", "is not a Python literal"),
        ("2x=1", "is not a Python variable name"),
        ("n_rows", "expected NAME=VALUE"),
    ],
)
def test_a_bad_override_is_a_usage_error(
    pytester: pytest.Pytester, spec: str, problem: str
) -> None:
    factory.write(pytester.path / "nb.ipynb", notebook(DEFAULTS))
    result = pytester.runpytest("--nbgate", f"--nbgate-param={spec}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*--nbgate-param*{problem}*"])


def test_a_bad_metadata_set_is_a_collection_error_naming_the_notebook(
    pytester: pytest.Pytester,
) -> None:
    factory.write(
        pytester.path / "nb.ipynb",
        notebook(DEFAULTS, metadata={"nbgate": {"parameters": {"small": 3}}}),
    )
    result = pytester.runpytest("--nbgate")
    result.stdout.fnmatch_lines(["*nb.ipynb: nbgate.parameters.small: expected a mapping*"])
    assert "INTERNALERROR" not in result.stdout.str()


def test_values_are_injected_as_literals_only() -> None:
    assert injected_code({"n": 3, "s": "it's", "xs": [1, None]}).splitlines()[1:] == [
        "n = 3",
        's = "it\'s"',
        "xs = [1, None]",
    ]
    assert parse_override("path='a b'") == ("path", "a b")
    with pytest.raises(ValueError, match="not a Python literal"):
        literal(object())

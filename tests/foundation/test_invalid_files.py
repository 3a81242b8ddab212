"""A file that is not a valid notebook gives one failing item naming the file and the problem."""

from __future__ import annotations

import pytest

from tests import factory

V3 = '{"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}'
NO_CELLS = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}'


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "file is empty"),
        (b"   \n", "file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not UTF-8"),
        (b'{"cells": [', "invalid JSON at line 1, column 12"),
        (b'{\n "cells": [\n  {\n', "invalid JSON at line 4"),
        (b"[1, 2]", "top-level JSON value is a list"),
        (NO_CELLS.encode(), "'cells' is missing"),
        (b'{"cells": []}', "missing or invalid 'nbformat'"),
    ],
    ids=[
        "empty",
        "whitespace",
        "binary",
        "truncated",
        "truncated-multiline",
        "list",
        "no-cells",
        "no-version",
    ],
)
def test_unreadable_notebook_is_one_clear_failure(
    pytester: pytest.Pytester, content: bytes, expected: str
) -> None:
    (pytester.path / "bad.ipynb").write_bytes(content)
    factory.write(pytester.path / "good.ipynb", factory.notebook(factory.code("x = 1")))
    result = pytester.runpytest("--nbgate", "--nbgate-no-execute")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([f"*bad.ipynb*NB00*{expected}*"])
    result.stdout.no_fnmatch_line("*INTERNALERROR*")
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_nbformat3_is_reported_and_still_linted(pytester: pytest.Pytester) -> None:
    (pytester.path / "old.ipynb").write_text(V3)
    result = pytester.runpytest("--nbgate", "--nbgate-no-execute")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*old.ipynb*NB003*nbformat 3 is not supported*"])


def test_schema_violation_names_the_json_path(pytester: pytest.Pytester) -> None:
    nb = factory.notebook(factory.code("x = 1"))
    nb["cells"][0]["execution_count"] = "first"
    factory.write(pytester.path / "weird.ipynb", nb)
    result = pytester.runpytest("--nbgate", "--nbgate-no-execute", "--nbgate-fail-on=warning")
    result.stdout.fnmatch_lines(["*weird.ipynb:cell 0*NB002*schema: at cells/0*"])

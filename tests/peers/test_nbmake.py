"""nbmake's documented behaviour, marker by marker and key by key, gives the same verdict here.

nbmake's README: ``execution.allow_errors`` and ``execution.timeout`` notebook
metadata, ``raises-exception`` and ``skip-execution`` cell tags,
``nbmake.mock`` (variables replaced after the cell) and
``nbmake.post_cell_execute`` (lines run after the cell, failing the cell when
they fail), ``--nbmake-find-import-errors`` (only ``ModuleNotFoundError``
fails), and notebooks under ``_build`` are never collected.
"""

from __future__ import annotations

import pytest

from tests import factory
from tests.peers.verdicts import Notebooks, execute_verdicts, verdicts

code, notebook = factory.code, factory.notebook

NBMAKE: Notebooks = {
    "allow_errors.ipynb": notebook(
        code("1 / 0"), code("print('goes on')"), metadata={"execution": {"allow_errors": True}}
    ),
    "timeout.ipynb": notebook(
        code("import time\ntime.sleep(30)"), metadata={"execution": {"timeout": 1}}
    ),
    "raises_tag.ipynb": notebook(code("1 / 0", tags=("raises-exception",)), code("x = 1")),
    "skip_tag.ipynb": notebook(code("1 / 0", tags=("skip-execution",)), code("x = 1")),
    "mock.ipynb": notebook(
        code(
            "data = load_everything = 'slow'",
            metadata={"nbmake": {"mock": {"data": "small", "rows": [1, 2], "n": 3}}},
        ),
        code("assert (data, rows, n) == ('small', [1, 2], 3), (data, rows, n)"),
    ),
    "post_cell_execute.ipynb": notebook(
        code("y = 1", metadata={"nbmake": {"post_cell_execute": ["z = y + 1", "assert z == 2"]}}),
        code("assert z == 2"),
    ),
    "post_cell_execute_error.ipynb": notebook(
        code("y = 1", metadata={"nbmake": {"post_cell_execute": ["assert y == 2, 'checked'"]}}),
    ),
}
EXPECTED = {
    "allow_errors.ipynb": "passed",
    "timeout.ipynb": "failed",
    "raises_tag.ipynb": "passed",
    "skip_tag.ipynb": "passed",
    "mock.ipynb": "passed",
    "post_cell_execute.ipynb": "passed",
    "post_cell_execute_error.ipynb": "failed",
}


def test_each_nbmake_marker_and_metadata_key_gives_nbmakes_verdict(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    assert execute_verdicts(pytester, NBMAKE) == EXPECTED


def test_find_import_errors_fails_only_on_import_errors(
    pytester: pytest.Pytester, process_mark: str
) -> None:
    notebooks = {
        "other_errors.ipynb": notebook(code("1 / 0"), code("raise KeyError('k')")),
        "import_error.ipynb": notebook(code("1 / 0"), code("import no_such_module_anywhere")),
    }
    found = execute_verdicts(pytester, notebooks, "--nbgate-find-import-errors")
    assert found == {"other_errors.ipynb": "passed", "import_error.ipynb": "failed"}


def test_folders_nbmake_never_collects_are_not_collected(pytester: pytest.Pytester) -> None:
    broken = notebook(code("x = 1", execution_count=7))
    (pytester.path / "venv").mkdir()
    (pytester.path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    notebooks = {
        "docs/_build/html/copy.ipynb": broken,
        "venv/share/example.ipynb": broken,
        ".ipynb_checkpoints/nb-checkpoint.ipynb": broken,
        "kept.ipynb": broken,
    }
    found = verdicts(pytester, notebooks, "--nbgate-no-execute")
    assert found == {"kept.ipynb::lint": "passed"}

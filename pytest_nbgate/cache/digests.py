"""Cache keys: SHA-256 over everything that can change an item's findings.

A static entry depends on the notebook's bytes and path, the effective rule
configuration, the secrets baseline, and the code that produces findings
(this package's own sources, not just its version, so an edited checkout
never replays stale results) and the detectors it calls. An execution entry
adds the kernel, the execution options, the installed distributions, the
files the profile's ``execution.depends`` globs match and the goldens.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest_nbgate
from pytest_nbgate.config import GateConfig

FORMAT = 1
"""Bumped when the entry layout changes: older entries then simply miss."""
DETECTORS = ("detect-secrets", "python-stdnum", "phonenumbers", "nbformat", "fastjsonschema")
LINTERS = ("pylint", "astroid")
PACKAGE_FILES = ("*.py", "*.json", "*.yaml")


def stable(value: Any) -> Any:
    """``value`` as JSON-ready data that is the same in every process.

    ``repr`` is not: a set's order follows string hashing, which is randomised
    per process, so a key built from it would never hit again.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: stable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted((stable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, list | tuple):
        return [stable(v) for v in value]
    if isinstance(value, re.Pattern):
        return {"pattern": value.pattern, "flags": value.flags}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def canonical(value: Any) -> str:
    return json.dumps(stable(value), sort_keys=True)


def digest(*parts: str) -> str:
    """One hash over ``parts`` (NUL-separated: no two part lists give the same text)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def versions(names: Iterable[str]) -> list[str]:
    found = []
    for name in names:
        try:
            found.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}==absent")
    return found


def package_digest() -> str:
    """This package's sources: a rule edited in place changes every key."""
    package = Path(pytest_nbgate.__file__).parent
    files = sorted(p for pattern in PACKAGE_FILES for p in package.rglob(pattern))
    parts = (f"{p.relative_to(package)}:{file_digest(p)}" for p in files)
    return digest(pytest_nbgate.__version__, *parts)


def rule_configuration(gate: GateConfig) -> str:
    """The effective rules: the merged profile plus what the command line narrowed."""
    data = {
        "profile": gate.profile.data,
        "selector": gate.ruleset.selector,
        "rules": [rule.id for rule in gate.ruleset.rules],
        "secrets": gate.secrets,
    }
    return canonical(data)


def static_fingerprint(gate: GateConfig, code: str) -> str:
    """Shared by every static entry of a session; ``code`` is :func:`package_digest`."""
    applied = gate.baseline is not None and not gate.update_baseline
    baseline = file_digest(gate.baseline) if applied and gate.baseline else "none"
    return digest(
        f"format={FORMAT}", code, *versions(DETECTORS), rule_configuration(gate), baseline
    )


def pylint_fingerprint(gate: GateConfig, static: str) -> str:
    settings = gate.pylint_settings
    rcfile = file_digest(settings.rcfile) if settings.rcfile else "none"
    return digest(static, *versions(LINTERS), canonical(settings.arguments()), rcfile)


def installed_distributions() -> list[str]:
    """Every distribution the kernels can import, by name and version.

    Read from the ``*.dist-info`` folder names (``name-version``): parsing each
    distribution's metadata costs about a second in a data-science venv.
    """
    found: set[str] = set()
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_dir():
            for suffix in (".dist-info", ".egg-info"):
                found.update(info.name.removesuffix(suffix) for info in folder.glob(f"*{suffix}"))
    return sorted(found, key=str.lower)


def depends_digest(root: Path, globs: Iterable[str]) -> str:
    """The files ``globs`` match under ``root``, by path and content."""
    matched = sorted({p for glob in globs for p in root.glob(glob) if p.is_file()})
    return digest(*(f"{p.relative_to(root).as_posix()}:{file_digest(p)}" for p in matched))


def execution_fingerprint(gate: GateConfig, static: str) -> str:
    """Shared by every execution entry of a session (per-notebook parts are added later)."""
    options = gate.execution
    described: Mapping[str, Any] = {
        "timeout": options.timeout,
        "notebook_timeout": options.notebook_timeout,
        "kernel": options.kernel,
        "env": options.env,
        "snapshots": gate.snapshots,
    }
    return digest(
        static,
        canonical(described),
        *installed_distributions(),
        depends_digest(gate.root, gate.cache.depends),
    )


def goldens_digest(gate: GateConfig, relpath: str) -> str:
    """An external store's golden file and images for one notebook (in-notebook: the bytes)."""
    settings = gate.snapshots
    if settings is None or not settings.enabled or settings.store == "notebook":
        return "in-notebook"
    try:
        golden = settings.golden_path(relpath)
    except ValueError:
        return "outside"
    related = sorted(golden.parent.glob(f"{Path(relpath).name}*")) if golden.parent.is_dir() else []
    return digest(*(f"{p.name}:{file_digest(p)}" for p in related if p.is_file()))

"""YAML rule profiles: built-ins under ``rules/``, ``extends:`` chains, schema validation.

Every error names the file, the key path and, for a typo, the nearest valid
key. YAML is only ever read with ``safe_load``.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

_HERE = Path(__file__).parent
SCHEMAS = _HERE / "schemas"
EXTENDABLE = ("select", "ignore")


class ProfileError(ValueError):
    """A profile cannot be used; the message names the file and the key path."""


@dataclass(frozen=True)
class Profile:
    name: str
    sources: tuple[str, ...]
    """Files (and inline tables) merged, base first."""
    data: Mapping[str, Any]

    def section(self, key: str) -> Mapping[str, Any]:
        value = self.data.get(key)
        return value if isinstance(value, dict) else {}

    def codes(self, key: str) -> list[str] | None:
        """``select``/``ignore`` plus their ``extend-`` additions; ``None`` when never set."""
        base = self.data.get(key)
        extra = self.data.get(f"extend-{key}", [])
        if base is None and not extra:
            return None
        if base is None:
            return ["ALL", *extra] if key == "select" else list(extra)
        return [*base, *extra]


def builtin_dir() -> Path:
    """``rules/`` inside the installed wheel, or the source checkout's top-level ``rules/``."""
    shipped = _HERE / "rules"
    return shipped if shipped.is_dir() else _HERE.parent / "rules"


def builtin_names() -> list[str]:
    return sorted(path.stem for path in builtin_dir().glob("*.yaml"))


@cache
def schema() -> dict[str, Any]:
    """The profile schema with each feature's section schema plugged in."""
    root: dict[str, Any] = json.loads((SCHEMAS / "profile.schema.json").read_text("utf-8"))
    for section in (SCHEMAS / "sections").glob("*.schema.json"):
        name = section.name.removesuffix(".schema.json")
        root["properties"][name] = json.loads(section.read_text("utf-8"))
    return root


def read_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read profile: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc
        raise ProfileError(f"{path}: invalid YAML{where}: {problem}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile must be a mapping, not a {type(data).__name__}")
    return data


def validate(data: Mapping[str, Any], source: str) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ProfileError(_describe(errors[0], source))


def _describe(error: jsonschema.ValidationError, source: str) -> str:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = list(schema.get("properties", {}))
        unknown = [key for key in error.instance if key not in allowed]
        key = unknown[0] if unknown else "?"
        where = ".".join([*path, key])
        return f"{source}: unknown key {where!r}{did_you_mean(key, allowed)}"
    where = ".".join(path) or "(top level)"
    return f"{source}: at {where}: {error.message}"


def did_you_mean(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
    if close:
        return f" (did you mean {close[0]}?)"
    return f" (valid keys: {', '.join(sorted(allowed))})" if allowed else ""


def resolve(spec: str, relative_to: Path) -> Path:
    """A built-in name (``strict``) or a path (``ci/profile.yaml``)."""
    builtin = builtin_dir() / f"{spec}.yaml"
    if "/" not in spec and "\\" not in spec and not spec.endswith((".yaml", ".yml")):
        if builtin.is_file():
            return builtin
        names = builtin_names()
        raise ProfileError(
            f"unknown profile {spec!r}{did_you_mean(spec, names)} "
            f"(built-in: {', '.join(names)}; or give a path to a YAML file)"
        )
    path = Path(spec).expanduser()
    path = path if path.is_absolute() else relative_to / path
    if not path.is_file():
        raise ProfileError(f"profile file not found: {path}")
    return path.resolve()


def load(
    spec: str,
    relative_to: Path,
    overlay: Mapping[str, Any] | None = None,
    overlay_source: str = "pyproject.toml [tool.nbgate]",
) -> Profile:
    """Load ``spec`` with its ``extends:`` chain, then apply ``overlay`` on top."""
    chain = _chain(resolve(spec, relative_to), [])
    data: dict[str, Any] = {}
    for _path, layer in chain:
        data = merge(data, layer)
    sources = [str(path) for path, _ in chain]
    if overlay:
        layer = {k: v for k, v in overlay.items() if k != "extends"}
        validate(layer, overlay_source)
        data = merge(data, layer)
        sources.append(overlay_source)
    data.pop("extends", None)
    return Profile(name=chain[-1][0].stem, sources=tuple(sources), data=data)


def _chain(path: Path, seen: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    if path in seen:
        cycle = " -> ".join(str(p) for p in [*seen, path])
        raise ProfileError(f"{path}: 'extends' cycle: {cycle}")
    layer = read_file(path)
    validate(layer, str(path))
    parent = layer.get("extends")
    if parent is None:
        return [(path, layer)]
    return [*_chain(resolve(parent, path.parent), [*seen, path]), (path, layer)]


def merge(base: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """Lists replace, ``extend-*`` lists append, mappings merge recursively."""
    result = dict(base)
    for key, value in child.items():
        if key in EXTENDABLE:
            result.pop(f"extend-{key}", None)
            result[key] = value
        elif key.startswith("extend-") and key.removeprefix("extend-") in EXTENDABLE:
            result[key] = [*result.get(key, []), *value]
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result

"""The profile's ``snapshots:`` section, resolved once into a frozen value.

The JSON schema (``schemas/sections/snapshots.schema.json``) rejects typos
before this runs; :meth:`SnapshotSettings.from_section` still checks values
and paths, because it is also called by tools that skip the schema.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_nbgate.files import inside_root
from pytest_nbgate.snapshots.normalize import (
    BUILTIN_NAMES,
    DEFAULT_ON,
    Normalization,
    Scrubber,
    Tolerance,
    nbval_scrubbers,
)

STORES = ("notebook", "external")
MODES = ("all", "marked-only")
DEFAULT_MIME_TYPES = (
    "text/plain",
    "text/html",
    "text/markdown",
    "text/latex",
    "application/json",
    "image/png",
    "image/jpeg",
    "image/svg+xml",
)
DEFAULT_FOLDER = "__snapshots__"
DEFAULT_IMAGE_DIFF_FOLDER = ".nbgate/image-diffs"


@dataclass(frozen=True)
class ImageTolerance:
    """A pixel differs when a channel moves more than ``channel``; fail above ``max_ratio``."""

    channel: int = 8
    max_ratio: float = 0.0001

    def describe(self) -> str:
        return f"channel tolerance {self.channel}, up to {self.max_ratio:.4%} of pixels"


@dataclass(frozen=True)
class SnapshotSettings:
    """Everything the snapshot engine needs; built by :meth:`from_section`."""

    root: Path
    store: str = "notebook"
    folder: Path = field(default=Path(DEFAULT_FOLDER))
    """Absolute; where the external store keeps its golden files."""
    mode: str = "all"
    mime_types: tuple[str, ...] = DEFAULT_MIME_TYPES
    ignore_stderr: bool = False
    normalization: Normalization = field(default_factory=Normalization)
    tolerance: Tolerance = field(default_factory=Tolerance)
    image: ImageTolerance = field(default_factory=ImageTolerance)
    image_diff_folder: Path = field(default=Path(DEFAULT_IMAGE_DIFF_FOLDER))
    """Absolute; golden, fresh and diff images of failing comparisons."""
    create_missing: bool = False
    require_outputs: bool = False
    max_diff_lines: int = 2000
    """Cap on the diff lines kept in a finding's detail (the JSON report)."""
    enabled: bool = True
    store_explicit: str = ""
    """The store the profile named itself (``""``: the default was taken)."""
    variant: str = ""
    """A parameter set's name: its goldens are ``<notebook>[<variant>].golden.txt``."""

    def for_notebook(
        self, text_notebook: bool, parametrised: bool, variant: str
    ) -> SnapshotSettings:
        """The settings of one run: a text notebook or a parameter set has no stored outputs."""
        if parametrised:
            return self.for_variant(variant)
        if text_notebook and self.store == "notebook":
            return dataclasses.replace(self, enabled=False)
        return self

    def for_variant(self, variant: str) -> SnapshotSettings:
        """A parameter set's own goldens (external store); the notebook store holds none."""
        if not variant or self.store != "external":
            return dataclasses.replace(self, enabled=False)
        return dataclasses.replace(self, variant=variant)

    @classmethod
    def from_section(
        cls, section: Mapping[str, Any], root: Path, sanitize_with: tuple[str, ...] = ()
    ) -> SnapshotSettings:
        """Settings from the profile's ``snapshots:`` mapping; bad values raise ``ValueError``.

        ``sanitize_with`` adds nbval sanitize files (``--nbgate-sanitize-with``)
        to the profile's ``sanitize-with`` list.
        """
        get = section.get
        store = _choice(get("store", "notebook"), STORES, "store")
        mode = _choice(get("mode", "all"), MODES, "mode")
        root = root.resolve()
        return cls(
            root=root,
            store=store,
            folder=inside_root(root, Path(str(get("folder", DEFAULT_FOLDER))), "snapshots.folder"),
            mode=mode,
            mime_types=tuple(str(m) for m in get("mime-types", DEFAULT_MIME_TYPES)),
            ignore_stderr=bool(get("ignore-stderr", False)),
            normalization=_normalization(
                get("normalizers", {}),
                get("scrubbers", ()),
                _sanitize_files(root, (*get("sanitize-with", ()), *sanitize_with)),
            ),
            tolerance=_tolerance(get("tolerance", {})),
            image=_image(get("image", {})),
            image_diff_folder=inside_root(
                root,
                Path(str(get("image-diff-folder", DEFAULT_IMAGE_DIFF_FOLDER))),
                "snapshots.image-diff-folder",
            ),
            create_missing=bool(get("create-missing", False)),
            require_outputs=bool(get("require-outputs", False)),
            max_diff_lines=_positive_int(get("max-diff-lines", 2000), "max-diff-lines"),
            enabled=bool(get("enabled", True)),
            store_explicit=str(get("store", "")),
        )

    @classmethod
    def default(cls, root: Path) -> SnapshotSettings:
        return cls.from_section({}, root)

    def golden_path(self, relpath: str) -> Path:
        """The external golden file of the notebook at ``relpath`` (inside the folder)."""
        name = f"{relpath}[{self.variant}]" if self.variant else relpath
        return self._under_folder(f"{name}.golden.txt")

    def _under_folder(self, name: str) -> Path:
        if Path(name).is_absolute():
            raise ValueError(f"notebook {name!r} is outside the project root {self.root}")
        path = inside_root(self.folder, Path(name), "golden file")
        inside_root(self.root, path, "golden file")
        return path


def _choice(value: Any, allowed: tuple[str, ...], key: str) -> str:
    if value not in allowed:
        raise ValueError(f"snapshots.{key}: {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _positive_int(value: Any, key: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"snapshots.{key}: expected a positive integer, got {value!r}")
    return value


def _number(value: Any, key: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise ValueError(f"snapshots.{key}: expected a number >= 0, got {value!r}")
    return float(value)


def _sanitize_files(root: Path, names: tuple[str, ...]) -> tuple[Scrubber, ...]:
    found: list[Scrubber] = []
    for name in names:
        path = root / name
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"sanitize-with: cannot read {name}: {exc}") from None
        found.extend(nbval_scrubbers(text, f"sanitize-with {name}"))
    return tuple(found)


def _normalization(
    switches: Mapping[str, Any], scrubbers: Any, extra: tuple[Scrubber, ...] = ()
) -> Normalization:
    enabled = set(DEFAULT_ON)
    for name, on in switches.items():
        if name not in BUILTIN_NAMES:
            known = ", ".join(BUILTIN_NAMES)
            raise ValueError(f"snapshots.normalizers: unknown normaliser {name!r} (known: {known})")
        (enabled.add if on else enabled.discard)(name)
    parsed = tuple(
        Scrubber.parse(str(item["pattern"]), str(item.get("replacement", "<scrubbed>")))
        for item in scrubbers
    )
    return Normalization(frozenset(enabled), parsed + extra)


def _tolerance(section: Mapping[str, Any]) -> Tolerance:
    default = Tolerance()
    return Tolerance(
        rel=_number(section.get("rel", default.rel), "tolerance.rel"),
        abs=_number(section.get("abs", default.abs), "tolerance.abs"),
    )


def _image(section: Mapping[str, Any]) -> ImageTolerance:
    default = ImageTolerance()
    channel = section.get("channel-tolerance", default.channel)
    if not isinstance(channel, int) or isinstance(channel, bool) or not 0 <= channel <= 255:
        raise ValueError(f"snapshots.image.channel-tolerance: expected 0..255, got {channel!r}")
    ratio = _number(section.get("max-diff-ratio", default.max_ratio), "image.max-diff-ratio")
    return ImageTolerance(channel=channel, max_ratio=ratio)

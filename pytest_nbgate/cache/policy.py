"""``--nbgate-cache`` / the profile's ``cache:`` and ``execution.depends``, resolved."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MODES = ("off", "static", "all")
"""``static``: lint, secrets, personal data and pylint; ``all`` adds execution."""


@dataclass(frozen=True)
class CacheSettings:
    mode: str = "static"
    depends: tuple[str, ...] = ()
    """Globs (relative to the project root) of files the notebooks read when they run."""

    @property
    def static(self) -> bool:
        return self.mode != "off"

    @property
    def execution(self) -> bool:
        return self.mode == "all"

    @classmethod
    def resolve(
        cls, flag: str | None, profile: Mapping[str, Any], execution: Mapping[str, Any]
    ) -> CacheSettings:
        """The flag wins over the profile; ``ValueError`` names a mode that does not exist."""
        mode = flag if flag is not None else str(profile.get("cache", "static"))
        if mode not in MODES:
            raise ValueError(f"cache: unknown mode {mode!r} (expected one of: {', '.join(MODES)})")
        return cls(mode=mode, depends=tuple(str(glob) for glob in execution.get("depends", ())))

"""Cache entries on disk: one JSON file per key, written atomically, verified when read.

An entry names its format and its own key; anything else found under a key's
name (a truncated file, another tool's file, a hand edit) is reported through
the ``warn`` callback and treated as a miss, then overwritten by the fresh
result. Each notebook's items run on one xdist worker, so two workers never
write the same entry; were they to, each write is a rename of a complete file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytest_nbgate.cache.digests import FORMAT
from pytest_nbgate.files import write_bytes
from pytest_nbgate.findings import Finding

MARK = "nbgate-cache"
GITIGNORE = "# Created by pytest-nbgate: results cached by content, never commit\n*\n"


class CacheWarning(UserWarning):
    """A cache entry was unusable (ignored) or could not be written."""


class ResultCache:
    """Entries under ``directory/<kind>/<key[:2]>/<key>.json``."""

    def __init__(self, directory: Path, warn: Callable[[str], None]) -> None:
        self.directory = directory
        self.warn = warn
        self.hits = 0
        self.misses = 0

    def path(self, kind: str, key: str) -> Path:
        return self.directory / kind / key[:2] / f"{key}.json"

    def has(self, kind: str, key: str) -> bool:
        return self.path(kind, key).is_file()

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        """The payload stored under ``key``, or ``None`` (missing, corrupt or foreign)."""
        path = self.path(kind, key)
        try:
            text = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        payload = _verified(text, key)
        if payload is None:
            self.warn(f"nbgate: ignoring unusable cache entry {path} (it will be rewritten)")
            self.misses += 1
            return None
        self.hits += 1
        return payload

    def put(self, kind: str, key: str, payload: dict[str, Any]) -> None:
        entry = {MARK: FORMAT, "key": key, "payload": payload}
        data = json.dumps(entry, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        try:
            # A cache can lose an entry to a crash (it is then a miss): no fsync per notebook.
            write_bytes(self.path(kind, key), data, durable=False)
        except OSError as exc:
            self.warn(f"nbgate: cannot write cache entry under {self.directory}: {exc}")


def _verified(text: bytes, key: str) -> dict[str, Any] | None:
    try:
        entry = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(entry, dict) or entry.get(MARK) != FORMAT or entry.get("key") != key:
        return None
    payload = entry.get("payload")
    return payload if isinstance(payload, dict) else None


def findings_payload(findings: list[Finding], **extra: Any) -> dict[str, Any]:
    return {"findings": [finding.to_dict() for finding in findings], **extra}


def payload_findings(payload: dict[str, Any]) -> list[Finding] | None:
    """The findings of a verified payload, or ``None`` when they do not parse."""
    raw = payload.get("findings")
    if not isinstance(raw, list):
        return None
    try:
        return [Finding.from_dict(item) for item in raw]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def prepare_directory(directory: Path) -> None:
    """Create the cache folder with a ``.gitignore``, as pytest does for its own."""
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    if created:
        (directory / ".gitignore").write_text(GITIGNORE, encoding="utf-8")

"""The session's caches: one store and the fingerprints every key of the session shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_nbgate.cache import digests
from pytest_nbgate.cache.entries import (
    ResultCache,
    findings_payload,
    payload_findings,
    prepare_directory,
)
from pytest_nbgate.config import GateConfig
from pytest_nbgate.findings import Finding
from pytest_nbgate.notebook.source import NotebookSource

STATIC, EXECUTION, PYLINT = "static", "execute", "pylint"


@dataclass(frozen=True)
class Replay:
    """A cached item's result: its findings and report data, as when it ran."""

    findings: list[Finding]
    extra: dict[str, Any]
    accepted: frozenset[str] = frozenset()
    """Baseline fingerprints the run matched: not findings, yet not stale entries either."""


class Caches:
    """Keys and entries for the static, pylint and (when asked) execution results."""

    def __init__(self, store: ResultCache, gate: GateConfig) -> None:
        self.store = store
        self.gate = gate
        self.static = digests.static_fingerprint(gate, digests.package_digest())
        self._execution: str | None = None
        self._pylint: str | None = None

    @classmethod
    def open(cls, directory: Path, gate: GateConfig, warn: Callable[[str], None]) -> Caches:
        prepare_directory(directory)
        return cls(ResultCache(directory, warn), gate)

    def static_key(self, source: NotebookSource) -> str:
        """Raises :class:`NotebookError` when the file cannot be read (nothing to key)."""
        return digests.digest(self.static, source.relpath, source.digest())

    def pylint_key(self, source: NotebookSource) -> str:
        if self._pylint is None:
            self._pylint = digests.pylint_fingerprint(self.gate, self.static)
        return digests.digest(self._pylint, source.relpath, source.digest())

    def execution_key(self, source: NotebookSource, item: str, kernel: str) -> str | None:
        """``None`` unless execution caching is on and the run can be replayed at all."""
        gate = self.gate
        if not gate.cache.execution or gate.update or gate.coverage.enabled:
            # Goldens must be rewritten and coverage measured by a real run.
            return None
        if self._execution is None:
            self._execution = digests.execution_fingerprint(gate, self.static)
        goldens = digests.goldens_digest(gate, source.relpath)
        return digests.digest(
            self._execution, source.relpath, source.digest(), item, kernel, goldens
        )

    def replay(self, kind: str, key: str) -> Replay | None:
        payload = self.store.get(kind, key)
        if payload is None:
            return None
        findings = payload_findings(payload)
        extra = payload.get("extra", {})
        accepted = payload.get("accepted", [])
        usable = isinstance(accepted, list) and all(isinstance(a, str) for a in accepted)
        if findings is None or not isinstance(extra, dict) or not usable:
            self.store.warn(f"nbgate: ignoring unusable cache entry {self.store.path(kind, key)}")
            return None
        return Replay(findings, extra, frozenset(accepted))

    def record(
        self,
        kind: str,
        key: str,
        findings: list[Finding],
        extra: dict[str, Any] | None = None,
        accepted: Iterable[str] = (),
    ) -> None:
        payload = findings_payload(findings, extra=extra or {}, accepted=sorted(accepted))
        self.store.put(kind, key, payload)

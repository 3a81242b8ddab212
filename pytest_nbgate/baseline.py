"""A baseline: accepted findings of every rule, by fingerprint, never by value.

A team adopting the gate on an old repository records today's findings once
(``nbgate baseline`` or ``--nbgate-update-baseline``); afterwards only new
findings fail, and entries that no longer match anything are reported as
stale so the file shrinks as the notebooks are fixed. An entry
holds the rule id, the notebook path, the cell id and the finding's
fingerprint (a hash of rule, path, cell and the hashed evidence), so moving
a cell keeps it accepted while a new value in the same cell does not. A
secret's fingerprint hashes only its hashed evidence: the file never holds a value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pytest_nbgate.files import write_text
from pytest_nbgate.findings import Finding

VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read; the message names the file."""


@dataclass(frozen=True)
class Entry:
    rule_id: str
    path: str
    cell_id: str | None
    fingerprint: str

    def describe(self) -> str:
        cell = f" cell {self.cell_id}" if self.cell_id else ""
        return f"{self.path}{cell}: {self.rule_id} ({self.fingerprint[:12]})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "path": self.path,
            "cell_id": self.cell_id,
            "fingerprint": self.fingerprint,
        }


@dataclass(frozen=True)
class Baseline:
    """Accepted findings; :meth:`contains` is the only question the gate asks."""

    entries: frozenset[Entry] = frozenset()

    @cached_property
    def fingerprints(self) -> frozenset[str]:
        # Asked once a finding: rebuilt each time, a large legacy baseline cost entries x findings.
        return frozenset(entry.fingerprint for entry in self.entries)

    @cached_property
    def by_path(self) -> dict[str, frozenset[str]]:
        """The fingerprints accepted in each notebook."""
        found: dict[str, set[str]] = {}
        for entry in self.entries:
            found.setdefault(entry.path, set()).add(entry.fingerprint)
        return {path: frozenset(fingerprints) for path, fingerprints in found.items()}

    def contains(self, finding: Finding) -> bool:
        return finding.fingerprint in self.fingerprints

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Baseline:
        return cls(
            frozenset(
                Entry(f.rule_id, f.location.path, f.location.cell_id, f.fingerprint)
                for f in findings
            )
        )

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read ``path``; a missing file is an empty baseline."""
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            raise BaselineError(f"{path}: cannot read baseline: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
            raise BaselineError(f"{path}: not an nbgate baseline (expected a 'findings' list)")
        try:
            entries = frozenset(
                Entry(item["rule_id"], item["path"], item.get("cell_id"), item["fingerprint"])
                for item in data["findings"]
            )
        except (KeyError, TypeError) as exc:
            raise BaselineError(f"{path}: malformed baseline entry: {exc}") from exc
        return cls(entries)

    def save(self, path: Path) -> None:
        """Write atomically (temporary file then rename), sorted for reviewable diffs."""
        items = sorted(
            (entry.to_dict() for entry in self.entries),
            key=lambda item: (
                item["path"],
                item["cell_id"] or "",
                item["rule_id"],
                item["fingerprint"],
            ),
        )
        write_text(path, json.dumps({"version": VERSION, "findings": items}, indent=2) + "\n")

    def stale(self, matched: Iterable[str], paths: Iterable[str]) -> list[Entry]:
        """Entries of the checked ``paths`` whose fingerprint matched no finding of this run."""
        used, checked = set(matched), set(paths)
        return sorted(
            (e for e in self.entries if e.path in checked and e.fingerprint not in used),
            key=lambda e: (e.path, e.rule_id, e.fingerprint),
        )

    def filter(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings that are not accepted (new leaks)."""
        accepted = self.fingerprints
        return [finding for finding in findings if finding.fingerprint not in accepted]

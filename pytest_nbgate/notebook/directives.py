"""What a notebook's own metadata asks of the gate, in our spelling and every peer's.

- ours: ``nbgate: {skip: "reason", xfail: "reason", timeout: 60, allow_errors: true}``
- nbmake: ``execution: {timeout: 60, allow_errors: true}``
- pytest-notebook: ``nbreg: {skip: true, skip_reason: "..."}``

Skipping and expected failure apply to the ``::execute`` items only: the static
checks (secrets, personal data) stay on whatever a notebook says of itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pytest_nbgate.notebook.model import Notebook


@dataclass(frozen=True)
class Directives:
    skip: str | None = None
    """Why the execute items are skipped; ``None``: they run."""
    xfail: str | None = None
    """Why the execute items are expected to fail; ``None``: they must pass."""
    timeout: float | None = None
    allow_errors: bool = False


def directives(notebook: Notebook) -> Directives:
    ours = _section(notebook, "nbgate")
    nbmake = _section(notebook, "execution")
    nbreg = _section(notebook, "nbreg")
    skip = _reason(ours.get("skip"), "skipped by its nbgate.skip metadata")
    if skip is None and nbreg.get("skip") is True:
        skip = str(nbreg.get("skip_reason") or "skipped by its nbreg.skip metadata")
    return Directives(
        skip=skip,
        xfail=_reason(ours.get("xfail"), "expected to fail by its nbgate.xfail metadata"),
        timeout=_timeout(ours.get("timeout")) or _timeout(nbmake.get("timeout")),
        allow_errors=ours.get("allow_errors") is True or nbmake.get("allow_errors") is True,
    )


def _section(notebook: Notebook, key: str) -> Mapping[str, Any]:
    value = notebook.metadata.get(key)
    return value if isinstance(value, Mapping) else {}


def _reason(value: Any, default: str) -> str | None:
    if value is True:
        return default
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _timeout(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None

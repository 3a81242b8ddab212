"""Stash keys shared by the plugin and its items (kept apart to avoid an import cycle).

Importing this module imports nothing of the gate: the plugin reads these keys
in every pytest run, also in runs that never turn ``--nbgate`` on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pytest_nbgate.config import GateConfig
    from pytest_nbgate.gate import Runtime

GATE_KEY: pytest.StashKey[GateConfig] = pytest.StashKey()
RUNTIME_KEY: pytest.StashKey[Runtime] = pytest.StashKey()

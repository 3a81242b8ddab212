"""Stash keys shared by the plugin and its items (kept apart to avoid an import cycle)."""

from __future__ import annotations

import pytest

from pytest_nbgate.config import GateConfig
from pytest_nbgate.gate import Runtime

GATE_KEY = pytest.StashKey[GateConfig]()
RUNTIME_KEY = pytest.StashKey[Runtime]()

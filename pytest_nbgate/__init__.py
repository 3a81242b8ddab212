"""pytest-nbgate: gate Jupyter notebooks in CI as pytest items."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pytest-nbgate")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

"""One notebook file, read on demand and released on demand.

Both front ends hold a :class:`NotebookSource` per file instead of a parsed
notebook: pytest's collection only names items (it never reads the file), the
first item to need the bytes or the notebook reads it, the file's other items
share that read, and :meth:`NotebookSource.release` drops it after the last
one. Memory then follows the largest notebook, not the number of notebooks.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from pytest_nbgate.notebook.model import Notebook
from pytest_nbgate.notebook.reading import DEFAULT_LIMITS, Limits, NotebookError, read_bytes
from pytest_nbgate.notebook.text import TEXT_SUFFIXES


class NotebookSource:
    """A path whose bytes and notebook are read at most once until :meth:`release`."""

    def __init__(self, path: Path, relpath: str, limits: Limits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.relpath = relpath
        self.limits = limits
        self._data: bytes | None = None
        self._digest: str | None = None
        self._notebook: Notebook | None = None
        self._error: NotebookError | None = None

    def data(self) -> bytes:
        """The file's bytes; raises :class:`NotebookError` when the file cannot be read."""
        if self._error is not None:
            raise self._error
        if self._data is None:
            try:
                self._data = read_bytes(self.path, self.relpath, self.limits)
            except NotebookError as exc:
                self._error = exc
                raise
        return self._data

    def digest(self) -> str:
        """SHA-256 of the bytes, kept after the bytes themselves are dropped."""
        if self._digest is None:
            self._digest = hashlib.sha256(self.data()).hexdigest()
        return self._digest

    def notebook(self) -> Notebook:
        """The parsed notebook; raises :class:`NotebookError` naming the file and the problem."""
        if self._notebook is not None:
            return self._notebook
        data = self.data()
        self.digest()
        # The notebook keeps its text: the bytes are not needed once it is parsed.
        self._data = None
        try:
            if self.path.suffix in TEXT_SUFFIXES:
                # A jupytext notebook: its own reader turns the text into cells.
                self._notebook = Notebook.read(self.path, relpath=self.relpath, limits=self.limits)
            else:
                self._notebook = Notebook.from_bytes(data, self.path, self.relpath, self.limits)
        except NotebookError as exc:
            self._error = exc
            raise
        return self._notebook

    def error(self) -> NotebookError | None:
        """Why the file cannot be a notebook, once a read has failed."""
        if self._error is None and self._notebook is None:
            with contextlib.suppress(NotebookError):
                self.notebook()
        return self._error

    def release(self) -> None:
        """Forget the bytes and the notebook (the next caller reads the file again)."""
        self._data = None
        self._digest = None
        self._notebook = None
        self._error = None

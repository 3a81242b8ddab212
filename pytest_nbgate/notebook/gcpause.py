"""The cyclic garbage collector paused while one notebook is read and linted.

Reading and linting a notebook allocates tens of thousands of containers (its
JSON, the AST of every cell, the scan document's fragments) that hold no
reference cycles: reference counting frees them when the notebook is dropped.
Left running, the collector traverses each of them two or three times as they
age through its generations, about a tenth of the static gate's time over a
corpus of real notebooks. Paused for one notebook at a time, it still runs
between notebooks, so memory held by real cycles stays bounded.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; the collector's prior state after it."""
    if not gc.isenabled():  # the caller (or an outer block) already paused it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

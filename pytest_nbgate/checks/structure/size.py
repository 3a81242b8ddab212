"""NB111-NB114: what the committed outputs weigh and whether they are tracebacks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook.markers import markers
from pytest_nbgate.notebook.model import Notebook, Output

_IMAGE_PREFIX = "image/"


def _bytes(value: Any) -> int:
    if isinstance(value, str):
        return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
    return len(json.dumps(value))


def human(size: int) -> str:
    """``1.2 MB`` / ``48 kB`` / ``900 B``, decimal units as file browsers show them."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.0f} kB" if size >= 1000 else f"{size} B"


def text_size(output: Output) -> int:
    """Bytes of an output that are not images: text, HTML, JSON, tracebacks."""
    size = _bytes(output.text) + sum(_bytes(tb) for tb in output.traceback)
    return size + sum(_bytes(v) for k, v in output.data.items() if not k.startswith(_IMAGE_PREFIX))


def image_size(mime: str, value: Any) -> int:
    """Decoded bytes of an embedded image (base64 is 4 characters per 3 bytes)."""
    size = _bytes(value)
    return size if mime == "image/svg+xml" else size * 3 // 4


class OutputTooLarge(Rule):
    """A stored output holds too much text or HTML.

    What it does:
        Measures each output's non-image content (stream text, HTML,
        JSON, tracebacks) in bytes.

    Why is this bad?
        Huge outputs (a printed DataFrame of 50,000 rows, a verbose training
        log) bloat the repository and every diff, and nobody reviews them.
        In the reference corpus the largest text output is 35 kB.

    Example:
        ``print(df)`` of a whole table, ``model.fit(verbose=2)`` logs.

    Use instead:
        Show ``df.head()``, log less, or clear the output before committing.

    Options:
        ``max-bytes`` (int, default 50000): the largest text output allowed.
    """

    @dataclass(frozen=True)
    class Options:
        max_bytes: int = 50_000

    id = "NB111"
    name = "output-too-large"
    severity = Severity.WARNING
    message = "Output has {size} of text (max {max_size})"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        limit = self.options.max_bytes
        for cell in notebook.code_cells:
            for output in cell.outputs:
                size = text_size(output)
                if size > limit:
                    yield self.at(
                        notebook,
                        cell,
                        output_index=output.index,
                        size=human(size),
                        max_size=human(limit),
                    )


class ImageTooLarge(Rule):
    """An embedded output image is too large.

    What it does:
        Measures each image in the outputs (PNG, JPEG, GIF, SVG) after base64
        decoding.

    Why is this bad?
        Every re-run commits a new copy of the image; the repository grows by
        its size each time and the notebook becomes slow to open.
        In the reference corpus 99% of images are under 280 kB and the
        largest is 470 kB.

    Example:
        A ``dpi=300`` full-page figure, or a photo shown with ``imshow``.

    Use instead:
        Lower the figure size or DPI, save large figures to files that are
        not committed, or clear outputs before committing.

    Options:
        ``max-bytes`` (int, default 500000): the largest decoded image allowed.
    """

    @dataclass(frozen=True)
    class Options:
        max_bytes: int = 500_000

    id = "NB112"
    name = "image-too-large"
    severity = Severity.WARNING
    message = "Embedded {mime} image is {size} (max {max_size})"
    evidence_fields = ("mime",)

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        limit = self.options.max_bytes
        for cell in notebook.code_cells:
            for output in cell.outputs:
                for mime, value in output.data.items():
                    if mime.startswith(_IMAGE_PREFIX) and image_size(mime, value) > limit:
                        size = image_size(mime, value)
                        yield self.at(
                            notebook,
                            cell,
                            output_index=output.index,
                            mime=mime,
                            size=human(size),
                            max_size=human(limit),
                        )


class NotebookTooLarge(Rule):
    """The notebook file is too large.

    What it does:
        Compares the size of the ``.ipynb`` file with a limit.

    Why is this bad?
        Large notebooks make slow diffs and reviews, fail to render on code
        hosts, and grow the repository with every commit. The largest
        notebook of the reference corpus is 2.7 MB, almost all images.

    Example:
        A 20 MB notebook full of interactive plot bundles.

    Use instead:
        Clear or shrink outputs before committing (``nbstripout``, lower
        figure DPI), and keep data out of the notebook.

    Options:
        ``max-bytes`` (int, default 3000000): the largest file allowed.
    """

    @dataclass(frozen=True)
    class Options:
        max_bytes: int = 3_000_000

    id = "NB113"
    name = "notebook-too-large"
    severity = Severity.WARNING
    message = "Notebook file is {size} (max {max_size})"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        limit = self.options.max_bytes
        if notebook.size > limit:
            yield self.at(notebook, size=human(notebook.size), max_size=human(limit))


class ErrorOutput(Rule):
    """A committed cell output is an error traceback.

    What it does:
        Reports stored ``error`` outputs of code cells that are not tagged
        ``raises-exception`` (or ``nbgate-raises-exception``, or nbval's
        ``NBVAL_RAISES_EXCEPTION``).

    Why is this bad?
        Either the notebook was committed broken, or the error is meant to be
        shown and the gate should be told so; a reader cannot tell which.

    Example:
        A ``KeyError`` traceback under ``df["colum"]``.

    Use instead:
        Fix and re-run the cell, or tag it ``raises-exception`` when the error
        is the point of the example.

    Options:
        None.
    """

    id = "NB114"
    name = "error-output"
    severity = Severity.WARNING
    message = "Cell output is a committed {ename} traceback"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for cell in notebook.code_cells:
            errors = [output for output in cell.outputs if output.output_type == "error"]
            if errors and not markers(cell).raises:
                for output in errors:
                    yield self.at(
                        notebook, cell, output_index=output.index, ename=output.ename or "error"
                    )


RULES: tuple[type[Rule], ...] = (OutputTooLarge, ImageTooLarge, NotebookTooLarge, ErrorOutput)

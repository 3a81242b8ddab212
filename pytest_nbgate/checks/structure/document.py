"""NB115-NB118: the notebook as a document: title, prose, kernel metadata, file name."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pytest_nbgate.checks.base import Rule
from pytest_nbgate.findings import Finding, Severity
from pytest_nbgate.notebook.model import Notebook

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+\S|^\s*<h[1-6][\s>]|^\s{0,3}(=+|-+)\s*$", re.IGNORECASE)


class MissingTitle(Rule):
    """No markdown heading comes before the first code cell.

    What it does:
        Looks for a Markdown heading (``# Title``, an underlined title or an
        HTML ``<h1>``-``<h6>``) in the markdown cells above the first code cell.
        Off by default; the teaching profile turns it on.

    Why is this bad?
        Readers, rendered listings and course sites take the first heading as
        the notebook's title; without one the reader starts with code.

    Example:
        A notebook whose first cell is ``import pandas as pd``.

    Use instead:
        Start with a markdown cell ``# What this notebook shows``.

    Options:
        None.
    """

    id = "NB115"
    name = "missing-title"
    severity = Severity.WARNING
    message = "No markdown heading before the first code cell"
    default_enabled = False

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        for cell in notebook.cells:
            if cell.is_code:
                break
            if cell.cell_type == "markdown" and any(_HEADING.match(x) for x in cell.lines):
                return
        if notebook.cells:
            yield self.at(notebook, notebook.cells[0])


class TooLittleMarkdown(Rule):
    """The notebook has too little prose for its code.

    What it does:
        Divides the number of non-empty markdown cells by the number of
        non-empty code cells, for notebooks with at least ``min-code-cells``.
        Off by default; the teaching profile turns it on.

    Why is this bad?
        A notebook is read as a document: code without explanation is a
        script in an awkward format. Every notebook of the reference corpus
        has at least 0.76 markdown cells per code cell.

    Example:
        Thirty code cells and one markdown cell.

    Use instead:
        Say what each step does and why, in markdown cells between them.

    Options:
        ``min-ratio`` (float, default 0.25): fewest markdown cells per code cell.
        ``min-code-cells`` (int, default 5): smaller notebooks are not checked.
    """

    @dataclass(frozen=True)
    class Options:
        min_ratio: float = 0.25
        min_code_cells: int = 5

    id = "NB116"
    name = "too-little-markdown"
    severity = Severity.WARNING
    message = "{markdown} markdown cells for {code} code cells (min ratio {min_ratio})"
    default_enabled = False

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        code = sum(1 for cell in notebook.cells if cell.is_code and cell.source.strip())
        markdown = sum(
            1 for cell in notebook.cells if cell.cell_type == "markdown" and cell.source.strip()
        )
        if code >= self.options.min_code_cells and markdown < self.options.min_ratio * code:
            yield self.at(notebook, markdown=markdown, code=code, min_ratio=self.options.min_ratio)


def _mapping(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def kernel_problem(metadata: Mapping[str, Any]) -> str | None:
    """What is wrong with ``kernelspec``/``language_info``, or ``None``."""
    spec = _mapping(metadata.get("kernelspec"))
    info = _mapping(metadata.get("language_info"))
    if spec is None:
        return "has no kernelspec: which kernel runs it is left to the machine"
    name = spec.get("name")
    if not isinstance(name, str) or not name:
        return "kernelspec has no name"
    language = spec.get("language")
    info_name = info.get("name") if info else None
    if (
        isinstance(language, str)
        and isinstance(info_name, str)
        and language.lower() != info_name.lower()
    ):
        return f"kernelspec language {language!r} differs from language_info {info_name!r}"
    declared = re.fullmatch(r"python(\d)", name)
    version = str(info.get("version", "")) if info else ""
    if declared and version[:1].isdigit() and version[:1] != declared.group(1):
        return f"kernel {name!r} but language_info says Python {version}"
    return None


class KernelMetadata(Rule):
    """The kernel metadata is missing or contradicts itself.

    What it does:
        Reports a notebook without ``kernelspec`` (or without its ``name``),
        a ``kernelspec.language`` different from ``language_info.name``, and a
        ``python2``/``python3`` kernel whose ``language_info`` records the
        other major version.

    Why is this bad?
        The gate (and every reader) picks the kernel from this metadata; when
        it is missing or wrong the notebook runs in whatever is the default.

    Example:
        ``"kernelspec": {"name": "python2"}`` with ``language_info.version``
        ``"3.11.4"``, after a hand merge.

    Use instead:
        Open the notebook, choose the right kernel, save it.

    Options:
        None.
    """

    id = "NB117"
    name = "kernel-metadata"
    severity = Severity.WARNING
    message = "Notebook metadata {problem}"
    evidence_fields = ("problem",)

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        problem = kernel_problem(notebook.metadata)
        if problem is not None:
            yield self.at(notebook, problem=problem)


_DEFAULT_NAME = re.compile(r"^Untitled\d*(-Copy\d+)?$|-Copy\d+$|\s\(copy\)$|^Copy of ")


class DefaultName(Rule):
    """The notebook still has a name Jupyter gave it (``Untitled1``, ``analysis-Copy1``).

    What it does:
        Reports notebook files named ``Untitled*.ipynb``, ``*-Copy<N>.ipynb``,
        ``* (copy).ipynb`` or ``Copy of *.ipynb``.

    Why is this bad?
        The name says nothing of the content, and copies are usually
        scratch work committed by accident next to the real notebook.

    Example:
        ``notebooks/Untitled3.ipynb``

    Use instead:
        Rename it after what it does, or delete the copy.

    Options:
        None.
    """

    id = "NB118"
    name = "default-notebook-name"
    severity = Severity.WARNING
    message = "Notebook file name {filename!r} is a Jupyter default"

    def check(self, notebook: Notebook) -> Iterator[Finding]:
        stem = notebook.relpath.rsplit("/", 1)[-1].removesuffix(".ipynb")
        if _DEFAULT_NAME.search(stem):
            yield self.at(notebook, filename=stem + ".ipynb")


RULES: tuple[type[Rule], ...] = (MissingTitle, TooLittleMarkdown, KernelMetadata, DefaultName)

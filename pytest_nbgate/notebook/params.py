"""Parameter sets in papermill's model, injected as Python literals only.

A cell tagged ``parameters`` holds the defaults; each set is injected right
after it (at the top when no cell is tagged), as papermill's
``injected-parameters`` cell would be. Sets come from the notebook's metadata
(``nbgate.parameters: {small: {n_rows: 100}}``) or the profile (per notebook
glob); ``--nbgate-param NAME=VALUE`` overrides a name in every set.

Values only ever reach a kernel as ``repr`` of a value that
``ast.literal_eval`` reads back unchanged: no code is built from strings.
"""

from __future__ import annotations

import ast
import fnmatch
import keyword
from collections.abc import Mapping
from typing import Any

from pytest_nbgate.notebook.markers import is_parameters
from pytest_nbgate.notebook.model import Notebook

ParameterSets = dict[str, dict[str, Any]]
"""Set name -> parameter values; the name ``""`` is the plain (unnamed) run."""
HEADER = "# Parameters injected by nbgate"


def literal(value: Any) -> str:
    """``value`` as Python source that evaluates to exactly it; refuses anything else."""
    text = repr(value)
    try:
        same = ast.literal_eval(text) == value
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        same = False
    if not same:
        raise ValueError(f"{text[:80]} is not a Python literal")
    return text


def assignment(name: str, value: Any) -> str:
    """``name = <literal>``; ``name`` must be a plain variable name."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"{name!r} is not a Python variable name")
    return f"{name} = {literal(value)}"


def injected_code(values: Mapping[str, Any]) -> str:
    """The body of the ``injected-parameters`` cell for ``values``."""
    return "\n".join([HEADER, *(assignment(name, value) for name, value in values.items())])


def parse_override(text: str) -> tuple[str, Any]:
    """``NAME=VALUE`` from the command line; VALUE is a Python literal (quote strings)."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ValueError(f"{text!r}: expected NAME=VALUE")
    try:
        value = ast.literal_eval(raw.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise ValueError(
            f"{text!r}: {raw.strip()!r} is not a Python literal (quote strings: {name}='text')"
        ) from None
    assignment(name, value)
    return name, value


def has_parameters_cell(notebook: Notebook) -> bool:
    return any(is_parameters(cell) for cell in notebook.code_cells)


def parameter_sets(
    notebook: Notebook,
    profile_sets: Mapping[str, Mapping[str, Mapping[str, Any]]],
    overrides: Mapping[str, Any],
) -> ParameterSets:
    """The notebook's sets (metadata first, else the first matching profile glob).

    Empty when the notebook is not parametrised; overrides alone make one
    unnamed set for a notebook with a ``parameters`` cell. Raises
    ``ValueError`` naming the bad set or value.
    """
    section = notebook.metadata.get("nbgate")
    declared = section.get("parameters") if isinstance(section, Mapping) else None
    if declared is None:
        declared = next(
            (
                sets
                for glob, sets in profile_sets.items()
                if fnmatch.fnmatch(notebook.relpath, glob)
            ),
            None,
        )
    if declared is None:
        return {"": dict(overrides)} if overrides and has_parameters_cell(notebook) else {}
    if not isinstance(declared, Mapping) or not declared:
        raise ValueError("nbgate.parameters: expected a mapping of set name to values")
    sets: ParameterSets = {}
    for name, values in declared.items():
        if not isinstance(values, Mapping) or not str(name).strip():
            raise ValueError(f"nbgate.parameters.{name}: expected a mapping of name to value")
        merged = {**values, **overrides}
        injected_code(merged)  # every value must be a literal, now rather than in a kernel
        sets[str(name)] = merged
    return sets

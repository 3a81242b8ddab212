"""Span edits leave exactly the text a JSON writer would write without the removed parts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_nbgate.fix import spans

KEYS = st.text(alphabet='abcdefgh_\u00e9"\\', min_size=1, max_size=4)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
STYLES = st.fixed_dictionaries(
    {
        "indent": st.sampled_from([None, 0, 1, 2, 4]),
        "separators": st.sampled_from([(",", ":"), (", ", ": "), (",", ": ")]),
        "ensure_ascii": st.booleans(),
    }
)


def _dump(value: Any, style: dict[str, Any]) -> str:
    return json.dumps(value, **style)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=6), st.data(), STYLES)
def test_removing_members_equals_writing_without_them(
    metadata: dict[str, Any], data: st.DataObject, style: dict[str, Any]
) -> None:
    doomed = data.draw(
        st.lists(st.sampled_from(sorted(metadata)), unique=True) if metadata else st.just([])
    )
    text = _dump({"metadata": metadata, "cells": []}, style)
    layout = spans.Layout.of(text)
    edits = spans.remove_members(layout, layout.value("metadata"), doomed)
    kept = {key: value for key, value in metadata.items() if key not in doomed}
    assert spans.apply(text, edits) == _dump({"metadata": kept, "cells": []}, style)


@settings(max_examples=50, deadline=None)
@given(st.lists(VALUES, max_size=6), st.data(), STYLES)
def test_removing_a_tail_equals_writing_the_shorter_list(
    cells: list[Any], data: st.DataObject, style: dict[str, Any]
) -> None:
    first = data.draw(st.integers(min_value=0, max_value=len(cells)))
    text = _dump({"cells": cells}, style)
    layout = spans.Layout.of(text)
    edits = spans.remove_tail(layout.value("cells"), layout.cells(), first)
    assert spans.apply(text, edits) == _dump({"cells": cells[:first]}, style)


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(ValueError, match="overlapping edits at offset 2"):
        spans.apply("abcdef", [spans.Edit(0, 3, ""), spans.Edit(2, 4, "")])

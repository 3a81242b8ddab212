"""A small repository most option tests share: one clean and one failing notebook."""

from __future__ import annotations

import pytest

from tests import factory


@pytest.fixture
def repo(pytester: pytest.Pytester) -> pytest.Pytester:
    factory.write(pytester.path / "clean.ipynb", factory.notebook(factory.code("x = 1\nprint(x)")))
    factory.write(
        pytester.path / "undefined.ipynb",
        factory.notebook(factory.code("print(not_defined_anywhere)", cell_id="c1")),
    )
    return pytester

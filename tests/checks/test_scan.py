"""The shared extraction: every place a value hides becomes decoded text with its location."""

from __future__ import annotations

import base64

from pytest_nbgate.checks.secrets.scan import fragments, html_text, render_json, scan_of
from tests import factory


def _kinds(nb: dict[str, object]) -> dict[str, str]:
    return {f.kind: f.text for f in fragments(factory.load(nb))}  # type: ignore[arg-type]


def test_every_place_becomes_a_fragment_with_its_kind() -> None:
    widget = {"application/vnd.jupyter.widget-state+json": {"state": {"m": {"value": "w1"}}}}
    cell = factory.markdown("md")
    cell["attachments"] = {"pic-name.png": {"image/png": "AAAA"}}
    nb = factory.notebook(
        factory.code(
            "src",
            metadata={"k": "cellmeta"},
            outputs=[
                factory.stream("out"),
                factory.result({"text/plain": "plain", "text/html": "<b>bold</b>"}),
                factory.display({"text/markdown": "mdout", "application/json": {"a": "js"}}),
                factory.error("E", "v", ["\x1b[0;31mtrace\x1b[0m"]),
            ],
        ),
        cell,
        factory.raw("rawtext"),
        metadata={"custom": "nbmeta", "widgets": widget},
    )
    kinds = _kinds(nb)
    assert kinds["source"] == "src"
    assert kinds["stream"] == "out"
    assert kinds["text-plain"] == "plain"
    assert kinds["html"] == "bold"
    assert kinds["markdown-output"] == "mdout"
    assert kinds["json"] == 'a: "js"'
    assert "trace" in kinds["traceback"] and "\x1b" not in kinds["traceback"]
    assert kinds["attachment-name"] == "pic-name.png"
    assert kinds["raw"] == "rawtext"
    assert 'value: "w1"' in kinds["widget-state"]
    assert "nbmeta" in kinds["metadata"]


def test_images_and_data_uris_are_never_scanned() -> None:
    png = base64.b64encode(b"x" * 300).decode()
    nb = factory.notebook(
        factory.code(
            "plot()", outputs=[factory.display({"image/png": png, "text/plain": "<Figure>"})]
        ),
        factory.markdown(f"![img](data:image/png;base64,{png})"),
    )
    document = scan_of(factory.load(nb)).document
    assert png not in document
    assert "<Figure>" in document


def test_html_tables_are_split_into_cells_and_links_kept() -> None:
    text = html_text(
        '<table><tr><td>a&amp;b</td><td><a href="http://u:p@h">x</a></td></tr></table>'
    )
    assert "a&b\t" in text
    assert "http://u:p@h" in text


def test_json_escaping_is_decoded() -> None:
    assert render_json({"password": 'say "hi"'}) == 'password: "say "hi""'


def test_locate_maps_offsets_to_cell_lines() -> None:
    nb = factory.load(factory.notebook(factory.code("a\nb\nsecret"), factory.code("c")))
    scan = scan_of(nb)
    hit = scan.locate(scan.document.index("secret"))
    assert hit.fragment.cell is nb.cells[0]
    assert hit.line == 3


def test_scan_is_cached_per_notebook_object() -> None:
    nb = factory.load(factory.notebook(factory.code("x")))
    assert scan_of(nb) is scan_of(nb)
    twin = factory.load(factory.notebook(factory.code("x")))
    assert scan_of(twin) is not scan_of(nb)

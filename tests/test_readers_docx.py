"""DOCX reader: body order, styles, tables, headers/footers, metadata, and hostile files."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from builders import assert_spans, make_docx, make_hostile_docx, make_zip_bomb_docx
from guidance_audit.errors import (EncryptedDocumentError, NoTextError, TooLargeError, UnreadableFileError,
                                   UnsupportedFormatError)
from guidance_audit.limits import Limits
from guidance_audit.readers import read_bytes, read_document

BODY = [
    ("title", "Domestic Abuse Guidance"),
    "Date of issue: 14 January 2019",
    ("h1", "1. Introduction"),
    "3.1 People on a spouse visa can apply for indefinite leave to remain after two years.",
    ("bullet", "record the report"),
    ("number", "refer the victim"),
    ("h2", "Sharing"),
    ("table", [["Route", "Years", "Note"], ["Spouse", "5", ""]], {"merge": [((0, 2), (1, 2))]}),
    ("h1", "Annex"),
    "After the table.",
]

EXPECTED = [
    ("heading", "Domestic Abuse Guidance", None, ()),
    ("paragraph", "Date of issue: 14 January 2019", None, ("Domestic Abuse Guidance",)),
    ("heading", "Introduction", "1.", ("Domestic Abuse Guidance",)),
    ("paragraph", "People on a spouse visa can apply for indefinite leave to remain after two years.", "3.1",
     ("Domestic Abuse Guidance", "Introduction")),
    ("list_item", "record the report", None, ("Domestic Abuse Guidance", "Introduction")),
    ("list_item", "refer the victim", None, ("Domestic Abuse Guidance", "Introduction")),
    ("heading", "Sharing", None, ("Domestic Abuse Guidance", "Introduction")),
    ("table_cell", "Route", None, ("Domestic Abuse Guidance", "Introduction", "Sharing")),
    ("table_cell", "Years", None, ("Domestic Abuse Guidance", "Introduction", "Sharing")),
    ("table_cell", "Note", None, ("Domestic Abuse Guidance", "Introduction", "Sharing")),
    ("table_cell", "Spouse", None, ("Domestic Abuse Guidance", "Introduction", "Sharing")),
    ("table_cell", "5", None, ("Domestic Abuse Guidance", "Introduction", "Sharing")),
    ("heading", "Annex", None, ("Domestic Abuse Guidance",)),
    ("paragraph", "After the table.", None, ("Domestic Abuse Guidance", "Annex")),
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "guidance.docx"
    return make_docx(path, BODY, title="DA guidance", created=dt.date(2020, 5, 1),
                     header_text="RUNNING HEADER OFFICIAL", footer_text="Footer page text")


def test_structure(sample):
    doc = read_document(sample)
    assert_spans(doc)
    assert [(b.kind, b.text, b.number, b.heading_path) for b in doc.blocks] == EXPECTED
    assert all(b.page is None for b in doc.blocks)
    assert doc.metadata.format == "docx"
    assert doc.metadata.pages is None


def test_numbers_kept_out_of_text(sample):
    doc = read_document(sample)
    for b in doc.blocks:
        if b.number:
            assert doc.text[b.start - len(b.number) - 1:b.start] == b.number + " "


def test_headers_and_footers_are_not_body(sample):
    doc = read_document(sample)
    assert "RUNNING HEADER" not in doc.text
    assert "Footer page text" not in doc.text


def test_metadata(sample):
    meta = read_document(sample).metadata
    assert meta.title == "DA guidance"
    assert meta.created == dt.date(2020, 5, 1)
    assert meta.modified == dt.date(2020, 5, 1)
    assert (meta.published, meta.published_from) == (dt.date(2019, 1, 14), "text")


@pytest.mark.parametrize(
    "blocks, created, modified, published, source",
    [
        (["No dates in this text."], dt.date(2020, 5, 1), None, dt.date(2020, 5, 1), "metadata"),
        (["No dates in this text."], dt.date(2018, 1, 1), dt.date(2020, 5, 1), dt.date(2020, 5, 1), "metadata"),
        (["Last updated 3 March 2021."], dt.date(2022, 5, 1), None, dt.date(2021, 3, 3), "text"),
        (["No dates in this text."], None, None, None, None),
    ],
)
def test_published(tmp_path, blocks, created, modified, published, source):
    doc = read_document(make_docx(tmp_path / "d.docx", blocks, created=created, modified=modified))
    assert (doc.metadata.published, doc.metadata.published_from) == (published, source)


def test_title_falls_back_to_first_heading(tmp_path):
    doc = read_document(make_docx(tmp_path / "d.docx", [("h1", "Force Policy"), "Text."]))
    assert doc.metadata.title == "Force Policy"


def test_bold_paragraphs_as_headings(tmp_path):
    blocks = [("h1", "Guidance"), ("bold", "Information Sharing"), "Officers must not share data.",
              ("bold", "A bold sentence that ends with a full stop."), ("bold", "Next Topic"), "More text."]
    doc = read_document(make_docx(tmp_path / "b.docx", blocks))
    assert [(b.kind, b.heading_path) for b in doc.blocks] == [
        ("heading", ()),
        ("heading", ("Guidance",)),
        ("paragraph", ("Guidance", "Information Sharing")),
        ("paragraph", ("Guidance", "Information Sharing")),
        ("heading", ("Guidance",)),
        ("paragraph", ("Guidance", "Next Topic")),
    ]


def test_text_boxes_read_once_after_their_anchor(tmp_path):
    blocks = [("textbox", "Issued April 2020", "Cover"), "Body text."]
    doc = read_document(make_docx(tmp_path / "tb.docx", blocks))
    assert_spans(doc)
    assert [b.text for b in doc.blocks] == ["Cover", "Issued April 2020", "Body text."]
    assert doc.metadata.published == dt.date(2020, 4, 1)


def test_merged_cells_once(tmp_path):
    rows = [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]]
    merges = [((0, 0), (0, 1)), ((1, 2), (2, 2))]
    doc = read_document(make_docx(tmp_path / "t.docx", [("table", rows, {"merge": merges})]))
    assert [b.text for b in doc.blocks] == ["a", "c", "d", "e", "f", "g", "h"]
    assert {b.kind for b in doc.blocks} == {"table_cell"}


def test_docx_named_txt_is_read_as_docx(tmp_path, sample):
    path = tmp_path / "actually.txt"
    path.write_bytes(sample.read_bytes())
    doc = read_document(path)
    assert doc.metadata.format == "docx"
    assert doc.blocks[0].text == "Domestic Abuse Guidance"


@pytest.mark.parametrize("kind", ["xxe", "laughs"])
@pytest.mark.parametrize("uppercase", [True, False])
def test_dtd_is_refused(tmp_path, kind, uppercase):
    path = make_hostile_docx(tmp_path / f"{kind}.docx", kind, uppercase=uppercase)
    with pytest.raises(UnreadableFileError) as info:
        read_document(path)
    assert "DOCTYPE" in str(info.value)
    assert "root:" not in str(info.value)


@pytest.mark.parametrize(
    "limits, part_bytes, lie, error",
    [
        (Limits(min_bomb_bytes=1_000_000), 3_000_000, False, TooLargeError),  # ratio beyond 200 (a part this
        # small is judged by its ratio only when min_bomb_bytes says so: by default it must also be large)
        (Limits(max_docx_part_bytes=1_000_000, max_compression_ratio=1e9), 3_000_000, False, TooLargeError),
        (Limits(max_docx_total_bytes=1_000_000, max_compression_ratio=1e9), 3_000_000, False, TooLargeError),
        (Limits(max_compression_ratio=1e9), 3_000_000, True, UnreadableFileError),  # lying header
    ],
)
def test_zip_bombs(tmp_path, limits, part_bytes, lie, error):
    path = make_zip_bomb_docx(tmp_path / "bomb.docx", part_bytes=part_bytes, lie_about_size=lie)
    with pytest.raises(error):
        read_document(path, limits=limits)


def test_capped_read_when_header_understates_size(tmp_path):
    # The header claims 1000 bytes; even with a generous ratio limit nothing inflates past it.
    path = make_zip_bomb_docx(tmp_path / "liar.docx", part_bytes=3_000_000, lie_about_size=True)
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("word/document.xml").file_size == 1000
    with pytest.raises(UnreadableFileError):
        read_document(path, limits=Limits(max_compression_ratio=1e9))


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "content, name, error",
    [
        (b"This is plain text in a file named docx.", "fake.docx", UnreadableFileError),
        (bytes(range(256)) * 10, "random.docx", UnreadableFileError),
        (b"PK\x03\x04" + b"\x00" * 60, "truncated.docx", UnreadableFileError),
        (_zip({"xl/workbook.xml": b"<workbook/>"}), "book.docx", UnsupportedFormatError),
        (_zip({"word/document.xml": b"<not really"}), "broken.docx", UnreadableFileError),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, "legacy.docx", UnsupportedFormatError),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "locked.docx",
         EncryptedDocumentError),
    ],
)
def test_bad_docx(tmp_path, content, name, error):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error):
        read_document(path)


def test_truncated_docx(tmp_path, sample):
    data = sample.read_bytes()
    with pytest.raises(UnreadableFileError):
        read_bytes(data[: len(data) // 2], "half.docx")


def test_empty_body(tmp_path):
    with pytest.raises(NoTextError):
        read_document(make_docx(tmp_path / "empty.docx", [], header_text="Only a header"))

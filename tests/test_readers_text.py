"""Plain-text reader, document_from_text, and format detection of non-binary content."""
from __future__ import annotations

import datetime as dt
import os

import pytest

from builders import assert_spans
from guidance_audit.errors import NoTextError, TooLargeError, UnreadableFileError, UnsupportedFormatError
from guidance_audit.limits import Limits
from guidance_audit.readers import document_from_text, read_bytes, read_document
from guidance_audit.readers._build import join_lines, split_marker
from guidance_audit.readers.text import heading_of_line

SAMPLE = (
    "DOMESTIC ABUSE GUIDANCE\n"
    "\n"
    "Last updated: 03/03/2021\n"
    "\n"
    "1. Introduction\n"
    "\n"
    "3.1 People on a spouse visa can\n"
    "apply for indefinite leave to remain\n"
    "after two years.\n"
    "\n"
    "Officers must:\n"
    "- record the report\n"
    "- refer the\n"
    "  victim\n"
    "(a) consider safeguarding\n"
    "\n"
    "Information Sharing\n"
    "\n"
    "3.2 Officers should not share data.\n"
    "\n"
    "## Annex\n"
    "Text of the annex.\n"
)

EXPECTED = [
    # kind, text, number, heading_path
    ("heading", "DOMESTIC ABUSE GUIDANCE", None, ()),
    ("paragraph", "Last updated: 03/03/2021", None, ("DOMESTIC ABUSE GUIDANCE",)),
    ("heading", "Introduction", "1.", ("DOMESTIC ABUSE GUIDANCE",)),
    ("paragraph", "People on a spouse visa can apply for indefinite leave to remain after two years.",
     "3.1", ("DOMESTIC ABUSE GUIDANCE", "Introduction")),
    ("paragraph", "Officers must:", None, ("DOMESTIC ABUSE GUIDANCE", "Introduction")),
    ("list_item", "record the report", None, ("DOMESTIC ABUSE GUIDANCE", "Introduction")),
    ("list_item", "refer the victim", None, ("DOMESTIC ABUSE GUIDANCE", "Introduction")),
    ("list_item", "consider safeguarding", "(a)", ("DOMESTIC ABUSE GUIDANCE", "Introduction")),
    ("heading", "Information Sharing", None, ("DOMESTIC ABUSE GUIDANCE",)),
    ("paragraph", "Officers should not share data.", "3.2", ("DOMESTIC ABUSE GUIDANCE", "Information Sharing")),
    ("heading", "Annex", None, ("DOMESTIC ABUSE GUIDANCE",)),
    ("paragraph", "Text of the annex.", None, ("DOMESTIC ABUSE GUIDANCE", "Annex")),
]


def _summary(doc):
    return [(b.kind, b.text, b.number, b.heading_path) for b in doc.blocks]


def test_layout_of_sample():
    doc = document_from_text(SAMPLE, "sample.txt")
    assert_spans(doc)
    assert _summary(doc) == EXPECTED
    assert doc.metadata.format == "text"
    assert doc.metadata.title == "DOMESTIC ABUSE GUIDANCE"
    assert doc.metadata.published == dt.date(2021, 3, 3)
    assert doc.metadata.published_from == "text"
    assert all(b.page is None for b in doc.blocks)


def test_numbers_sit_before_the_block_outside_its_span():
    doc = document_from_text(SAMPLE)
    numbered = [b for b in doc.blocks if b.number]
    assert numbered
    for b in numbered:
        assert doc.text[b.start - len(b.number) - 1:b.start] == b.number + " "
        assert not b.text.startswith(b.number)


def test_blocks_separated_by_blank_line():
    doc = document_from_text("First para.\n\nSecond para.")
    assert doc.text == "First para.\n\nSecond para."


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),  # no BOM: recognised by its zero bytes
        ("cp1252", b""),
        ("latin-1", b""),
    ],
)
def test_encodings(tmp_path, encoding, bom):
    text = "Victims\u2019 fee is \u00a3100.\n\nCaf\u00e9 r\u00e9sum\u00e9 na\u00efve.\n"
    if encoding == "latin-1":
        text = text.replace("\u2019", "'")
    path = tmp_path / "doc.txt"
    path.write_bytes(bom + text.encode(encoding))
    doc = read_document(path)
    assert_spans(doc)
    assert [b.text for b in doc.blocks] == [
        ("Victims' fee is \u00a3100." if encoding == "latin-1" else "Victims\u2019 fee is \u00a3100."),
        "Caf\u00e9 r\u00e9sum\u00e9 na\u00efve.",
    ]


def test_undecodable_bytes_never_crash():
    data = b"Fee is \x81\x9d 100 pounds and \xa3 sign. " * 10
    doc = read_bytes(data, "odd.txt")
    assert doc.blocks[0].text.startswith("Fee is \ufffd\ufffd 100 pounds and \u00a3 sign.")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Information Sharing", (2, None, "Information Sharing")),
        ("Powers of Arrest", (2, None, "Powers of Arrest")),
        ("DOMESTIC ABUSE", (1, None, "DOMESTIC ABUSE")),
        ("3. Information sharing", (2, "3.", "Information sharing")),
        ("3.1 Scope", (3, "3.1", "Scope")),
        ("Information sharing", None),  # sentence case, not numbered
        ("Officers Must Act.", None),  # terminal period
        ("Officers must:", None),
        ("A" * 81, None),
        ("123", None),
    ],
)
def test_heading_of_line(line, expected):
    assert heading_of_line(line) == expected


@pytest.mark.parametrize(
    "lines, expected",
    [
        (["The immi-", "gration rules"], "The immigration rules"),
        (["non-", "EEA nationals"], "non-EEA nationals"),
        (["pre-", "2012 rules"], "pre-2012 rules"),
        (["a self-", "employed worker"], "a self-employed worker"),
        (["rules changed -", "see below"], "rules changed - see below"),
        (["immi\u00ad", "Gration"], "immiGration"),
        (["one", "", "two  "], "one two"),
    ],
)
def test_join_lines(lines, expected):
    assert join_lines(lines) == expected


@pytest.mark.parametrize(
    "text, marker, number, list_item, rest",
    [
        ("3.1 Officers must", "3.1", "3.1", False, "Officers must"),
        ("12.3.2 The rule", "12.3.2", "12.3.2", False, "The rule"),
        ("4. Scope", "4.", "4.", False, "Scope"),
        ("3.5 million people", None, None, False, "3.5 million people"),
        ("(a) the victim", "(a)", "(a)", True, "the victim"),
        ("b) the victim", "b)", "b)", True, "the victim"),
        ("ii. the victim", "ii.", "ii.", True, "the victim"),
        ("\u2022 item", "\u2022", None, True, "item"),
        ("- item", "-", None, True, "item"),
        ("-5 degrees", None, None, False, "-5 degrees"),
        ("(DDV) concession", None, None, False, "(DDV) concession"),
        ("(iv) the victim", "(iv)", "(iv)", True, "the victim"),
        ("(IV) the victim", "(IV)", "(IV)", True, "the victim"),
        ("2012 rules", None, None, False, "2012 rules"),
    ],
)
def test_split_marker(text, marker, number, list_item, rest):
    m = split_marker(text)
    assert (m.marker, m.number, m.list_item, m.rest) == (marker, number, list_item, rest)


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("Title\n=====\n\nBody text.", ["heading", "paragraph"]),
        ("| Route | Years |\n|---|---|\n| Spouse | 5 |", ["table_cell"] * 4),
        ("Page 3 of 12\n\nBody text.", ["paragraph"]),
        ("1) first\n2) second", ["list_item", "list_item"]),
        ("Line one\nline two\n\n\n\nNext para.", ["paragraph", "paragraph"]),
        ("EASTBRIDGE CONSTABULARY\nOFFICER BRIEFING NOTE 2022/11\n\nText.", ["heading", "paragraph"]),
        ("ALL CAPS LINE\nfollowed by text.", ["paragraph"]),
    ],
)
def test_layout_variants(text, kinds):
    doc = document_from_text(text)
    assert_spans(doc)
    assert [b.kind for b in doc.blocks] == kinds


def test_crlf_and_bom_in_string():
    doc = document_from_text("\ufeffFirst line\r\nsecond line\r\n\r\nNext.")
    assert [b.text for b in doc.blocks] == ["First line second line", "Next."]


def test_no_date_means_no_published():
    doc = document_from_text("Officers must record the report.")
    assert doc.metadata.published is None and doc.metadata.published_from is None


def test_max_chars():
    with pytest.raises(TooLargeError):
        document_from_text("word " * 1000, limits=Limits(max_chars=100))


@pytest.mark.parametrize(
    "content, name, error",
    [
        (b"", "empty.txt", NoTextError),
        (b"   \n\n\t ", "blank.txt", NoTextError),
        (bytes(range(256)) * 20, "random.txt", UnsupportedFormatError),
        (b"\x00\x01\x02\x03binary\x00\x00", "nul.md", UnsupportedFormatError),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.txt", UnsupportedFormatError),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08 text " * 50, "controls.txt", UnsupportedFormatError),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.doc", UnsupportedFormatError),
        (b"Plain text, not a PDF.", "mislabelled.pdf", UnreadableFileError),
    ],
)
def test_bad_inputs(tmp_path, content, name, error):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(error):
        read_document(path)
    with pytest.raises(error):
        read_bytes(content, name)


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFileError) as info:
        read_document(tmp_path / "nope.txt")
    assert "no such file" in str(info.value)


def test_directory_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFileError):
        read_document(tmp_path)


def test_max_bytes(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("x" * 2000)
    with pytest.raises(TooLargeError):
        read_document(path, limits=Limits(max_bytes=1000))


@pytest.mark.parametrize(
    "content, name, fmt",
    [
        (b"Plain text.", "a.txt", "text"),
        (b"Plain text.", "a", "text"),
        (b"<p>Markup in a text file.</p>", "a.txt", "html"),
        (b"<!doctype html><title>T</title><p>Text.</p>", "noext", "html"),
        (b"Plain words only.", "a.html", "html"),
        (b"# Markdown\n\nWith <br> inside.", "a.md", "text"),
        (b"Notes on files that start with %PDF-1.7 headers.", "notes.txt", "text"),
    ],
)
def test_format_detection_for_textual_content(content, name, fmt):
    assert read_bytes(content, name).metadata.format == fmt


def test_read_document_accepts_str_and_pathlike(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Officers must act.\n")
    assert read_document(str(path)).text == read_document(path).text == "Officers must act."
    assert read_document(path).source == os.fspath(path)

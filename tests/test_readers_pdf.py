"""PDF reader: blocks, pages, headers/footers, line rejoining, hyphens, metadata, errors, limits."""
from __future__ import annotations

import datetime as dt

import pytest

from builders import assert_spans, make_pdf, make_textless_pdf
from guidance_audit.errors import EncryptedDocumentError, NoTextError, TooLargeError, UnreadableFileError
from guidance_audit.limits import Limits
from guidance_audit.readers import read_bytes, read_document
from guidance_audit.readers.pdf import parse_pdf_date

LONG = (
    "People on a spouse visa can apply for indefinite leave to remain after two years in the UK. "
    "This paragraph is long enough to wrap over several lines, so that the reader must join them "
    "again, including the word immi\u00adgration split by a hyphen, real hyphens as in non-EEA, and "
    "the \ufb01nal ligature."
)
LONG_JOINED = (
    "People on a spouse visa can apply for indefinite leave to remain after two years in the UK. "
    "This paragraph is long enough to wrap over several lines, so that the reader must join them "
    "again, including the word immigration split by a hyphen, real hyphens as in non-EEA, and "
    "the final ligature."
)
SECOND = (
    "Officers should share information with partners only where it is necessary, proportionate "
    "and lawful, and never to deter a victim from reporting abuse."
)
HEADER = "Force Policy Domestic Abuse"

PAGES = [
    ["# Domestic Abuse Guidance", "Last updated 23 April 2020", "1. Introduction", "3.1 " + LONG,
     "- first bullet item that is long enough to wrap onto a second line of the page for this test",
     "- second item"],
    ["## Information Sharing", SECOND, "Short closing paragraph."],
    ["## Annex", "Third page text."],
]

EXPECTED = [
    # kind, text, number, page, heading_path
    ("heading", "Domestic Abuse Guidance", None, 1, ()),
    ("paragraph", "Last updated 23 April 2020", None, 1, ("Domestic Abuse Guidance",)),
    ("heading", "Introduction", "1.", 1, ("Domestic Abuse Guidance",)),
    ("paragraph", LONG_JOINED, "3.1", 1, ("Domestic Abuse Guidance", "Introduction")),
    ("list_item", "first bullet item that is long enough to wrap onto a second line of the page for this test",
     None, 1, ("Domestic Abuse Guidance", "Introduction")),
    ("list_item", "second item", None, 1, ("Domestic Abuse Guidance", "Introduction")),
    ("heading", "Information Sharing", None, 2, ("Domestic Abuse Guidance",)),
    ("paragraph", SECOND, None, 2, ("Domestic Abuse Guidance", "Information Sharing")),
    ("paragraph", "Short closing paragraph.", None, 2, ("Domestic Abuse Guidance", "Information Sharing")),
    ("heading", "Annex", None, 3, ("Domestic Abuse Guidance",)),
    ("paragraph", "Third page text.", None, 3, ("Domestic Abuse Guidance", "Annex")),
]


@pytest.fixture(scope="module", params=[False, True], ids=["tight", "blank-lines"])
def sample(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "guidance.pdf"
    make_pdf(path, PAGES, title="DA guidance", creation_date=dt.date(2020, 5, 1), running_header=HEADER,
             running_footer="OFFICIAL", blank_line_between_wrapped_lines=request.param)
    return read_document(path)


def test_structure(sample):
    assert_spans(sample)
    assert [(b.kind, b.text, b.number, b.page, b.heading_path) for b in sample.blocks] == EXPECTED
    assert sample.metadata.pages == 3
    assert sample.metadata.format == "pdf"


def test_running_header_footer_and_page_numbers_dropped(sample):
    assert HEADER not in sample.text
    assert "OFFICIAL" not in sample.text
    assert "Page 1 of 3" not in sample.text and "of 3" not in sample.text


def test_numbers_kept_out_of_text(sample):
    numbered = [b for b in sample.blocks if b.number]
    assert [b.number for b in numbered] == ["1.", "3.1"]
    for b in numbered:
        assert sample.text[b.start - len(b.number) - 1:b.start] == b.number + " "


def test_metadata_prefers_text_date(sample):
    meta = sample.metadata
    assert meta.title == "DA guidance"
    assert meta.created == dt.date(2020, 5, 1)
    assert (meta.published, meta.published_from) == (dt.date(2020, 4, 23), "text")


@pytest.mark.parametrize(
    "paragraphs, creation, title, published, source, expected_title",
    [
        (["# Force Policy", "No dates here."], dt.date(2020, 5, 1), None, dt.date(2020, 5, 1), "metadata",
         "Force Policy"),
        (["# Force Policy", "Date of issue: 14 January 2019"], dt.date(2020, 5, 1), "Given", dt.date(2019, 1, 14),
         "text", "Given"),
        (["No dates and no headings here."], None, None, None, None, None),
    ],
)
def test_published_and_title(tmp_path, paragraphs, creation, title, published, source, expected_title):
    path = make_pdf(tmp_path / "p.pdf", [paragraphs], creation_date=creation, title=title)
    meta = read_document(path).metadata
    assert (meta.published, meta.published_from, meta.title) == (published, source, expected_title)


SHORT_LAST_LINES = [
    "Officers should record every report of domestic abuse and consider the needs of the victim first.",
    "A second paragraph that also wraps over more than one line because it is long enough.",
    "Victims with insecure immigration status may fear that reporting abuse will lead to removal.",
]


@pytest.mark.parametrize("blank_lines", [False, True])
def test_paragraphs_split_without_extra_gap(tmp_path, blank_lines):
    # Paragraph gap equal to the line pitch: a short last line (the next line's first word would
    # have fitted after it) still ends its paragraph.
    path = make_pdf(tmp_path / "p.pdf", [SHORT_LAST_LINES], paragraph_gap=0,
                    blank_line_between_wrapped_lines=blank_lines, running_footer_with_page_numbers=False)
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == SHORT_LAST_LINES


def test_paragraph_continues_across_page_break(tmp_path):
    filler = [SECOND] * 20
    tail = "The final paragraph " + "is long enough that it continues across the page break " * 8 + "and ends."
    path = make_pdf(tmp_path / "p.pdf", [filler + [tail]])
    doc = read_document(path)
    assert doc.metadata.pages == 2
    last = doc.blocks[-1]
    assert last.text == tail
    assert last.page == 1
    assert len(doc.blocks) == 21


def test_header_kept_when_too_few_pages_but_page_numbers_go(tmp_path):
    path = make_pdf(tmp_path / "p.pdf", [["Page one text."], ["Page two text."]], running_header=HEADER)
    doc = read_document(path)
    assert "Page 1 of 2" not in doc.text
    assert [b.text for b in doc.blocks if b.text != HEADER] == ["Page one text.", "Page two text."]


def test_numbered_heading_on_every_page_is_not_a_running_header(tmp_path):
    pages = [[f"## Section {i}", f"Body text of section {i}."] for i in range(1, 5)]
    doc = read_document(make_pdf(tmp_path / "p.pdf", pages))
    assert [b.text for b in doc.blocks if b.kind == "heading"] == [f"Section {i}" for i in range(1, 5)]


def test_unnumbered_heading_is_the_sibling_of_numbered_ones_in_the_same_type(tmp_path):
    # "Version history" before "1. Purpose": a sibling, not the parent of the whole document
    pages = [["# Caseworker guidance", "## Version history", "Version 3.2, October 2014.", "## 1. Purpose",
              "Body text of the purpose.", "## 2. Which rules apply", "Body text of the rules.",
              "### 2.1 Partners", "Body text about partners."]]
    doc = read_document(make_pdf(tmp_path / "p.pdf", pages))
    paths = {b.text: b.heading_path for b in doc.blocks}
    assert paths["Body text of the purpose."] == ("Caseworker guidance", "Purpose")
    assert paths["Body text of the rules."] == ("Caseworker guidance", "Which rules apply")
    # near-miss: a deeper number under a numbered heading of the same type still nests
    assert paths["Body text about partners."] == ("Caseworker guidance", "Which rules apply", "Partners")


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    path = make_pdf(tmp_path / "p.pdf", [["Officers must record the report."]])
    renamed = path.rename(tmp_path / "p.txt")
    doc = read_document(renamed)
    assert doc.metadata.format == "pdf"
    assert doc.blocks[0].text == "Officers must record the report."


def test_encrypted(tmp_path):
    path = make_pdf(tmp_path / "locked.pdf", [["Secret text."]], encrypt="password")
    with pytest.raises(EncryptedDocumentError):
        read_document(path)


def test_scanned_pdf_has_no_text(tmp_path):
    path = make_textless_pdf(tmp_path / "scan.pdf")
    with pytest.raises(NoTextError) as info:
        read_document(path)
    assert info.value.hint == "the PDF seems to be scanned images; run OCR first"


@pytest.mark.parametrize(
    "mangle",
    [
        lambda data: data[: len(data) // 3],
        lambda data: b"%PDF-1.4\n" + b"garbage " * 100,
        lambda data: b"%PDF-",
        lambda data: data[:20] + bytes(range(256)) * 8,
    ],
    ids=["truncated", "garbage", "header-only", "random-body"],
)
def test_corrupt(tmp_path, mangle):
    data = make_pdf(tmp_path / "ok.pdf", [["Officers must record the report."]]).read_bytes()
    with pytest.raises(UnreadableFileError):
        read_bytes(mangle(data), "bad.pdf")


@pytest.mark.parametrize(
    "limits",
    [Limits(max_pages=2), Limits(max_seconds=0.0), Limits(max_chars=20)],
    ids=["pages", "seconds", "chars"],
)
def test_limits(tmp_path, limits):
    path = make_pdf(tmp_path / "p.pdf", [["Page text number one."], ["Two."], ["Three."]])
    with pytest.raises(TooLargeError):
        read_document(path, limits=limits)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("D:20200423120000+01'00'", dt.date(2020, 4, 23)),
        ("D:2020", dt.date(2020, 1, 1)),
        ("20191231", dt.date(2019, 12, 31)),
        (b"D:20200423", dt.date(2020, 4, 23)),
        ("D:20201341", None),
        ("", None),
        (None, None),
        ("D:19700101000000Z", None),
    ],
)
def test_parse_pdf_date(raw, expected):
    assert parse_pdf_date(raw) == expected


def _line(text, y, *, x0=72.0, x1=None, size=11.0, bold=False, page=1):
    from guidance_audit.readers.pdf import _Line

    width = x1 if x1 is not None else 72.0 + 5.5 * len(text)
    return _Line(text, x0, y, width, y + size, size, bold, page)


FULL = "Officers should record every report of domestic abuse and consider"  # fills the column


@pytest.mark.parametrize(
    "a, b, expected",
    [
        # wrapped line of a paragraph: same pitch, previous line full
        (_line(FULL, 700, x1=523), _line("the needs of the victim.", 686.8), False),
        # larger gap than the pitch allows
        (_line(FULL, 700, x1=523), _line("The next paragraph.", 670), True),
        # previous line short: the next word would have fitted
        (_line("Short last line.", 700), _line("Next paragraph starts", 686.8), True),
        # bullet or paragraph number starts a block
        (_line(FULL, 700, x1=523), _line("\u2022 bullet", 686.8), True),
        (_line(FULL, 700, x1=523), _line("3.2 Officers must", 686.8), True),
        # an enumerator after a full line that does not end a clause is a cross-reference
        (_line(FULL + " section 3", 700, x1=523), _line("(a) of the Act applies", 686.8), False),
        (_line(FULL + " as follows:", 700, x1=523), _line("(a) the victim", 686.8), True),
        # "(DDV)" is an abbreviation, not an enumerator
        (_line(FULL + " Destitution", 700, x1=523), _line("(DDV) concession applies", 686.8), False),
        # font size or boldness change
        (_line("Heading", 700, size=14, x1=523), _line("Body text follows here", 684), True),
        (_line("Bold lead", 700, bold=True, x1=523), _line("Body text follows here", 686.8), True),
        # hyphen at the line end never means the line was short
        (_line("The immi-", 700), _line("gration rules", 686.8), False),
        # next line above the previous one: a new column
        (_line(FULL, 300, x1=523), _line("Top of next column", 700), True),
        # a paragraph number after a word that takes a number finishes the reference
        (_line("The change was made by the statement known as HC", 700, x1=523), _line("556. It applies from", 686.8),
         False),
        (_line(FULL + " as follows.", 700, x1=523), _line("556. It applies from", 686.8), True),
        # page break mid-sentence continues; after a full stop it does not
        (_line(FULL, 80, x1=523), _line("the victim first.", 760, page=2), False),
        (_line(FULL + ".", 80, x1=523), _line("the victim first.", 760, page=2), True),
        (_line(FULL, 80, x1=523), _line("The victim first.", 760, page=2), True),
    ],
)
def test_line_break_rules(a, b, expected):
    from guidance_audit.readers.pdf import _Grouper, _Page

    # A full-width line elsewhere on the page gives the column's right edge.
    pages = [_Page(1, [a, _line(FULL, 400, x1=523)]), _Page(2, [])]
    pages[b.page - 1].lines.append(b)
    grouper = _Grouper(pages, body=11.0, pitch=1.2)
    assert grouper.breaks([a], b) is expected


def _column_line(text, x0, x1, y):
    return _line(text, y, x0=x0, x1=x1)


def test_a_page_in_two_columns_is_read_left_column_first():
    from guidance_audit.readers.pdf import _in_column_order

    title = _column_line("A title set across the whole width of the page above both columns", 60, 530, 780)
    left = [_column_line(f"left column prose line number {i} of the page", 60, 280, 740 - 15 * i) for i in range(8)]
    right = [_column_line(f"right column prose line {i} here", 310, 530, 740 - 15 * i) for i in range(6)]
    # the layout engine read the right column before the left one
    got = _in_column_order([title] + right + left)
    assert got == [title] + left + right


def test_a_table_on_a_page_in_one_column_keeps_its_order():
    from guidance_audit.readers.pdf import _in_column_order

    prose = [_column_line(f"a full-width line of ordinary prose, number {i}", 60, 530, 760 - 15 * i) for i in range(3)]
    cells = []
    for row in range(6):
        y = 700 - 20 * row
        cells += [_column_line(f"row {row}", 66, 140, y), _column_line("April 2012", 230, 290, y),
                  _column_line("first issue", 390, 480, y)]
    lines = prose + cells
    assert _in_column_order(lines) == lines

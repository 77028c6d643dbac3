"""Property-based tests of the readers, the segmenter and the quantity parser.

Whatever they are given, readers return a document or raise an AuditError, and every span the
library reports reproduces its text: ``doc.text[b.start:b.end] == b.text`` for blocks (in order,
not overlapping), the same for claims and their quantities, and for each quantity that
``parse_quantities`` finds.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import guidance_audit as ga
from guidance_audit.errors import AuditError, NoTextError
from guidance_audit.quantities import parse_quantities
from guidance_audit.readers import document_from_text, read_bytes
from guidance_audit.segment import build_pipeline, claims_of_block

from builders import assert_spans, make_docx, make_pdf

SUFFIXES = ["", ".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".bin"]
MAGIC = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"PK\x05\x06", b"<!DOCTYPE html><html><body>", b"<p>", b"\xff\xfe",
         b"\xfe\xff", b"\xef\xbb\xbf", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf1", b"\x89PNG\r\n\x1a\n"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]
REFERENCE = dt.date(2020, 4, 23)

# Text that exercises the layout rules: headings, numbered paragraphs, bullets, tables, rules,
# hyphenation, ligatures, zero-width and control characters, quantities, dates.
FRAGMENTS = [
    "# Heading", "## Sub heading ##", "PART ONE", "Title Case Heading", "3. Information sharing", "3.1 Officers must",
    "(a) first item", "ii. second item", "1) third", "\u2022 bullet", "- dash", "* star", "| a | b |", "|---|---|",
    "====", "----", "Page 3 of 12", "- 4 -", "People on a spouse visa can apply for ILR after 2 years.",
    "The fee is \u00a318,600 a year.", "within 24 months", "two and a half years", "50 per cent", "10%",
    "Published 23 April 2020.", "last updated 1 May 2024", "immi-", "gration rules", "non-", "EEA nationals",
    "soft\u00adhyphen", "\ufb01nal of\ufb00ice", "zero\u200bwidth", "tab\there", "form\x0cfeed", "bell\x07",
    "e.g. para. 3", "Mr. Smith said \u201cno.\u201d", "s.29 of the Act", "E-DVILR.1.3", "\u00a0", "   ", "",
]


def _text_lines():
    return st.one_of(st.sampled_from(FRAGMENTS), st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))


guidance_text = st.lists(_text_lines(), max_size=30).map("\n".join)
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=600)
HTML_TOKENS = ["<p>", "</p>", "<div>", "</div>", "<h1>", "</h1>", "<h2>", "<li>", "<ul>", "</ul>", "<br>", "<br/>",
               "<table>", "<tr>", "<td>", "</td>", "<th>", "<script>", "</script>", "<style>", "<title>", "</title>",
               "<head>", "<body>", "<nav>", "<header>", "<article>", "<span hidden>", "<p style='display:none'>",
               "&amp;", "&#", "&#x41;", "&nbsp;", "&lt;", "<!--", "-->", "<!DOCTYPE html>", "<![CDATA[", "]]>", "<",
               ">", "\"", "'", "=", "<a href='x'>", "</a>", "<meta name='date' content='2020-04-23'>",
               "<time datetime='2020-04-23'>", "<pre>", "\n", " "]
html_text = st.lists(st.one_of(st.sampled_from(HTML_TOKENS), _text_lines()), max_size=60).map("".join)


@st.composite
def blobs(draw):
    """Random bytes, often behind the signature of a format the readers recognise."""
    return draw(st.sampled_from(MAGIC)) + draw(st.binary(max_size=3000))


def check_document(doc) -> None:
    assert_spans(doc)
    assert doc.blocks
    for b in doc.blocks:
        assert 0 <= b.start < b.end <= len(doc.text)


def read_or_refuse(data: bytes, name: str):
    try:
        doc = read_bytes(data, name)
    except AuditError:
        return None
    check_document(doc)
    return doc


# --------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------


@settings(max_examples=1000, deadline=None)
@given(data=blobs(), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_are_read_or_refused_with_an_audit_error(data, suffix):
    read_or_refuse(data, "input" + suffix)


@settings(max_examples=1000, deadline=None)
@given(text=st.one_of(guidance_text, any_text), encoding=st.sampled_from(ENCODINGS),
       suffix=st.sampled_from(SUFFIXES))
def test_random_text_in_any_encoding_under_any_suffix(text, encoding, suffix):
    read_or_refuse(text.encode(encoding, errors="replace"), "input" + suffix)


@settings(max_examples=800, deadline=None)
@given(text=html_text, encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_random_html_is_read_or_refused(text, encoding):
    read_or_refuse(text.encode(encoding, errors="replace"), "page.html")


@functools.lru_cache(maxsize=None)
def _good_files() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_pdf(Path(tmp) / "good.pdf", [["# Force policy", "Published 23 April 2020.",
                                                 "People on a spouse visa can apply for ILR after two years.",
                                                 "- a bullet point"], ["## Second page", "3.1 Officers must record it."]])
        docx = make_docx(Path(tmp) / "good.docx", [("title", "Force policy"), "Published 23 April 2020.",
                                                    ("h1", "Scope"), ("bullet", "first"), ("table", [["a", "b"]])])
        return {"pdf": pdf.read_bytes(), "docx": docx.read_bytes()}


def _damage(data: bytes, flips: list[tuple[int, int]], cut: int) -> bytes:
    b = bytearray(data[:max(1, cut)])
    for pos, value in flips:
        b[pos % len(b)] = value
    return bytes(b)


damage = st.tuples(st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=8),
                   st.integers(0, 1 << 20))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@settings(max_examples=200, deadline=None)
@given(change=damage, cut_end=st.booleans())
def test_damaged_files_are_read_or_refused(fmt, change, cut_end):
    data = _good_files()[fmt]
    flips, cut = change
    read_or_refuse(_damage(data, flips, cut % len(data) if cut_end else len(data)), f"damaged.{fmt}")


@settings(max_examples=200, deadline=None)
@given(xml=st.one_of(html_text, any_text).map(lambda t: t.encode("utf-8", "replace")))
def test_docx_with_random_document_xml_is_read_or_refused(xml):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_good_files()["docx"])) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            zout.writestr(name, xml if name == "word/document.xml" else zin.read(name))
    read_or_refuse(out.getvalue(), "random.docx")


# --------------------------------------------------------------------------------------------
# Segmenter
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _nlp():
    return build_pipeline()


def check_claims(doc, claims) -> None:
    previous = -1
    for c in claims:
        block = doc.blocks[c.block]
        assert block.start <= c.start < c.end <= block.end, (c, block)
        assert doc.text[c.start:c.end] == c.text, c
        assert c.start >= previous, (c, previous)
        previous = c.end
        for q in c.quantities:
            assert c.start <= q.start < q.end <= c.end, (q, c)
            assert doc.text[q.start:q.end] == q.text, (q, c)


@settings(max_examples=600, deadline=None)
@given(text=st.one_of(guidance_text, any_text))
def test_claims_of_random_text_reproduce_their_text(text):
    try:
        doc = document_from_text(text)
    except NoTextError:
        assume(False)
    check_document(doc)
    claims = []
    for block, sdoc in zip(doc.blocks, _nlp().pipe(b.text for b in doc.blocks)):
        claims += claims_of_block(sdoc, block, REFERENCE)
    check_claims(doc, claims)


@functools.lru_cache(maxsize=None)
def _auditor():
    return ga.Auditor()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=guidance_text)
def test_the_auditor_claims_and_findings_of_random_text_reproduce_their_text(text):
    try:
        doc = document_from_text(text)
    except NoTextError:
        assume(False)
    auditor = _auditor()
    check_claims(doc, auditor.extract_claims(doc, reference=REFERENCE))
    report = auditor.audit_document(doc, as_of="2024-01-01")
    for f in report.findings:
        if f.kind != "omission":
            assert doc.text[f.location.start:f.location.end] == f.quote, f


# --------------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------------

QUANTITY_WORDS = ["years", "year", "months", "weeks", "days", "yrs", "two", "twenty", "twenty-four", "a", "an",
                  "and a half", "per cent", "%", "\u00a3", "GBP", "k", "million", "billion", "pounds", "thousand",
                  "April", "Sept.", "2020", "1998", "Act", "para", "section", "-year", "(24)", ",", ".", "/", "-",
                  " ", "0", "1", "12", "18,600", "1,000,000", "3.5", "31/12/2019", "2012-07-09", "of", "the"]
quantity_text = st.one_of(
    st.lists(st.one_of(st.sampled_from(QUANTITY_WORDS), st.sampled_from(" ")), max_size=40).map(" ".join),
    st.lists(st.sampled_from(QUANTITY_WORDS), max_size=40).map("".join),
    any_text,
)


@settings(max_examples=1500, deadline=None)
@given(text=quantity_text, offset=st.integers(0, 10_000))
def test_quantities_reproduce_their_text(text, offset):
    found = parse_quantities(text, offset)
    previous = offset
    for q in found:
        assert text[q.start - offset:q.end - offset] == q.text, q
        assert q.start >= previous, (q, found)  # in text order, not overlapping
        previous = q.end
        assert q.kind in ("duration", "money", "percent", "date", "count")

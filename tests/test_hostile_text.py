"""Hostile text: lone surrogates, pseudo-encodings, invisible and look-alike characters, stray NULs."""
import pytest

import guidance_audit as ga
from guidance_audit.normalise import normalise
from guidance_audit.readers import read_bytes
from guidance_audit.readers.text import decode_bytes

from hostile import minimal_pdf

AS_OF = "2026-11-21"
PUBLISHED = "2020-04-23"
RULE = "partner.settlement_period"


def _spouse(two_year: str) -> str:
    return f"People on a spouse visa can apply for indefinite leave to remain after a {two_year} probationary period."


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


def _finds(auditor, report) -> bool:
    doc = report.document
    for f in report.findings:
        assert doc.text[f.location.start:f.location.end] == f.quote  # offsets exact
    return any(f.rule == RULE for f in report.findings)


# ------------------------------------------------------------------------------------------
# Lone surrogates and pseudo-encodings

@pytest.mark.parametrize("charset", ["unicode_escape", "raw_unicode_escape", "punycode", "utf-7", "idna"])
def test_an_html_page_declaring_a_pseudo_encoding_is_read_as_text(auditor, charset):
    body = (f'<html><head><meta charset="{charset}"><title>t</title></head>'
            '<body><p>\\ud800 People on a spouse visa can apply for indefinite leave to remain after two years.</p>'
            '</body></html>').encode("ascii")
    doc = read_bytes(body, "page.html")
    assert "\ud800" not in doc.text
    doc.text.encode("utf-8")
    report = auditor.audit_document(doc, as_of=AS_OF)
    assert [e.code for e in report.errors] == []


def test_decoding_never_uses_a_declared_escape_codec():
    text, encoding = decode_bytes(b"caf\\xe9 \\ud800", "unicode_escape")
    assert encoding in ("utf-8", "cp1252") and text == "caf\\xe9 \\ud800"


def test_a_lone_surrogate_in_a_block_becomes_a_replacement_character(auditor):
    report = auditor.audit_text("Contact the UK Border Agency \ud800 today.\n\n\udfff" + _spouse("two-year"),
                                as_of=AS_OF, published=PUBLISHED)
    assert "\ud800" not in report.document.text and "\ufffd" in report.document.text
    assert report.to_json().encode("utf-8")
    assert {"body.ukba", RULE} <= {f.rule for f in report.findings}


def test_a_pdf_font_that_maps_a_glyph_to_a_surrogate_gives_a_report(auditor, monkeypatch):
    # The extracted text carries U+D800, as a ToUnicode CMap mapping a glyph to it makes pdfminer give.
    import guidance_audit.readers.pdf as pdf

    data = minimal_pdf([b"BT /F1 12 Tf 72 700 Td (Contact the UK Border Agency X today.) Tj ET"])
    real = pdf.clean_text
    monkeypatch.setattr(pdf, "clean_text", lambda s: real(s.replace("X", "\ud800")))
    doc = read_bytes(data, "font.pdf")
    report = auditor.audit_document(doc, as_of=AS_OF)
    assert "\ud800" not in doc.text
    assert "body.ukba" in {f.rule for f in report.findings}


# ------------------------------------------------------------------------------------------
# Invisible and look-alike characters

INVISIBLE = ["\u200e", "\u200f", "\u202a", "\u202d", "\u202e", "\u2066", "\u2069", "\u061c", "\u034f", "\u2061",
             "\u2062", "\u2063", "\u2064", "\u2060", "\u200b", "\ufeff", "\u00ad", "\ufe0f", "\u180e"]
HYPHENS = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"]
LOOKALIKES = ["tw\u043e-year", "two-y\u0435ar", "tw\u03bf-ye\u0430r", "\uff54\uff57\uff4f-year", "two-\U0001d432ear",
              "tw\u043e\u2011y\u0435\u0430r"]
VARIANTS = ([f"two{c}-year" for c in INVISIBLE] + [f"tw{c}o-year" for c in INVISIBLE[:6]]
            + [f"two{h}year" for h in HYPHENS] + LOOKALIKES + ["TWO-YEAR", "two\u00a0year"])


def test_the_suite_tries_at_least_forty_two_variants():
    assert len(VARIANTS) >= 42


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.encode("unicode_escape").decode() for v in VARIANTS])
def test_invisible_and_look_alike_characters_do_not_hide_the_two_year_statement(auditor, variant):
    report = auditor.audit_text(_spouse(variant), as_of=AS_OF, published=PUBLISHED)
    assert _finds(auditor, report), report.document.text


def test_quotes_never_carry_a_right_to_left_override(auditor):
    report = auditor.audit_text("Contact the UK \u202eBorder\u202c Agency \u2067now\u2069.", as_of=AS_OF)
    assert report.findings
    for f in report.findings:
        assert not any(c in f.quote for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_normalising_keeps_lengths_except_for_removed_invisible_characters():
    assert normalise("tw\u043e\u2011y\u0435ar") == "two-year"
    assert normalise("\uff54\uff57\uff4f") == "two"
    assert normalise("Москва и Ελλάδα") == "Москва и Ελλάδα"  # words wholly Cyrillic or Greek are left alone
    assert normalise("2012\u20132013 rules \u2014 now") == "2012-2013 rules \u2014 now"
    assert normalise("a\u200eb\u202ec") == "abc"
    assert normalise("plain ascii") == "plain ascii"
    assert normalise("\ud800x") == "\ufffdx"
    assert normalise("caf\u00e9 na\u00efve \u00a3100 \u2019s") == "caf\u00e9 na\u00efve \u00a3100 \u2019s"


# ------------------------------------------------------------------------------------------
# A stray NUL is not a binary file

def test_one_nul_byte_does_not_refuse_a_text_file(auditor):
    data = ("Guidance\n\n" + _spouse("two-year") + "\n\n" + "Officers record reports. " * 300).encode()
    data = data[:100] + b"\x00" + data[100:]
    doc = read_bytes(data, "stray.txt")
    assert "\x00" not in doc.text
    assert _finds(auditor, auditor.audit_document(doc, as_of=AS_OF, published=PUBLISHED))


def test_many_nul_bytes_still_mean_binary():
    with pytest.raises(ga.UnsupportedFormatError):
        read_bytes(b"text " * 100 + b"\x00" * 50, "binary.txt")


# ------------------------------------------------------------------------------------------
# Lines as the file has them (CRLF, wrapped paragraphs)

def test_sarif_and_text_lines_are_the_file_s_own_for_wrapped_crlf_paragraphs(auditor):
    import json

    text = ("Guidance note\r\n\r\nOfficers must record every report and tell the victim\r\n"
            "who is dealing with it.\r\n\r\n\r\nNote that people on a spouse visa can apply\r\n"
            "   for indefinite leave to remain\r\n   after two years.\r\n")
    doc = read_bytes(text.encode(), "wrapped.txt")
    report = auditor.audit_document(doc, as_of=AS_OF, published=PUBLISHED)
    (result,) = [r for r in json.loads(report.to_sarif())["runs"][0]["results"] if r["ruleId"] == RULE]
    region = result["locations"][0]["physicalLocation"]["region"]
    file_lines = text.split("\r\n")
    assert file_lines[region["startLine"] - 1].startswith("Note that people")
    assert region["startLine"] == 7 and region["startColumn"] == 1
    assert "after two years" in file_lines[region["endLine"] - 1]
    assert "wrapped.txt:7:1:" in report.to_text()

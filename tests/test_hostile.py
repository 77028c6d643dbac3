"""Hostile inputs: every one gives a typed error (or a document), in bounded time and memory,
reaches nothing outside the file, and never stops a corpus run.

Every input is generated here or in ``hostile.py``. Wall times are asserted only as hang guards
(:data:`HANG_GUARD`), not as speed tests.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import subprocess
import sys
import time
import tracemalloc
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit.errors import AuditError, FactBaseError
from guidance_audit.limits import Limits
from guidance_audit.readers import read_bytes, read_document
from guidance_audit.readers.pdfium import available as pdfium_available

from builders import _patch_declared_size, assert_spans, make_docx, make_hostile_docx, make_pdf, \
    make_textless_pdf, make_zip_bomb_docx
from hostile import (GB, MB, RecordingServer, alias_bomb_yaml, byte_flips, deep_yaml, docx_bytes,
                     fetching_html, flate_bomb_pdf, many_chars_pdf, minimal_pdf, nested_html,
                     python_tag_yaml, read_isolated, recursive_alias_yaml, REF_CYCLE_PLACES, ref_cycle_pdf, replace_parts,
                     scattered_words_pdf, stacked_lines_pdf, tall_page_pdf, text_page, truncations,
                     unterminated_tags_html, xxe_docx)

HANG_GUARD = 30.0
STATEMENT = "People on a spouse visa can apply for indefinite leave to remain after two years."
# The memory ceiling is set with RLIMIT_AS, which only Linux enforces for every allocation.
needs_memory_ceiling = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is Linux-only")
needs_pdfium = pytest.mark.skipif(not pdfium_available(), reason="pypdfium2 is not installed")
CODES = {"unreadable-file", "unsupported-format", "encrypted-document", "no-text", "too-large"}


def noise(n: int, seed: int) -> bytes:
    """``n`` random bytes, the same on every run."""
    return random.Random(seed).randbytes(n)


def refused(data: bytes, name: str, code: str, limits: Limits | None = None,
            backend: str = "pdfminer") -> AuditError:
    """Read ``data`` (PDFs with ``backend``) and return the AuditError it must raise, with
    ``code``, within the guard."""
    started = time.monotonic()
    with pytest.raises(AuditError) as err:
        read_bytes(data, name, limits=limits, pdf_backend=backend)
    assert time.monotonic() - started < HANG_GUARD
    assert err.value.code == code, str(err.value)
    return err.value


def read_or_refuse(data: bytes, name: str, limits: Limits | None = None, backend: str = "pdfminer"):
    """Read damaged ``data``: a document (with sound spans) or an AuditError, nothing else."""
    started = time.monotonic()
    try:
        doc = read_bytes(data, name, limits=limits, pdf_backend=backend)
    except AuditError as exc:
        assert exc.code in CODES, exc
        result = exc
    else:
        assert_spans(doc)
        result = doc
    assert time.monotonic() - started < HANG_GUARD, name
    return result


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("pdf") / "good.pdf"
    make_pdf(path, [["# Force policy", "Published 23 April 2020.", STATEMENT * 3, "- first point", "- second"],
                    ["## Section two", "Officers must record the report within 28 days. " * 8]],
             title="Force policy", creation_date=dt.date(2020, 4, 23))
    return path.read_bytes()


@pytest.fixture(params=["pdfminer", pytest.param("pdfium", marks=needs_pdfium)])
def backend(request) -> str:
    """The PDF backend: every PDF test here runs with both."""
    return request.param


@pytest.fixture(scope="module")
def good_docx(tmp_path_factory) -> bytes:
    return docx_bytes([("title", "Force policy"), "Published 23 April 2020.", ("h1", "Scope"), STATEMENT,
                       ("bullet", "first point"), ("table", [["a", "b"], ["c", "d"]])],
                      tmp_path_factory.mktemp("docx"))


@pytest.fixture(scope="module")
def auditor():
    a = ga.Auditor()
    default = a.limits
    yield a
    a.limits = default


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


def test_truncated_pdfs_are_read_or_refused_never_crash(good_pdf, backend):
    results = [read_or_refuse(data, f"{label}.pdf", backend=backend) for label, data in truncations(good_pdf, 30)]
    assert any(isinstance(r, AuditError) and r.code == "unreadable-file" for r in results)


def test_pdfs_with_flipped_bytes_are_read_or_refused_never_crash(good_pdf, backend):
    for label, data in byte_flips(good_pdf, 40, seed=7):
        read_or_refuse(data, f"{label}.pdf", backend=backend)


def test_uncompressed_pdf_with_damaged_operators_is_read_or_refused(backend):
    page = text_page(["Officers must record the report.", "Second line (with brackets)."])
    good = minimal_pdf([page])
    for i, junk in enumerate([b"BI ID EI", b"<< /Length -1 >>", b"[[[[[[", b"1e999 0 0 1e999 0 0 cm", b"/F9 0 Tf",
                              b"99999999999999999999 Tz", b"q " * 5000, b"Q " * 5000, b") Tj ET BT ("]):
        read_or_refuse(good.replace(b"BT", b"BT " + junk, 1), f"junk{i}.pdf", backend=backend)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n", b"%PDF-1.4\n" + bytes(range(256)) * 40, b"%PDF-1.4\n%%EOF\n"])
def test_a_pdf_header_on_garbage_is_unreadable(data, backend):
    refused(data, "broken.pdf", "unreadable-file", backend=backend)


def test_an_encrypted_pdf_says_so(tmp_path, backend):
    path = make_pdf(tmp_path / "locked.pdf", [[STATEMENT]], encrypt="secret")
    err = refused(path.read_bytes(), "locked.pdf", "encrypted-document", backend=backend)
    assert "password" in str(err)


def test_a_pdf_without_text_asks_for_ocr(tmp_path, backend):
    err = refused(make_textless_pdf(tmp_path / "scan.pdf", pages=3).read_bytes(), "scan.pdf", "no-text", backend=backend)
    assert "OCR" in str(err)


@needs_memory_ceiling
def test_a_flate_bomb_in_a_pdf_is_refused_before_it_inflates(tmp_path, backend):
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_bomb_pdf(600 * MB))  # about 3 MB on disk, beyond the 512 MB default
    small = tmp_path / "small.pdf"
    small.write_bytes(flate_bomb_pdf(30 * MB))
    out = read_isolated([bomb, small], memory=2 * GB, pdf_backend=backend)
    assert out[str(bomb)]["code"] == "too-large", out
    assert "decompress" in out[str(bomb)]["message"]
    assert out[str(bomb)]["seconds"] < HANG_GUARD
    assert out[str(small)]["code"] is None, out  # a large stream within the limit is still read
    assert out["maxrss_kb"] < 1 * GB // 1024, out
    err = refused(small.read_bytes(), "small.pdf", "too-large", Limits(max_pdf_stream_bytes=10 * MB), backend=backend)
    assert "decompress" in str(err)


def test_a_page_of_overlapping_lines_stops_at_the_time_limit(backend):
    started = time.monotonic()
    err = refused(stacked_lines_pdf(1500), "stacked.pdf", "too-large", Limits(max_seconds=1), backend=backend)
    assert "longer than 1 seconds" in str(err)
    assert time.monotonic() - started < 15


def test_unbalanced_graphics_state_saves_are_refused(backend):
    # Every "q" keeps a copy of the graphics state until its "Q": 2 MB of them would take gigabytes.
    data = minimal_pdf([b"q " * 1_000_000 + text_page(["Officers must record the report."])], flate=True)
    assert len(data) < 50_000
    err = refused(data, "saves.pdf", "too-large", backend=backend)
    assert "graphics states" in str(err)


def test_a_content_stream_of_endless_operators_stops_at_the_time_limit(backend):
    data = minimal_pdf([b"q Q n " * 2_000_000 + text_page(["Officers must record the report."])], flate=True)
    started = time.monotonic()
    if backend == "pdfminer":
        refused(data, "operators.pdf", "too-large", Limits(max_seconds=1), backend=backend)
    else:
        # PDFium parses a page in one uninterruptible call and checks the clock between pages: on
        # a fast machine it finishes this page inside the limit, on a slow one it is refused.
        try:
            read_bytes(data, "operators.pdf", limits=Limits(max_seconds=1), pdf_backend=backend)
        except AuditError as exc:
            assert exc.code == "too-large", str(exc)
    assert time.monotonic() - started < 15


def test_a_page_with_thousands_of_lines_is_refused(backend):
    err = refused(tall_page_pdf(3500), "tall.pdf", "too-large", Limits(max_page_lines=3000), backend=backend)
    assert "3,000 text lines" in str(err)


def test_a_page_of_thousands_of_separate_words_is_read_in_bounded_time(backend):
    started = time.monotonic()
    doc = read_bytes(scattered_words_pdf(3000), "scattered.pdf", pdf_backend=backend)
    assert time.monotonic() - started < HANG_GUARD
    assert doc.text.count("ab") == 3000
    assert_spans(doc)


def test_characters_per_page_are_limited(backend):
    data = many_chars_pdf(20_000)
    err = refused(data, "dense.pdf", "too-large", Limits(max_page_chars=5_000), backend=backend)
    assert "5,000 characters" in str(err)
    assert read_bytes(data, "dense.pdf", pdf_backend=backend).text.count("x") == 20_000


def test_pages_are_limited_by_the_declared_count_and_as_they_stream(backend):
    pages = [text_page([f"Page {i} says officers must record the report."]) for i in range(12)]
    data = minimal_pdf(pages)
    assert "12 pages" in str(refused(data, "long.pdf", "too-large", Limits(max_pages=5), backend=backend))
    lying = data.replace(b"/Count 12", b"/Count 01")  # same length: the offsets stay right
    if backend == "pdfminer":
        assert "more than 5 pages" in str(refused(lying, "lying.pdf", "too-large", Limits(max_pages=5),
                                                  backend=backend))
    else:
        # PDFium takes the page tree's /Count as the number of pages and never looks past it, so
        # a count that lies low yields fewer pages, never more than the limit.
        doc = read_bytes(lying, "lying.pdf", limits=Limits(max_pages=5), pdf_backend=backend)
        assert doc.metadata.pages <= 5


def test_reference_cycles_in_a_pdf_are_refused_not_followed_forever(tmp_path):
    # pdfminer's resolve1 follows "6 0 R" -> "7 0 R" -> "6 0 R" for ever; read in a child so
    # that a regression fails on the timeout instead of hanging the suite.
    paths = []
    for where in REF_CYCLE_PLACES:
        paths.append(tmp_path / f"cycle-{where}.pdf")
        paths[-1].write_bytes(ref_cycle_pdf(where))
    results = read_isolated(paths, timeout=120)
    for path in paths:
        assert results[str(path)]["code"] in CODES | {None}, (path.name, results[str(path)])


@pytest.mark.parametrize("where", ["Count", "Contents", "Resources"])
def test_a_short_chain_of_references_in_a_pdf_is_still_followed(where):
    doc = read_bytes(ref_cycle_pdf(where, chain=3), "chain.pdf")
    assert "Hello" in doc.text


def test_pdf_reading_respects_the_time_limit(good_pdf, backend):
    err = refused(good_pdf, "slow.pdf", "too-large", Limits(max_seconds=0.0), backend=backend)
    assert "seconds" in str(err)


def test_a_pdf_named_txt_is_read_as_a_pdf(good_pdf, backend):
    doc = read_bytes(good_pdf, "policy.txt", pdf_backend=backend)
    assert doc.metadata.format == "pdf"
    assert "spouse visa" in doc.text


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data, code", [
    (b"Officers must record the report.\n", "unreadable-file"),  # text named .docx
    (bytes(range(256)) * 20, "unreadable-file"),  # random bytes named .docx
    (b"PK\x03\x04" + bytes(range(256)) * 20, "unreadable-file"),  # a zip signature on garbage
])
def test_a_docx_that_is_not_a_zip_is_refused(data, code):
    refused(data, "policy.docx", code)


def test_a_zip_that_is_not_a_word_document_is_unsupported():
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content.xml", "<x/>")
    refused(buf.getvalue(), "archive.docx", "unsupported-format")


def test_truncated_docx_files_are_read_or_refused(good_docx):
    for label, data in truncations(good_docx, 30, seed=3):
        read_or_refuse(data, f"{label}.docx")


def test_docx_files_with_flipped_bytes_are_read_or_refused(good_docx):
    for label, data in byte_flips(good_docx, 40, seed=11):
        read_or_refuse(data, f"{label}.docx")


def test_docx_with_damaged_xml_is_refused(good_docx):
    for i, xml in enumerate([b"<w:document", b"\x00\x01\x02", b"<?xml version='1.0'?><a><b></a>", b"",
                             "<w:document xmlns:w='x'>\u2028</w:document>".encode("utf-16-le")]):
        read_or_refuse(replace_parts(good_docx, {"word/document.xml": xml}), f"xml{i}.docx")
    read_or_refuse(replace_parts(good_docx, {"word/styles.xml": b"<broken"}), "styles.docx")
    read_or_refuse(replace_parts(good_docx, {"[Content_Types].xml": b"<Types/>"}), "types.docx")


def test_a_zip_bomb_declared_too_large_is_refused_without_inflating(tmp_path, good_docx):
    path = tmp_path / "declared.docx"
    path.write_bytes(good_docx)
    _patch_declared_size(path, "word/document.xml", 0xFFFFFFF0)  # declares 4 GB
    tracemalloc.start()
    try:
        with pytest.raises(ga.TooLargeError):
            read_document(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB


def test_a_zip_bomb_by_compression_ratio_is_refused(tmp_path):
    path = make_zip_bomb_docx(tmp_path / "bomb.docx", part_bytes=20_000_000)
    err = refused(path.read_bytes(), "bomb.docx", "too-large")
    assert "compression ratio" in str(err)


def test_a_zip_bomb_with_lying_headers_is_refused(tmp_path):
    path = make_zip_bomb_docx(tmp_path / "liar.docx", part_bytes=20_000_000, lie_about_size=True)
    tracemalloc.start()
    try:
        err = refused(path.read_bytes(), "liar.docx", "unreadable-file")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60 * MB, err


def test_entity_expansion_in_a_docx_is_refused(tmp_path):
    for upper in (True, False):
        path = make_hostile_docx(tmp_path / f"laughs{upper}.docx", "laughs", uppercase=upper)
        err = refused(path.read_bytes(), "laughs.docx", "unreadable-file")
        assert "DOCTYPE" in str(err)


def test_an_external_entity_to_a_local_file_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("LOCAL-SECRET-1234")
    for kind in ("entity", "parameter", "dtd"):
        data = xxe_docx(tmp_path, secret.as_uri(), kind=kind)
        err = refused(data, f"xxe-{kind}.docx", "unreadable-file")
        assert "LOCAL-SECRET" not in str(err)


@pytest.mark.parametrize("kind", ["entity", "parameter", "dtd"])
@pytest.mark.parametrize("part, encoding", [("word/document.xml", "utf-8"), ("word/document.xml", "utf-16"),
                                            ("word/styles.xml", "utf-8"), ("docProps/core.xml", "utf-8")])
def test_an_external_entity_to_a_url_is_never_fetched(tmp_path, kind, part, encoding):
    with RecordingServer() as server:
        data = xxe_docx(tmp_path, f"{server.url}/evil.dtd", kind=kind, part=part, encoding=encoding)
        err = refused(data, "xxe.docx", "unreadable-file")
        assert server.requests == []
    assert "SERVER-SECRET" not in str(err)


def test_the_docx_xml_parser_itself_resolves_no_entity_and_fetches_nothing(tmp_path):
    """Beyond the refusal of DTDs: python-docx's parser has entity resolution and network off."""
    from docx.oxml.parser import parse_xml

    secret = tmp_path / "secret.txt"
    secret.write_text("LOCAL-SECRET-1234")
    with RecordingServer() as server:
        urllib.request.urlopen(f"{server.url}/control").read()  # the server does record requests
        assert server.requests == ["/control"]
        for system_id in (secret.as_uri(), f"{server.url}/evil.dtd"):
            for doctype in (f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{system_id}">]><r>&xxe;</r>',
                            f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{system_id}"> %p;]><r>&leaked;</r>',
                            f'<!DOCTYPE r SYSTEM "{system_id}"><r>&leaked;</r>'):
                try:
                    element = parse_xml(doctype.encode())
                except Exception:  # lxml may refuse an undefined entity: that is fine too
                    continue
                assert "SECRET" not in "".join(element.itertext())
        assert server.requests == ["/control"]


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def test_deeply_nested_html_is_refused_at_the_depth_limit():
    err = refused(nested_html(100_000), "deep.html", "too-large")
    assert "nested" in str(err)


def test_deeply_nested_html_within_a_raised_limit_is_read_without_recursion():
    doc = read_bytes(nested_html(5_000), "deep.html", limits=Limits(max_html_depth=10_000))
    assert doc.text == "Deep text."  # 5,000 levels: deeper than Python's recursion limit
    started = time.monotonic()
    refused(nested_html(100_000), "deeper.html", "too-large", Limits(max_html_depth=200_000, max_seconds=1))
    assert time.monotonic() - started < 15


def test_html_ending_in_unclosed_tags_is_read_in_bounded_time():
    # Python's html.parser (before 3.13.4) re-scans the whole tail for each '<' here: hours.
    started = time.monotonic()
    doc = read_bytes(unterminated_tags_html(200_000), "tags.html")
    assert doc.text == "Officers must record the report."
    assert time.monotonic() - started < HANG_GUARD


def test_html_parsing_respects_the_time_limit():
    page = b"<html><body>" + b"<p>Officers must record the report.</p>" * 2000 + b"</body></html>"
    err = refused(page, "slow.html", "too-large", Limits(max_seconds=0.0))
    assert "seconds" in str(err)


def test_html_fetches_nothing_and_runs_nothing():
    with RecordingServer() as server:
        doc = read_bytes(fetching_html(server.url), "fetching.html")
        assert server.requests == []
    assert "Officers must record the report." in doc.text
    assert "INJECTED" not in doc.text and "fetch(" not in doc.text


def test_entity_declarations_in_html_are_not_expanded():
    page = ('<!DOCTYPE html [<!ENTITY lol "' + "lol" * 1000 + '">]><html><body><p>'
            + "&lol;" * 1000 + "</p></body></html>").encode()
    doc = read_or_refuse(page, "entities.html")
    assert not isinstance(doc, AuditError) and len(doc.text) < 10_000


def test_a_password_protected_word_file_says_so():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le") + bytes(500)
    refused(ole2, "locked.docx", "encrypted-document")


# --------------------------------------------------------------------------------------------
# Bounded memory: the risky files together, in a child process capped at 2 GiB
# --------------------------------------------------------------------------------------------


@needs_memory_ceiling
def test_risky_files_are_refused_within_a_2_gib_address_space(tmp_path, good_docx):
    files = {
        "saves.pdf": (minimal_pdf([b"q " * 3_000_000 + text_page(["Officers must record it."])], flate=True),
                      "too-large"),
        "tall.pdf": (tall_page_pdf(5500), "too-large"),
        "scattered.pdf": (scattered_words_pdf(4000), None),
        "liar.docx": (None, "unreadable-file"),
        "ratio.docx": (None, "too-large"),
        "declared.docx": (good_docx, "too-large"),
        "laughs.docx": (None, "unreadable-file"),
        "deep.html": (nested_html(100_000), "too-large"),
        "tags.html": (unterminated_tags_html(200_000), None),
        "huge.txt": (None, "too-large"),
    }
    for name, (data, _) in files.items():
        if data is not None:
            (tmp_path / name).write_bytes(data)
    make_zip_bomb_docx(tmp_path / "liar.docx", part_bytes=50_000_000, lie_about_size=True)
    make_zip_bomb_docx(tmp_path / "ratio.docx", part_bytes=50_000_000)
    _patch_declared_size(tmp_path / "declared.docx", "word/document.xml", 0xFFFFFFF0)
    make_hostile_docx(tmp_path / "laughs.docx", "laughs")
    with open(tmp_path / "huge.txt", "wb") as f:
        f.truncate(20 * GB)
    out = read_isolated([tmp_path / name for name in files], memory=2 * GB)
    for name, (_, code) in files.items():
        result = out[str(tmp_path / name)]
        assert result["code"] == code, (name, result)
        assert result["seconds"] < HANG_GUARD, (name, result)
    assert out["maxrss_kb"] < 1 * GB // 1024, out


@needs_memory_ceiling
@needs_pdfium
def test_risky_pdfs_are_refused_within_a_2_gib_address_space_with_pdfium(tmp_path):
    files = {
        "saves.pdf": (minimal_pdf([b"q " * 3_000_000 + text_page(["Officers must record it."])], flate=True),
                      "too-large"),
        "stored-saves.pdf": (minimal_pdf([b"q " * 3_000_000 + text_page(["Officers must record it."])]),
                             "too-large"),
        "tall.pdf": (tall_page_pdf(5500), "too-large"),
        "scattered.pdf": (scattered_words_pdf(4000), None),
        "bomb.pdf": (flate_bomb_pdf(600 * MB), "too-large"),
    }
    for name, (data, _) in files.items():
        (tmp_path / name).write_bytes(data)
    out = read_isolated([tmp_path / name for name in files], memory=2 * GB, pdf_backend="pdfium")
    for name, (_, code) in files.items():
        result = out[str(tmp_path / name)]
        assert result["code"] == code, (name, result)
        assert result["seconds"] < HANG_GUARD, (name, result)
    assert out["maxrss_kb"] < 1 * GB // 1024, out


# --------------------------------------------------------------------------------------------
# Text, empty and binary files
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "empty.pdf", "empty.docx", "empty.html", "empty"])
def test_empty_files_have_no_text(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(ga.NoTextError):
        read_document(path)


@pytest.mark.parametrize("name", ["blank.txt", "blank.html", "blank"])
def test_whitespace_only_files_have_no_text(name):
    refused(b" \n\t\r\n  \xc2\xa0 ", name, "no-text")


@pytest.mark.parametrize("data, name", [
    (b"\x01" + noise(4096, 1) + b"\x00" * 64, "random.txt"),
    (b"\x00\x01\x02\x03" * 1000, "zeros.md"),
    (b"\x89PNG\r\n\x1a\n" + noise(2000, 2), "image.txt"),
    (b"\x7fELF\x02\x01\x01" + noise(2000, 3), "program.txt"),
    (b"\x1f\x8b\x08\x00" + noise(2000, 4), "archive.html"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise(2000, 5), "legacy.docx"),
])
def test_binary_files_with_text_suffixes_are_refused(data, name):
    refused(data, name, "unsupported-format")


@pytest.mark.parametrize("data", [
    b"\xff\xfe" + f"Published 23 April 2020.\n\n{STATEMENT}\n".encode("utf-16-le"),
    f"Published 23 April 2020.\n\n{STATEMENT}\n".encode("utf-16-le"),
    f"Published 23 April 2020.\n\n{STATEMENT}\n".encode("utf-16-be"),
    b"\xfe\xff" + f"Published 23 April 2020.\n\n{STATEMENT}\n".encode("utf-16-be"),
])
def test_utf16_text_is_decoded(data):
    doc = read_bytes(data, "policy.txt")
    assert STATEMENT in doc.text
    assert doc.metadata.published == dt.date(2020, 4, 23)


def test_cp1252_text_is_decoded():
    text = "Published 23 April 2020.\n\nThe minimum income is \u00a318,600 \u2013 the \u2018partner\u2019 rule.\n"
    doc = read_bytes(text.encode("cp1252"), "policy.txt")
    assert "\u00a318,600 \u2013 the \u2018partner\u2019 rule" in doc.text


def test_file_size_is_checked_before_reading(tmp_path):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:  # a sparse 10 GB file: nothing is written
        f.truncate(10 * GB)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(ga.TooLargeError) as err:
            read_document(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5 and peak < 10 * MB
    assert "bytes" in str(err.value)
    refused(b"x" * 2000, "small.txt", "too-large", Limits(max_bytes=1000))


def test_characters_per_document_are_limited():
    err = refused(("Officers must record the report. " * 100).encode(), "long.txt", "too-large",
                  Limits(max_chars=1000))
    assert "characters" in str(err)


@pytest.mark.parametrize("separator", ["\n\n", "\n"])
def test_a_200000_line_text_file_is_audited_or_refused_in_bounded_time(auditor, tmp_path, separator):
    path = tmp_path / "long.txt"
    path.write_text(separator.join(f"Paragraph {i}. Officers must record the report within 28 days."
                                   for i in range(200_000)), encoding="utf-8")
    auditor.limits = Limits(max_seconds=1)
    started = time.monotonic()
    try:
        report = auditor.audit_safely(path)
    finally:
        auditor.limits = Limits()
    assert time.monotonic() - started < HANG_GUARD
    if report.errors:
        assert report.errors[0].code == "too-large", report.errors


# --------------------------------------------------------------------------------------------
# Fact packs
# --------------------------------------------------------------------------------------------

PROBLEM = re.compile(r"^.+:\d+: .+")


def pack_problems(tmp_path: Path, name: str, content: str | bytes) -> list[str]:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    started = time.monotonic()
    with pytest.raises(FactBaseError) as err:
        ga.load_factbase(extra=[path])
    assert time.monotonic() - started < HANG_GUARD
    problems = err.value.problems
    assert problems and all(PROBLEM.match(p) for p in problems), problems
    assert err.value.code == "bad-fact-pack"
    return problems


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/new:os.system",
                                 "!!python/name:os.system", "!!python/module:os", "!!binary", "!!set",
                                 "!<tag:yaml.org,2002:python/object/apply:os.system>"])
def test_a_tag_that_would_construct_an_object_is_refused_and_never_run(tmp_path, tag):
    marker = tmp_path / "ran"
    problems = pack_problems(tmp_path, "poisoned.yaml", python_tag_yaml(tag, marker))
    assert any("not allowed" in p for p in problems), problems
    assert not marker.exists()


def test_a_yaml_alias_bomb_is_refused_in_bounded_memory(tmp_path):
    tracemalloc.start()
    try:
        problems = pack_problems(tmp_path, "laughs.yaml", alias_bomb_yaml(9))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert any("aliases" in p for p in problems), problems
    assert peak < 100 * MB


def test_a_recursive_yaml_alias_is_refused(tmp_path):
    assert any("aliases" in p for p in pack_problems(tmp_path, "loop.yaml", recursive_alias_yaml()))


def test_huge_binary_and_non_utf8_packs_are_refused(tmp_path):
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as f:
        f.truncate(50 * MB)
    with pytest.raises(FactBaseError) as err:
        ga.load_factbase(extra=[huge])
    assert "limited to" in err.value.problems[0]
    assert any("UTF-8" in p for p in pack_problems(tmp_path, "binary.yaml", noise(3000, 8) + b"\xff\xfe"))
    assert pack_problems(tmp_path, "nul.yaml", b"pack: t\nfacts: [\x00\x01\x02]\n")
    assert any("UTF-8" in p for p in pack_problems(tmp_path, "cp1252.yaml",
                                                      "pack: t\ndescription: \u00a3 \u2013\n".encode("cp1252")))


def test_poisoned_packs_through_the_command_line(tmp_path):
    """In a child process, so that a crash in the YAML library (libyaml's composer overflows the C
    stack on deep nesting) would show here as a failure rather than take the test run down."""
    files = {"deep.yaml": deep_yaml(100_000), "deep_block.yaml": "pack: t\nfacts:\n" + "".join(
        "  " * i + "- \n" for i in range(1, 3000)), "laughs.yaml": alias_bomb_yaml(9),
        "loop.yaml": recursive_alias_yaml(), "tag.yaml": python_tag_yaml("!!python/object/apply:os.system",
                                                                          tmp_path / "ran")}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "guidance_audit", "facts", "validate",
                           *(str(tmp_path / n) for n in files)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    for name in files:
        assert re.search(rf"{re.escape(name)}:\d+: ", proc.stdout), (name, proc.stdout)
    assert not (tmp_path / "ran").exists()
    doc = tmp_path / "doc.txt"
    doc.write_text(STATEMENT)
    proc = subprocess.run([sys.executable, "-m", "guidance_audit", "audit", str(doc), "--facts",
                           str(tmp_path / "laughs.yaml")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "laughs.yaml:" in proc.stderr


# --------------------------------------------------------------------------------------------
# Limits through the Auditor
# --------------------------------------------------------------------------------------------


def test_the_auditor_applies_its_limits(auditor, tmp_path):
    path = tmp_path / "policy.txt"
    path.write_text(f"Published 23 April 2020.\n\n{STATEMENT}\n" * 50, encoding="utf-8")
    try:
        auditor.limits = Limits(max_bytes=100)
        with pytest.raises(ga.TooLargeError):
            auditor.audit(path)
        report = auditor.audit_safely(path)
        assert [e.code for e in report.errors] == ["too-large"] and not report.findings
        assert not str(path) in report.errors[0].message  # the source is given apart, once
        auditor.limits = Limits(max_chars=500)
        assert [e.code for e in next(iter(auditor.audit_many([path]))).errors] == ["too-large"]
        with pytest.raises(ga.TooLargeError):
            auditor.audit_text(STATEMENT * 100)
    finally:
        auditor.limits = Limits()
    assert auditor.audit(path).findings


def test_the_command_line_sets_the_limits(tmp_path, capsys, good_pdf):
    from guidance_audit.cli import main

    (tmp_path / "policy.txt").write_text(f"Published 23 April 2020.\n\n{STATEMENT}\n", encoding="utf-8")
    (tmp_path / "policy.pdf").write_bytes(good_pdf)
    cases = [(["--max-bytes", "0.05K"], {"policy.txt": "too-large", "policy.pdf": "too-large"}),
             (["--max-pages", "1", "--max-chars", "50"], {"policy.txt": "too-large", "policy.pdf": "too-large"}),
             (["--max-seconds", "0.000001"], {"policy.txt": "too-large", "policy.pdf": "too-large"}),
             (["--max-bytes", "10MB", "--max-pages", "10", "--max-chars", "1_000_000", "--max-seconds", "60"], {})]
    for options, expected in cases:
        code = main(["audit", str(tmp_path), "--format", "json", *options])
        out, err = capsys.readouterr()
        docs = {Path(d["source"]).name: [e["code"] for e in d["errors"]] for d in json.loads(out)["documents"]}
        assert {name: codes for name, codes in docs.items() if codes} == {k: [v] for k, v in expected.items()}, options
        assert len(err.strip().splitlines()) == len(expected)
        assert code == (2 if expected else 1)  # 2: no input could be read; 1: an error finding
    for bad in (["--max-bytes", "lots"], ["--max-pages", "0"], ["--max-seconds", "-1"], ["--max-chars", "1.5"]):
        assert main(["audit", str(tmp_path), *bad]) == 2
        assert "usage" in capsys.readouterr().err


def test_a_paragraph_longer_than_the_segmenter_accepts_is_too_large(auditor):
    text = " ".join(["Officers must record the report"] * 40_000)  # one paragraph, 1.3 million characters
    with pytest.raises(ga.TooLargeError) as err:
        auditor.audit_text(text)
    assert "paragraph" in str(err.value)


# --------------------------------------------------------------------------------------------
# Reports escape document text
# --------------------------------------------------------------------------------------------

HOSTILE_TEXT = ("Published 23 April 2020.\n\n# Guidance <script>alert('title')</script> | `x`\n\n"
                "People on a spouse visa can apply for indefinite leave to remain after two years "
                "<script>alert(1)</script> [click](javascript:alert(2)) `code` | cell | "
                "<img src=x onerror=alert(3)> ![i](javascript:alert(4)) <!-- c --> &lt;b&gt;.\n")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)


def _assert_safe_html(page: str) -> None:
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in ("img", "iframe", "object"), (tag, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    assert "alert(" not in "".join(parser.script_text)


def test_document_text_is_escaped_in_html_markdown_and_sarif(auditor):
    report = auditor.audit_text(HOSTILE_TEXT, as_of="2024-01-01")
    assert any("<script>alert(1)</script>" in f.quote for f in report.findings), report.findings
    page = report.to_html()
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    _assert_safe_html(page)

    md = report.to_markdown()
    assert "<script" not in md and "<img" not in md and "<!--" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)
    assert not re.search(r"(?<!\\)`code(?<!\\)`", md)
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    _assert_safe_html(rendered)
    assert "alert(1)" in rendered  # shown as text

    sarif = json.loads(report.to_sarif())

    def strings(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                yield from strings(v, k)
        elif isinstance(node, list):
            for v in node:
                yield from strings(v, key)
        elif isinstance(node, str):
            yield key, node

    values = list(strings(sarif))
    assert any("<script>alert(1)</script>" in v for k, v in values if k == "text")  # plain text, kept
    for key, value in values:
        if key == "markdown":
            assert "<script" not in value and not re.search(r"(?<!\\)\]\(javascript:", value), value


# --------------------------------------------------------------------------------------------
# A corpus run over all of it
# --------------------------------------------------------------------------------------------


def test_a_corpus_run_reports_every_hostile_file_and_audits_the_good_ones(tmp_path, good_pdf, good_docx):
    d = tmp_path / "corpus"
    d.mkdir()
    (tmp_path / "secret.txt").write_text("LOCAL-SECRET-1234")
    (d / "good.txt").write_text(f"Published 23 April 2020.\n\n{STATEMENT}\n", encoding="utf-8")
    make_docx(d / "good.docx", [("title", "Victims of crime"), "Published 1 May 2024.",
                                "Officers must record every crime reported to them."])
    hostile = {
        "truncated.pdf": good_pdf[: len(good_pdf) // 3],
        "header-only.pdf": b"%PDF-1.7\n",
        "bomb.pdf": flate_bomb_pdf(600 * MB),
        "pdf-named.txt": good_pdf,
        "not-a-zip.docx": b"Officers must record the report.\n",
        "random.docx": b"\x01" + noise(5000, 6),
        "declared-bomb.docx": None,
        "laughs.docx": None,
        "xxe.docx": xxe_docx(tmp_path, (tmp_path / "secret.txt").as_uri()),
        "deep.html": nested_html(100_000),
        "tags.html": unterminated_tags_html(200_000),
        "empty.txt": b"",
        "binary.txt": b"\x01" + noise(3000, 7) + b"\x00" * 10,
        "utf16.txt": b"\xff\xfe" + "Officers must record the report.\n".encode("utf-16-le"),
        "cp1252.txt": "The fee is \u00a3100 \u2013 payable now.\n".encode("cp1252"),
        "lines.txt": "\n".join(f"Line {i}: officers must record it." for i in range(200_000)).encode(),
    }
    for name, data in hostile.items():
        if data is not None:
            (d / name).write_bytes(data)
    make_pdf(d / "locked.pdf", [[STATEMENT]], encrypt="secret")
    make_textless_pdf(d / "scan.pdf")
    make_hostile_docx(d / "laughs.docx", "laughs")
    (d / "declared-bomb.docx").write_bytes(good_docx)
    _patch_declared_size(d / "declared-bomb.docx", "word/document.xml", 0xFFFFFFF0)
    expected = {"truncated.pdf": "unreadable-file", "header-only.pdf": "unreadable-file", "bomb.pdf": "too-large",
                "not-a-zip.docx": "unreadable-file", "random.docx": "unreadable-file",
                "declared-bomb.docx": "too-large", "laughs.docx": "unreadable-file", "xxe.docx": "unreadable-file",
                "deep.html": "too-large", "empty.txt": "no-text", "binary.txt": "unsupported-format",
                "locked.pdf": "encrypted-document", "scan.pdf": "no-text", "lines.txt": "too-large"}

    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "guidance_audit", "audit", str(d), "--format", "json",
                           "--as-of", "2024-01-01", "--max-seconds", "20"],
                          capture_output=True, text=True, timeout=600)
    assert time.monotonic() - started < 300
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    docs = {Path(doc["source"]).name: doc for doc in json.loads(proc.stdout)["documents"]}
    assert set(docs) == {p.name for p in d.iterdir()}
    for name, code in expected.items():
        assert [e["code"] for e in docs[name]["errors"]] == [code], (name, docs[name]["errors"])
        assert not docs[name]["findings"]
    for name in set(docs) - set(expected):
        assert docs[name]["errors"] == [], (name, docs[name]["errors"])
    assert [f["kind"] for f in docs["good.txt"]["findings"]] == ["outdated"]
    assert docs["good.txt"]["findings"][0]["wrong_at_publication"] is True
    assert docs["good.docx"]["claims"] > 0
    assert docs["pdf-named.txt"]["findings"]  # read as the PDF it is
    # One line on standard error per document that could not be read, and nothing else.
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == len(expected), lines
    assert all(line.startswith("guidance-audit: ") for line in lines), lines
    assert "LOCAL-SECRET" not in proc.stdout + proc.stderr


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_a_fifo_or_device_given_as_a_document_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it for reading blocked for ever
    code = ("import sys, guidance_audit.readers as r\n"
            "for p in sys.argv[1:]:\n"
            "    try: r.read_document(p)\n"
            "    except r.AuditError as e: print(e.code)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(fifo), "/dev/zero"], capture_output=True, text=True,
                          timeout=HANG_GUARD * 2)
    assert proc.stdout.split() == ["unreadable-file", "unreadable-file"], proc.stderr[-2000:]


def test_endless_or_non_regular_fact_packs_and_baselines_are_refused(tmp_path):
    import os

    from guidance_audit.baseline import BaselineError, load_baseline

    fifo = tmp_path / "pack.yaml"
    os.mkfifo(fifo)
    code = ("import sys\nfrom guidance_audit.factbase import load_factbase\nfrom guidance_audit.baseline import "
            "load_baseline\nfrom guidance_audit.errors import AuditError\n"
            "for p in sys.argv[1:]:\n"
            "    for load in (lambda p: load_factbase([p], bundled=False, entry_points=False), load_baseline):\n"
            "        try: load(p)\n"
            "        except AuditError as e: print(type(e).__name__)\n")
    proc = subprocess.run([sys.executable, "-c", code, "/dev/zero", str(fifo)], capture_output=True, text=True,
                          timeout=HANG_GUARD * 2)
    assert proc.stdout.split() == ["FactBaseError", "BaselineError"] * 2, proc.stderr[-2000:]
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(BaselineError):
        load_baseline(deep)

"""Memory and size limits judged well: HTML attributes bounded, repetitive DOCX tables read."""
import io
import re
import tracemalloc
import zipfile

import pytest

import guidance_audit as ga
from guidance_audit.readers import read_bytes
from guidance_audit.readers.html import MAX_ATTRIBUTES, read_html

from builders import make_zip_bomb_docx


def _attribute_flood(n: int) -> bytes:
    return ("<html><body><p>Contact the UK Border Agency.</p><div "
            + " ".join(f'a{i}="v"' for i in range(n))
            + ' style="x">Hello there officers.</div><p>End.</p></body></html>').encode()


@pytest.mark.slow
def test_an_element_with_hundreds_of_thousands_of_attributes_needs_memory_like_its_size():
    data = _attribute_flood(400_000)  # about 5 MB; the parser's list of attributes took 85 times that
    tracemalloc.start()
    try:
        doc = read_html(data, "flood.html")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [b.text for b in doc.blocks] == ["Contact the UK Border Agency.", "Hello there officers.", "End."]
    assert peak < 6 * len(data), peak / len(data)


def test_attributes_beyond_the_bound_are_dropped_and_the_first_kept():
    head = '<html><head><meta name="dc.date.issued" content="2020-04-23" '
    data = (head + " ".join(f'x{i}="{i}"' for i in range(5000)) + '></head><body><p>Text here.</p></body></html>')
    doc = read_html(data.encode(), "meta.html")
    assert str(doc.metadata.published) == "2020-04-23"
    assert MAX_ATTRIBUTES >= 16


def _table_docx(tmp_path, rows: int) -> bytes:
    plain = tmp_path / "plain.docx"
    import docx

    d = docx.Document()
    d.add_paragraph("Contact the UK Border Agency.")
    t = d.add_table(rows=1, cols=4)
    for c in t.rows[0].cells:
        c.text = "Contents " + "." * 400 + " 12"
    d.save(plain)
    with zipfile.ZipFile(plain) as src:
        xml = src.read("word/document.xml")
        row = re.search(rb"<w:tr[ >].*?</w:tr>", xml, re.S).group()
        big = xml.replace(row, row * rows)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                z.writestr(info.filename, big if info.filename == "word/document.xml" else src.read(info.filename))
    return out.getvalue()


def test_a_long_repetitive_table_is_read_not_taken_for_a_zip_bomb(tmp_path):
    data = _table_docx(tmp_path, 3000)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    assert info.file_size > 4_000_000 and info.file_size / info.compress_size > 200  # a bomb by ratio alone
    doc = read_bytes(data, "toc.docx")
    assert len(doc.blocks) > 3000


def test_a_real_zip_bomb_is_still_refused(tmp_path):
    path = make_zip_bomb_docx(tmp_path / "bomb.docx", part_bytes=20_000_000)
    with pytest.raises(ga.TooLargeError, match="compression ratio"):
        read_bytes(path.read_bytes(), "bomb.docx")
    with pytest.raises(ga.TooLargeError, match="compression ratio"):
        read_bytes(make_zip_bomb_docx(tmp_path / "b2.docx", part_bytes=3_000_000).read_bytes(), "b2.docx",
                   limits=ga.Limits(min_bomb_bytes=1_000_000))

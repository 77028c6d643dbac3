"""The PDFium backend gives the documents and findings the pdfminer backend gives.

Every PDF of the corpus (all sections) is audited with both; generated PDFs with running headers,
page numbers, wrapped lines, hyphens, lists and headings are read with both. The hostile PDF
tests in ``test_hostile.py`` run against both backends.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit.evaluate import SECTIONS
from guidance_audit.readers import read_document
from guidance_audit.readers.pdfium import available

from builders import make_pdf
from test_readers_pdf import EXPECTED, HEADER, PAGES

pytestmark = pytest.mark.skipif(not available(), reason="pypdfium2 is not installed")

ROOT = Path(__file__).resolve().parent.parent
SECTION_DOCS = [ROOT / "corpora" / ("" if name == "designed" else name) / "docs" for name in SECTIONS]
SECTION_DOCS = [folder for folder in SECTION_DOCS if folder.is_dir()]  # (blind is absent between sections)
CORPUS_PDFS = sorted(p for folder in SECTION_DOCS for p in folder.glob("*.pdf"))
AS_OF = "2026-11-21"


def _blocks(doc):
    return list(doc.blocks)


@pytest.fixture(scope="module")
def auditors():
    pdfminer = ga.Auditor()
    return pdfminer, ga.Auditor(pdfminer.factbase, pdf_backend="pdfium")


def test_every_section_of_the_corpus_has_pdfs():
    sections = {p.relative_to(ROOT).parent for p in CORPUS_PDFS}
    assert {folder.relative_to(ROOT) for folder in SECTION_DOCS} <= sections


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=lambda p: p.name)
def test_a_corpus_pdf_gives_the_same_document_and_findings_with_both_backends(path, auditors):
    by_pdfminer, by_pdfium = (a.audit(path, as_of=AS_OF) for a in auditors)
    assert by_pdfium.document.text == by_pdfminer.document.text
    assert _blocks(by_pdfium.document) == _blocks(by_pdfminer.document)
    assert by_pdfium.document.metadata == by_pdfminer.document.metadata
    assert by_pdfium.findings == by_pdfminer.findings
    assert by_pdfium.claim_count == by_pdfminer.claim_count


@pytest.mark.parametrize("blank_lines", [False, True], ids=["tight", "blank-lines"])
def test_layout_furniture_and_headings_are_the_same_with_pdfium(tmp_path, blank_lines):
    path = make_pdf(tmp_path / "guidance.pdf", PAGES, title="DA guidance", creation_date=dt.date(2020, 5, 1),
                    running_header=HEADER, running_footer="OFFICIAL",
                    blank_line_between_wrapped_lines=blank_lines)
    doc = read_document(path, pdf_backend="pdfium")
    assert [(b.kind, b.text, b.number, b.page, b.heading_path) for b in doc.blocks] == EXPECTED
    assert HEADER not in doc.text and "OFFICIAL" not in doc.text and "of 3" not in doc.text
    assert _blocks(doc) == _blocks(read_document(path))


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown PDF backend"):
        ga.Auditor(pdf_backend="poppler")
    with pytest.raises(ValueError, match="unknown PDF backend"):
        read_document(CORPUS_PDFS[0], pdf_backend="poppler")


def test_the_command_line_audits_with_pdfium():
    path = ROOT / "corpora/docs/northshire-police-insecure-status-policy-2020.pdf"

    def run(*extra):
        done = subprocess.run([sys.executable, "-m", "guidance_audit", "audit", str(path), "--as-of", AS_OF,
                               "--format", "json", "--fail-on", "never", *extra],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    with_pdfium = run("--pdf-backend", "pdfium")
    assert with_pdfium["documents"][0]["findings"] if "documents" in with_pdfium else with_pdfium
    assert with_pdfium == run()


def test_words_hyphenated_at_line_ends_are_joined_as_with_pdfminer():
    from hostile import minimal_pdf, text_page
    from guidance_audit.readers import read_bytes

    # PDFium joins such words itself and marks the hyphen; the shared joining rules then apply.
    data = minimal_pdf([text_page(["The word immi-", "gration is split, and a non-", "resident or non-",
                                   "EEA person is not.", "", "A second paragraph."])])
    with_pdfium = read_bytes(data, "hyphens.pdf", pdf_backend="pdfium")
    assert with_pdfium.text == read_bytes(data, "hyphens.pdf").text
    assert "immigration is split, and a non-resident or non-EEA person" in with_pdfium.text


def _line_boxes(path, monkeypatch):
    """The text lines each backend hands to the shared layout analysis, with their boxes."""
    from guidance_audit.readers import pdf, pdfium

    seen = {}
    for name, module, read in (("pdfminer", pdf, pdf.read_pdf), ("pdfium", pdfium, pdfium.read_pdf_pdfium)):
        shared = module._document

        def capture(pages, *args, _name=name, _shared=shared):
            seen[_name] = [(ln.text, round(ln.x0, 2), round(ln.y0, 2), round(ln.x1, 2), round(ln.y1, 2),
                            round(ln.size, 2)) for page in pages for ln in page.lines]
            return _shared(pages, *args)

        monkeypatch.setattr(module, "_document", capture)
        with open(path, "rb") as fp:
            read(fp, path.name)
    return seen["pdfminer"], seen["pdfium"]


def test_line_boxes_are_pdfminers_for_mixed_fonts_and_a_lowered_bullet(tmp_path, monkeypatch):
    # As reportlab's ListFlowable draws them: a Symbol bullet at 12 pt a point below the 11 pt
    # Helvetica baseline. pdfminer's box spans both (its descent is the AFM Descender, 0 for
    # Symbol); a bold header beside regular cells has Helvetica-Bold's descent, not PDFium's.
    from reportlab.pdfgen import canvas as _canvas

    path = tmp_path / "bullets.pdf"
    c = _canvas.Canvas(str(path))
    c.setFont("Helvetica-Bold", 9.5)
    c.drawString(300, 760, "The answer from 4 April 2024")
    c.setFont("Helvetica", 9.5)
    c.drawString(72, 760, "Question")
    c.drawString(72, 742, "Minimum skill level of the job")
    y = 700.0
    for item in ("asylum support applications and", "finding a solicitor for your asylum claim",
                 "registering with a GP"):
        c.setFont("Symbol", 12)
        c.drawString(72, y - 1, "\u2022")
        c.setFont("Helvetica", 11)
        c.drawString(86, y, item)
        y -= 22.5
    c.setFont("Helvetica", 11)
    c.drawString(86, y, "a line ending in work")
    c.showPage()
    c.save()
    by_pdfminer, by_pdfium = _line_boxes(path, monkeypatch)
    assert by_pdfium == by_pdfminer
    assert any(text.startswith("\u2022") for text, *_ in by_pdfium)


def test_text_scaled_by_its_matrix_has_pdfminers_size_and_boxes(tmp_path, monkeypatch):
    # Many producers set a 1 pt font and scale it with the text matrix (or the CTM); PDFium's
    # font size is the unscaled one, pdfminer's the size on the page.
    from hostile import minimal_pdf

    ops = [b"BT /F1 1 Tf 18 0 0 18 72 720 Tm (Scope of the guidance) Tj ET"]
    y = 690
    for line in ("This guidance is for officers who meet victims of", "domestic abuse with insecure status.",
                 "", "A second paragraph about the walk to work"):
        if line:
            ops.append(b"BT /F1 1 Tf 11 0 0 11 72 %d Tm (%s) Tj ET" % (y, line.encode()))
        y -= 14
    ops.append(b"q 2 0 0 2 0 0 cm BT /F1 5.5 Tf 90 Tz 36 %d Td (Set through the CTM, narrowed: look) Tj ET Q"
               % (y // 2))
    path = tmp_path / "scaled.pdf"
    path.write_bytes(minimal_pdf([b"\n".join(ops)]))
    by_pdfminer, by_pdfium = _line_boxes(path, monkeypatch)
    assert by_pdfium == by_pdfminer
    assert by_pdfium[0][-1] == 18.0
    assert _blocks(read_document(path, pdf_backend="pdfium")) == _blocks(read_document(path))

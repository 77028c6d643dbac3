"""Tables in PDFs: cells read as table cells, row by row, with their row and column headers, and a
"before" column (a period closed by a date) read as what applied then."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit.readers import read_document
from guidance_audit.readers.pdfium import available

AS_OF = dt.date(2026, 12, 1)
BACKENDS = ["pdfminer", *(["pdfium"] if available() else [])]


def _pdf(path: Path, before: list[str], rows: list[list[str]] | None, after: list[str],
         widths: list[float] | None = None) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    story = [Paragraph(t, styles["Heading1"] if i == 0 else styles["BodyText"]) for i, t in enumerate(before)]
    if rows:
        cell = styles["BodyText"]
        data = [[Paragraph(c, cell) for c in row] for row in rows]
        table = Table(data, colWidths=widths, hAlign="LEFT")
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    story += [Paragraph(t, styles["BodyText"]) for t in after]
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


ROWS = [
    ["Figure", "Up to 3 April", "From 4 April"],
    ["General salary threshold for new Skilled Worker hires", "£26,200 or the going rate if higher",
     "£38,700 or the going rate, whichever is higher"],
    ["New entrants", "£20,960", "£30,960"],
]
INTRO = ["Skilled Worker thresholds in 2024", "Updated 8 April 2024. The table below sets the figures side by side."]
AFTER = ["Employers should check each certificate against the figure for its date of assignment."]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pdf_table_is_read_as_cells_row_by_row(tmp_path, backend):
    path = _pdf(tmp_path / "t.pdf", INTRO, ROWS, AFTER, widths=[170, 150, 150])
    doc = read_document(path, pdf_backend=backend)
    cells = [(b.cell[1:], b.text) for b in doc.blocks if b.kind == "table_cell"]
    assert cells == [((r, c), text) for r, row in enumerate(ROWS) for c, text in enumerate(row)]
    # the paragraphs around the table stay paragraphs, in order
    kinds = [b.kind for b in doc.blocks]
    assert kinds[-1] == "paragraph" and doc.blocks[-1].text == AFTER[0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_value_under_a_before_column_is_history_and_under_the_after_column_is_checked(tmp_path, backend):
    path = _pdf(tmp_path / "t.pdf", INTRO, ROWS, AFTER, widths=[170, 150, 150])
    report = ga.Auditor(pdf_backend=backend).audit(path, as_of=AS_OF)
    by_quote = {f.quote: f for f in report.findings}
    # £38,700 was right from 4 April 2024 and has been superseded since (22 July 2025)
    assert by_quote["£38,700 or the going rate, whichever is higher"].kind == "outdated"
    # near-miss: the old figures under "Up to 3 April" say what applied then
    assert not any(q.startswith(("£26,200", "£20,960")) for q in by_quote)


def test_paragraph_numbers_in_a_gutter_are_not_a_table(tmp_path):
    rows = [["1.1", "Officers must record the victim's account in full before anything else is done."],
            ["1.2", "Officers must not ask about immigration status unless it is relevant to the crime."],
            ["1.3", "A referral to an independent adviser is offered in every case."]]
    path = _pdf(tmp_path / "n.pdf", ["Procedure"], rows, [], widths=[30, 420])
    doc = read_document(path)
    assert not any(b.kind == "table_cell" for b in doc.blocks)


def test_prose_without_a_table_has_no_cells(tmp_path):
    path = _pdf(tmp_path / "p.pdf", INTRO, None, AFTER * 3)
    assert not any(b.kind == "table_cell" for b in read_document(path).blocks)

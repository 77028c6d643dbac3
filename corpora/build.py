"""Build the evaluation corpus: ``corpora/src/*`` -> ``corpora/docs/*``.

Run from anywhere::

    python corpora/build.py                      # build every document of every section
    python corpora/build.py NAME ...             # build only the named sources (stem or file name)
    python corpora/build.py --section blind      # build one section only

Sections: the designed documents live in ``corpora/src`` -> ``corpora/docs``; every other section
is a folder of its own, ``corpora/<section>/src`` -> ``corpora/<section>/docs`` (``realistic``
and ``blind``; see ``corpora/README.md``).

Sources and what becomes of them:

* ``<name>.txt`` and ``<name>.html`` are copied byte for byte.
* ``<name>.md`` starts with a front-matter block and is rendered to ``<name>.docx`` (python-docx)
  or ``<name>.pdf`` (reportlab), as its ``format`` key says::

      ---
      format: pdf                  # pdf | docx
      title: Title for the file properties
      author: Who the properties name as author
      date: 2020-04-23             # the document's own date, written into the properties
      header: Running header text  # pdf: top of every page; docx: the section header
      footer: Running footer text  # pdf only; "Page N of M" is always added
      marking: OFFICIAL            # pdf only, optional: protective marking at the top right
      columns: 2                   # pdf only, optional: body text set in two columns
      ---

  The body is a small markdown subset: ``#``/``##``/``###`` headings, ``- `` bullet items,
  ``|a|b|`` table rows (the first row is the header; a ``|---|`` row is skipped) and paragraphs
  (blank-line separated; consecutive lines are joined with a space). There is no inline markup.

The output is deterministic: the PDF is written in reportlab's invariant mode with its creation
date pinned to the document's date, and the DOCX core properties and zip entry timestamps are
fixed, so rebuilding an unchanged source gives identical bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"
#: Sections other than the designed one: each is ``HERE / name`` with ``src/``, ``docs/``, ``labels/``.
SECTIONS = ("realistic", "former-blind", "former-blind-2", "former-blind-3", "former-blind-4", "former-blind-5",
            "former-blind-6", "former-blind-7", "former-blind-8", "blind")


def section_dirs(section: str) -> tuple[Path, Path]:
    """``(src, docs)`` of a section; ``designed`` is the corpus root itself."""
    if section == "designed":
        return SRC, DOCS
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}: designed, " + ", ".join(SECTIONS))
    return HERE / section / "src", HERE / section / "docs"

# Zip entries get this timestamp so the DOCX bytes do not depend on when they were built.
_ZIP_EPOCH = (2000, 1, 1, 0, 0, 0)


@dataclass
class Source:
    """A parsed ``.md`` source: its front matter and its blocks."""

    path: Path
    meta: dict[str, str]
    blocks: list[tuple] = field(default_factory=list)

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.meta["date"])


def parse_source(path: Path) -> Source:
    """Parse front matter and the markdown subset into blocks.

    Blocks are ``("heading", level, text)``, ``("para", text)``, ``("bullets", [text, ...])``
    and ``("table", [[cell, ...], ...])``.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{path}: missing front matter")
    meta: dict[str, str] = {}
    i = 1
    while lines[i].strip() != "---":
        key, _, value = lines[i].partition(":")
        meta[key.strip()] = value.strip()
        i += 1
    for key in ("format", "title", "author", "date"):
        if key not in meta:
            raise ValueError(f"{path}: front matter lacks {key!r}")
    if meta["format"] not in ("pdf", "docx"):
        raise ValueError(f"{path}: format must be pdf or docx")
    src = Source(path, meta)
    para: list[str] = []

    def flush_para() -> None:
        if para:
            src.blocks.append(("para", " ".join(para)))
            para.clear()

    for raw in lines[i + 1:]:
        line = raw.strip()
        if not line:
            flush_para()
            continue
        if line.startswith("#"):
            flush_para()
            level = len(line) - len(line.lstrip("#"))
            src.blocks.append(("heading", level, line[level:].strip()))
        elif line.startswith("- "):
            flush_para()
            if src.blocks and src.blocks[-1][0] == "bullets":
                src.blocks[-1][1].append(line[2:].strip())
            else:
                src.blocks.append(("bullets", [line[2:].strip()]))
        elif line.startswith("|"):
            flush_para()
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):
                continue
            if src.blocks and src.blocks[-1][0] == "table":
                src.blocks[-1][1].append(cells)
            else:
                src.blocks.append(("table", [cells]))
        else:
            para.append(line)
    flush_para()
    return src


# --------------------------------------------------------------------------------------- DOCX

def build_docx(src: Source, out: Path) -> None:
    """Render a source to DOCX with headings, bullet lists, tables and fixed properties."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    if src.meta.get("header"):
        document.sections[0].header.paragraphs[0].text = src.meta["header"]
    for block in src.blocks:
        kind = block[0]
        if kind == "heading":
            document.add_heading(block[2], level=min(block[1], 3))
        elif kind == "para":
            document.add_paragraph(block[1])
        elif kind == "bullets":
            for item in block[1]:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "table":
            rows = block[1]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = text
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
    when = dt.datetime.combine(src.date, dt.time(9, 0))
    props = document.core_properties
    props.author = src.meta["author"]
    props.last_modified_by = src.meta["author"]
    props.title = src.meta["title"]
    props.subject = src.meta.get("subject", "")
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    _write_fixed_zip(buffer.getvalue(), out)


def _write_fixed_zip(data: bytes, out: Path) -> None:
    """Rewrite a zip with pinned timestamps and attributes, keeping the entry order."""
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            zout.writestr(info, zin.read(item.filename))
    out.write_bytes(result.getvalue())


# ---------------------------------------------------------------------------------------- PDF

def build_pdf(src: Source, out: Path) -> None:
    """Render a source to a paginated PDF with running headers and "Page N of M" footers."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import (BaseDocTemplate, Frame, ListFlowable, ListItem, PageTemplate,
                                    Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle)

    header = src.meta.get("header", "")
    footer = src.meta.get("footer", src.meta["title"])
    marking = src.meta.get("marking", "")
    columns = int(src.meta.get("columns", "1"))

    class NumberedCanvas(rl_canvas.Canvas):
        """Defers page output until the page count is known, for "Page N of M"."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._draw_furniture(total)
                super().showPage()
            super().save()

        def _draw_furniture(self, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setFont("Helvetica", 8.5)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(22 * mm, height - 14 * mm, header)
            if marking:
                self.drawRightString(width - 22 * mm, height - 14 * mm, marking)
            self.line(22 * mm, height - 16 * mm, width - 22 * mm, height - 16 * mm)
            self.line(22 * mm, 17 * mm, width - 22 * mm, 17 * mm)
            self.drawString(22 * mm, 12 * mm, footer)
            self.drawRightString(width - 22 * mm, 12 * mm,
                                 f"Page {self._pageNumber} of {total}")
            self.restoreState()

    styles = getSampleStyleSheet()
    body = ParagraphStyle("Body", parent=styles["Normal"], fontName="Helvetica", fontSize=11,
                          leading=15.5, spaceAfter=7, alignment=TA_LEFT)
    cell = ParagraphStyle("Cell", parent=body, fontSize=9.5, leading=12.5, spaceAfter=0)
    cell_head = ParagraphStyle("CellHead", parent=cell, fontName="Helvetica-Bold")
    heads = {
        1: ParagraphStyle("H1", parent=styles["Heading1"], fontName="Helvetica-Bold",
                          fontSize=17, leading=21, spaceAfter=10),
        2: ParagraphStyle("H2", parent=styles["Heading2"], fontName="Helvetica-Bold",
                          fontSize=13, leading=16, spaceBefore=10, spaceAfter=6),
        3: ParagraphStyle("H3", parent=styles["Heading3"], fontName="Helvetica-Bold",
                          fontSize=11.5, leading=14, spaceBefore=8, spaceAfter=4),
    }
    story = []
    for block in src.blocks:
        kind = block[0]
        if kind == "heading":
            story.append(Paragraph(escape(block[2]), heads[min(block[1], 3)]))
        elif kind == "para":
            story.append(Paragraph(escape(block[1]), body))
        elif kind == "bullets":
            items = [ListItem(Paragraph(escape(t), body), leftIndent=14) for t in block[1]]
            story.append(ListFlowable(items, bulletType="bullet", start="\u2022", leftIndent=14,
                                      bulletFontName="Symbol"))
        elif kind == "table":
            rows = block[1]
            data = [[Paragraph(escape(t), cell_head if r == 0 else cell) for t in row]
                    for r, row in enumerate(rows)]
            width = (A4[0] - 44 * mm - (columns - 1) * 8 * mm) / columns
            table = Table(data, repeatRows=1, hAlign="LEFT",
                          colWidths=[width / len(rows[0])] * len(rows[0]))
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]))
            story.extend([table, Spacer(1, 8)])

    epoch = int(dt.datetime.combine(src.date, dt.time(9, 0), dt.timezone.utc).timestamp())
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    options = dict(pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                   topMargin=24 * mm, bottomMargin=24 * mm, title=src.meta["title"],
                   author=src.meta["author"], subject=src.meta.get("subject", ""),
                   creator=src.meta["author"], producer="corpora/build.py", invariant=1)
    try:
        if columns == 1:
            doc = SimpleDocTemplate(str(out), **options)
        else:
            doc = BaseDocTemplate(str(out), **options)
            gap = 8 * mm
            width = (doc.width - (columns - 1) * gap) / columns
            frames = [Frame(doc.leftMargin + i * (width + gap), doc.bottomMargin, width,
                            doc.height, id=f"col{i}") for i in range(columns)]
            doc.addPageTemplates([PageTemplate(id="columns", frames=frames)])
        doc.build(story, canvasmaker=NumberedCanvas)
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


# --------------------------------------------------------------------------------------- main

def build(names: list[str] | None = None, out_dir: Path | None = None, *,
          section: str = "designed") -> list[Path]:
    """Build the named sources (all when ``names`` is empty) of one section into ``out_dir``
    (the section's ``docs/`` by default).

    Returns:
        The files written.
    """
    src_dir, docs_dir = section_dirs(section)
    out_dir = Path(out_dir) if out_dir is not None else docs_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {Path(n).stem for n in names or []}
    written = []
    if not src_dir.is_dir():
        return written
    for path in sorted(src_dir.iterdir()):
        if wanted and path.stem not in wanted:
            continue
        if path.suffix in (".txt", ".html"):
            out = out_dir / path.name
            shutil.copyfile(path, out)
        elif path.suffix == ".md":
            src = parse_source(path)
            out = out_dir / f"{path.stem}.{src.meta['format']}"
            (build_pdf if src.meta["format"] == "pdf" else build_docx)(src, out)
        else:
            continue
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    import argparse
    parser = argparse.ArgumentParser(description="Build corpus documents from their sources.")
    parser.add_argument("names", nargs="*", help="sources to build (stem or file name)")
    parser.add_argument("--section", choices=("designed",) + SECTIONS + ("all",), default="all")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    sections = ("designed",) + SECTIONS if args.section == "all" else (args.section,)
    for section in sections:
        for out in build(args.names, section=section):
            print(out.relative_to(HERE.parent) if out.is_relative_to(HERE.parent) else out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

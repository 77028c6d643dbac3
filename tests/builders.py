"""Build test documents at test time: DOCX (python-docx), PDF (reportlab), HTML and hostile files.

Nothing here is a fixture file on disk: every function writes the file it is asked for, so tests
say exactly what the document holds. All builders return the path they wrote.

Quick reference::

    make_docx(path, ["Intro", ("h1", "Scope"), ("bullet", "first"), ("table", [["a", "b"]])])
    make_pdf(path, [["# Title", "3.1 A long paragraph ..."], ["Second page ..."]],
             running_header="Force policy", creation_date=date(2020, 4, 23))
    make_html(path, "<h1>Title</h1><p>Text</p>", title="Title")
    make_textless_pdf(path)                     # pages with a rectangle only (a "scan")
    make_hostile_docx(path, "xxe")              # DOCTYPE with an external entity
    make_zip_bomb_docx(path, part_bytes=5_000_000)
"""
from __future__ import annotations

import datetime as _dt
import io
import struct
import zipfile
from pathlib import Path
from typing import Any, Sequence

# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------

def _drop_core_dates(document: Any) -> None:
    """Remove created/modified from the core properties (python-docx's template carries
    2013-12-23 for both)."""
    core = document.core_properties._element  # CT_CoreProperties
    for child in list(core):
        if child.tag.endswith("}created") or child.tag.endswith("}modified"):
            core.remove(child)


def make_docx(
    path: str | Path,
    blocks: Sequence[Any],
    *,
    title: str | None = None,
    created: _dt.datetime | _dt.date | None = None,
    modified: _dt.datetime | _dt.date | None = None,
    header_text: str | None = None,
    footer_text: str | None = None,
) -> Path:
    """Write a DOCX with python-docx.

    Args:
        path: where to write.
        blocks: the body, in order. Each item is one of:

            * ``"text"`` or ``("p", "text")``: a Normal paragraph;
            * ``("title", "text")``: a paragraph in the Title style;
            * ``("h1", "text")`` ... ``("h9", "text")``: Heading 1-9;
            * ``("bold", "text")``: a Normal paragraph whose only run is bold (a pseudo-heading);
            * ``("bullet", "text")``: a ``List Bullet`` paragraph;
            * ``("number", "text")``: a ``List Number`` paragraph;
            * ``("table", rows)`` or ``("table", rows, {"merge": [((r0, c0), (r1, c1)), ...]})``:
              a table of strings, optionally with merged cell ranges (merged cells keep the
              top-left cell's text);
            * ``("textbox", "text")`` or ``("textbox", "text", "anchor paragraph text")``: a
              paragraph anchoring a floating text box (as cover pages use), written the way Word
              does, with a DrawingML choice and a VML fallback copy of the same text;
            * ``("pagebreak",)``: a page break.
        title: core property title.
        created: core property created (a date means midnight UTC). When ``None`` the created
            date is removed from the file.
        modified: core property modified; defaults to ``created`` (removed when both are None).
        header_text: text of the default page header.
        footer_text: text of the default page footer.

    Returns:
        The path written.
    """
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for item in blocks:
        if isinstance(item, str):
            item = ("p", item)
        kind = item[0]
        if kind == "p":
            document.add_paragraph(item[1])
        elif kind == "title":
            document.add_heading(item[1], 0)
        elif len(kind) == 2 and kind[0] == "h" and kind[1].isdigit():
            document.add_heading(item[1], int(kind[1]))
        elif kind == "bold":
            document.add_paragraph().add_run(item[1]).bold = True
        elif kind == "bullet":
            document.add_paragraph(item[1], style="List Bullet")
        elif kind == "number":
            document.add_paragraph(item[1], style="List Number")
        elif kind == "table":
            rows = item[1]
            ncols = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=ncols)
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
            options = item[2] if len(item) > 2 else {}
            for (r0, c0), (r1, c1) in options.get("merge", []):
                keep = rows[r0][c0]
                merged = table.cell(r0, c0).merge(table.cell(r1, c1))
                merged.text = keep
        elif kind == "textbox":
            _add_text_box(document.add_paragraph(item[2] if len(item) > 2 else ""), item[1])
        elif kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    section = document.sections[0]
    if header_text is not None:
        section.header.paragraphs[0].text = header_text
    if footer_text is not None:
        section.footer.paragraphs[0].text = footer_text
    props = document.core_properties
    props.title = title or ""
    if created is None and modified is None:
        _drop_core_dates(document)
    else:
        props.created = _as_datetime(created or modified)
        props.modified = _as_datetime(modified or created)
    document.save(str(path))
    return Path(path)


_TEXT_BOX_RUN = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>
<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>
</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t>
</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def _add_text_box(paragraph: Any, text: str) -> None:
    from xml.sax.saxutils import escape

    from lxml import etree

    paragraph._p.append(etree.fromstring(_TEXT_BOX_RUN.format(text=escape(text))))


def _as_datetime(value: _dt.date | _dt.datetime) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value
    return _dt.datetime(value.year, value.month, value.day, 12, 0, 0)


def _rewrite_zip(src: Path, dest: Path, replace: dict[str, bytes]) -> None:
    data = src.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))


_XXE_DOCTYPE = (
    '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
)
_LAUGHS_DOCTYPE = (
    '<!DOCTYPE w:document [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10))
    + "]>"
)


def make_hostile_docx(path: str | Path, kind: str = "xxe", *, uppercase: bool = True) -> Path:
    """Write a DOCX whose ``word/document.xml`` declares a DTD.

    Args:
        path: where to write.
        kind: ``"xxe"`` (an external entity reading ``/etc/passwd``, referenced in the text) or
            ``"laughs"`` (the billion-laughs entity expansion, referenced in the text).
        uppercase: write ``<!DOCTYPE`` (True) or ``<!doctype`` (False).

    Returns:
        The path written.
    """
    path = Path(path)
    plain = path.with_suffix(".plain.docx")
    make_docx(plain, ["Officers must record the report.", "ENTITY_HERE"])
    with zipfile.ZipFile(plain) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    doctype = _XXE_DOCTYPE if kind == "xxe" else _LAUGHS_DOCTYPE
    if not uppercase:
        doctype = doctype.replace("<!DOCTYPE", "<!doctype")
    ref = "&xxe;" if kind == "xxe" else "&lol9;"
    decl_end = xml.index("?>") + 2
    xml = xml[:decl_end] + doctype + xml[decl_end:]
    xml = xml.replace("ENTITY_HERE", ref)
    _rewrite_zip(plain, path, {"word/document.xml": xml.encode("utf-8")})
    plain.unlink()
    return path


def make_zip_bomb_docx(path: str | Path, *, part_bytes: int = 5_000_000, lie_about_size: bool = False) -> Path:
    """Write a DOCX whose ``word/document.xml`` inflates to ``part_bytes`` of repetitive XML.

    Args:
        path: where to write.
        part_bytes: the uncompressed size of the bloated part.
        lie_about_size: patch the zip headers so the part declares only 1000 bytes (a lying
            header; the real data is larger).

    Returns:
        The path written.
    """
    path = Path(path)
    plain = path.with_suffix(".plain.docx")
    make_docx(plain, ["Short document."])
    with zipfile.ZipFile(plain) as z:
        xml = z.read("word/document.xml")
    pad = b"<!-- " + b" " * max(0, part_bytes - len(xml) - 10) + b" -->"
    bloated = xml.replace(b"<w:body>", b"<w:body>" + pad, 1)
    _rewrite_zip(plain, path, {"word/document.xml": bloated})
    plain.unlink()
    if lie_about_size:
        _patch_declared_size(path, "word/document.xml", 1000)
    return path


def _patch_declared_size(path: Path, member: str, size: int) -> None:
    """Overwrite a member's uncompressed size in both its local and central headers."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    # (signature, offset of the uncompressed size, offset of the name length, offset of the name):
    # the local file header, then the central directory header.
    for signature, size_at, nlen_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        pos = 0
        while True:
            pos = data.find(signature, pos)
            if pos < 0:
                break
            nlen = struct.unpack_from("<H", data, pos + nlen_at)[0]
            if bytes(data[pos + name_at:pos + name_at + nlen]) == name:
                struct.pack_into("<I", data, pos + size_at, size)
            pos += 4
    path.write_bytes(bytes(data))


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------

PDF_BODY_SIZE = 11.0
PDF_HEADING_SIZES = {1: 18.0, 2: 14.0, 3: 11.0}
PDF_MARGIN = 72.0
PDF_FONT = "Vera"
PDF_BOLD_FONT = "VeraBd"


def _register_fonts() -> None:
    """Register the Bitstream Vera fonts shipped with reportlab: unlike the standard 14 fonts
    they embed a ToUnicode map, so bullets and ligatures such as "\ufb01" extract faithfully."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    if PDF_FONT not in registered:
        pdfmetrics.registerFont(TTFont(PDF_FONT, "Vera.ttf"))
    if PDF_BOLD_FONT not in registered:
        pdfmetrics.registerFont(TTFont(PDF_BOLD_FONT, "VeraBd.ttf"))


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap. A soft hyphen (U+00AD) inside a word forces a hyphenated break there:
    the line ends with the first part and "-", the next line starts with the rest."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for word in text.split():
        if "\u00ad" in word:
            head, tail = word.split("\u00ad", 1)
            candidate = f"{current} {head}-" if current else f"{head}-"
            lines.append(candidate)
            current = tail.replace("\u00ad", "")
            continue
        candidate = f"{current} {word}" if current else word
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def make_pdf(
    path: str | Path,
    pages: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    creation_date: _dt.date | None = None,
    running_header: str | None = None,
    running_footer: str | None = None,
    running_footer_with_page_numbers: bool = True,
    blank_line_between_wrapped_lines: bool = False,
    paragraph_gap: float | None = None,
    encrypt: str | None = None,
    text_width: float | None = None,
) -> Path:
    """Write a PDF with reportlab, one list of paragraphs per page.

    Paragraph strings use a tiny markup: ``"# "``, ``"## "`` and ``"### "`` start headings
    (bold, 18/14/11 pt); ``"- "`` starts a bullet item (drawn with "•" and a hanging indent);
    anything else is a body paragraph in 11 pt Bitstream Vera, wrapped to the text width. A soft
    hyphen (``"\\u00ad"``) inside a word forces a hyphenated line break at that point, e.g.
    ``"immi\\u00adgration"`` prints "immi-" at a line end and "gration" on the next line.
    Content that does not fit continues on a new page.

    Args:
        path: where to write.
        pages: the paragraphs of each page.
        title: the information dictionary's Title.
        creation_date: CreationDate and ModDate; when ``None`` both are written empty.
        running_header: text drawn at the top of every page.
        running_footer: text drawn at the bottom-left of every page.
        running_footer_with_page_numbers: draw "Page N of M" at the bottom of every page.
        blank_line_between_wrapped_lines: leave an empty line between the wrapped lines of a
            paragraph (and two between paragraphs), as some exports do.
        paragraph_gap: extra space between paragraphs in points (default 0.6 of the body
            size; with blank lines between wrapped lines, two empty lines).
        encrypt: a user password; the PDF then cannot be opened without it.
        text_width: the width text is wrapped to (default: page width less 1-inch margins).

    Returns:
        The path written.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as _canvas

    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_fonts()
    width, height = A4
    text_width = text_width or (width - 2 * PDF_MARGIN)
    leading = PDF_BODY_SIZE * 1.2
    line_advance = leading * (2 if blank_line_between_wrapped_lines else 1)
    if paragraph_gap is None:
        paragraph_gap = 2 * leading if blank_line_between_wrapped_lines else 0.6 * PDF_BODY_SIZE
    top = height - PDF_MARGIN
    bottom = PDF_MARGIN

    # Lay out into pages of draw operations first, so "Page N of M" knows M.
    laid: list[list[tuple[float, float, str, float, str]]] = []
    for page_paragraphs in pages:
        ops: list[tuple[float, float, str, float, str]] = []
        laid.append(ops)
        y = top
        for para in page_paragraphs:
            font, size, x, indent, bullet = PDF_FONT, PDF_BODY_SIZE, PDF_MARGIN, 0.0, False
            text = para
            for level in (3, 2, 1):
                if para.startswith("#" * level + " "):
                    font, size, text = PDF_BOLD_FONT, PDF_HEADING_SIZES[level], para[level + 1:]
                    y -= 0.5 * size
                    break
            else:
                if para.startswith("- "):
                    bullet, text = True, para[2:]
                    indent = stringWidth("\u2022 ", font, size)
            wrapped = _wrap(text, font, size, text_width - indent)
            advance = size * 1.2 if font == PDF_BOLD_FONT else line_advance
            for i, line in enumerate(wrapped):
                if y - size < bottom:
                    ops = []
                    laid.append(ops)
                    y = top
                y -= size
                if bullet and i == 0:
                    ops.append((x, y, font, size, "\u2022 " + line))
                else:
                    ops.append((x + indent, y, font, size, line))
                y -= advance - size
            y -= paragraph_gap

    kwargs: dict[str, Any] = {"pagesize": A4}
    if encrypt is not None:
        kwargs["encrypt"] = encrypt
    canvas = _canvas.Canvas(str(path), **kwargs)
    if title is not None:
        canvas.setTitle(title)
    if creation_date is not None:
        stamp = creation_date.strftime("D:%Y%m%d120000+00'00'")
        canvas.setDateFormatter(lambda *_: stamp)
    else:
        canvas.setDateFormatter(lambda *_: "")
    total = len(laid)
    for number, ops in enumerate(laid, start=1):
        if running_header:
            canvas.setFont(PDF_FONT, 9)
            canvas.drawString(PDF_MARGIN, height - 40, running_header)
        if running_footer:
            canvas.setFont(PDF_FONT, 9)
            canvas.drawString(PDF_MARGIN, 45, running_footer)
        if running_footer_with_page_numbers:
            canvas.setFont(PDF_FONT, 9)
            canvas.drawCentredString(width / 2, 30, f"Page {number} of {total}")
        for x, y, font, size, text in ops:
            canvas.setFont(font, size)
            canvas.drawString(x, y, text)
        canvas.showPage()
    canvas.save()
    return Path(path)


def make_textless_pdf(path: str | Path, pages: int = 2) -> Path:
    """Write a PDF whose pages hold only a filled rectangle (like a scan without OCR).

    Args:
        path: where to write.
        pages: how many pages.

    Returns:
        The path written.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas as _canvas

    canvas = _canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        canvas.rect(100, 100, 300, 400, fill=1)
        canvas.showPage()
    canvas.save()
    return Path(path)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def make_html(
    path: str | Path,
    body: str,
    *,
    title: str | None = None,
    head_extra: str = "",
    encoding: str = "utf-8",
    declare_charset: bool = True,
    bom: bool = False,
) -> Path:
    """Write an HTML page around a body fragment.

    Args:
        path: where to write.
        body: the inner HTML of ``<body>``.
        title: the ``<title>``.
        head_extra: more markup for ``<head>`` (``<meta>`` tags, scripts...).
        encoding: the encoding of the bytes written.
        declare_charset: add ``<meta charset>`` naming ``encoding``.
        bom: start with the encoding's byte-order mark (UTF-8 or UTF-16).

    Returns:
        The path written.
    """
    head = []
    if declare_charset:
        head.append(f'<meta charset="{encoding}">')
    if title is not None:
        head.append(f"<title>{title}</title>")
    head.append(head_extra)
    page = f"<!DOCTYPE html>\n<html lang=\"en\"><head>{''.join(head)}</head>\n<body>{body}</body></html>\n"
    data = page.encode(encoding)
    if bom:
        codec = encoding.lower().replace("_", "-")
        if codec in ("utf-16", "utf-16-le"):
            data = b"\xff\xfe" + page.encode("utf-16-le")
        elif codec == "utf-16-be":
            data = b"\xfe\xff" + page.encode("utf-16-be")
        else:
            data = b"\xef\xbb\xbf" + data
    Path(path).write_bytes(data)
    return Path(path)


# --------------------------------------------------------------------------------------------
# Checks shared by tests
# --------------------------------------------------------------------------------------------


def assert_spans(doc: Any) -> None:
    """Assert the invariants every Document keeps: spans match text, order, no overlap,
    non-empty blocks, ``index`` equal to position."""
    prev_end = -1
    for i, b in enumerate(doc.blocks):
        assert b.index == i, (i, b)
        assert b.text, b
        assert doc.text[b.start:b.end] == b.text, (b, doc.text[b.start:b.end])
        assert b.start >= prev_end, (b, prev_end)
        prev_end = b.end


def write_document(fmt: str, directory: str | Path, paragraphs: Sequence[str], *,
                   running_header: str = "OFFICIAL") -> Path:
    """Write the same content as a text, DOCX, PDF or HTML file.

    The first paragraph is the title (a heading in DOCX, PDF and HTML); the PDF splits the body
    over two pages under a running header, and the HTML page carries navigation and a footer.

    Args:
        fmt: ``"txt"``, ``"docx"``, ``"pdf"`` or ``"html"``.
        directory: where to write ``doc.<fmt>``.
        paragraphs: the title, then the body paragraphs.
        running_header: the PDF's running header.
    """
    directory = Path(directory)
    if fmt == "txt":
        path = directory / "doc.txt"
        path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        return path
    if fmt == "docx":
        return make_docx(directory / "doc.docx", [("h1", paragraphs[0]), *paragraphs[1:]])
    if fmt == "pdf":
        body = [f"# {paragraphs[0]}", *paragraphs[1:]]
        half = len(body) // 2
        return make_pdf(directory / "doc.pdf", [body[:half], body[half:]], running_header=running_header)
    html = f"<h1>{paragraphs[0]}</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs[1:])
    return make_html(directory / "doc.html", f"<nav>Home | Guidance</nav><main>{html}</main><footer>Contact us</footer>",
                     title=paragraphs[0])

"""PDF reader built on PDFium (the optional ``pypdfium2`` wheel: ``pip install "guidance-audit[pdfium]"``).

It gives the same :class:`~guidance_audit.models.Document` as the pdfminer reader
(:mod:`guidance_audit.readers.pdf`): PDFium only replaces pdfminer's text extraction and line
grouping; the layout analysis that follows (running headers and footers, paragraphs, headings,
hyphens, metadata) is the same code. PDFium extracts a page's text in compiled code, many
times faster than pdfminer's layout analysis.

Text lines are PDFium's own (its text page breaks lines where the baseline changes); a line is
split again where two of its text runs are further apart than pdfminer would join (two
characters' width, ``LAParams.char_margin``), so that table cells and columns on one baseline
stay apart as they do with pdfminer. A line's box is measured as pdfminer measures it: from its
first character's origin to the end of its last character's advance, and from the lowest to the
highest of its characters' boxes (each from the font's descent below the baseline up by the font
size on the page), with pdfminer's own metrics (descent, widths) for the standard fonts; font
size and boldness are those of its first and last characters.

Limits and hostile files, as with pdfminer:

* encrypted documents raise :class:`EncryptedDocumentError`, damaged ones
  :class:`UnreadableFileError` (a document whose later pages fail keeps the pages read);
* before PDFium sees the file, every FlateDecode stream in it is inflated in chunks and thrown
  away, so a file whose streams decompress past ``limits.max_pdf_stream_bytes`` is refused
  without that memory being allocated (streams of encrypted files cannot be inflated before
  they are decrypted, and are not counted);
* streams (inflated or stored) that save more than ``MAX_SAVED_STATES`` graphics states without
  restoring them are refused, as the pdfminer reader refuses such a page;
* ``max_pages`` is checked against the page count before reading and between pages,
  ``max_page_chars`` and ``max_page_lines`` on every page, ``max_seconds`` between pages and
  while the streams are checked. PDFium's work on one page runs in compiled code that cannot be
  interrupted: it is fast (a page of the hostile suite's two million operators takes well under
  a second), so the time limit is met to within one page's reading time.

PDFium is not thread-safe: reading is serialised by a lock within the process.
"""
from __future__ import annotations

import ctypes
import math
import re
import threading
import time
import zlib
from typing import BinaryIO

from ..errors import AuditError, EncryptedDocumentError, TooLargeError, UnreadableFileError
from ..limits import DEFAULT_LIMITS, Limits
from ..models import Document
from ._pdfguard import MAX_SAVED_STATES, Budget
from .pdf import MARGIN_BAND, _document, _is_bold, _Line, _Page

__all__ = ["read_pdf_pdfium", "available"]

CHAR_MARGIN = 2.0  # pdfminer's LAParams.char_margin, in character widths
_CHUNK = 1 << 20
_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_LOCK = threading.Lock()
_OBJECT_AT = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
# PDFium joins a word hyphenated at a line end to the next line's first word, with U+FFFE for
# the hyphen (soft or hard alike, so it is read as a hard one; the shared line joining then drops
# it before a lower-case letter, as it does a hyphen pdfminer reads). The line ends after it.
_JOINED_HYPHEN = "\ufffe"
_LINE = re.compile(r"[^\r\n\x02\ufffe]*[^\r\n\x02\ufffe\s][^\r\n\x02\ufffe]*\ufffe?|\ufffe")


def available() -> bool:
    """Whether the ``pypdfium2`` wheel is installed."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return False
    return True


def _missing() -> AuditError:
    return UnreadableFileError("the PDFium backend needs the pypdfium2 package",
                               hint='pip install "guidance-audit[pdfium]", or use the pdfminer backend')


_SAVE_RESTORE = re.compile(rb"(?<![^\s])[qQ](?=\s)")


class _Saves:
    """Counts the graphics-state saves (``q``) not yet restored (``Q``) in one stream's bytes, as
    they go by. PDFium keeps a copy of the graphics state for each (about 170 bytes): a few KB of
    compressed ``q q q ...`` would take gigabytes. Counting tokens without parsing may count a
    ``q`` inside a string too; that only matters for a stream with tens of thousands of them."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.depth = 0

    def feed(self, data: bytes) -> None:
        if self.depth + data.count(b"q") <= MAX_SAVED_STATES:  # the usual case: cannot go past
            self.depth = max(0, self.depth + data.count(b"q") - data.count(b"Q")) if b"q" in data else self.depth
            return
        depth = self.depth
        for op in _SAVE_RESTORE.findall(data):
            if op == b"q":
                depth += 1
                if depth > MAX_SAVED_STATES:
                    raise TooLargeError(f"a content stream of the PDF saves more than {MAX_SAVED_STATES:,} "
                                        "graphics states without restoring them", source=self.source)
            elif depth:
                depth -= 1
        self.depth = depth


def _check_streams(data: bytes, source: str, limits: Limits, deadline: float) -> None:
    """Refuse a file whose FlateDecode streams together decompress past ``max_pdf_stream_bytes``
    (inflating each in chunks and keeping nothing), or whose streams, inflated or not, save more
    than :data:`MAX_SAVED_STATES` graphics states without restoring them."""
    room = limits.max_pdf_stream_bytes
    view = memoryview(data)
    raw_saves = _Saves(source)
    for offset in range(0, len(data), _CHUNK):  # streams stored without compression
        raw_saves.feed(data[offset:offset + _CHUNK])
    for i, m in enumerate(_STREAM.finditer(data)):
        if not i & 63 and time.monotonic() > deadline:
            raise TooLargeError(f"reading the PDF took longer than {limits.max_seconds:g} seconds "
                                "(stopped before the first page)", source=source)
        inflater = zlib.decompressobj()
        saves = _Saves(source)
        chunk: bytes | memoryview = view[m.end():m.end() + _CHUNK]
        pos = m.end() + len(chunk)
        try:
            while chunk and not inflater.eof:
                out = inflater.decompress(chunk, _CHUNK)
                room -= len(out)
                if room < 0:
                    raise TooLargeError(f"the PDF's streams decompress to more than "
                                        f"{limits.max_pdf_stream_bytes:,} bytes (a decompression bomb?)",
                                        source=source)
                saves.feed(out)
                if inflater.unconsumed_tail:
                    chunk = inflater.unconsumed_tail
                else:
                    chunk = view[pos:pos + _CHUNK]
                    pos += len(chunk)
        except zlib.error:
            continue  # not Flate data (or damaged): PDFium decodes what it can


class _Text:
    """The PDFium calls made per text line, bound once."""

    def __init__(self, raw, textpage) -> None:
        self.raw = raw
        self.tp = textpage.raw
        self.rect = raw.FS_RECTF()
        self.l, self.b, self.r, self.t = (ctypes.c_double() for _ in range(4))
        self.name = ctypes.create_string_buffer(256)
        self.flags = ctypes.c_int()
        self.fonts: dict[int | None, tuple[float | None, dict | None]] = {}
        self.matrix = raw.FS_MATRIX()
        # The text object of a character as a bare address (one call a character, no pointer
        # object to build): the same function, declared to return ``void *``.
        function = ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value
        self.object_at = _OBJECT_AT(function or 0)  # a bound function's address is never 0
        self.tp_address = ctypes.cast(self.tp, ctypes.c_void_p)

    def rects(self, start: int, count: int) -> list[tuple[float, float, float, float]]:
        raw, tp = self.raw, self.tp
        n = raw.FPDFText_CountRects(tp, start, count)
        out = []
        refs = (ctypes.byref(self.l), ctypes.byref(self.t), ctypes.byref(self.r), ctypes.byref(self.b))
        for i in range(n):
            if raw.FPDFText_GetRect(tp, i, *refs):
                out.append((self.l.value, self.b.value, self.r.value, self.t.value))
        return out

    def loose(self, index: int) -> tuple[float, float, float, float]:
        self.raw.FPDFText_GetLooseCharBox(self.tp, index, ctypes.byref(self.rect))
        r = self.rect
        return r.left, r.bottom, r.right, r.top

    def origin(self, index: int) -> tuple[float, float] | None:
        """Where a character is drawn from: the start of its advance, on its baseline."""
        if not self.raw.FPDFText_GetCharOrigin(self.tp, index, ctypes.byref(self.l), ctypes.byref(self.b)):
            return None
        return self.l.value, self.b.value

    def baseline(self, index: int) -> float | None:
        found = self.origin(index)
        return None if found is None else found[1]

    def font(self, obj) -> tuple[float | None, dict | None]:
        """What pdfminer knows of the font of text object ``obj``, cached per font: its descent
        (negative, per unit of font size) and, for a standard font, its AFM widths (per
        character, in thousandths of the size). pdfminer takes both from its own metrics table
        for the standard fonts (looked up by base font name, whatever the PDF says: the AFM
        ``Descender``, 0 for Symbol and ZapfDingbats, which have none), and the descent of other
        fonts from the font descriptor, as PDFium does. PDFium's own descent of a standard font
        is its bounding box's bottom instead (Helvetica -224 against pdfminer's -207), and a few of
        its widths differ from the AFM ones ("k", "/"). The descent is ``None`` if PDFium has no
        font or descent."""
        font = self.raw.FPDFTextObj_GetFont(obj)
        if not font:
            return None, None
        key = ctypes.cast(font, ctypes.c_void_p).value
        if key in self.fonts:
            return self.fonts[key]
        from pdfminer.fontmetrics import FONT_METRICS

        n = self.raw.FPDFFont_GetBaseFontName(font, self.name, len(self.name))
        name = self.name.value.decode("latin-1", "replace") if n else ""
        metrics = FONT_METRICS.get(name)
        found: tuple[float | None, dict | None]
        if metrics is not None:
            found = -abs(float(metrics[0].get("Descent", 0))) / 1000, metrics[1]  # type: ignore[arg-type]
        else:
            d = ctypes.c_float()
            ok = self.raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(d))
            found = (-abs(d.value) if ok else None), None
        self.fonts[key] = found
        return found

    def vertical_extent(self, page_text: str, first: int, last: int) -> tuple[float, float] | None:
        """The bottom and top of characters ``first..last`` as pdfminer measures a line: the union
        of its characters' boxes, each from the font's descent below the character's baseline up
        by its font size (so a bullet set larger, or lower, in another font than the words after
        it widens the line as it does with pdfminer). Blanks, and characters PDFium generates,
        are left out; one text object has one font, size and baseline, so each is measured once.
        ``None`` if no character could be measured."""
        object_at, tp = self.object_at, self.tp_address
        low = high = None
        previous = None
        for i in range(first, last + 1):
            if page_text[i].isspace():
                continue
            address = object_at(tp, i)
            if not address or address == previous:
                continue
            previous = address
            unit = self.font(ctypes.cast(address, self.raw.FPDF_PAGEOBJECT))[0]
            baseline = self.baseline(i)
            if unit is None or baseline is None:
                continue
            size = self.size(i)
            bottom = baseline + unit * size
            if low is None or bottom < low:
                low = bottom
            if high is None or bottom + size > high:
                high = bottom + size
        return None if low is None or high is None else (low, high)

    def scales(self, index: int) -> tuple[float, float, bool]:
        """How much a character's matrix (text matrix, CTM, horizontal scaling; not the font
        size) stretches it across and up the page, and whether it is upright (neither rotated
        nor skewed nor mirrored)."""
        m = self.matrix
        if not self.raw.FPDFText_GetMatrix(self.tp, index, ctypes.byref(m)):
            return 1.0, 1.0, False
        upright = abs(m.b) < 1e-9 and abs(m.c) < 1e-9 and m.a > 0 and m.d > 0
        return math.hypot(m.a, m.b), math.hypot(m.c, m.d), upright

    def size(self, index: int) -> float:
        """The font size on the page, as pdfminer gives it: PDFium's font size is the one set
        with ``Tf``, before the text matrix and CTM scale it (a 1 pt font scaled to 11 pt by
        the text matrix, as many producers write, would read as 1 pt)."""
        size = float(self.raw.FPDFText_GetFontSize(self.tp, index))
        return size * self.scales(index)[1]

    def advance_end(self, page_text: str, index: int) -> float | None:
        """Where pdfminer puts the right edge of character ``index``: its origin plus its width,
        which for a standard font pdfminer takes from the AFM metrics (``None``, so that
        PDFium's is kept, for other fonts, characters the metrics lack and text that is not
        upright)."""
        address = self.object_at(self.tp_address, index)
        if not address:
            return None
        widths = self.font(ctypes.cast(address, self.raw.FPDF_PAGEOBJECT))[1]
        width = widths.get(page_text[index]) if widths is not None else None
        at = self.origin(index)
        if width is None or at is None:
            return None
        across, _, upright = self.scales(index)
        if not upright:
            return None
        return at[0] + width / 1000 * float(self.raw.FPDFText_GetFontSize(self.tp, index)) * across

    def bold(self, index: int) -> bool:
        n = self.raw.FPDFText_GetFontInfo(self.tp, index, self.name, len(self.name), ctypes.byref(self.flags))
        name = self.name.value.decode("latin-1", "replace") if n else ""
        return _is_bold(name) or self.raw.FPDFText_GetFontWeight(self.tp, index) >= 600


def _line(text: _Text, page_text: str, start: int, end: int, page: int) -> _Line | None:
    """The record of characters ``start:end`` of the page as one line (``None`` if blank),
    measured as pdfminer measures a line: from the origin of its first character to the end of
    the advance of its last, and from the lowest of its characters' boxes to the highest (see
    :meth:`_Text.vertical_extent`)."""
    piece = page_text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    first = start + (len(piece) - len(piece.lstrip()))
    last = start + len(piece.rstrip()) - 1
    size = text.size(first)
    x0, bottom, _, _ = text.loose(first)
    _, _, x1, _ = text.loose(last)
    end_at = text.advance_end(page_text, last)
    if end_at is not None:
        x1 = end_at
    start_at = text.origin(first)
    if start_at is not None:  # PDFium's box starts left of it for a glyph such as "j"
        x0 = start_at[0]
    extent = text.vertical_extent(page_text, first, last)
    y0, y1 = extent if extent is not None else (bottom, bottom + size)
    return _Line(" ".join(stripped.replace(_JOINED_HYPHEN, "-").split()), x0, y0, x1, y1, size,
                 text.bold(first) and text.bold(last), page)


def _split_points(text: _Text, page_text: str, start: int, end: int) -> list[int]:
    """Where a PDFium line holds runs too far apart for pdfminer to join (its ``char_margin``):
    the indices of the first characters after such gaps."""
    rects = text.rects(start, end - start)
    if len(rects) < 2:
        return []
    points = []
    for i in range(start + 1, end):
        if page_text[i - 1] != " " or page_text[i] == " ":
            continue
        prev = text.loose(i - 2) if i >= start + 2 else None
        here = text.loose(i)
        if prev is None:
            continue
        width = max((prev[2] - prev[0]), (here[2] - here[0]), 1e-3)
        gap = here[0] - prev[2]
        if gap > CHAR_MARGIN * width or here[0] < prev[0] - width:
            points.append(i)
    return points


def _reading_order(lines: list[_Line], bbox: tuple[float, float, float, float], budget) -> list[_Line]:
    """The lines in pdfminer's reading order: pdfminer's own grouping of lines into boxes and of
    boxes into a reading order (``LAParams`` defaults) run on the lines' boxes, so that columns,
    tables and side-by-side blocks are read in the order the pdfminer reader reads them. This is
    cheap next to pdfminer's work on characters; the budget checks the deadline and the line
    count as it runs, as it does for the pdfminer reader."""
    if len(lines) < 2:
        return lines
    from pdfminer.layout import LTLayoutContainer, LTTextBoxVertical, LTTextLineHorizontal

    from ._pdfguard import FLOW_MAX_LINES, GuardedLAParams

    params = GuardedLAParams(budget)
    records: dict[int, _Line] = {}
    objs = []
    for ln in lines:
        obj = LTTextLineHorizontal(params.word_margin)
        obj.set_bbox((ln.x0, ln.y0, max(ln.x1, ln.x0 + 1e-3), max(ln.y1, ln.y0 + 1e-3)))
        records[id(obj)] = ln
        objs.append(obj)
    container = LTLayoutContainer(bbox)
    boxes = list(container.group_textlines(params, objs))
    if len(objs) > FLOW_MAX_LINES:
        boxes.sort(key=lambda box: (-box.y0, box.x0))
    else:
        from pdfminer.layout import IndexAssigner

        assigner = IndexAssigner()
        for group in container.group_textboxes(params, boxes):
            group.analyze(params)  # sorts each group's members (and each box's lines)
            assigner.run(group)
        boxes.sort(key=lambda box: box.index)
    ordered: list[_Line] = []
    for box in boxes:
        members = sorted(box._objs, key=lambda obj: -obj.y1)
        if isinstance(box, LTTextBoxVertical):
            members = sorted(box._objs, key=lambda obj: -obj.x1)
        ordered.extend(records[id(obj)] for obj in members)
    return ordered


def _page_lines(raw, page, number: int, source: str, limits: Limits, budget) -> list[_Line]:
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n > limits.max_page_chars:
            raise TooLargeError(f"page {number} of the PDF draws more than {limits.max_page_chars:,} characters",
                                source=source)
        page_text = textpage.get_text_range(0, n) if n > 0 else ""
        if len(page_text) != n:  # characters outside the basic plane: map indices one by one
            page_text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(n))
        text = _Text(raw, textpage)
        lines: list[_Line] = []
        for m in _LINE.finditer(page_text):
            start, pos = m.span()
            bounds = [start, *_split_points(text, page_text, start, pos), pos]
            for a, b in zip(bounds, bounds[1:]):
                rec = _line(text, page_text, a, b, number)
                if rec is not None:
                    lines.append(rec)
                    if len(lines) > limits.max_page_lines:
                        raise TooLargeError(f"page {number} of the PDF has more than {limits.max_page_lines:,} "
                                            "text lines", source=source)
    finally:
        textpage.close()
    left, bottom, right, top = page.get_bbox()
    lines = _reading_order(lines, (left, bottom, right, top), budget)
    band = (top - bottom) * MARGIN_BAND
    for ln in lines:
        mid = (ln.y0 + ln.y1) / 2
        ln.band = mid > top - band or mid < bottom + band
    return lines


def _info(pdf) -> dict[str, str]:
    try:
        meta = pdf.get_metadata_dict(skip_empty=True)
    except Exception:
        return {}
    return {k: meta[k] for k in ("Title", "CreationDate", "ModDate", "Producer", "Creator") if meta.get(k)}


def _open(pdfium, data: bytes, source: str):
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium.raw.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise EncryptedDocumentError("the PDF is encrypted and needs a password", source=source,
                                         hint="save an unprotected copy and audit that") from exc
        if code == pdfium.raw.FPDF_ERR_SECURITY:
            raise EncryptedDocumentError("the PDF uses an unsupported security handler", source=source) from exc
        raise UnreadableFileError(f"not a readable PDF ({exc})", source=source) from exc


def read_pdf_pdfium(fp: BinaryIO, source: str, limits: Limits | None = None) -> Document:
    """Read a PDF with PDFium. Same arguments, result and errors as
    :func:`guidance_audit.readers.pdf.read_pdf`.

    Raises:
        UnreadableFileError: corrupt or truncated, or ``pypdfium2`` is not installed.
        EncryptedDocumentError: the PDF needs a password.
        NoTextError: pages but no text (a scan).
        TooLargeError: beyond a limit.
    """
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError as exc:
        raise _missing() from exc
    limits = limits or DEFAULT_LIMITS
    started = time.monotonic()
    deadline = started + limits.max_seconds
    data = fp.read()
    _check_streams(data, source, limits, deadline)
    pages: list[_Page] = []
    budget = Budget(limits, source, started)
    with _LOCK:
        pdf = _open(pdfium, data, source)
        try:
            declared = len(pdf)
            if declared > limits.max_pages:
                raise TooLargeError(f"the PDF has {declared:,} pages (limit {limits.max_pages:,})", source=source)
            info = _info(pdf)
            for index in range(declared):
                number = index + 1
                if time.monotonic() > deadline:
                    where = f"stopped after page {number - 1}" if pages else "stopped before the first page"
                    raise TooLargeError(f"reading the PDF took longer than {limits.max_seconds:g} seconds ({where})",
                                        source=source)
                try:
                    page = pdf[index]
                except pdfium.PdfiumError as exc:
                    if not pages:
                        raise UnreadableFileError(f"the PDF is corrupt or truncated ({exc})", source=source) from exc
                    info["Damaged"] = f"stopped at page {number}: {type(exc).__name__}"
                    break
                budget.start_page(number)
                try:
                    pages.append(_Page(number, _page_lines(raw, page, number, source, limits, budget)))
                finally:
                    page.close()
            if time.monotonic() > deadline:
                raise TooLargeError(f"reading the PDF took longer than {limits.max_seconds:g} seconds "
                                    f"(stopped after page {len(pages)})", source=source)
        except AuditError:
            raise
        except MemoryError as exc:
            raise TooLargeError("the PDF needs more memory than is available", source=source) from exc
        finally:
            pdf.close()
    if not pages:
        raise UnreadableFileError("the PDF has no readable pages (truncated or corrupt?)", source=source)
    return _document(pages, info, source, limits)

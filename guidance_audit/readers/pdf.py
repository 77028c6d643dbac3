"""PDF reader, built on pdfminer.six.

Pages are laid out one at a time with pdfminer's page aggregator and default ``LAParams`` (the
same work ``pdfminer.high_level.extract_text`` does); of each page only a list of text lines
with their boxes, font size and boldness is kept, so memory stays small on long documents.
``limits.max_pages`` is checked between pages; ``limits.max_seconds``, ``max_page_chars`` and
``max_pdf_stream_bytes`` are checked inside pdfminer's work on a page too (see ``_pdfguard``).

Once all pages are read:

1. Running headers and footers are dropped: lines in the top or bottom 12% of a page whose text,
   with digits replaced by ``#``, recurs on at least half the pages (documents of 3+ pages), and
   bare page numbers ("7", "Page 3 of 12", "- 4 -") in those bands on any page.
2. On a page set in two columns (most lines wholly left or wholly right of the middle, with
   lines of prose width on both sides), the left column's lines are read before the right
   column's between any full-width lines, whatever order the layout engine gave them.
   The body font size is the size most text is set in, and the typical line pitch (baseline to
   baseline, relative to font size) is the smallest pitch that is common in the document; so
   text with a blank line between wrapped lines has a pitch of about two lines, and only gaps
   clearly larger than the pitch separate paragraphs.
3. Tables: in each column of a page, a run of visual rows (lines at one height) whose lines start
   at the left edges of two or more columns and each end before the next column starts, with at
   least two rows of several cells, is a table (a hanging paragraph number in its own gutter is
   not). Its rows end where the space before the next line is wider than the pitch inside cells
   (cell padding); each cell's lines become one ``table_cell`` block with ``(table, row,
   column)``, row by row, where the table was read, so row and column headers reach its cells.
4. Consecutive lines are joined into one block unless: the gap is larger than the pitch allows,
   the next line is above the previous one (new column) or on another page (a paragraph may
   continue across a page break when the page ends mid-sentence and the next page starts in
   lower case), the font size or boldness changes, the next line starts with a bullet or a
   paragraph number (or an enumerator such as "(a)" after a line ending a clause), it is
   indented past the previous lines, or the first word of the next line would
   have fitted on the previous line (so that line ended its paragraph).
5. Blocks set larger than the body text, or short bold blocks without a final full stop, are
   headings; their levels come from their font size (and depth of their number).

Words hyphenated at line ends are repaired and ligatures expanded. Dates and the title come from
the document information dictionary; a date phrase in the text is preferred for ``published``.
"""
from __future__ import annotations

import datetime as _dt
import logging
import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import BinaryIO, Iterator

from ..dates import find_publication_date
from ..errors import (AuditError, EncryptedDocumentError, NoTextError, TooLargeError,
                      UnreadableFileError)
from ..limits import DEFAULT_LIMITS, Limits
from ..models import BlockKind, Document, Metadata
from ._build import HeadingTracker, TextBuilder, clean_text, join_lines, number_depth, split_marker

# pdfminer logs a warning for every damaged object it works around. Without a handler of its own,
# Python prints those on standard error when the application has not configured logging; this
# keeps a corpus run to one line per unreadable file. Handlers the application sets still get them.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

__all__ = ["read_pdf", "parse_pdf_date"]

MARGIN_BAND = 0.12
RUNNING_MIN_PAGES = 3
RUNNING_SHARE = 0.5
HEADING_SIZE_RATIO = 1.15
SIZE_CHANGE_RATIO = 1.1
MAX_BOLD_HEADING_CHARS = 200
SCANNED_HINT = "the PDF seems to be scanned images; run OCR first"

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]$"
    r"|^[ivxlc]{1,6}$",
    re.I,
)
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = tuple(".!?:;")
_CLAUSE_END = tuple(".!?:;,")
#: A line ending in a word that takes a number ("known as HC", "under paragraph"): a number
#: opening the next line finishes the reference; it is no paragraph number.
_TAKES_A_NUMBER = re.compile(r"(?<![.!?:;])\s(?:HC|Cm|Cmnd|paragraphs?|paras?|sections?|rules?|articles?|"
                             r"chapters?|parts?|schedules?|regulations?|pages?|annex|no\.?)$", re.I)
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")


@dataclass(slots=True)
class _Line:
    """One text line of a page: its text, box, font size, boldness and page."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    page: int
    band: bool = False
    #: ``(table, row, column)`` when the line is in a cell of a table found on the page
    cell: tuple[int, int, int] | None = None


@dataclass(slots=True)
class _Page:
    number: int
    lines: list[_Line] = field(default_factory=list)


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(b in name for b in _BOLD_NAMES) or name.endswith((",b", "-b"))


def _line_record(line, page: int, text: str) -> _Line | None:
    """Make a :class:`_Line` from a pdfminer text line (its first and last characters give the
    font size and boldness)."""
    from pdfminer.layout import LTChar

    objs = line._objs
    first = last = None
    for o in objs:
        if isinstance(o, LTChar):
            first = o
            break
    if first is None:
        return None
    for o in reversed(objs):
        if isinstance(o, LTChar):
            last = o
            break
    assert last is not None  # there is at least one character: ``first``
    bold = _is_bold(first.fontname) and _is_bold(last.fontname)
    return _Line(text, line.x0, line.y0, line.x1, line.y1, first.size, bold, page)


def _figure_lines(figure, page: int) -> list[_Line]:
    """Group the characters of a figure (text drawn inside a form XObject) into lines."""
    from pdfminer.layout import LTChar, LTContainer

    chars = []
    stack = [figure]
    while stack:
        obj = stack.pop()
        for child in obj:
            if isinstance(child, LTChar):
                chars.append(child)
            elif isinstance(child, LTContainer):
                stack.append(child)
    out: list[_Line] = []
    current: list = []

    def close() -> None:
        if not current:
            return
        parts = [current[0].get_text()]
        for prev, ch in zip(current, current[1:]):
            if ch.x0 - prev.x1 > 0.2 * ch.size:
                parts.append(" ")
            parts.append(ch.get_text())
        text = "".join(parts).strip()
        if text:
            f, l = current[0], current[-1]
            out.append(_Line(text, f.x0, min(c.y0 for c in current), l.x1, max(c.y1 for c in current),
                             f.size, _is_bold(f.fontname) and _is_bold(l.fontname), page))
        current.clear()

    for ch in chars:
        if current:
            prev = current[-1]
            if abs(ch.y0 - prev.y0) > 0.5 * max(ch.size, 1.0) or ch.x0 < prev.x0 - ch.size:
                close()
        current.append(ch)
    close()
    return out


def _page_lines(layout, page: int) -> list[_Line]:
    """Collect the text lines of one laid-out page, in pdfminer's reading order."""
    from pdfminer.layout import LTFigure, LTTextBox, LTTextLine

    lines: list[_Line] = []
    for obj in layout:
        if isinstance(obj, LTTextBox):
            for line in obj:
                if isinstance(line, LTTextLine):
                    text = line.get_text().strip()
                    if text:
                        rec = _line_record(line, page, text)
                        if rec is not None:
                            lines.append(rec)
        elif isinstance(obj, LTTextLine):
            text = obj.get_text().strip()
            if text:
                rec = _line_record(obj, page, text)
                if rec is not None:
                    lines.append(rec)
        elif isinstance(obj, LTFigure):
            lines.extend(_figure_lines(obj, page))
    y0, y1 = layout.y0, layout.y1
    band = (y1 - y0) * MARGIN_BAND
    for ln in lines:
        mid = (ln.y0 + ln.y1) / 2
        ln.band = mid > y1 - band or mid < y0 + band
    return lines


# -- document information ----------------------------------------------------------------------
_PDF_DATE = re.compile(r"^(?:D:)?\s*(\d{4})(\d{2})?(\d{2})?")


def parse_pdf_date(value: str | bytes | None) -> _dt.date | None:
    """Parse a PDF date string such as ``D:20200423120000+01'00'``.

    Args:
        value: the raw value from the information dictionary.

    Returns:
        The date, or ``None`` if it is missing or malformed.
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    m = _PDF_DATE.match(value.strip())
    if not m:
        return None
    try:
        d = _dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return d if d.year >= 1980 else None


def _info_value(info: dict, key: str) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    try:
        value = resolve1(info.get(key))
    except Exception:
        return None
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, str):
        return value
    if isinstance(value, PSLiteral):
        return str(value.name)
    return None


_TITLE_JUNK = re.compile(r"^(?:microsoft\s+(?:word|powerpoint)\s*-\s*)", re.I)
_TITLE_EXT = re.compile(r"\.(?:docx?|rtf|odt|pdf|pptx?)$", re.I)


def _clean_title(raw: str | None) -> str | None:
    if not raw:
        return None
    title = clean_text(_TITLE_EXT.sub("", _TITLE_JUNK.sub("", raw)))
    if not title or title.lower() in {"untitled", "unknown", "title", "document"}:
        return None
    return title


def _document_info(doc) -> dict[str, str]:
    """Merge the information dictionaries, newest first (pdfminer lists the newest first)."""
    merged: dict[str, str] = {}
    for info in getattr(doc, "info", []) or []:
        if not isinstance(info, dict):
            continue
        for key in ("Title", "CreationDate", "ModDate", "Producer", "Creator"):
            if key not in merged:
                value = _info_value(info, key)
                if value:
                    merged[key] = value
    return merged


def _page_count(doc) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
        return int(count) if isinstance(count, (int, float)) else None
    except Exception:
        return None


# -- reading -----------------------------------------------------------------------------------
def _stream_pages(fp: BinaryIO, source: str, limits: Limits) -> tuple[list[_Page], dict[str, str]]:
    """Lay out every page and keep its lines; return the pages and the information dictionary."""
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.pdfinterp import PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    from ._pdfguard import Budget, GuardedAggregator, GuardedDocument, GuardedInterpreter, GuardedLAParams

    started = time.monotonic()
    budget = Budget(limits, source, started)
    try:
        parser = PDFParser(fp)
        doc = GuardedDocument(parser, "", budget)
    except AuditError:
        raise
    except PDFEncryptionError as exc:
        raise EncryptedDocumentError(
            "the PDF is encrypted and needs a password", source=source,
            hint="save an unprotected copy and audit that",
        ) from exc
    except MemoryError as exc:
        raise TooLargeError("the PDF needs more memory than is available", source=source) from exc
    except Exception as exc:
        raise UnreadableFileError(f"not a readable PDF ({type(exc).__name__}: {exc})", source=source) from exc

    declared = _page_count(doc)
    if declared is not None and declared > limits.max_pages:
        raise TooLargeError(f"the PDF has {declared:,} pages (limit {limits.max_pages:,})", source=source)
    info = _document_info(doc)

    resources = PDFResourceManager(caching=True)
    device = GuardedAggregator(resources, GuardedLAParams(budget), budget)
    interpreter = GuardedInterpreter(resources, device)
    pages: list[_Page] = []
    try:
        for number, page in enumerate(PDFPage.create_pages(doc), start=1):
            if number > limits.max_pages:
                raise TooLargeError(f"the PDF has more than {limits.max_pages:,} pages", source=source)
            budget.start_page(number)
            interpreter.process_page(page)
            pages.append(_Page(number, _page_lines(device.get_result(), number)))
            if time.monotonic() - started > limits.max_seconds:
                raise TooLargeError(
                    f"reading the PDF took longer than {limits.max_seconds:g} seconds "
                    f"(stopped after page {number})",
                    source=source,
                )
    except AuditError:
        raise
    except PDFEncryptionError as exc:
        raise EncryptedDocumentError("the PDF is encrypted", source=source) from exc
    except MemoryError as exc:
        raise TooLargeError(f"page {len(pages) + 1} of the PDF needs more memory than is available",
                            source=source) from exc
    except Exception as exc:
        if not pages:
            raise UnreadableFileError(
                f"the PDF is corrupt or truncated ({type(exc).__name__}: {exc})", source=source
            ) from exc
        # A damaged page late in the file: keep what was read.
        info["Damaged"] = f"stopped at page {len(pages) + 1}: {type(exc).__name__}"
    if not pages:
        raise UnreadableFileError("the PDF has no readable pages (truncated or corrupt?)", source=source)
    return pages, info


# -- layout analysis ---------------------------------------------------------------------------
def _norm_furniture(text: str) -> str:
    return " ".join(_DIGITS.sub("#", text.lower()).split())


def _drop_furniture(pages: list[_Page], body: float) -> None:
    """Remove running headers/footers and page numbers from the margin bands, in place.

    A band line is furniture when it is a bare page number, when its exact text recurs on at
    least half the pages, or when its text with digits masked recurs so and it is not set
    larger than body text (so numbered headings that open every page, "Section 3", survive).
    """
    n = len(pages)
    exact: Counter[str] = Counter()
    masked: Counter[str] = Counter()
    if n >= RUNNING_MIN_PAGES:
        for page in pages:
            band = [ln for ln in page.lines if ln.band]
            exact.update({" ".join(ln.text.lower().split()) for ln in band})
            masked.update({_norm_furniture(ln.text) for ln in band})
    threshold = max(2, math.ceil(n * RUNNING_SHARE))

    def furniture(ln: _Line) -> bool:
        if _PAGE_NUMBER.match(ln.text):
            return True
        if n < RUNNING_MIN_PAGES:
            return False
        if exact[" ".join(ln.text.lower().split())] >= threshold:
            return True
        return masked[_norm_furniture(ln.text)] >= threshold and ln.size <= body * 1.05 and not ln.bold

    for page in pages:
        page.lines = [ln for ln in page.lines if not (ln.band and furniture(ln))]


def _body_size(lines: list[_Line]) -> float:
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[round(ln.size * 2) / 2] += len(ln.text)
    return max(weights.most_common(1)[0][0], 1.0) if weights else 10.0


def _typical_pitch(pages: list[_Page], body: float) -> float:
    """The usual baseline-to-baseline distance between lines of body text, in font sizes.

    The smallest pitch that is common (at least a quarter as frequent as the most common one)
    is taken, so that paragraph gaps are not mistaken for line pitch when paragraphs are short.
    """
    ratios: list[float] = []
    for page in pages:
        lines = page.lines
        for a, b in zip(lines, lines[1:]):
            if abs(a.size - body) > 0.1 * body or abs(b.size - body) > 0.1 * body:
                continue
            delta = a.y0 - b.y0
            if delta > 0:
                ratios.append(delta / body)
    if not ratios:
        return 1.2
    bins = Counter(round(r, 1) for r in ratios)
    smoothed = {b: bins.get(round(b - 0.1, 1), 0) + c + bins.get(round(b + 0.1, 1), 0) for b, c in bins.items()}
    top = max(smoothed.values())
    chosen = min(b for b, s in smoothed.items() if s >= 0.25 * top and bins[b] >= 0.1 * top)
    near = [r for r in ratios if abs(r - chosen) <= 0.15]
    return sum(near) / len(near) if near else chosen


class _Grouper:
    """Decides where blocks break between consecutive lines."""

    def __init__(self, pages: list[_Page], body: float, pitch: float) -> None:
        self.body = body
        self.max_gap = pitch + max(0.3, 0.25 * pitch)
        self.right: dict[tuple[int, int], float] = {}
        self.bucket = max(body * 2, 1.0)
        for page in pages:
            for ln in page.lines:
                key = (ln.page, int(ln.x0 // self.bucket))
                if ln.x1 > self.right.get(key, 0.0):
                    self.right[key] = ln.x1

    def _right_edge(self, ln: _Line) -> float:
        b = int(ln.x0 // self.bucket)
        return max(self.right.get((ln.page, k), 0.0) for k in (b - 1, b, b + 1))

    def _is_heading_line(self, ln: _Line) -> bool:
        return ln.size >= self.body * HEADING_SIZE_RATIO

    def breaks(self, block: list[_Line], b: _Line) -> bool:
        """Whether line ``b`` starts a new block after the lines of ``block``."""
        a = block[-1]
        if a.cell != b.cell:
            return True
        if b.cell is not None:
            return False  # the lines of one table cell are one block
        if b.page != a.page:
            return not self._continues_on_next_page(block, b)
        size = max(a.size, b.size)
        if abs(a.size - b.size) > (SIZE_CHANGE_RATIO - 1) * size or a.bold != b.bold:
            return True
        delta = a.y0 - b.y0
        if delta <= 0.3 * size or delta > self.max_gap * size:
            return True
        marker = split_marker(b.text)
        # ("... known as HC" / "556. It applies ...": a number after a word that takes one
        # finishes the reference)
        finishes_reference = marker.number is not None and _TAKES_A_NUMBER.search(a.text) is not None
        if marker.marker and not finishes_reference and (
                not marker.list_item or marker.number is None or self._ends_clause(a.text)):
            # Bullets and paragraph numbers always start a block; an enumerator such as "(a)"
            # only after a line that ends a clause (it may be a cross-reference otherwise).
            return True
        if len(block) >= 2 and b.x0 > a.x0 + size and not split_marker(block[0].text).marker:
            return True
        if split_marker(block[0].text).marker and len(block) >= 2 and b.x0 < block[1].x0 - size:
            return True
        return self._next_word_fitted(a, b)

    @staticmethod
    def _ends_clause(text: str) -> bool:
        return text.endswith(_CLAUSE_END) or text.rsplit(None, 1)[-1].lower() in ("and", "or")

    def _next_word_fitted(self, a: _Line, b: _Line) -> bool:
        if a.text.endswith(("-", "\u00ad", "\u2010")) or self._is_heading_line(a):
            return False
        word = b.text.split(None, 1)[0]
        char_w = (b.x1 - b.x0) / max(len(b.text), 1)
        needed = (len(word) + 1) * char_w * 1.3 + char_w
        return a.x1 + needed < self._right_edge(a)

    def _continues_on_next_page(self, block: list[_Line], b: _Line) -> bool:
        a = block[-1]
        return (
            not self._is_heading_line(a)
            and not a.bold
            and abs(a.size - b.size) <= 0.1 * a.size
            and not a.text.endswith(_SENTENCE_END)
            and b.text[:1].islower()
            and not split_marker(b.text).marker
        )


def _group(pages: list[_Page], grouper: _Grouper) -> Iterator[list[_Line]]:
    block: list[_Line] = []
    for page in pages:
        for ln in page.lines:
            if block and grouper.breaks(block, ln):
                yield block
                block = []
            block.append(ln)
    if block:
        yield block


_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,4}\.?\s+[A-Z][^.!?;:,]{0,78}$")


def _classify(block: list[_Line], text: str, body: float) -> bool:
    """Whether a block of lines is a heading: set larger than body text (and not a lead
    paragraph); or short, bold and without final punctuation; or a single short numbered line
    ("3. Information sharing")."""
    if all(ln.size >= body * HEADING_SIZE_RATIO for ln in block):
        # Large type: a heading, unless it reads like a lead paragraph (several full lines
        # ending with a full stop).
        return len(text) <= MAX_BOLD_HEADING_CHARS and (len(block) == 1 or not text.endswith("."))
    if len(block) == 1 and _NUMBERED_HEADING.match(text):
        return True
    return (
        all(ln.bold for ln in block)
        and len(text) <= MAX_BOLD_HEADING_CHARS
        and not text.endswith((".", ",", ";", ":"))
        and not split_marker(text).list_item
    )


def _size_key(block: list[_Line]) -> float:
    """A block's type size, to the half point: the key heading levels are ranked by."""
    return round(block[0].size * 2) / 2


def _shallowest_numbers(groups: list[tuple[list[_Line], str, bool]]) -> dict[float, int]:
    """For each heading size, the depth of its shallowest numbered heading: an unnumbered
    heading in the same type ("Version history" before "1. Purpose", "Annex" after "9. Contacts")
    is their sibling, not their parent."""
    found: dict[float, int] = {}
    for block, text, heading in groups:
        number = split_marker(text).number if heading else None
        if number:
            size = _size_key(block)
            found[size] = min(found.get(size, 99), number_depth(number))
    return found


def _layout(pages: list[_Page], builder: TextBuilder) -> None:
    all_lines = [ln for page in pages for ln in page.lines]
    if not all_lines:
        return
    body = _body_size(all_lines)
    grouper = _Grouper(pages, body, _typical_pitch(pages, body))
    groups: list[tuple[list[_Line], str, bool]] = []
    heading_sizes: set[float] = set()
    for block in _group(pages, grouper):
        text = clean_text(join_lines(ln.text for ln in block))
        if not text:
            continue
        heading = block[0].cell is None and _classify(block, text, body)
        if heading:
            heading_sizes.add(_size_key(block))
        groups.append((block, text, heading))
    rank = {size: i for i, size in enumerate(sorted(heading_sizes, reverse=True), start=1)}
    shallowest = _shallowest_numbers(groups)
    headings = HeadingTracker()
    for block, text, heading in groups:
        page = block[0].page
        if block[0].cell is not None:
            builder.add(text, "table_cell", page=page, heading_path=headings.path, cell=block[0].cell,
                        clean=False)
            continue
        m = split_marker(text)
        if heading:
            heading_text = m.rest if m.number else text
            size = _size_key(block)
            level = rank[size] * 10 + (number_depth(m.number) if m.number else shallowest.get(size, 0))
            enclosing = headings.enter(level, heading_text)
            builder.add(heading_text, "heading", page=page, heading_path=enclosing, number=m.number, clean=False)
        else:
            kind: BlockKind = "list_item" if m.list_item else "paragraph"
            builder.add(m.rest, kind, page=page, heading_path=headings.path, number=m.number,
                        marker=m.marker, clean=False)


def read_pdf(fp: BinaryIO, source: str, limits: Limits | None = None) -> Document:
    """Read a PDF.

    Args:
        fp: the file, opened in binary mode and seekable.
        source: its name.
        limits: resource limits (``max_pages``, ``max_seconds``, ``max_chars``).

    Returns:
        The document, with 1-based ``page`` on every block.

    Raises:
        EncryptedDocumentError: the PDF needs a password.
        UnreadableFileError: corrupt or truncated.
        NoTextError: pages but no text (a scan).
        TooLargeError: beyond ``max_pages``, ``max_seconds`` or ``max_chars``.
    """
    limits = limits or DEFAULT_LIMITS
    pages, info = _stream_pages(fp, source, limits)
    return _document(pages, info, source, limits)


def _sides(lines: list[_Line]) -> list[str] | None:
    """For a page set in two columns, each line's side: ``L`` (wholly left of the middle), ``R``
    (wholly right) or ``S`` (spanning the middle: a title, a full-width table); ``None`` for a
    page in one column."""
    if len(lines) < 10:
        return None
    left_edge = min(ln.x0 for ln in lines)
    right_edge = max(ln.x1 for ln in lines)
    mid = (left_edge + right_edge) / 2
    slack = 0.02 * (right_edge - left_edge)
    side = ["L" if ln.x1 <= mid + slack else "R" if ln.x0 >= mid - slack else "S" for ln in lines]
    n_left, n_right, n_span = side.count("L"), side.count("R"), side.count("S")
    if n_left < 5 or n_right < 5 or n_span > 0.2 * len(lines):
        return None
    # columns of prose have lines of their own width; a table's cells (short, at several
    # positions across a page of one column) do not make a page of two columns
    wide = 0.35 * (right_edge - left_edge)
    long_left = sum(1 for ln, s in zip(lines, side) if s == "L" and ln.x1 - ln.x0 >= wide)
    long_right = sum(1 for ln, s in zip(lines, side) if s == "R" and ln.x1 - ln.x0 >= wide)
    if long_left < 5 or long_right < 3:
        return None
    return side


def _in_column_order(lines: list[_Line]) -> list[_Line]:
    """The lines of a page set in two columns, the left column before the right one.

    The layout engine's reading order can take a column's boxes out of turn (a table or a list
    in the right column read before the left column's text). On a page where most lines sit
    wholly left or wholly right of the middle, the page is cut at each line that crosses the
    middle (a title, a full-width table), and between the cuts the left column's lines come
    first, each column keeping the order the lines were read in. Pages in one column are left
    as they are."""
    side = _sides(lines)
    if side is None:
        return lines
    # The k-th full-width line from the top opens band k + 1; a column line is in the band of
    # the full-width lines above it, the left column before the right, each in the order read.
    spans = sorted((i for i, s in enumerate(side) if s == "S"), key=lambda i: -lines[i].y0)
    span_rank = {i: k for k, i in enumerate(spans)}
    cuts = [lines[i].y0 for i in spans]

    def place(i: int) -> tuple[int, int, int]:
        if side[i] == "S":
            return span_rank[i] + 1, -1, i
        return sum(1 for y in cuts if lines[i].y0 < y), 0 if side[i] == "L" else 1, i

    return [lines[i] for i in sorted(range(len(lines)), key=place)]


# -- tables ------------------------------------------------------------------------------------
#: a line that is only a paragraph number or a bullet ("3.1", "(a)", "•"): a hanging number in its
#: own gutter makes two columns of text that are not a table
_GUTTER_MARK = re.compile(r"^\W{0,2}\(?(?:\d{1,3}(?:\.\d{1,3}){0,3}|[a-z]{1,2}|[ivx]{1,5}|[A-Z])?[.)]?\W{0,2}$")


def _visual_rows(lines: list[_Line]) -> list[list[_Line]]:
    """The lines grouped by the height they sit at, top of the page first, each left to right."""
    rows: list[list[_Line]] = []
    for ln in sorted(lines, key=lambda ln: (-ln.y1, ln.x0)):
        if rows and abs(rows[-1][0].y1 - ln.y1) <= 0.4 * max(ln.size, rows[-1][0].size):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
    return rows


def _side_by_side(row: list[_Line]) -> bool:
    """Whether a visual row holds two or more lines with clear space between them."""
    return len(row) >= 2 and all(b.x0 > a.x1 + 0.5 * a.size for a, b in zip(row, row[1:]))


def _column_of(ln: _Line, lefts: list[float]) -> int | None:
    """The column a line starts in and fits inside (it must end before the next column starts)."""
    tol = 0.6 * ln.size
    for k, left in enumerate(lefts):
        if abs(ln.x0 - left) <= tol:
            if k + 1 < len(lefts) and ln.x1 > lefts[k + 1] - 0.3 * ln.size:
                return None
            return k
    return None


def _table_rows(vrows: list[list[_Line]], lefts: list[float]) -> list[dict[int, list[_Line]]] | None:
    """The rows of a table (column -> lines) from its visual rows, or ``None`` when the region
    does not read as a table. A row ends where the space before the next line is wider than the
    line pitch inside cells (cell padding), or, when every gap is the same, at each visual row
    with a line in the first column."""
    deltas = [a[0].y1 - b[0].y1 for a, b in zip(vrows, vrows[1:])]
    pitch = min(deltas)
    padded = any(d > 1.3 * pitch for d in deltas)
    rows: list[dict[int, list[_Line]]] = []
    for k, vrow in enumerate(vrows):
        cols = [_column_of(ln, lefts) for ln in vrow]
        starts = k == 0 or (deltas[k - 1] > 1.3 * pitch if padded else 0 in cols)
        if starts:
            rows.append({})
        for ln, col in zip(vrow, cols):
            assert col is not None  # the region holds only lines that sit in a column
            rows[-1].setdefault(col, []).append(ln)
    if len(rows) < 2 or sum(1 for row in rows if len(row) >= 2) < 2:
        return None
    return rows


def _tables_in(lines: list[_Line]) -> list[list[dict[int, list[_Line]]]]:
    """The tables among lines of one column of a page: runs of visual rows whose lines start at
    the left edges of two or more columns and each fit inside their column, with at least two
    rows of several cells."""
    tables: list[list[dict[int, list[_Line]]]] = []
    vrows = _visual_rows(lines)
    i = 0
    while i < len(vrows):
        row = vrows[i]
        if not _side_by_side(row) or any(_GUTTER_MARK.match(ln.text) for ln in row[:1]):
            i += 1
            continue
        lefts = [ln.x0 for ln in row]
        if any(_column_of(ln, lefts) is None for ln in row):
            i += 1
            continue
        j = i + 1
        while j < len(vrows):
            nxt, prev = vrows[j], vrows[j - 1]
            size = max(ln.size for ln in prev)
            if prev[0].y1 - nxt[0].y1 > 3.0 * size or any(_column_of(ln, lefts) is None for ln in nxt):
                break
            j += 1
        found = _table_rows(vrows[i:j], lefts) if j - i >= 2 else None
        if found is not None:
            tables.append(found)
            i = j
        else:
            i += 1
    return tables


def _with_tables(lines: list[_Line], first_table: int) -> tuple[list[_Line], int]:
    """A page's lines with each table's lines marked with their cell and put in reading order
    (row by row, left to right), where the table's first line was; and the next table number.
    On a page in two columns each column is searched on its own."""
    side = _sides(lines)
    zones = [lines] if side is None else [[ln for ln, s in zip(lines, side) if s == z] for z in "LRS"]
    tables = [table for zone in zones for table in _tables_in(zone)]
    if not tables:
        return lines, first_table
    position = {id(ln): i for i, ln in enumerate(lines)}
    number = first_table
    ordered: dict[int, list[_Line]] = {}  # id of a table's first line -> the table's lines in order
    inside: set[int] = set()
    for table in tables:
        number += 1
        cells: list[_Line] = []
        for r, row in enumerate(table):
            for c in sorted(row):
                for ln in row[c]:
                    ln.cell = (number, r, c)
                    cells.append(ln)
        first = min(position[id(ln)] for ln in cells)
        ordered[id(lines[first])] = cells
        inside.update(id(ln) for ln in cells)
    out: list[_Line] = []
    for ln in lines:
        if id(ln) in ordered:
            out.extend(ordered[id(ln)])
        elif id(ln) not in inside:
            out.append(ln)
    return out, number


def _document(pages: list[_Page], info: dict[str, str], source: str, limits: Limits) -> Document:
    """Make the document from the text lines of every page and the information dictionary: the
    layout analysis every PDF backend shares (furniture, blocks, headings, metadata)."""
    for page in pages:
        page.lines = _in_column_order(page.lines)
    _drop_furniture(pages, _body_size([ln for page in pages for ln in page.lines]))
    tables = 0
    for page in pages:
        page.lines, tables = _with_tables(page.lines, tables)
    builder = TextBuilder(max_chars=limits.max_chars, source=source)
    _layout(pages, builder)
    if not builder.blocks:
        raise NoTextError(f"none of the {len(pages)} pages has text", source=source, hint=SCANNED_HINT)
    created = parse_pdf_date(info.get("CreationDate"))
    modified = parse_pdf_date(info.get("ModDate"))
    title = _clean_title(info.get("Title")) or next(
        (b.text for b in builder.blocks[:5] if b.kind == "heading"), None
    )
    doc_text = builder.text()
    found = find_publication_date(doc_text)
    published: _dt.date | None
    published_from: str | None
    if found:
        published, published_from = found[0], "text"
    elif created or modified:
        published, published_from = created or modified, "metadata"
    else:
        published, published_from = None, None
    extra = tuple((k.lower(), v) for k, v in info.items() if k in ("Producer", "Creator", "Damaged"))
    metadata = Metadata(
        source=source,
        format="pdf",
        title=title,
        published=published,
        published_from=published_from,
        pages=len(pages),
        created=created,
        modified=modified,
        extra=extra,
    )
    return builder.build(metadata)

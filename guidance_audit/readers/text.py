"""Plain-text reader.

Decoding: a byte-order mark decides (UTF-8, UTF-16 LE/BE, UTF-32); without one, UTF-16 is
recognised by its pattern of zero bytes, then strict UTF-8 is tried, then cp1252, and cp1252
with replacement characters as the last resort, so decoding never fails. A declared encoding
is used only when it is a real text encoding (never ``unicode_escape`` or ``punycode``). Content
with more than 1% NUL characters or many control characters is refused as binary.

Layout: paragraphs are runs of non-blank lines, joined with single spaces (words hyphenated at a
line end are repaired). Within a run, a line starting with a bullet, an enumerator ("(a)",
"ii.", "1)") or a paragraph number ("3.1", "4.") starts a new block. A run of one line is a
heading when it is a markdown heading (``#``), or is at most 80 characters, has no terminal
punctuation and is UPPER CASE, Title Case, or numbered ("3. Information sharing"); a run of
two or three short UPPER CASE lines is one heading too. A line underlined with ``===`` or ``---`` is a heading too, and ``| a | b |`` lines are table cells.
"""
from __future__ import annotations

import re

from ..dates import find_publication_date
from ..errors import NoTextError, UnsupportedFormatError
from ..limits import DEFAULT_LIMITS, Limits
from ..models import BlockKind, Document, Metadata
from ._build import HeadingTracker, TextBuilder, clean_text, join_lines, number_depth, split_marker

__all__ = ["decode_bytes", "looks_binary", "read_text", "document_from_string"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SAMPLE = 8192


def _guess_utf16(sample: bytes) -> str | None:
    """Recognise BOM-less UTF-16 of mostly Latin text by where its zero bytes are."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_zeros = even.count(0) / len(even)
    odd_zeros = odd.count(0) / len(odd)
    if odd_zeros > 0.4 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.4 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of unknown encoding; never raises for bad bytes.

    Args:
        data: the raw bytes.
        declared: an encoding the content declares (an HTML ``<meta charset>``), tried after
            a byte-order mark and before the guesses.

    Returns:
        ``(text, encoding)``, the encoding being the one finally used.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    if declared and is_text_encoding(declared):
        try:
            return data.decode(declared), declared
        except (LookupError, UnicodeDecodeError):
            pass
    utf16 = _guess_utf16(data[:_SAMPLE])
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace"), "cp1252"


# Codecs that turn bytes into text but are not text encodings a document can be written in:
# escape and transfer codecs yield lone surrogates or code, never the document's own text.
_PSEUDO_ENCODINGS = frozenset({"unicode_escape", "raw_unicode_escape", "unicode_internal", "punycode", "idna",
                               "undefined", "utf_7", "mbcs", "oem", "charmap", "string_escape"})


def is_text_encoding(name: str) -> bool:
    """Whether ``name`` is a real text encoding (``utf-8``, ``windows-1252``, ``shift_jis``...),
    not an escape or transfer codec such as ``unicode_escape``, ``punycode`` or ``base64``."""
    import codecs

    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        return False
    return getattr(info, "_is_text_encoding", True) and info.name.replace("-", "_") not in _PSEUDO_ENCODINGS


_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1b")
#: Share of NUL characters above which content is binary (a stray NUL in a text file is not).
MAX_NUL_SHARE = 0.01


def looks_binary(text: str) -> bool:
    """Whether decoded content is really binary: more than 1% of its first 8192 characters are
    NUL, more than 5% are other control characters, or more than 25% are replacement characters
    (a stray NUL byte in a text file is dropped with the other control characters)."""
    sample = text[:_SAMPLE]
    if not sample:
        return False
    if sample.count("\x00") / len(sample) > MAX_NUL_SHARE:
        return True
    controls = sum(1 for c in sample if c < " " and c not in _ALLOWED_CONTROLS and c != "\x00")
    return controls / len(sample) > 0.05 or sample.count("\ufffd") / len(sample) > 0.25


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^(?:={3,}|-{3,})\s*$")
#: A line that only rules off what is above or below it ("-----", "=====", "* * *", "~~~~").
_RULE_LINE = re.compile(r"^\s*(?:[-=_*~]\s*){3,}$")
_TABLE_ROW = re.compile(r"^\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\|?[\s:|\-]+\|?\s*$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4}\.?)\s+(\S.*)$")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013]\s*\d{1,4}\s*[-\u2013]$", re.I)
_WORD = re.compile(r"[^\W\d_][\w'\u2019\-]*")
_SMALL_WORDS = frozenset(
    "a an and as at but by for from if in into nor of on or per the to under up upon via vs with".split()
)
_TERMINAL = tuple(".!?;:,")
MAX_HEADING_CHARS = 80


def _is_upper_case(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_title_case(text: str) -> bool:
    words = _WORD.findall(text)
    if not words or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words)


def heading_of_line(line: str) -> tuple[int, str | None, str] | None:
    """Decide whether a standalone line is a heading.

    Args:
        line: one stripped line that forms a paragraph on its own.

    Returns:
        ``(level, number, text)`` for a heading, else ``None``. Levels: UPPER CASE 1,
        Title Case 2, numbered 1 + depth of the number ("3." is 2, "3.1" is 3).
    """
    if not line or len(line) > MAX_HEADING_CHARS or line.endswith(_TERMINAL):
        return None
    m = _NUMBERED_HEADING.match(line)
    if m and m.group(2)[0].isupper():
        return 1 + number_depth(m.group(1)), m.group(1), m.group(2)
    if not any(c.isalpha() for c in line):
        return None
    if _is_upper_case(line):
        return 1, None, line
    if _is_title_case(line):
        return 2, None, line
    return None


class _TextLayout:
    """Turns lines of plain text into blocks on a :class:`TextBuilder`."""

    def __init__(self, builder: TextBuilder) -> None:
        self.builder = builder
        self.headings = HeadingTracker()
        # Where each source line starts: (offset in the text, line in the file, indentation).
        self.line_map: list[tuple[int, int, int]] = []
        self.lineno = 1  # the file line of the run being laid out
        self.raw: list[str] = []  # its lines as in the file
        self.cursor = 0  # the next of them to look at

    def _line_of(self, line: str) -> tuple[int, int]:
        """The file line and indentation of one (stripped) line of the current run; lines are
        asked for in order, so the search goes on from the last one found (linear in the run)."""
        for j in range(self.cursor, len(self.raw)):
            raw = self.raw[j]
            if raw.strip() == line:
                self.cursor = j + 1
                return self.lineno + j, len(raw) - len(raw.lstrip())
        return self.lineno + min(self.cursor, max(0, len(self.raw) - 1)), 0

    def _mapped(self, block, lines: list[str], first: str | None = None) -> None:
        """Record where the source lines of ``block`` start in the text (at most 200 lines of one
        block are mapped; the rest count as part of the 200th)."""
        if block is None:
            return
        offset = 0
        for k, line in enumerate(lines[:200]):
            lineno, indent = self._line_of(line.strip())
            if k == 0 and first is not None:
                indent += len(line.strip()) - len(first)
            self.line_map.append((block.start + min(offset, len(block.text)), lineno, indent))
            offset += len(clean_text(first if k == 0 and first is not None else line)) + 1

    def heading(self, level: int, text: str, number: str | None = None, line: str | None = None) -> None:
        text = clean_text(text)
        if not text:
            return
        enclosing = self.headings.enter(level, text)
        block = self.builder.add(text, "heading", heading_path=enclosing, number=number)
        if line is not None:
            self._mapped(block, [line], text)

    def item(self, lines: list[str]) -> None:
        m = split_marker(lines[0].strip())
        body = join_lines([m.rest] + lines[1:])
        kind: BlockKind = "list_item" if m.list_item else "paragraph"
        block = self.builder.add(body, kind, heading_path=self.headings.path, number=m.number, marker=m.marker)
        self._mapped(block, lines, m.rest)

    def table_row(self, line: str) -> None:
        if _TABLE_RULE.match(line):
            return
        previous = self.builder.blocks[-1] if len(self.builder) else None
        if previous is not None and previous.cell is not None and previous.kind == "table_cell":
            table, row = previous.cell[0], previous.cell[1] + 1
        else:
            self._tables = getattr(self, "_tables", 0) + 1
            table, row = self._tables, 0
        lineno, indent = self._line_of(line.strip())
        at = 0
        for col, cell in enumerate(line.strip().strip("|").split("|")):
            block = self.builder.add(cell, "table_cell", heading_path=self.headings.path, cell=(table, row, col))
            at = line.strip().find(cell, at)
            if block is not None:
                self.line_map.append((block.start, lineno, indent + max(0, at) + len(cell) - len(cell.lstrip())))
            at += len(cell)

    def run(self, lines: list[str]) -> None:
        """Emit the blocks of one run of non-blank lines."""
        rules = [k for k, line in enumerate(lines) if _RULE_LINE.match(line)]
        if rules and not (len(lines) == 2 and rules == [1]):
            self._ruled(lines, rules)
            return
        if len(lines) == 1:
            if self._single_line(lines[0].strip()):
                return
        elif self._upper_case_title(lines):
            return
        elif len(lines) == 2 and _SETEXT.match(lines[1].strip()) and not split_marker(lines[0].strip()).marker:
            self.heading(1 if lines[1].strip()[0] == "=" else 2, lines[0], line=lines[0])
            return
        current: list[str] = []
        for raw in lines:
            line = raw.strip()
            md = _MD_HEADING.match(line)
            if md or _TABLE_ROW.match(line):
                if current:
                    self.item(current)
                    current = []
                if md:
                    self.heading(len(md.group(1)), md.group(2), line=line)
                else:
                    self.table_row(line)
            elif split_marker(line).marker and current:
                self.item(current)
                current = [line]
            else:
                current.append(line)
        if current:
            self.item(current)

    def _ruled(self, lines: list[str], rules: list[int]) -> None:
        """A run divided by lines of dashes or equals signs (a forum post's header box, a
        banner "=====" / "OTHER ROUTES" / "====="): each part between rules is a run of its own
        (a one-line part is a heading only if it looks like one)."""
        start = 0
        for k in rules + [len(lines)]:
            part = lines[start:k]
            start = k + 1
            if not part:
                continue
            self.run(part)

    def _upper_case_title(self, lines: list[str]) -> bool:
        """Handle a run of two or three short UPPER CASE lines as one heading (a title set
        over several lines); return whether handled."""
        stripped = [ln.strip() for ln in lines]
        if len(stripped) > 3 or stripped[-1].endswith(_TERMINAL):
            return False
        if not all(len(ln) <= MAX_HEADING_CHARS and _is_upper_case(ln) and not split_marker(ln).marker
                   for ln in stripped):
            return False
        self.heading(1, " ".join(stripped))
        return True

    def _single_line(self, line: str) -> bool:
        """Handle a one-line run that is a heading or a page number; return whether handled."""
        md = _MD_HEADING.match(line)
        if md:
            self.heading(len(md.group(1)), md.group(2), line=line)
            return True
        if _PAGE_NUMBER.match(line):
            return True
        m = split_marker(line)
        if m.marker and m.list_item:
            return False
        found = heading_of_line(line)
        if found:
            self.heading(found[0], found[2], found[1], line=line)
            return True
        return False


def layout_text(text: str, builder: TextBuilder) -> None:
    """Split decoded text into blocks appended to ``builder``.

    Args:
        text: the whole text.
        builder: where blocks go.
    """
    _layout(text, builder)


def _layout(text: str, builder: TextBuilder) -> list[tuple[int, int, int]]:
    """Lay ``text`` out on ``builder``; return where each source line starts in the text."""
    layout = _TextLayout(builder)
    run: list[str] = []
    start = 1
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not run:
                start = n
            run.append(line)
        elif run:
            layout.lineno, layout.raw, layout.cursor = start, run, 0
            layout.run(run)
            run = []
    if run:
        layout.lineno, layout.raw, layout.cursor = start, run, 0
        layout.run(run)
    return layout.line_map


#: A labelled line near the top that names what the whole text is about: an e-mail's subject,
#: a forum thread's title ("Thread: Can I work while waiting for my asylum decision?").
_SUBJECT_LINE = re.compile(r"^\s*(?:subject|thread|topic|title|re)\s*:\s*(\S.{2,200}?)\s*$", re.I)


def _title_of(builder: TextBuilder, text: str = "") -> str | None:
    for block in builder.blocks[:3]:
        if block.kind == "heading":
            return block.text
    for line in text.splitlines()[:15]:
        m = _SUBJECT_LINE.match(line)
        if m:
            return clean_text(m.group(1))
    return None


def document_from_string(
    text: str,
    source: str = "<text>",
    *,
    limits: Limits | None = None,
    fmt: str = "text",
    extra: tuple[tuple[str, str], ...] = (),
) -> Document:
    """Build a document from a Python string with the plain-text block rules.

    Args:
        text: the text.
        source: the name recorded in the metadata.
        limits: resource limits (``max_chars``).
        fmt: the format recorded in the metadata.
        extra: extra metadata pairs.

    Returns:
        The document; ``published`` comes from a date phrase in the text, if any.

    Raises:
        NoTextError: when the text has no visible characters.
        TooLargeError: when the text exceeds ``limits.max_chars``.
    """
    limits = limits or DEFAULT_LIMITS
    builder = TextBuilder(max_chars=limits.max_chars, source=source)
    line_map = _layout(text, builder)
    if line_map and fmt == "text":
        from ..reports.source_lines import KEY, encode_map

        extra = (*extra, (KEY, encode_map(line_map)))
    if not builder.blocks:
        raise NoTextError("the document contains no text", source=source)
    doc_text = builder.text()
    # lines of a run are joined into one block: say where they started, so a dateline on a
    # line of its own ("Tuesday 15 May 2018") is still seen as one
    found = find_publication_date(doc_text, line_starts=[start for start, _, _ in line_map])
    metadata = Metadata(
        source=source,
        format=fmt,
        title=_title_of(builder, text),
        published=found[0] if found else None,
        published_from="text" if found else None,
        extra=extra,
    )
    return builder.build(metadata)


def read_text(data: bytes, source: str, limits: Limits | None = None) -> Document:
    """Read a plain-text file's bytes.

    Args:
        data: the file's content.
        source: its name, for metadata and errors.
        limits: resource limits.

    Returns:
        The document.

    Raises:
        NoTextError: empty or whitespace-only content.
        UnsupportedFormatError: binary content.
    """
    if not data.strip():
        raise NoTextError("the file is empty" if not data else "the file contains only whitespace", source=source)
    text, encoding = decode_bytes(data)
    if looks_binary(text):
        raise UnsupportedFormatError(
            "the file holds binary data, not text (supported formats: PDF, DOCX, HTML, text)",
            source=source,
        )
    return document_from_string(text, source, limits=limits, extra=(("encoding", encoding),))

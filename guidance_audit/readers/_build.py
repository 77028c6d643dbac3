"""Building a :class:`~guidance_audit.models.Document` block by block.

Readers never search the finished text for a block: :class:`TextBuilder` appends each block to
the document text and records its span at that moment, so ``doc.text[b.start:b.end] == b.text``
holds by construction. Blocks are separated by a blank line (``"\\n\\n"``); a printed paragraph
number or list marker sits in the text just before its block and outside the block's span.

Also here: the whitespace/ligature normalisation every reader applies, the heading-path stack,
the recogniser of paragraph numbers and list markers, and the line joiner that repairs words
hyphenated across line breaks.
"""
from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from ..errors import TooLargeError
from ..normalise import normalise
from ..models import Block, BlockKind, Document, Metadata

SEPARATOR = "\n\n"

# Characters deleted (C0/C1 controls other than whitespace, zero-width characters, soft hyphens
# inside a line) and ligatures expanded, in one str.translate table.
_TRANSLATE: dict[int, str | None] = {
    i: None for i in list(range(0, 32)) + list(range(0x7F, 0xA0)) if chr(i) not in "\t\n\r\f\v"
}
_TRANSLATE.update({
    0x00AD: None, 0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None,
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "ft",
    0xFB06: "st",
})


def clean_text(text: str) -> str:
    """Normalise a block's text: expand ligatures, drop control and zero-width characters, and
    collapse every run of whitespace (including line breaks and no-break spaces) to one space;
    invisible and look-alike characters and lone surrogates are normalised too
    (:func:`guidance_audit.normalise.normalise`).

    Args:
        text: raw text of one block.

    Returns:
        The cleaned text, stripped at both ends.
    """
    return " ".join(normalise(text.translate(_TRANSLATE)).split())


class Marker(NamedTuple):
    """What :func:`split_marker` found at the start of a block.

    Attributes:
        marker: the marker as printed ("3.1", "(a)", "•"), or ``None``.
        number: the marker when it is a number or enumerator (goes in ``Block.number``);
            ``None`` for bullets and when there is no marker.
        list_item: whether the marker makes the block a list item (bullets and enumerators
            such as "(a)", "ii.", "1)"); paragraph numbers such as "3.1" or "4." do not.
        rest: the text after the marker.
    """

    marker: str | None
    number: str | None
    list_item: bool
    rest: str


_BULLET_RE = re.compile(
    "^([-*\u2022\u00b7\u25aa\u2023\u25e6\u25cf\u25cb\u25a0\u25a1\u25ba\u25b8\u27a2\u2713\u2013\u2014\uf0b7\uf0a7])"
    r"\s+(?=\S)"
)
# "3.1", "12.3.2", "4." followed by something that does not start with a lower-case letter (so
# "3.5 million people" keeps its number).
_PARNUM_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){1,4}\.?|\d{1,3}\.)\s+(?=[^\sa-z])")
# A well-formed roman numeral up to 39 ("(DDV)" is an abbreviation, not a number).
_ROMAN = r"(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})"
_ROMAN_UPPER = _ROMAN.upper()
_ENUM_RE = re.compile(
    rf"^(\(\d{{1,3}}\)|\([a-zA-Z]\)|\([a-z]{{2}}\)|\({_ROMAN}\)|\({_ROMAN_UPPER}\)|\d{{1,3}}\)|[a-z]\)"
    rf"|{_ROMAN}\)|[a-z]\.|{_ROMAN}\.)\s+(?=\S)"
)


def split_marker(text: str) -> Marker:
    """Split a leading paragraph number, enumerator or bullet off a block's text.

    Args:
        text: the block's text, already stripped.

    Returns:
        A :class:`Marker`; ``marker`` is ``None`` when the text does not start with one.
    """
    m = _BULLET_RE.match(text)
    if m:
        return Marker(m.group(1), None, True, text[m.end():])
    m = _PARNUM_RE.match(text)
    if m:
        return Marker(m.group(1), m.group(1), False, text[m.end():])
    m = _ENUM_RE.match(text)
    if m:
        return Marker(m.group(1), m.group(1), True, text[m.end():])
    return Marker(None, None, False, text)


def number_depth(number: str | None) -> int:
    """How deep a paragraph number is: "3" or "3." is 1, "3.1" is 2, "12.3.2" is 3."""
    if not number:
        return 0
    return len([p for p in number.split(".") if p])


_HYPHENS = ("-", "\u00ad", "\u2010")
# Words hyphenated by a line break after these prefixes keep their hyphen ("non-\nexempt").
_KEEP_HYPHEN_PREFIXES = frozenset({"non", "self", "well", "anti", "cross", "semi", "half", "third"})


def _last_word(text: str) -> str:
    i = len(text)
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    return text[i:]


def join_lines(lines: Iterable[str]) -> str:
    """Join the lines of one paragraph with single spaces, repairing line-end hyphenation.

    A line ending in a letter and a hyphen followed by a line starting in lower case is joined
    without the hyphen ("immi-" + "gration" -> "immigration"), except after common prefixes
    such as "non" or "self", which keep it. When the next line starts with a capital or a digit
    the hyphen is real and kept, without a space ("non-" + "EEA" -> "non-EEA"). A soft hyphen
    at a line end is always dropped. Blank lines are skipped.

    Args:
        lines: the lines, in order.

    Returns:
        The joined text (not yet whitespace-normalised inside lines).
    """
    pieces: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not pieces:
            pieces.append(line)
            continue
        prev = pieces[-1]
        if len(prev) >= 2 and prev[-1] in _HYPHENS and prev[-2].isalpha():
            if prev[-1] == "\u00ad":
                pieces[-1] = prev[:-1]
            elif line[0].islower():
                word = _last_word(prev[:-1]).lower()
                if word not in _KEEP_HYPHEN_PREFIXES:
                    pieces[-1] = prev[:-1]
            pieces.append(line)
        else:
            pieces.append(" ")
            pieces.append(line)
    return "".join(pieces)


class HeadingTracker:
    """Keeps the stack of enclosing headings to fill ``Block.heading_path``.

    Levels are any integers where smaller means outer; a heading closes every open heading at
    its level or deeper.
    """

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []
        self._path: tuple[str, ...] = ()

    @property
    def path(self) -> tuple[str, ...]:
        """The headings that enclose the current position, outermost first."""
        return self._path

    def enter(self, level: int, text: str) -> tuple[str, ...]:
        """Open a heading.

        Args:
            level: its level (smaller is outer).
            text: its text.

        Returns:
            The heading path of the heading block itself (its enclosing headings).
        """
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        enclosing = tuple(t for _, t in self._stack)
        self._stack.append((level, text))
        self._path = enclosing + (text,)
        return enclosing


class TextBuilder:
    """Accumulates ``Document.text`` and its blocks, recording each span as it is appended.

    Args:
        max_chars: the most characters the text may reach; more raises ``TooLargeError``.
        source: the document's name, for error messages.
    """

    def __init__(self, *, max_chars: int | None = None, source: str | None = None) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._blocks: list[Block] = []
        self._max_chars = max_chars
        self._source = source

    def __len__(self) -> int:
        return len(self._blocks)

    @property
    def blocks(self) -> list[Block]:
        """The blocks added so far (do not modify)."""
        return self._blocks

    def _append(self, s: str) -> None:
        self._parts.append(s)
        self._length += len(s)
        if self._max_chars is not None and self._length > self._max_chars:
            raise TooLargeError(
                f"the extracted text exceeds the limit of {self._max_chars:,} characters",
                source=self._source,
            )

    def add(
        self,
        text: str,
        kind: BlockKind = "paragraph",
        *,
        page: int | None = None,
        heading_path: tuple[str, ...] = (),
        number: str | None = None,
        marker: str | None = None,
        clean: bool = True,
        cell: tuple[int, int, int] | None = None,
    ) -> Block | None:
        """Append one block.

        Args:
            text: the block's text; it is normalised with :func:`clean_text` unless ``clean``
                is false (then it must already be clean).
            kind: the block kind.
            page: 1-based page, or ``None``.
            heading_path: the enclosing headings.
            number: the paragraph number, stored in ``Block.number``.
            marker: what is printed before the block in ``Document.text`` (a number or a
                bullet); defaults to ``number``. It is outside the block's span.
            clean: whether to normalise ``text``.
            cell: for a table cell, ``(table, row, column)``.

        Returns:
            The new block, or ``None`` when the text is empty after normalisation (nothing is
            appended then).
        """
        body = clean_text(text) if clean else text
        if not body:
            return None
        if self._parts:
            self._append(SEPARATOR)
        shown = marker if marker is not None else number
        if shown:
            self._append(clean_text(shown) + " ")
        start = self._length
        self._append(body)
        block = Block(
            index=len(self._blocks),
            kind=kind,
            text=body,
            start=start,
            end=self._length,
            page=page,
            heading_path=tuple(heading_path),
            number=number,
            cell=cell,
        )
        self._blocks.append(block)
        return block

    def text(self) -> str:
        """The document text built so far."""
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def build(self, metadata: Metadata) -> Document:
        """Freeze the text and blocks into a :class:`Document`.

        Args:
            metadata: the document's metadata.

        Returns:
            The document.
        """
        return Document(text=self.text(), blocks=tuple(self._blocks), metadata=metadata)

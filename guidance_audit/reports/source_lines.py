"""Lines and columns of the file as it is, for documents whose text is laid out from lines.

A plain-text document's text is not its file: a paragraph wrapped over several lines is one
block, blank lines become one separator, ``\\r\\n`` becomes nothing. So that reports (the text
report's ``path:line:col``, SARIF regions, "line 7" in every format) point at the line an editor
shows, the text reader records, for the start of every source line that went into a block, its
offset in the document text, its 1-based line number in the file and its indentation; the map
travels in ``Document.metadata.extra`` under :data:`KEY` (a compact string).
:func:`source_position` reads it; documents without a map (PDF, DOCX, HTML) are counted in their
extracted text as before.
"""
from __future__ import annotations

import bisect
from functools import lru_cache
from typing import Iterable

__all__ = ["KEY", "encode_map", "source_position"]

KEY = "source_lines"


def encode_map(entries: Iterable[tuple[int, int, int]]) -> str:
    """``(offset, line, indent)`` entries, sorted by offset, as ``"o,l,i;o,l,i"``."""
    return ";".join(f"{o},{ln},{i}" for o, ln, i in sorted(entries))


@lru_cache(maxsize=8)
def _parse(text: str) -> tuple[list[int], list[int], list[int]]:
    offsets: list[int] = []
    lines: list[int] = []
    indents: list[int] = []
    for part in text.split(";") if text else ():
        o, ln, i = part.split(",")
        offsets.append(int(o))
        lines.append(int(ln))
        indents.append(int(i))
    return offsets, lines, indents


def source_position(document, offset: int) -> tuple[int, int] | None:
    """The 1-based ``(line, column)`` in the file of a character offset of ``document.text``,
    or ``None`` when the document has no map (or the offset comes before its first entry)."""
    if document is None:
        return None
    raw = next((v for k, v in document.metadata.extra if k == KEY), None)
    if not raw:
        return None
    try:
        offsets, lines, indents = _parse(raw)
    except ValueError:
        return None
    i = bisect.bisect_right(offsets, offset) - 1
    if i < 0:
        return None
    return lines[i], offset - offsets[i] + indents[i] + 1

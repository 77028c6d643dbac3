"""Invisible and look-alike characters, and lone surrogates, normalised before matching.

A statement can be hidden from the audit without changing how it reads: a directional mark, a
combining grapheme joiner or an invisible operator inside "two-year", a non-breaking hyphen
(U+2011, common in PDFs) instead of "-", fullwidth letters, or a Cyrillic "о" among Latin letters.
:func:`normalise` is applied by every reader to the text of each block as it is built (inside
:func:`guidance_audit.readers._build.clean_text`), so the document text itself is the normalised
text: segmentation, matching and reports see one text, and ``doc.text[start:end] == quote``
holds for every finding. It changes the text only in ways a reader cannot see:

* invisible characters are removed: format characters (Unicode category Cf: directional marks,
  embeddings, overrides and isolates, zero-width characters, invisible operators, the word
  joiner, byte-order marks, soft hyphens), the combining grapheme joiner, variation selectors
  and Hangul fillers. Quotes shown in reports therefore never carry a right-to-left override;
* every other character is replaced by exactly one character (so lengths and offsets are kept):
  - hyphen and minus variants (U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash,
    U+2212 minus, U+2043, U+02D7, U+FE63, U+FF0D...) by ``-``; an en dash, em dash or
    horizontal bar between two letters or digits ("two–year") by ``-`` too;
  - a character whose compatibility form (NFKC) is one character by that character (fullwidth
    and mathematical letters, ``ſ``, circled digits...);
  - in a word that mixes Latin letters with Cyrillic or Greek ones, the Cyrillic and Greek
    letters that look like Latin letters by those letters (a small confusables map after
    Unicode TR 39); words wholly in Cyrillic or Greek are left alone;
  - a lone surrogate (from a pseudo-encoding or a broken PDF font map) by U+FFFD, which spaCy
    and every encoder accept.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalise", "INVISIBLE", "HYPHENS"]

#: Hyphen and minus look-alikes, always replaced by "-".
HYPHENS = "\u2010\u2011\u2012\u2043\u02d7\u2212\ufe63\uff0d\u2796\u058a\u1806\u2e3a\u2e3b\ufe58"
_DASHES_BETWEEN = re.compile(r"(?<=\w)[\u2013\u2014\u2015](?=\w)")

_CONFUSABLE_PAIRS = (
    # Cyrillic
    "аa", "сc", "еe", "оo", "рp", "хx", "уy", "іi", "јj", "ѕs", "һh", "ԁd", "ԛq", "ԝw", "ӏl",
    "АA", "ВB", "СC", "ЕE", "НH", "ІI", "ЈJ", "КK", "МM", "ОO", "РP", "ЅS", "ТT", "ХX", "УY", "ԜW",
    # Greek
    "αa", "οo", "ρp", "ιi", "κk", "νv", "υu", "τt", "ΑA", "ΒB", "ΕE", "ΖZ", "ΗH", "ΙI", "ΚK", "ΜM",
    "ΝN", "ΟO", "ΡP", "ΤT", "ΥY", "ΧX",
)
_CONFUSABLES = {ord(p[0]): p[1] for p in _CONFUSABLE_PAIRS}
_LOOKALIKE = "".join(p[0] for p in _CONFUSABLE_PAIRS)
_MIXED_WORD = re.compile(rf"[^\W\d_]*(?:[A-Za-z][^\W\d_]*[{_LOOKALIKE}]|[{_LOOKALIKE}][^\W\d_]*[A-Za-z])[^\W\d_]*")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Ranges searched for characters with a one-character compatibility form.
_NFKC_RANGES = ((0x00A0, 0x3400), (0xF900, 0x10000), (0x1D400, 0x1D800), (0x1F100, 0x1F200))


@lru_cache(maxsize=1)
def _table() -> dict[int, str | None]:
    """The ``str.translate`` table: invisible characters removed, hyphens and one-character
    compatibility forms replaced (built on first use)."""
    table: dict[int, str | None] = {}
    for lo, hi in _NFKC_RANGES:
        for c in range(lo, hi):
            if 0xD800 <= c <= 0xDFFF:
                continue
            ch = chr(c)
            if unicodedata.category(ch) == "Cf":
                table[c] = None
                continue
            folded = unicodedata.normalize("NFKC", ch)
            if folded != ch and len(folded) == 1 and not unicodedata.category(folded).startswith("M"):
                table[c] = folded
    for c in list(range(0xFE00, 0xFE10)) + [0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x180B, 0x180C, 0x180D,
                                             0x180E, 0x180F] + list(range(0xE0100, 0xE01F0)):
        table[c] = None  # variation selectors, the combining grapheme joiner, fillers
    for c in range(0xE0000, 0xE0080):
        table[c] = None  # tag characters
    for ch in HYPHENS:
        table[ord(ch)] = "-"
    for c in (0x00A0, 0x2007, 0x202F):  # no-break spaces stay spaces (collapsed by clean_text)
        table[c] = " "
    return table


def _mixed(m: re.Match) -> str:
    return m.group().translate(_CONFUSABLES)


def normalise(text: str) -> str:
    """``text`` with invisible characters removed and look-alikes replaced one for one (see
    the module's description). ASCII text is returned unchanged at once."""
    if text.isascii():
        return text
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    text = text.translate(_table())
    if "\u2013" in text or "\u2014" in text or "\u2015" in text:
        text = _DASHES_BETWEEN.sub("-", text)
    if any(ord(ch) in _CONFUSABLES for ch in text):
        text = _MIXED_WORD.sub(_mixed, text)
    return text


"""Reading dates written in guidance documents.

Two public functions:

* :func:`parse_date` turns one date expression ("23 April 2020", "23rd April 2020",
  "April 2020", "2020-04-23", "23/04/2020") into a :class:`datetime.date`. Numeric dates are
  read day first, as in the UK. A month without a day means the first of that month.
* :func:`find_publication_date` finds the date a document gives for itself ("last updated
  3 March 2021", "Date of issue: 14 January 2019", "Approved by ... on 23 April 2020",
  "Version 3.0, 12 May 2015") in the first 3000 and last 1500 characters of its text. Review,
  expiry and "valid until" dates are never taken.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import NamedTuple

__all__ = ["find_publication_date", "parse_date", "DateMatch", "find_dates"]

HEAD_CHARS = 3000
TAIL_CHARS = 1500

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORD = r"(?:st|nd|rd|th)?"
_DATE_RE = re.compile(
    rf"""(?<![\w/.\-])(?:
      (?P<d1>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<m1>{_MONTH})\.?,?\s+(?P<y1>\d{{4}})
    | (?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}}){_ORD},?\s+(?P<y2>\d{{4}})
    | (?P<m3>{_MONTH})\.?,?\s+(?P<y3>\d{{4}})
    | (?P<y4>\d{{4}})-(?P<m4>\d{{1,2}})-(?P<d4>\d{{1,2}})
    | (?P<d5>\d{{1,2}})(?P<sep>[/.\-])(?P<m5>\d{{1,2}})(?P=sep)(?P<y5>\d{{4}}|\d{{2}})
    )(?![\w/]|[.\-]\d)""",
    re.IGNORECASE | re.VERBOSE,
)
_ISO_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{1,2}:\d{2}.*)?$")

# Cue phrases, best first. Each is looked for just before a date.
_BY_CLAUSE = r"(?:\s+by\s+[^\n.;]{1,80}?\s+on)?"
_POSITIVE_CUES: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(
        r"\b(?:last\s+(?:updated|revised|amended|modified)|(?:updated|revised|amended)"
        + _BY_CLAUSE + r"|date\s+(?:of\s+)?(?:last\s+)?(?:update|revision|amendment)"
        r"|(?:last\s+)?update[sd]?\s+on)\b", re.I)),
    (1, re.compile(
        r"\b(?:(?:first\s+)?published" + _BY_CLAUSE + r"|publication\s+date"
        r"|date\s+(?:of\s+)?publication|date\s+published|date\s+of\s+issue|issue\s+date"
        r"|date\s+issued|issued" + _BY_CLAUSE + r"|approved" + _BY_CLAUSE + r"(?:\s+on)?"
        r"|approval\s+date|date\s+(?:of\s+)?approval|date\s+approved|posted" + _BY_CLAUSE +
        r"|last\s+reviewed(?:\s+on)?)\b",
        re.I)),
    # "dated" also dates other papers ("a certificate dated 2 September 2024"), so it ranks
    # with a bare "Date:" header, where the latest wins
    (2, re.compile(r"\b(?:version|v|issue)\s*\d+(?:\.\d+)*\b|\bdate\b|\bdated\b", re.I)),
    (3, re.compile(
        r"\b(?:effective\s+(?:from|date|on)|in\s+force\s+from"
        r"|comes?\s+into\s+(?:force|effect)(?:\s+on)?)\b", re.I)),
)
_NEGATIVE_CUE = re.compile(
    r"\b(?:(?:next\s+)?review(?:\s+date|\s+due|\s+by|\s+on)?|date\s+(?:of\s+)?(?:next\s+)?review"
    r"|(?:to\s+be\s+)?reviewed\s+(?:in|by|on|before)|expir(?:y|es|ation)(?:\s+date)?"
    r"|valid\s+(?:until|to)|due\s+(?:date|for\s+review)|deadline|until|by)\b",
    re.I,
)
_GAP = re.compile(
    r"[\s:,|()\[\]\-\u2013\u2014]*(?:(?:on|of|from|dated|date|in)\b)?[\s:,|()\[\]\-\u2013\u2014]*",
    re.I,
)
_COVER_PRIORITY = 4
_CONTEXT_CHARS = 120


class DateMatch(NamedTuple):
    """A date expression found in text.

    Attributes:
        date: the date (the first of the month when only a month was given).
        start, end: the span of the expression in the text searched.
        precision: ``"day"`` or ``"month"``.
    """

    date: _dt.date
    start: int
    end: int
    precision: str


def _month_number(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _date_from_match(m: re.Match[str]) -> tuple[_dt.date, str] | None:
    """Build the date a :data:`_DATE_RE` match denotes, or ``None`` if it is not a real date."""
    g = m.groupdict()
    try:
        if g["y1"]:
            return _dt.date(int(g["y1"]), _month_number(g["m1"]), int(g["d1"])), "day"
        if g["y2"]:
            return _dt.date(int(g["y2"]), _month_number(g["m2"]), int(g["d2"])), "day"
        if g["y3"]:
            return _dt.date(int(g["y3"]), _month_number(g["m3"]), 1), "month"
        if g["y4"]:
            return _dt.date(int(g["y4"]), int(g["m4"]), int(g["d4"])), "day"
        if g["y5"]:
            year = int(g["y5"])
            if len(g["y5"]) == 2:
                year += 2000 if year < 70 else 1900
            return _dt.date(year, int(g["m5"]), int(g["d5"])), "day"
    except ValueError:
        return None
    return None


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMatch]:
    """Find every date expression in ``text[start:end]``.

    Args:
        text: the text to search.
        start, end: the slice to search; offsets returned are into ``text``.

    Returns:
        The dates found, in text order. Impossible dates (31/02/2020) are skipped.
    """
    found: list[DateMatch] = []
    for m in _DATE_RE.finditer(text, start, len(text) if end is None else end):
        parsed = _date_from_match(m)
        if parsed is not None and 1900 <= parsed[0].year <= 2100:
            found.append(DateMatch(parsed[0], m.start(), m.end(), parsed[1]))
    return found


def parse_date(s: str) -> _dt.date | None:
    """Parse one date expression.

    Accepts "23 April 2020", "23rd April 2020", "April 23, 2020", "April 2020" (first of the
    month), "2020-04-23" (also with a time, as in ISO timestamps), "23/04/2020", "23.04.2020"
    and "23-04-20" (day first).

    Args:
        s: the expression; surrounding whitespace is ignored.

    Returns:
        The date, or ``None`` when ``s`` is not exactly one valid date.
    """
    s = s.strip()
    iso = _ISO_DATETIME.match(s)
    if iso:
        try:
            return _dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    m = _DATE_RE.fullmatch(s)
    if m is None:
        return None
    parsed = _date_from_match(m)
    return parsed[0] if parsed else None


def _context_before(text: str, pos: int, floor: int) -> tuple[str, int]:
    """Return the text a cue for the date at ``pos`` may be found in, and its offset.

    The context ends at ``pos``; it starts at most :data:`_CONTEXT_CHARS` back, never before
    ``floor`` (the end of the previous date), and not before the start of the block the date is
    in, unless the date is a block of its own (a table cell after a "Date of issue" cell), in
    which case the previous block is included.
    """
    lo = max(floor, pos - _CONTEXT_CHARS, 0)
    ctx = text[lo:pos]
    cut = ctx.rfind("\n\n")
    if cut != -1:
        if ctx[cut:].strip(" \t\n:|-"):
            return ctx[cut + 2:], lo + cut + 2
        prev = ctx.rfind("\n\n", 0, cut)
        if prev != -1:
            return ctx[prev + 2:], lo + prev + 2
    return ctx, lo


def _cue_priority(ctx: str) -> tuple[int | None, bool]:
    """Classify the cue nearest the end of ``ctx`` (the text just before a date).

    The cue ending last wins; on a tie the longer one ("review date" beats "date", "last
    reviewed on" beats "reviewed on"). A positive cue only counts when nothing but filler
    (punctuation, "on", "of", "from") separates it from the date.

    Returns:
        ``(priority, negative)``: the priority of the winning positive cue (0 is best) or
        ``None``, and whether the winning cue is a review/expiry cue.
    """
    best: tuple[int, int, int, int] | None = None  # (end, length, negative, priority)
    for m in _NEGATIVE_CUE.finditer(ctx):
        cand = (m.end(), m.end() - m.start(), 1, -1)
        if best is None or cand > best:
            best = cand
    for priority, pattern in _POSITIVE_CUES:
        for m in pattern.finditer(ctx):
            if not _GAP.fullmatch(ctx, m.end()):
                continue
            cand = (m.end(), m.end() - m.start(), 0, priority)
            if best is None or cand > best:
                best = cand
    if best is None:
        return None, False
    if best[2] == 1:
        return None, True
    return best[3], False


_BLOCK_START = re.compile(r"(?:\n\n|\A)[ \t]*\Z")
_BLOCK_END = re.compile(r"[ \t.]*(?:\n\n|\Z)")


def _is_cover_date(text: str, d: DateMatch) -> bool:
    """Whether a date stands alone as a block near the start (as on a cover page)."""
    if d.start > 600:
        return False
    return bool(_BLOCK_START.search(text[:d.start]) and _BLOCK_END.match(text, d.end))


def find_publication_date(text: str) -> tuple[_dt.date, int, int] | None:
    """Find the date a document states as its own (publication, issue, update, approval).

    Only the first 3000 and the last 1500 characters are searched. A date counts when a cue
    phrase immediately precedes it; cues rank, best first: "last updated"/"revised"; "published",
    "posted", "date of issue", "issue date", "approved by ... on"; "Version 3.0,", a bare
    "Date:" or "dated"; "effective from". A date that stands alone as a block near the start (a cover
    date) is the last resort. Review, expiry and "valid until" dates are never taken. Among
    dates of the best rank found, the latest wins (so the newest row of a version history).

    Args:
        text: the document's text.

    Returns:
        ``(date, start, end)`` where ``text[start:end]`` is the date expression, or ``None``.
    """
    if not text:
        return None
    n = len(text)
    ranges = [(0, min(n, HEAD_CHARS))]
    if n > HEAD_CHARS:
        ranges.append((max(HEAD_CHARS, n - TAIL_CHARS), n))
    best: tuple[int, _dt.date, int, DateMatch] | None = None
    for lo, hi in ranges:
        floor = lo
        for d in find_dates(text, lo, hi):
            ctx, _ = _context_before(text, d.start, floor)
            floor = d.end
            priority, negative = _cue_priority(ctx)
            if priority is None and not negative and _is_cover_date(text, d):
                priority = _COVER_PRIORITY
            if priority is None:
                continue
            key = (priority, -d.date.toordinal(), d.start)
            if best is None or key < (best[0], -best[1].toordinal(), best[2]):
                best = (priority, d.date, d.start, d)
    if best is None:
        return None
    return best[1], best[3].start, best[3].end

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

import bisect
import datetime as _dt
import re
from collections.abc import Sequence
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

_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thur?s?|fri|sat|sun)"
)

# Cue phrases, best first. Each is looked for just before a date.
# "approved by the Council on", "Posted by J. Smith on" (an initial's full stop is no sentence end)
_BY_CLAUSE = r"(?:\s+by\s+(?:[^\n.;:!?]|(?<=\b\w)\.){1,80}?\s+on)?"
# a post also says where it was filed: "Posted in Family visas on"
_POSTED_CLAUSE = r"(?:\s+(?:by|in)\s+(?:[^\n.;:!?]|(?<=\b\w)\.){1,80}?\s+on)?"
# a byline: "By Jo Smith | 2 May 2024", "By Jo Smith, 2 May 2024" (a capitalised name, not a
# weekday or month, and a separator; "By 1 May 2025" and "by Friday, 1 May" are deadlines)
_BYLINE = re.compile(
    rf"\bBy\s+(?!(?i:{_WEEKDAY}|{_MONTH})\b)[A-Z][\w'\u2019\-]*\.?(?:\s+[A-Z][\w'\u2019\-]*\.?){{0,3}}"
    r"(?=\s*[|\u2022\u00b7,\u2013\u2014\-])"
)
# (priority, header only, pattern). A header-only cue counts only where a heading or a field
# label stands (see :func:`_is_header_cue`): "Sent:" heads an email, "we sent the form on" does not.
_POSITIVE_CUES: tuple[tuple[int, bool, re.Pattern[str]], ...] = (
    (0, False, re.compile(
        r"\b(?:last\s+(?:updated|revised|amended|modified)|(?:updated|revised|amended)"
        + _BY_CLAUSE + r"|date\s+(?:of\s+)?(?:last\s+)?(?:update|revision|amendment)"
        r"|(?:last\s+)?update[sd]?\s+on)\b", re.I)),
    (1, False, re.compile(
        r"\b(?:(?:first\s+)?published" + _BY_CLAUSE + r"|publication\s+date"
        r"|date\s+(?:of\s+)?publication|date\s+published|date\s+of\s+issue|issue\s+date"
        r"|date\s+issued|issued" + _BY_CLAUSE + r"|approved" + _BY_CLAUSE + r"(?:\s+on)?"
        r"|approval\s+date|date\s+(?:of\s+)?approval|date\s+approved|posted" + _POSTED_CLAUSE +
        r"|last\s+reviewed(?:\s+on)?|(?:page|content|information|guidance)\s+(?:last\s+)?reviewed(?=\s*:)"
        # a report or paper giving its own date ("Date of report: 14 September 2026")
        r"|date\s+of\s+(?:the\s+)?(?:report|paper|document|briefing|note|letter|leaflet|factsheet|guidance)"
        r"|(?:report|paper|document)\s+date"
        # a web page, forum thread or form giving its own date
        r"|(?:page|post|article|thread|topic|entry|story)\s+(?:added|created|started|posted)"
        + _POSTED_CLAUSE +
        r"|date\s+(?:of\s+)?(?:submission|posting|creation|writing)"
        r"|date\s+(?:submitted|posted|created|added|written))\b",
        re.I)),
    (1, False, _BYLINE),
    (1, True, re.compile(r"\bsubmitted(?:\s+on)?\b", re.I)),
    # "dated" also dates other papers ("a certificate dated 2 September 2024"), so it ranks
    # with a bare "Date:" header, where the latest wins; so does an email's "Sent:" line
    (2, False, re.compile(r"\b(?:version|v|issue)\s*\d+(?:\.\d+)*\b|\bdate\b|\bdated\b", re.I)),
    (2, True, re.compile(r"\bsent(?=\s*:)", re.I)),
    # minutes are dated by their meeting ("Date of meeting: 23 September 2026")
    (2, False, re.compile(r"\bdate\s+of\s+(?:the\s+)?meeting\b|\bmeeting\s+date\b", re.I)),
    (3, False, re.compile(
        r"\b(?:effective\s+(?:from|date|on)|in\s+force\s+from"
        r"|comes?\s+into\s+(?:force|effect)(?:\s+on)?)\b", re.I)),
)
_NEGATIVE_CUE = re.compile(
    r"\b(?:(?:next\s+)?review(?:\s+date|\s+due|\s+by|\s+on)?|date\s+(?:of\s+)?(?:next\s+)?review"
    r"|(?:to\s+be\s+)?reviewed\s+(?:in|by|on|before)|expir(?:y|es|ation)(?:\s+date)?"
    r"|valid\s+(?:until|to)|due\s+(?:date|for\s+review)|deadline|until|by)\b",
    re.I,
)
_SEP = r"[\s:,|()\[\]\-\u2013\u2014]*"
# what may stand between a cue and its date: punctuation, "on", "of", "from", and a weekday
# ("Date: Wednesday 16 May 2018", "Posted on Tuesday 22 July 2025")
_GAP = re.compile(
    _SEP + r"(?:(?:on|of|from|dated|date|in)\b)?" + _SEP + rf"(?:{_WEEKDAY}\b\.?,?\s*)?",
    re.I,
)
# Where a cue stands. A cue is in running prose ("the Code of Practice for Victims of Crime,
# revised in December 2013, sets out", "a report (published 3 March 2019) found") when the
# sentence before it has the small words of a sentence; otherwise it heads a line, a field or a
# label ("Version 1.2, issued", "Leaflet updated", "September 2025 edition, published"), as it
# also does when capitalised, followed by a colon, or said of the document itself ("This
# guidance was last updated on"). A cue in prose mostly dates something the document mentions.
_SENTENCE_END = re.compile(r"[.!?:;|\u2022\u00b7\u2013\u2014\n]")
_PROSE_WORDS = re.compile(
    r"\b(?:the|a|an|this|that|these|those|its|their|his|her|our|your|of|for|to|in|at|with|from"
    r"|which|who|whose|was|were|is|are|be|been|being|has|have|had|and|or|but|as|it|they|we|you"
    r"|she|he|when|after|before|since|under)\b",
    re.I,
)
_SELF_BEFORE = re.compile(
    r"\b(?:this|the\s+present)\s+(?:[\w\-]+\s+){1,3}?(?:was|is|has\s+been|were|have\s+been)\s+\Z",
    re.I,
)
# Tiers, best first: a header cue, then a date standing alone near the start (a cover date or
# a dateline), then a cue in running prose.
_TIER_HEADER, _TIER_COVER, _TIER_PROSE = 0, 1, 2
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


def _is_header_cue(text: str, start: int, end: int, gap: str, line_start: int) -> bool:
    """Whether the cue ``text[start:end]`` heads a line, field or label rather than standing in
    running prose (see :data:`_PROSE_WORDS`); ``gap`` is what separates it from its date,
    ``line_start`` where the line or block it is in starts."""
    if text[start].isupper() or ":" in gap:
        return True
    before = text[line_start:start]
    if _SELF_BEFORE.search(before):
        return True
    ends = list(_SENTENCE_END.finditer(before))
    sentence = before[ends[-1].end():] if ends else before
    return not _PROSE_WORDS.search(sentence)


def _cue_priority(text: str, lo: int, pos: int, line_start: int = 0) -> tuple[int | None, bool, bool]:
    """Classify the cue nearest the end of ``text[lo:pos]`` (the text just before a date at ``pos``).

    The cue ending last wins; on a tie the longer one ("review date" beats "date", "last
    reviewed on" beats "reviewed on"), then a header cue. A positive cue only counts when nothing
    but filler (punctuation, "on", "of", "from", a weekday) separates it from the date; a
    header-only cue only counts as a header.

    Returns:
        ``(priority, negative, header)``: the priority of the winning positive cue (0 is best) or
        ``None``, whether the winning cue is a review/expiry cue, and whether the positive cue
        stands as a header rather than in running prose.
    """
    ctx = text[lo:pos]
    best: tuple[int, int, int, int, int] | None = None  # (end, length, negative, header, priority)
    for m in _NEGATIVE_CUE.finditer(ctx):
        cand = (m.end(), m.end() - m.start(), 1, 0, -1)
        if best is None or cand > best:
            best = cand
    for priority, header_only, pattern in _POSITIVE_CUES:
        for m in pattern.finditer(ctx):
            gap = _GAP.fullmatch(ctx, m.end())
            if not gap:
                continue
            header = _is_header_cue(text, lo + m.start(), lo + m.end(), gap.group(),
                                    max(line_start, text.rfind("\n", 0, lo + m.start()) + 1))
            if header_only and not header:
                continue
            cand = (m.end(), m.end() - m.start(), 0, int(header), priority)
            if best is None or cand > best:
                best = cand
    if best is None:
        return None, False, False
    if best[2] == 1:
        return None, True, False
    return best[4], False, bool(best[3])


_ALONE_BEFORE = re.compile(rf"[ \t]*(?:{_WEEKDAY}\.?,?[ \t]+)?\Z", re.I)
_ALONE_AFTER = re.compile(
    r"[ \t.]*(?:,?[ \t]*(?:at[ \t]+)?\d{1,2}[:.]\d{2}(?:[ \t]*[ap]\.?m\.?)?[ \t.]*)?(?:\n\n|\Z)", re.I
)
_COVER_CHARS = 600


def _is_cover_date(text: str, d: DateMatch, line_starts: Sequence[int] = ()) -> bool:
    """Whether a date stands alone near the start (as on a cover page, or a dateline): as a block
    of its own or, given where the source lines start, as a line of its own. A weekday may come
    before it and a time after it ("Tuesday 15 May 2018, 06:00")."""
    if d.start > _COVER_CHARS:
        return False
    block_start = text.rfind("\n\n", 0, d.start)
    block_start = 0 if block_start == -1 else block_start + 2
    starts = [block_start]
    i = bisect.bisect_right(line_starts, d.start) - 1
    if i >= 0 and line_starts[i] > block_start:
        starts.append(line_starts[i])
    nxt = line_starts[i + 1] if 0 <= i + 1 < len(line_starts) else None
    for start in starts:
        if not _ALONE_BEFORE.fullmatch(text, start, d.start):
            continue
        if _ALONE_AFTER.match(text, d.end):
            return True
        # the date ends its line: what follows up to the next line is a time at most
        if start != block_start and nxt is not None and nxt > d.end:
            if _ALONE_AFTER.fullmatch(text[d.end:nxt].rstrip() + "\n\n"):
                return True
    return False


def find_publication_date(
    text: str, line_starts: Sequence[int] | None = None
) -> tuple[_dt.date, int, int] | None:
    """Find the date a document states as its own (publication, issue, update, approval).

    Only the first 3000 and the last 1500 characters are searched. A date counts when a cue
    phrase immediately precedes it (a weekday may come between); cues rank, best first: "last
    updated"/"revised"; "published", "posted", "posted by ... on", "page added", "thread started",
    "date of submission", a byline ("By Jo Smith | "), "date of issue", "issue date", "approved by
    ... on", "last reviewed"; "Version 3.0,", a bare "Date:", "dated" or an email's "Sent:";
    "effective from". A cue standing as a heading or field label outranks every cue in running
    prose ("the Code, revised in December 2013, ..."), which mostly dates something the document
    mentions; between them ranks a date that stands alone near the start (a cover date, or a
    dateline such as "Tuesday 15 May 2018"). Review, expiry and "valid until" dates are never
    taken. Among dates of the best rank found, the latest wins (so the newest row of a version
    history).

    Args:
        text: the document's text.
        line_starts: where the source lines start in ``text``, in order, when the reader joined
            lines into blocks (plain text): a date on a line of its own is then a dateline.

    Returns:
        ``(date, start, end)`` where ``text[start:end]`` is the date expression, or ``None``.
    """
    if not text:
        return None
    starts = sorted(line_starts) if line_starts else []
    n = len(text)
    ranges = [(0, min(n, HEAD_CHARS))]
    if n > HEAD_CHARS:
        ranges.append((max(HEAD_CHARS, n - TAIL_CHARS), n))
    best: tuple[tuple[int, int, int, int], DateMatch] | None = None
    for lo, hi in ranges:
        floor = lo
        for d in find_dates(text, lo, hi):
            _, ctx_start = _context_before(text, d.start, floor)
            floor = d.end
            i = bisect.bisect_right(starts, d.start) - 1
            line_start = starts[i] if i >= 0 else 0
            priority, negative, header = _cue_priority(text, ctx_start, d.start, line_start)
            if priority is not None:
                tier = _TIER_HEADER if header else _TIER_PROSE
            elif not negative and _is_cover_date(text, d, starts):
                tier, priority = _TIER_COVER, 0
            else:
                continue
            key = (tier, priority, -d.date.toordinal(), d.start)
            if best is None or key < best[0]:
                best = (key, d)
    if best is None:
        return None
    d = best[1]
    return d.date, d.start, d.end

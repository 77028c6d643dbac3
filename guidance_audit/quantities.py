"""Find and normalise the quantities a statement gives: durations, money, percentages, dates, counts.

Durations are normalised to months, money to pounds, so "two years", "24 months" and "a two-year
probationary period" compare equal. Duration units: hours, days, weeks, months and years (see
:data:`DURATION_UNITS` for how each converts). Every quantity keeps its character span in the input text.
"""
from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache

from .models import Quantity

_UNITS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

_UNIT_WORDS = "|".join(sorted((w for w in _UNITS if w not in ("a", "an")), key=len, reverse=True))
_TENS_WORDS = "|".join(_TENS)
_NUMBER_WORD = rf"(?:(?:{_TENS_WORDS})(?:[\s-](?:{_UNIT_WORDS}))?|{_UNIT_WORDS}|hundred)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM = rf"(?:{_DIGITS}|{_NUMBER_WORD}|an?)"

_DURATION_RE = re.compile(
    rf"\b(?P<num>{_NUM})(?:\s+and\s+a\s+half)?(?:\s*|-)(?:\(\d+\)\s*)?"
    rf"(?P<unit>years?|yrs?|months?|weeks?|days?|hours?|hrs?)(?!\w)"
    rf"|\b(?P<num2>{_DIGITS}|{_NUMBER_WORD})-(?P<unit2>year|month|week|day|hour)(?!\w)",
    re.IGNORECASE,
)
_MONEY_RE = re.compile(
    rf"(?:£|GBP\s?)\s?(?P<num>{_DIGITS})\s?(?P<mult>k\b|m\b|bn\b|million\b|billion\b|thousand\b)?"
    rf"|\b(?P<num2>{_DIGITS})\s?(?P<mult2>million\s|thousand\s)?pounds\b",
    re.IGNORECASE,
)
#: An amount written in words before "pounds" ("thirty-five pounds", "ten thousand pounds",
#: "eighteen thousand six hundred pounds"), as spoken in transcripts and read-aloud pages.
_WORD_MONEY_RE = re.compile(
    rf"\b(?P<words>(?:{_NUMBER_WORD})(?:[\s-]+(?:{_NUMBER_WORD}|thousand|million|and))*)\s+pounds\b",
    re.IGNORECASE,
)
_PERCENT_RE = re.compile(rf"\b(?P<num>{_DIGITS}|{_NUMBER_WORD})\s?(?:%|per\s?cent\b)", re.IGNORECASE)
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_RE = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<month>{_MONTH_NAMES})\.?,?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)\b"
    rf"|\b(?P<sd>\d{{1,2}})/(?P<sm>\d{{1,2}})/(?P<sy>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?<![\w./-])(?P<year>(?:19|20)\d\d)(?![\w/-]|\.\d)")
_ACT_AFTER = re.compile(r"\s+(?:Act|Regulations|Order|Rules|Code|Directive|Convention)\b")
_COUNT_RE = re.compile(rf"(?<![\w.£/-])(?P<num>{_DIGITS})(?![\w%£/-]|\.\d)")
# Numbers that label a provision, a route or a document are not counts or years.
_LABEL_BEFORE = re.compile(
    r"\b(?:para(?:graph)?s?|section|sections|ss?|part|tier|hc|appendix|rule|rules|version|v|page|pages|"
    r"no|number|schedule|sch|reg|regulation|article|art|cm|cp|si|chapter|annex|step|level|rqf|"
    r"act|order|regulations|code|c|l|box|table|figure|option|point|recommendation|phase)\.?\s*$",
    re.IGNORECASE,
)

_PER_PERIOD = re.compile(r"\s+(?:a|an|per|each|every|in\s+(?:a|any|each))\s+(?:week|day|fortnight|month|year|term)\b"
                         r"|\s+(?:weekly|daily)\b", re.I)
_RATE_BEFORE = re.compile(r"(?:£[\d,.]+\s?[km]?|pounds|per|each|every|times|salary|income|earn\w*)\s*$", re.I)
#: Each duration unit in months, the one measure durations are compared in: a year is 12 months,
#: a week a 52nd of a year (so 26 weeks is 6 months), a day a 365.25th of a year and an hour a 24th
#: of a day. Calendar months and years have no fixed length in days, so a statement in days or weeks
#: matches a value in months or years only when the fact pack lists it under ``accept``.
DURATION_UNITS = {"year": 12.0, "month": 1.0, "week": 12.0 / 52.0, "day": 12.0 / 365.25,
                  "hour": 12.0 / 365.25 / 24.0}
_UNIT_MONTHS = {**DURATION_UNITS, "yr": 12.0, "hr": DURATION_UNITS["hour"]}
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}


def number_value(text: str) -> float | None:
    """Return the value of a number written in digits or words ("24", "18,600", "twenty-four").

    Args:
        text: the number as written.

    Returns:
        The number, or ``None`` if ``text`` is not a number.
    """
    t = text.strip().lower().replace(",", "")
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        pass
    if t in _UNITS:
        return float(_UNITS[t])
    if t == "hundred":
        return 100.0
    parts = re.split(r"[\s-]+", t)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return float(_TENS[parts[0]] + _UNITS[parts[1]])
    if t in _TENS:
        return float(_TENS[t])
    return None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _durations(text: str) -> list[Quantity]:
    out = []
    for m in _DURATION_RE.finditer(text):
        num = m.group("num") or m.group("num2")
        unit = (m.group("unit") or m.group("unit2")).lower().rstrip("s")
        value = number_value(num)
        if value is None:
            continue
        if num.lower() in ("a", "an") and _RATE_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            continue  # "£18,600 a year" is a rate, not a duration
        if unit in ("hour", "hr") and _PER_PERIOD.match(text, m.end()):
            continue  # "20 hours a week" is a rate of work, stated as a count of hours, not a period
        if "and a half" in m.group(0).lower():
            value += 0.5
        months = value * _UNIT_MONTHS[unit]
        out.append(Quantity("duration", round(months, 6), m.group(0), m.start(), m.end(), unit="months"))
    return _merge_compound(out, text)


_AND_MONTHS = re.compile(r"\s+and\s+")


def _merge_compound(out: list[Quantity], text: str) -> list[Quantity]:
    """"2 years and 9 months" is one duration of 33 months, not two."""
    merged: list[Quantity] = []
    for q in out:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.unit == "months" and _AND_MONTHS.fullmatch(text[prev.end:q.start])
                and prev.value >= 12 and q.value < 12 and abs(prev.value / 12 - round(prev.value / 12)) < 1e-9):
            merged[-1] = Quantity("duration", round(prev.value + q.value, 6), text[prev.start:q.end],
                                  prev.start, q.end, unit="months")
        else:
            merged.append(q)
    return merged


def _money(text: str) -> list[Quantity]:
    out = []
    for m in _MONEY_RE.finditer(text):
        num = m.group("num") or m.group("num2")
        mult = (m.group("mult") or m.group("mult2") or "").strip().lower()
        value = number_value(num)
        if value is None:
            continue
        value *= _MULT.get(mult, 1.0)
        end = m.end() if not m.group(0).endswith(" ") else m.end() - 1
        out.append(Quantity("money", value, text[m.start():end], m.start(), end, unit="GBP"))
    return out


def words_value(words: str) -> float | None:
    """The value of a number written out in words ("eighteen thousand six hundred" -> 18600),
    or ``None`` when the words do not make one number."""
    total, group = 0.0, 0.0
    seen = False
    for w in re.split(r"[\s-]+", words.strip().lower()):
        if w == "and":
            continue
        if w in _UNITS and w not in ("a", "an"):
            group += _UNITS[w]
        elif w in _TENS:
            group += _TENS[w]
        elif w == "hundred":
            group = (group or 1.0) * 100
        elif w in ("thousand", "million"):
            total += (group or 1.0) * _MULT[w]
            group = 0.0
        else:
            return None
        seen = True
    return total + group if seen else None


def _word_money(text: str) -> list[Quantity]:
    out = []
    for m in _WORD_MONEY_RE.finditer(text):
        value = words_value(m.group("words"))
        if value is None or value == 0:
            continue
        out.append(Quantity("money", value, m.group(0), m.start(), m.end(), unit="GBP"))
    return out


def _percents(text: str) -> list[Quantity]:
    out = []
    for m in _PERCENT_RE.finditer(text):
        value = number_value(m.group("num"))
        if value is not None:
            out.append(Quantity("percent", value, m.group(0), m.start(), m.end(), unit="%"))
    return out


def _make_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _dates(text: str) -> list[Quantity]:
    out = []
    for m in _DATE_RE.finditer(text):
        if m.group("month"):
            month = MONTHS[m.group("month").lower().rstrip(".")]
            day = int(m.group("day")) if m.group("day") else 1
            d = _make_date(int(m.group("year")), month, day)
            precision = "day" if m.group("day") else "month"
        elif m.group("iy"):
            d = _make_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
            precision = "day"
        else:
            d = _make_date(int(m.group("sy")), int(m.group("sm")), int(m.group("sd")))
            precision = "day"
        if d is not None:
            out.append(Quantity("date", float(d.toordinal()), m.group(0), m.start(), m.end(),
                                date=d, precision=precision))
    taken = [(q.start, q.end) for q in out]
    for m in _YEAR_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()) or _LABEL_BEFORE.search(text[max(0, m.start() - 14):m.start()]):
            continue
        if _ACT_AFTER.match(text, m.end()):
            continue  # "the 1998 Act" names a statute, it does not date the statement
        d = _dt.date(int(m.group("year")), 1, 1)
        out.append(Quantity("date", float(d.toordinal()), m.group(0), m.start(), m.end(),
                            date=d, precision="year"))
    return out


def _counts(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    out = []
    for m in _COUNT_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        if _LABEL_BEFORE.search(text[max(0, m.start() - 14):m.start()]) or _ACT_AFTER.match(text, m.end()):
            continue
        value = number_value(m.group("num"))
        if value is not None:
            out.append(Quantity("count", value, m.group(0), m.start(), m.end()))
    return out


def parse_quantities(text: str, offset: int = 0) -> tuple[Quantity, ...]:
    """Find every quantity stated in ``text``.

    Args:
        text: the statement.
        offset: added to every span, so spans can point into a larger document.

    Returns:
        Quantities in text order; each span satisfies ``text[q.start - offset:q.end - offset] == q.text``.
    """
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for finder in (_money, _word_money, _percents, _durations, _dates):
        for q in finder(text):
            if not _overlaps(taken, q.start, q.end):
                found.append(q)
                taken.append((q.start, q.end))
    found.extend(_counts(text, taken))
    found.sort(key=lambda q: q.start)
    if offset:
        found = [_shift(q, offset) for q in found]
    return tuple(found)


#: A day and month with no year ("from 11 April", "after 4 April"): a reader takes the year from
#: the page's own date. Short month names ("may", "mar") are left out: they are also words.
_YEARLESS_RE = re.compile(
    r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>january|february|march|april|june|july|august|"
    r"september|october|november|december|jan|feb|apr|jun|jul|aug|sep|sept|oct|nov|dec|May)\b"
    r"(?!\.?,?\s+(?:19|20)\d\d)", re.I)
_FUTURE_WORDS = re.compile(r"\b(?:will|shall|from next|is due|are due|is set to|are set to|comes into force|"
                           r"come into force|takes effect|take effect|is expected|are expected)\b", re.I)
_PAST_WORDS = re.compile(r"\b(?:was|were|had|did|since|came into force|took effect|changed|rose|ended|began|"
                         r"started|introduced|replaced)\b", re.I)


def resolve_yearless(text: str, found: tuple[Quantity, ...], reference: _dt.date) -> tuple[Quantity, ...]:
    """``found`` (the quantities of ``text``) with each day-and-month date that gives no year
    dated in the year a reader would take from ``reference`` (the document's date): the next
    such day when the sentence speaks of what is to come, the last one when it speaks of what
    happened, else the nearest. The day's number is then no longer a count."""
    extra: list[Quantity] = []
    drop: set[int] = set()
    future, past = bool(_FUTURE_WORDS.search(text)), bool(_PAST_WORDS.search(text))
    for m in _YEARLESS_RE.finditer(text):
        if any(q.kind != "count" and q.start < m.end() and m.start() < q.end for q in found):
            continue
        month = MONTHS[m.group("month").lower()]
        day = int(m.group("day"))
        options = [d for d in (_make_date(y, month, day) for y in (reference.year - 1, reference.year,
                                                                  reference.year + 1)) if d is not None]
        if not options:
            continue
        if future and not past:
            later = [d for d in options if d >= reference]
            d = min(later) if later else max(options)
        elif past and not future:
            earlier = [d for d in options if d <= reference]
            d = max(earlier) if earlier else min(options)
        else:
            d = min(options, key=lambda x: abs((x - reference).days))
        extra.append(Quantity("date", float(d.toordinal()), m.group(0), m.start(), m.end(), date=d, precision="day"))
        drop.update(i for i, q in enumerate(found) if q.kind == "count" and m.start() <= q.start < m.end())
    if not extra:
        return found
    kept = [q for i, q in enumerate(found) if i not in drop]
    return tuple(sorted(kept + extra, key=lambda q: q.start))


def _shift(q: Quantity, offset: int) -> Quantity:
    return Quantity(q.kind, q.value, q.text, q.start + offset, q.end + offset, q.unit, q.date, q.precision)


@lru_cache(maxsize=4096)
def parse_value(text: str) -> Quantity | None:
    """Parse a fact value such as ``"2 years"`` or ``"£18,600"`` into one quantity.

    Returns:
        The quantity, or ``None`` when ``text`` does not state exactly one.
    """
    found = parse_quantities(text)
    qs = [q for q in found if q.kind != "date" or len(found) == 1]
    return qs[0] if len(qs) == 1 else None


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities state the same amount (durations compared in months)."""
    if a.kind != b.kind:
        return False
    return abs(a.value - b.value) <= 1e-6 * max(1.0, abs(b.value))


def describe_quantity(q: Quantity) -> str:
    """A normalised description: ``"24 months (2 years)"``, ``"£18,600"``."""
    if q.kind == "duration":
        months = q.value
        if months >= 12 and abs(months / 12 - round(months / 12)) < 1e-6:
            years = round(months / 12)
            return f"{years} year{'s' if years != 1 else ''}"
        if abs(months - round(months)) < 1e-6:
            m = round(months)
            return f"{m} month{'s' if m != 1 else ''}"
        for unit in ("week", "day", "hour"):
            n = months / DURATION_UNITS[unit]
            if round(n) >= 1 and abs(n - round(n)) < 1e-3:
                return f"{round(n)} {unit}{'s' if round(n) != 1 else ''}"
        return f"{months:.1f} months"
    if q.kind == "money":
        return f"£{q.value:,.0f}" if q.value == int(q.value) else f"£{q.value:,.2f}"
    if q.kind == "percent":
        return f"{q.value:g}%"
    if q.kind == "date" and q.date:
        return q.date.isoformat()
    return f"{q.value:,.0f}" if q.value == int(q.value) else f"{q.value:g}"

"""What every report format says the same way: labels, dates, locations, passages and totals.

The HTML, Markdown, CSV and SARIF renderers take their wording from here so that a finding reads
the same in every format. Nothing here escapes anything: each renderer escapes for its own syntax.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, NamedTuple

from ..models import Document, Finding, Location
from .source_lines import source_position

if TYPE_CHECKING:
    from .model import AuditReport

SEVERITIES = ("error", "warning", "info")
KINDS = ("outdated", "incorrect", "outdated-citation", "outdated-term", "internal-contradiction",
         "omission", "supported")

SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
KIND_LABELS = {
    "outdated": "Outdated statement",
    "incorrect": "Incorrect statement",
    "outdated-citation": "Outdated citation",
    "outdated-term": "Outdated term",
    "internal-contradiction": "Internal contradiction",
    "omission": "Omission",
    "supported": "Supported statement",
}
PUBLISHED_FROM_LABELS = {
    "metadata": "read from the document's file properties",
    "text": "found in the document's text",
    "argument": "given when the audit was run",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def long_date(d: _dt.date | None) -> str:
    """``9 July 2012``; an empty string for ``None``."""
    if d is None:
        return ""
    return f"{d.day} {d:%B} {d.year}"


def iso(d: _dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def safe_url(url: str | None) -> str | None:
    """The URL when it is an ``http://`` or ``https://`` address with no spaces or control
    characters, else ``None`` (so it is shown as text, never as a link)."""
    if not url:
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")):
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    return url


def published_description(report: AuditReport) -> str:
    """``23 April 2020 (found in the document's text)``, or ``unknown``."""
    if report.published is None:
        return "unknown"
    where = PUBLISHED_FROM_LABELS.get(report.published_from or "", report.published_from or "")
    return f"{long_date(report.published)} ({where})" if where else long_date(report.published)


def true_between_text(f: Finding) -> str:
    """When the stated value applied: ``1 April 2003 to 8 July 2012``; empty when unknown."""
    if f.true_between is None:
        return ""
    lo, hi = f.true_between
    if lo and hi:
        return f"{long_date(lo)} to {long_date(hi)}"
    if hi:
        return f"until {long_date(hi)}"
    if lo:
        return f"from {long_date(lo)}"
    return ""


def publication_verdict(f: Finding, published: _dt.date | None) -> str:
    """Whether the statement was already wrong when the document was published, in words."""
    on = f" ({long_date(published)})" if published else ""
    if f.wrong_at_publication is True:
        return f"Yes: already wrong when the document was published{on}"
    if f.wrong_at_publication is False:
        return f"No: it was right when the document was published{on} and has changed since"
    if f.kind in ("outdated", "incorrect", "outdated-term", "outdated-citation"):
        return "Not known: the document's publication date is unknown" if published is None else "Not determined"
    return ""


def block_of(document: Document | None, loc: Location):
    """The block a location points at, checked against its offsets, or ``None``."""
    if document is None:
        return None
    blocks = document.blocks
    if loc.block is not None and 0 <= loc.block < len(blocks):
        b = blocks[loc.block]
        if b.start <= loc.start <= b.end:
            return b
    return document.block_at(loc.start)


def where_text(document: Document | None, loc: Location, quote: str) -> str:
    """Where a passage is, said the same way in every format:
    ``page 3, paragraph 4.2 (under Victims › Sharing), line 40, column 1, characters 1234-1302``
    (the document's own paragraph number where it has one); ``whole document`` for a finding that
    points at no passage, such as an omission."""
    if not quote and loc.start == loc.end == 0 and loc.block is None:
        return "whole document"
    parts = []
    if loc.page is not None:
        parts.append(f"page {loc.page}")
    b = block_of(document, loc)
    if b is not None and b.number:
        parts.append(f"paragraph {b.number}")
    elif loc.block is not None:
        parts.append(f"paragraph {loc.block + 1}")
    text = ", ".join(parts)
    if b is not None and b.heading_path:
        text += f" (under {' › '.join(b.heading_path)})"
    lc = line_col(document, loc.start)
    chars = (f"line {lc[0]}, column {lc[1]}, " if lc else "") + f"characters {loc.start}-{loc.end}"
    return f"{text}, {chars}" if text else chars


class Passage(NamedTuple):
    """A quote with the text of its paragraph before and after it."""

    before: str
    quote: str
    after: str


def passage(document: Document | None, loc: Location, quote: str, limit: int = 600) -> Passage | None:
    """The quote inside its paragraph, taken from the document's text by the recorded offsets.

    Returns ``None`` when there is no quote or the offsets do not point at it (then only the quote
    can be shown: a passage is never found again by searching for the text).
    """
    if document is None or not quote:
        return None
    text = document.text
    s, e = loc.start, loc.end
    if not (0 <= s <= e <= len(text)) or text[s:e] != quote:
        return None
    b = block_of(document, loc)
    lo, hi = (min(b.start, s), max(b.end, e)) if b is not None else (s, e)
    before, after = text[lo:s], text[e:hi]
    if len(before) > limit:
        cut = before[-limit:]
        before = "…" + cut[cut.find(" ") + 1:] if " " in cut else "…" + cut
    if len(after) > limit:
        cut = after[:limit]
        after = (cut[: cut.rfind(" ")] if " " in cut else cut) + "…"
    return Passage(before, quote, after)


@dataclass
class Totals:
    """Counts over one or more reports."""

    documents: int
    by_severity: dict[str, int]
    by_kind: dict[str, int]
    suppressed: int
    unreadable: int
    findings: int


def totals(reports: Iterable[AuditReport]) -> Totals:
    reports = list(reports)
    sev: Counter = Counter()
    kind: Counter = Counter()
    for r in reports:
        for f in r.findings:
            sev[f.severity] += 1
            kind[f.kind] += 1
    return Totals(
        documents=len(reports),
        by_severity={s: sev.get(s, 0) for s in SEVERITIES},
        by_kind={k: kind[k] for k in KINDS if kind.get(k)},
        suppressed=sum(len(r.suppressed) for r in reports),
        unreadable=sum(1 for r in reports if r.errors),
        findings=sum(sev.values()),
    )


def suppression_reason(report: AuditReport, f: Finding) -> str:
    """The reason a baseline gave for suppressing this finding ("" when none was given)."""
    reasons = getattr(report, "suppression_reasons", None) or {}
    return str(reasons.get(f.fingerprint, ""))


def factbase_text(factbase: dict) -> str:
    """``2026-11-21+abcd (sha256 96e54d825f24, 57 facts)``."""
    if not factbase:
        return "unknown"
    version = factbase.get("version", "?")
    sha = str(factbase.get("sha256", ""))[:12]
    n = factbase.get("facts")
    extra = ", ".join(x for x in (f"sha256 {sha}" if sha else "", f"{n} facts" if n is not None else "") if x)
    text = f"{version} ({extra})" if extra else str(version)
    overridden = factbase.get("overridden") or []
    if overridden:
        text += f"; overridden by user packs: {', '.join(map(str, overridden))}"
    return text


def horizon_of(factbase: dict) -> _dt.date | None:
    """The fact base's horizon (the date its sources were last checked), or ``None``."""
    value = (factbase or {}).get("horizon")
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def horizon_text(factbase: dict) -> str:
    """``sources checked up to 21 November 2026 (2026-11-21)``, or ``unknown``."""
    h = horizon_of(factbase)
    return f"sources checked up to {long_date(h)} ({h.isoformat()})" if h else "unknown"


def run_notes(reports: Iterable[AuditReport]) -> list[str]:
    """Every report's notes, each once, in the order first met."""
    notes: list[str] = []
    for r in reports:
        notes += [n for n in getattr(r, "notes", ()) if n not in notes]
    return notes


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in _LINE_BREAK.finditer(text)))


def line_col(document: Document | None, offset: int) -> tuple[int, int] | None:
    """The 1-based line and column (in code points) of a character offset in the document's
    text; ``\\r\\n``, ``\\r`` and ``\\n`` each end a line. ``None`` without a document."""
    if document is None or not 0 <= offset <= len(document.text):
        return None
    in_file = source_position(document, offset)  # a text file: its own lines (issue 15)
    if in_file is not None:
        return in_file
    starts = _line_starts(document.text)
    i = bisect.bisect_right(starts, offset) - 1
    return i + 1, offset - starts[i] + 1


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_line(reports: Iterable[AuditReport]) -> str:
    """The run in one line: documents audited, with findings, clean and unreadable, then the
    findings by severity, e.g. ``3 documents: 1 with findings, 1 clean, 1 unreadable; 1 error,
    0 warnings, 0 info``."""
    reports = list(reports)
    t = totals(reports)
    with_findings = sum(1 for r in reports if not r.errors and r.findings)
    clean = sum(1 for r in reports if not r.errors and not r.findings)
    line = (f"{_plural(t.documents, 'document', 'documents')}: {with_findings} with findings, {clean} clean, "
            f"{t.unreadable} unreadable; {_plural(t.by_severity['error'], 'error', 'errors')}, "
            f"{_plural(t.by_severity['warning'], 'warning', 'warnings')}, {t.by_severity['info']} info")
    if t.suppressed:
        line += f", {t.suppressed} suppressed"
    return line

"""The text report a person reads in a terminal."""
from __future__ import annotations

import datetime as _dt
from typing import Iterable

from . import _present as P
from ..models import Document, Finding
from .model import AuditReport


_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"


def finding_line(source: str, f: Finding, color: bool = False, document: Document | None = None) -> str:
    """One finding as ``source:line:col: severity kind rule: "quote" message [citation]``; the line
    and column are known when the document is given, else the character offsets stand in
    (``source:start-end:``). A finding with no passage (an omission) is ``source: whole document:``."""
    loc = f.location
    lc = P.line_col(document, loc.start) if f.quote else None
    if not f.quote and loc.start == loc.end == 0:
        where = f"{source}: whole document"
    elif lc is not None:
        where = f"{source}:{lc[0]}:{lc[1]}"
    else:
        where = f"{source}:" + (f"p{loc.page}:" if loc.page is not None else "") + f"{loc.start}-{loc.end}"
    sev = f"{_COLORS[f.severity]}{f.severity}{_RESET}" if color else f.severity
    cite = f" [{f.citations[0]}]" if f.citations else ""
    quote = f' "{_short(f.quote)}"' if f.quote else ""
    return f"{where}: {sev} {f.kind} {f.rule}:{quote} {f.message}{cite}"


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def render_text(reports: Iterable[AuditReport], color: bool = False, factbase: dict | None = None,
                as_of: _dt.date | None = None) -> str:
    """Text report for several documents: each unreadable document and each finding on a line,
    the run's notes, the as-of date and fact-base horizon, then the summary line."""
    lines = []
    reports = list(reports)
    first = reports[0] if reports else None
    factbase = factbase if factbase is not None else (first.factbase if first else {})
    as_of = as_of or (first.as_of if first else None)
    for r in reports:
        for e in r.errors:
            lines.append(f"{r.source}: unreadable [{e.code}] {e.message}")
        for f in r.findings:
            lines.append(finding_line(r.source, f, color, r.document))
    lines += [f"note: {n}" for n in P.run_notes(reports)]
    if as_of is not None:
        lines.append(f"rules as of {as_of.isoformat()}; fact base {P.horizon_text(factbase)}")
    lines.append(P.summary_line(reports))
    return "\n".join(lines)

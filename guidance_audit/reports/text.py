"""The text report a person reads in a terminal.

Findings are grouped by document. Each finding has one header line an editor can jump to,
``path:line:col: severity kind rule``, then its message wrapped to the terminal's width, the
authority, and the quoted statement below. The report ends with the run's notes, the date the
rules were taken at with the fact base's horizon, and the summary line.

File names, rule ids, messages, citations and quotes are shown through
:func:`~.escaping.terminal_safe`: an escape sequence in a file name or a fact pack's string cannot
reach the terminal, and a newline in a name cannot forge a line.
"""
from __future__ import annotations

import datetime as _dt
import textwrap
from typing import Iterable

from . import _present as P
from ..models import Document, Finding, Location
from .escaping import terminal_safe
from .model import AuditReport

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD = "\033[1m"
_RESET = "\033[0m"

#: the width used when none is given (the command line passes the terminal's)
DEFAULT_WIDTH = 100
#: the narrowest width wrapped to, however narrow the terminal
MIN_WIDTH = 40
INDENT = "    "
#: at most this many lines of a quote are shown; the rest is cut at a word with "…"
QUOTE_LINES = 6


def where_prefix(source: str, f: Finding, document: Document | None = None) -> str:
    """``source:line:col`` (line and column when the document is given, else the character
    offsets stand in: ``source:p3:start-end``); ``source: whole document`` for a finding with no
    passage, such as an omission."""
    loc = f.location
    source = terminal_safe(source)  # a file name cannot move the cursor or forge a line
    if not f.quote and loc.start == loc.end == 0:
        return f"{source}: whole document"
    return f"{source}:{_place(loc, document if f.quote else None)}"


def finding_header(source: str, f: Finding, color: bool = False, document: Document | None = None) -> str:
    """The finding's header line: ``source:line:col: severity kind rule``."""
    sev = f"{_COLORS[f.severity]}{f.severity}{_RESET}" if color else f.severity
    return f"{where_prefix(source, f, document)}: {sev} {f.kind} {terminal_safe(f.rule)}"


def finding_line(source: str, f: Finding, color: bool = False, document: Document | None = None) -> str:
    """One finding on one line: ``source:line:col: severity kind rule: "quote" message [citation]``
    (for logs and ``grep``; the text report gives each finding as a block, see :func:`finding_block`)."""
    cite = f" [{terminal_safe(str(f.citations[0]))}]" if f.citations else ""
    quote = f' "{terminal_safe(_short(f.quote))}"' if f.quote else ""
    return f"{finding_header(source, f, color, document)}:{quote} {terminal_safe(f.message)}{cite}"


def finding_block(source: str, f: Finding, color: bool = False, document: Document | None = None,
                  width: int = DEFAULT_WIDTH, quiet: bool = False) -> list[str]:
    """The header line, then (unless ``quiet``) the message wrapped to ``width``, the first
    citation and the quote, each indented."""
    lines = [finding_header(source, f, color, document)]
    if quiet:
        return lines
    width = max(MIN_WIDTH, width)
    wrapper = textwrap.TextWrapper(width=width, initial_indent=INDENT, subsequent_indent=INDENT,
                                   break_long_words=False, break_on_hyphens=False)
    lines += wrapper.wrap(terminal_safe(f.message))
    if f.citations:
        lines += wrapper.wrap(terminal_safe(f"Authority: {f.citations[0]}"))
    if f.quote:
        quoted = textwrap.wrap(terminal_safe(" ".join(f.quote.split())), width=width, initial_indent=INDENT + "> ",
                               subsequent_indent=INDENT + "> ", break_long_words=False, break_on_hyphens=False)
        if len(quoted) > QUOTE_LINES:
            quoted = quoted[:QUOTE_LINES]
            quoted[-1] = quoted[-1] + " …" if len(quoted[-1]) + 2 <= width else quoted[-1].rsplit(" ", 1)[0] + " …"
        lines += quoted
    if f.related:
        # the other passage of a contradiction, or the later uses of an old name
        label = "Conflicts with" if f.kind == "internal-contradiction" else "Also at"
        places = ", ".join(_place(r.location, document) for r in f.related)
        lines += wrapper.wrap(terminal_safe(f"{label}: {places}"))
    return lines


def _place(loc: Location, document: Document | None) -> str:
    """``line:col`` of a passage, or its character offsets when the document is not at hand."""
    lc = P.line_col(document, loc.start)
    if lc is not None:
        return f"{lc[0]}:{lc[1]}"
    return (f"p{loc.page}:" if loc.page is not None else "") + f"{loc.start}-{loc.end}"


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def render_text(reports: Iterable[AuditReport], color: bool = False, factbase: dict | None = None,
                as_of: _dt.date | None = None, width: int | None = None, quiet: bool = False) -> str:
    """The text report for several documents, grouped by document: a heading line per document
    with findings or errors, its unreadable entries and its findings (see :func:`finding_block`;
    ``quiet`` keeps only the header lines), a blank line; then the run's notes, the as-of date and
    fact-base horizon, and the summary line. ``width`` is the terminal's (default
    :data:`DEFAULT_WIDTH`)."""
    width = width or DEFAULT_WIDTH
    lines: list[str] = []
    reports = list(reports)
    first = reports[0] if reports else None
    factbase = factbase if factbase is not None else (first.factbase if first else {})
    as_of = as_of or (first.as_of if first else None)
    for r in reports:
        if not r.errors and not r.findings:
            continue
        heading = f"{terminal_safe(r.source)} ({_counts(r)})"
        lines.append(f"{_BOLD}{heading}{_RESET}" if color else heading)
        for e in r.errors:
            lines.append(terminal_safe(f"{r.source}: unreadable [{e.code}] {e.message}"))
        for f in r.findings:
            lines += finding_block(r.source, f, color, r.document, width=width, quiet=quiet)
        lines.append("")
    lines += [f"note: {terminal_safe(n)}" for n in P.run_notes(reports)]
    if as_of is not None:
        lines.append(f"rules as of {as_of.isoformat()} ({P.long_date(as_of)}); fact base {P.horizon_text(factbase)}")
    lines.append(P.summary_line(reports))
    return "\n".join(lines)


def _counts(r: AuditReport) -> str:
    if r.errors:
        return "unreadable"
    c = r.counts()
    parts = [P._plural(c["error"], "error", "errors"), P._plural(c["warning"], "warning", "warnings")]
    if c["info"]:
        parts.append(f"{c['info']} info")
    return ", ".join(parts)

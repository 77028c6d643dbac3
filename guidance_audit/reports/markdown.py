"""The Markdown report, for pasting into an issue, a pull request or a wiki page.

Document text is escaped so that it shows literally: Markdown punctuation is backslash-escaped,
``&``, ``<`` and ``>`` become entities (so no HTML from a document can render), quotes are
blockquotes, and identifiers go in code spans whose fence is longer than any run of backticks
inside them.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Sequence

from . import _present as P
from ..models import Citation, Finding, Location

if TYPE_CHECKING:
    from .model import AuditReport

__all__ = ["render_markdown", "md_escape", "code_span"]

# Parentheses, "!" and "+" need no escape once "[" and "]" are escaped and line starts are handled.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
# Markers that only mean something at the start of a line: lists, headings, quotes, rules, tables.
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])(?=\s|$)|^(\s*)([-=+])", re.MULTILINE)


def md_escape(text: object, *, inline: bool = True) -> str:
    """Escape text so Markdown shows it literally.

    Args:
        text: the text (converted with ``str``).
        inline: fold line breaks into spaces (for headings, list items and table cells).
    """
    s = str(text)
    if inline:
        s = " ".join(s.split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return _LINE_START.sub(lambda m: (f"{m.group(1)}{m.group(2)}\\{m.group(3)}" if m.group(2) is not None
                                      else f"{m.group(4)}\\{m.group(5)}"), s)


def code_span(text: object) -> str:
    """``text`` as an inline code span, whatever backticks it contains."""
    s = " ".join(str(text).split())
    longest = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s.strip() else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def _passage(report: AuditReport, loc: Location, quote: str) -> str:
    """The quote in bold inside its paragraph, as a blockquote."""
    p = P.passage(report.document, loc, quote, limit=300)
    if p is None:
        return "> **" + md_escape(quote) + "**"
    text = md_escape(p.before) + (" " if p.before[-1:].isspace() else "") + "**" + md_escape(p.quote) + "**" \
        + (" " if p.after[:1].isspace() else "") + md_escape(p.after)
    return "> " + text.strip()


def _citation(c: Citation) -> str:
    url = P.safe_url(c.url)
    title = md_escape(c.title)
    # An angle-bracketed destination keeps parentheses in the URL from ending the link.
    out = f"[{title}](<{url.replace('<', '%3C').replace('>', '%3E')}>)" if url else title
    parts = [out] + [md_escape(x) for x in (c.provision, P.long_date(c.date)) if x]
    return ", ".join(parts)


def _finding(report: AuditReport, f: Finding, n: str, suppressed: bool = False) -> list[str]:
    head = (f"#### {n}. {P.SEVERITY_LABELS.get(f.severity, f.severity)}: {P.kind_label(f.kind)} "
            f"{code_span(f.rule)}")
    out = [head, "", md_escape(f.message), ""]
    out.append(f"*Where:* {md_escape(P.where_text(report.document, f.location, f.quote))}")
    out.append("")
    if f.quote:
        out += [_passage(report, f.location, f.quote), ""]
    items = []
    if f.kind == "omission":
        if f.expected:
            items.append(f"What the document should cover: {md_escape(f.expected)}")
    elif f.kind == "internal-contradiction":
        if f.stated:
            items.append(f"This passage says: {md_escape(f.stated)}")
        if f.expected:
            items.append(f"The other passage says: {md_escape(f.expected)}")
    else:
        if f.stated:
            items.append(f"The document says: {md_escape(f.stated)}")
        if f.expected:
            items.append(f"Position on {P.long_date(report.as_of)}: {md_escape(f.expected)}")
    tb = P.true_between_text(f)
    if tb:
        items.append(f"Stated position applied: {md_escape(tb)}")
    if f.changed_on:
        items.append(f"Changed on: {md_escape(P.long_date(f.changed_on))}")
    verdict = P.publication_verdict(f, report.published)
    if verdict:
        items.append(f"Wrong at publication? {md_escape(verdict)}")
    if f.context:
        items.append(f"Read in the context of: {md_escape('; '.join(f.context))}")
    if f.cohort:
        items.append(f"Still holds for: {md_escape(f.cohort)}")
    if f.suggestion is not None:
        s = f.suggestion
        cite = f" ({_citation(s.citation)})" if s.citation else ""
        items.append(f"Suggested correction: {md_escape(s.text)}{cite}")
    if f.confidence and f.confidence != "high":
        items.append(f"Confidence: {md_escape(f.confidence)}")
    if suppressed:
        reason = P.suppression_reason(report, f)
        items.append(f"Suppressed because: {md_escape(reason) if reason else '*no reason recorded in the baseline*'}")
    for c in f.citations:
        items.append(f"Authority: {_citation(c)}")
    out += [f"- {i}" for i in items]
    if f.related:
        out += ["", "Conflicts with:" if f.kind == "internal-contradiction" else "Related passages:", ""]
        for r in f.related:
            out += [f"*{md_escape(P.where_text(report.document, r.location, r.quote))}*", "",
                    _passage(report, r.location, r.quote), ""]
    out += ["", f"<sub>fingerprint {code_span(f.fingerprint)}</sub>", ""]
    return out


def render_markdown(reports: Sequence[AuditReport], factbase_info: dict | None = None,
                    as_of: _dt.date | None = None) -> str:
    """The reports as Markdown (a renderer for ``--format md``).

    Args:
        reports: the reports of the run.
        factbase_info: the fact base's ``info()`` (default: the first report's).
        as_of: the date the rules were taken at (default: the first report's).
    """
    reports = list(reports)
    first = reports[0] if reports else None
    factbase_info = factbase_info if factbase_info is not None else (first.factbase if first else {})
    as_of = as_of or (first.as_of if first else _dt.date.today())
    t = P.totals(reports)
    title = (first.title or first.source) if len(reports) == 1 and first else f"{t.documents} documents"
    out = [f"## Guidance audit: {md_escape(title)}", ""]
    out += ["| | |", "|---|---|",
            f"| Rules as of | {as_of.isoformat()} |",
            f"| Fact base | {md_escape(P.factbase_text(factbase_info))} |",
            f"| Fact base horizon | {md_escape(P.horizon_text(factbase_info))} |"]
    if first is not None and first.tool_version:
        out.append(f"| Tool | guidance-audit {md_escape(first.tool_version)} |")
    out.append(f"| Documents | {t.documents}" + (f" ({t.unreadable} could not be audited)" if t.unreadable else "") + " |")
    out += [f"| {label} | {t.by_severity[s]} |" for s, label in
            (("error", "Errors"), ("warning", "Warnings"), ("info", "Info"))]
    out.append(f"| Suppressed | {t.suppressed} |")
    out += [f"| {md_escape(P.kind_label(k))} | {n} |" for k, n in t.by_kind.items()]
    out.append("")
    notes = P.run_notes(reports)
    if notes:
        out += [f"> **Note:** {md_escape(n)}" for n in notes] + [""]
    for d, r in enumerate(reports, 1):
        out += [f"### {md_escape(r.title or r.source)}", ""]
        meta = [f"Document: {code_span(r.source)}", f"Published: {md_escape(P.published_description(r))}",
                f"Statements examined: {r.claim_count}"]
        if r.pages:
            meta.append(f"Pages: {r.pages}")
        c = r.counts()
        meta.append(f"Findings: {c['error']} error(s), {c['warning']} warning(s), {c['info']} info, "
                    f"{len(r.suppressed)} suppressed")
        out += [f"- {m}" for m in meta] + [""]
        for e in r.errors:
            out += [f"**Could not be audited** ({code_span(e.code)}): {md_escape(e.message)}", ""]
        if not r.findings and not r.errors:
            out += ["No findings.", ""]
        for i, f in enumerate(r.findings, 1):
            out += _finding(r, f, f"{d}.{i}" if len(reports) > 1 else str(i))
        if r.suppressed:
            out += ["<details><summary>" + f"{len(r.suppressed)} finding(s) suppressed by the baseline"
                    + "</summary>", ""]
            for i, f in enumerate(r.suppressed, 1):
                out += _finding(r, f, f"S{i}", suppressed=True)
            out += ["</details>", ""]
    return "\n".join(out).rstrip() + "\n"

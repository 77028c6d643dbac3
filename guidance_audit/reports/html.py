"""The HTML report: one self-contained page a lawyer can read, print or send.

The page makes no request of any kind (inline CSS, one small inline script, no images, fonts or
links that load by themselves) and works offline. Every piece of document text, quote, message and
citation is escaped, and a ``Content-Security-Policy`` allows only the page's own script (by its
hash), so a script that found its way into a document could not run even if escaping failed. The
script only adds the severity/kind filters; with scripts off every finding is shown.

    >>> from guidance_audit.reports.html import render_html
    >>> page = render_html(reports, factbase_info, as_of)        # doctest: +SKIP
    >>> index = write_html_reports(reports, factbase_info, as_of, "out/")   # doctest: +SKIP
"""
from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import re
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from . import _present as P
from ..models import SEVERITY_RANK, Citation, Finding, Location
from .escaping import ESCAPE_ERRORS  # a non-UTF-8 file name is written as \xff, never an error

if TYPE_CHECKING:
    from .model import AuditReport

__all__ = ["render_html", "render_html_fragment", "render_index", "write_html_reports", "ordered_findings",
           "CONTENT_SECURITY_POLICY"]

# The filters. Kept tiny and free of inline handlers: the CSP admits this exact text only.
_SCRIPT = """(function () {
  var box = document.getElementById('ga-filters');
  if (!box) { return; }
  box.hidden = false;
  function apply() {
    var off = {};
    var inputs = box.querySelectorAll('input[type=checkbox]');
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].checked) { off[inputs[i].name + ':' + inputs[i].value] = true; }
    }
    var items = document.querySelectorAll('.ga-finding[data-severity]');
    var shown = 0;
    for (var j = 0; j < items.length; j++) {
      var it = items[j];
      var hide = off['severity:' + it.getAttribute('data-severity')] || off['kind:' + it.getAttribute('data-kind')];
      it.hidden = !!hide;
      if (!hide) { shown++; }
    }
    var count = document.getElementById('ga-shown');
    if (count) { count.textContent = shown + ' of ' + items.length + ' findings shown'; }
  }
  box.addEventListener('change', apply);
  apply();
})();
"""
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")

#: The page's policy: nothing may load, only inline styles and the page's own script may apply.
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'; "
    "base-uri 'none'; form-action 'none'"
)
_INDEX_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

# Scoped under .ga-report so the same rules can sit inside a Jupyter notebook.
_CSS = """
.ga-report { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d1d1f;
  line-height: 1.5; max-width: 62rem; margin: 0 auto; padding: 0 1rem 2rem; font-size: 15px;
  overflow-wrap: anywhere; box-sizing: border-box; }
.ga-report *, .ga-report *::before, .ga-report *::after { box-sizing: inherit; min-width: 0; }
.ga-report nav.ga-nav { margin: .8rem 0 0; font-size: .95rem; }
.ga-report details.ga-tech { margin: .4rem 0 0; color: #475467; font-size: .85rem; }
.ga-report details.ga-tech summary { cursor: pointer; }
.ga-report details.ga-tech dl { margin: .2rem 0 0; }
.ga-report h1 { font-size: 1.6rem; margin: 1rem 0 .25rem; }
.ga-report h2 { font-size: 1.3rem; margin: 1.5rem 0 .5rem; border-bottom: 2px solid #d0d4da; padding-bottom: .2rem; }
.ga-report h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
.ga-report h4 { font-size: .95rem; margin: .6rem 0 .2rem; }
.ga-report [hidden] { display: none !important; }
.ga-report .ga-sub { color: #555; margin-top: 0; }
.ga-report .ga-countwrap { display: flex; flex-wrap: wrap; gap: 2rem; }
.ga-report dl.ga-meta { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: .15rem 1rem; margin: .5rem 0; }
.ga-report dl.ga-meta dt { font-weight: 600; color: #333; }
.ga-report dl.ga-meta dd { margin: 0; overflow-wrap: anywhere; }
.ga-report table { border-collapse: collapse; margin: .5rem 0; }
.ga-report th, .ga-report td { border: 1px solid #d0d4da; padding: .25rem .6rem; text-align: left; vertical-align: top; }
.ga-report th { background: #f3f4f6; }
.ga-report td.ga-num { text-align: right; font-variant-numeric: tabular-nums; }
.ga-report .ga-badge { display: inline-block; border-radius: .25rem; padding: 0 .45rem; font-size: .8rem;
  font-weight: 700; text-transform: uppercase; letter-spacing: .03em; color: #fff; }
.ga-report .ga-sev-error { background: #b42318; }
.ga-report .ga-sev-warning { background: #a15c07; }
.ga-report .ga-sev-info { background: #175cd3; }
.ga-report .ga-finding { border: 1px solid #d0d4da; border-left: 6px solid #98a2b3; border-radius: .35rem;
  padding: .6rem .9rem; margin: .8rem 0; background: #fff; page-break-inside: avoid; }
.ga-report .ga-finding[data-severity=error] { border-left-color: #b42318; }
.ga-report .ga-finding[data-severity=warning] { border-left-color: #dc8a0e; }
.ga-report .ga-finding[data-severity=info] { border-left-color: #175cd3; }
.ga-report .ga-finding-head { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; }
.ga-report .ga-kind { font-weight: 700; }
.ga-report .ga-where { color: #555; font-size: .9rem; }
.ga-report .ga-message { margin: .4rem 0; }
.ga-report blockquote.ga-passage { margin: .4rem 0; padding: .4rem .8rem; background: #f8f9fb;
  border-left: 3px solid #98a2b3; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 1.05rem;
  font-family: Georgia, "Times New Roman", serif; }
.ga-report mark { background: #fde68a; color: inherit; padding: 0 .1rem; border-radius: .15rem; }
.ga-report dl.ga-facts { display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr); gap: .1rem 1rem; margin: .4rem 0; }
.ga-report dl.ga-facts dt { color: #444; font-weight: 600; }
.ga-report dl.ga-facts dd { margin: 0; }
.ga-report .ga-cites ol { margin: .2rem 0; padding-left: 1.4rem; }
.ga-report .ga-fp { color: #667085; font-size: .78rem; margin: .3rem 0 0; }
.ga-report code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .88em;
  background: #f2f4f7; padding: 0 .2rem; border-radius: .15rem; overflow-wrap: anywhere; }
.ga-report .ga-filters { border: 1px solid #d0d4da; border-radius: .35rem; padding: .4rem .8rem; margin: 1rem 0;
  background: #f8f9fb; }
.ga-report .ga-filters fieldset { border: 0; display: inline; margin: 0 1.5rem 0 0; padding: 0; }
.ga-report .ga-filters legend { font-weight: 600; display: inline; margin-right: .4rem; }
.ga-report .ga-filters label { margin-right: .7rem; white-space: nowrap; }
.ga-report .ga-filters #ga-shown { display: block; margin-top: .2rem; }
.ga-report .ga-errors li { color: #b42318; }
.ga-report .ga-notes li { color: #93370d; }
.ga-report .ga-empty { color: #555; font-style: italic; }
.ga-report details.ga-suppressed { margin: 1rem 0; }
.ga-report details.ga-suppressed summary { cursor: pointer; font-weight: 600; }
.ga-report .ga-reason { font-style: italic; }
@media (max-width: 40rem) {
  .ga-report { padding: 0 .6rem 1.5rem; }
  .ga-report dl.ga-meta, .ga-report dl.ga-facts { grid-template-columns: minmax(0, 1fr); }
  .ga-report dl.ga-meta dd, .ga-report dl.ga-facts dd { margin-bottom: .3rem; }
  .ga-report table.ga-docs, .ga-report table.ga-docs tbody, .ga-report table.ga-docs tr,
  .ga-report table.ga-docs td { display: block; width: 100%; }
  .ga-report table.ga-docs tr.ga-head { display: none; }
  .ga-report table.ga-docs tr { border: 1px solid #d0d4da; margin: .5rem 0; }
  .ga-report table.ga-docs td { border: 0; text-align: left; }
  .ga-report table.ga-docs td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  .ga-report .ga-countwrap { gap: 1rem; }
}
@media print { .ga-report .ga-filters { display: none; } .ga-report { max-width: none; }
  .ga-report details.ga-tech > *:not(summary) { display: block; } }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _link(text: str, url: str | None) -> str:
    """Escaped text, as a link only when the URL is http(s)."""
    href = P.safe_url(url)
    if href is None:
        return _e(text)
    return f'<a href="{_e(href)}" target="_blank" rel="noopener noreferrer nofollow">{_e(text)}</a>'


def _citation(c: Citation) -> str:
    parts = [_link(c.title, c.url)]
    if c.provision:
        parts.append(_e(c.provision))
    if c.date:
        parts.append(_e(P.long_date(c.date)))
    out = ", ".join(parts)
    if c.url and P.safe_url(c.url) is None:
        out += f' <span class="ga-where">({_e(c.url)})</span>'
    return out


def _passage(report: AuditReport, loc: Location, quote: str) -> str:
    if not quote:
        return ""
    p = P.passage(report.document, loc, quote)
    if p is None:
        return f'<blockquote class="ga-passage"><mark>{_e(quote)}</mark></blockquote>'
    return (f'<blockquote class="ga-passage">{_e(p.before)}<mark>{_e(p.quote)}</mark>'
            f'{_e(p.after)}</blockquote>')


def _finding(report: AuditReport, f: Finding, anchor: str, suppressed: bool = False) -> str:
    doc = report.document
    where = P.where_text(doc, f.location, f.quote)
    attrs = (f' data-severity="{_e(f.severity)}" data-kind="{_e(f.kind)}"' if not suppressed else "")
    out = [f'<article class="ga-finding" id="{_e(anchor)}"{attrs}>',
           '<div class="ga-finding-head">',
           f'<span class="ga-badge ga-sev-{_e(f.severity)}">{_e(P.SEVERITY_LABELS.get(f.severity, f.severity))}</span>',
           f'<span class="ga-kind">{_e(P.kind_label(f.kind))}</span>',
           f'<span class="ga-where">{_e(where)}</span>',
           '</div>',
           f'<p class="ga-message">{_e(f.message)}</p>']
    if f.quote:
        out.append(_passage(report, f.location, f.quote))
    facts: list[tuple[str, str]] = []
    as_of = P.long_date(report.as_of)
    if f.kind == "omission":
        if f.expected:
            facts.append(("What the document should cover", _e(f.expected)))
    elif f.kind == "internal-contradiction":
        if f.stated:
            facts.append(("This passage says", _e(f.stated)))
        if f.expected:
            facts.append(("The other passage says", _e(f.expected)))
    else:
        if f.stated:
            facts.append(("The document says", _e(f.stated)))
        if f.expected:
            facts.append((f"Position on {as_of}", _e(f.expected)))
    tb = P.true_between_text(f)
    if tb:
        facts.append(("Stated position applied", _e(tb)))
    if f.changed_on:
        facts.append(("Changed on", _e(P.long_date(f.changed_on))))
    verdict = P.publication_verdict(f, report.published)
    if verdict:
        facts.append(("Wrong at publication?", _e(verdict)))
    if f.context:
        facts.append(("Read in the context of", _e("; ".join(f.context))))
    if f.cohort:
        facts.append(("Still holds for", _e(f.cohort)))
    if f.suggestion is not None:
        s = f.suggestion
        cite = f" ({_citation(s.citation)})" if s.citation else ""
        facts.append(("Suggested correction", f'<span class="ga-suggestion">{_e(s.text)}</span>{cite}'))
    if f.confidence and f.confidence != "high":
        facts.append(("Confidence", _e(f.confidence)))
    if suppressed:
        reason = P.suppression_reason(report, f)
        facts.append(("Suppressed because", f'<span class="ga-reason">{_e(reason)}</span>' if reason
                      else '<span class="ga-reason">no reason recorded in the baseline</span>'))
    out.append('<dl class="ga-facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")
    if f.related:
        out.append("<h4>Conflicts with</h4>" if f.kind == "internal-contradiction" else "<h4>Related passages</h4>")
        for r in f.related:
            out.append(f'<p class="ga-where">{_e(P.where_text(doc, r.location, r.quote))}</p>')
            out.append(_passage(report, r.location, r.quote))
    if f.citations:
        items = "".join(f"<li>{_citation(c)}</li>" for c in f.citations)
        out.append(f'<div class="ga-cites"><h4>Authority</h4><ol>{items}</ol></div>')
    out.append(_technical([("Rule", f"<code>{_e(f.rule)}</code>"),
                           ("Fingerprint", f'<code class="ga-fp">{_e(f.fingerprint)}</code>')]))
    out.append("</article>")
    return "\n".join(out)


def _technical(rows: Iterable[tuple[str, str]]) -> str:
    """Identifiers for tools and for whoever maintains the fact base (rule ids, fingerprints, the
    fact base's hash), folded away so that a reader sees the findings first."""
    items = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    return f'<details class="ga-tech"><summary>Technical details</summary><dl class="ga-facts">{items}</dl></details>'


def _factbase_short(info: dict) -> str:
    """The fact base's version and size, without its hash (which goes in the technical details)."""
    if not info:
        return "unknown"
    n = info.get("facts")
    text = str(info.get("version", "?")) + (f" ({n} facts)" if n is not None else "")
    overridden = info.get("overridden") or []
    if overridden:
        text += f"; overridden by user packs: {', '.join(map(str, overridden))}"
    return text


def _run_technical(info: dict, version: str) -> str:
    rows = [("Fact base", _e(P.factbase_text(info)))]
    if info and info.get("sha256"):
        rows.append(("Fact base SHA-256", f"<code>{_e(info['sha256'])}</code>"))
    if version:
        rows.append(("Tool", _e(f"guidance-audit {version}")))
    return _technical(rows)


def ordered_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then the rest; in document order within each severity
    (omissions, which point at no passage, last)."""
    return sorted(findings, key=lambda f: (-SEVERITY_RANK.get(f.severity, -1), f.kind == "omission",
                                           f.location.start, f.location.end))


def _severity_key(r: AuditReport) -> tuple:
    """How the index orders documents: unreadable ones and those with the most errors first,
    then by warnings and info."""
    c = r.counts()
    return (not r.errors, -c["error"], -c["warning"], -c["info"])


def _count_tables(t: P.Totals) -> str:
    rows = "".join(
        f'<tr><td><span class="ga-badge ga-sev-{s}">{P.SEVERITY_LABELS[s]}</span></td>'
        f'<td class="ga-num">{t.by_severity[s]}</td></tr>' for s in P.SEVERITIES)
    rows += f'<tr><td>Suppressed by baseline</td><td class="ga-num">{t.suppressed}</td></tr>'
    sev = f'<table class="ga-counts"><tr><th>Severity</th><th>Findings</th></tr>{rows}</table>'
    if t.by_kind:
        krows = "".join(f'<tr><td>{_e(P.kind_label(k))}</td><td class="ga-num">{n}</td></tr>'
                        for k, n in t.by_kind.items())
        kinds = f'<table class="ga-counts"><tr><th>Kind</th><th>Findings</th></tr>{krows}</table>'
    else:
        kinds = ""
    return f'<div class="ga-countwrap">{sev}{kinds}</div>'


def _notes(notes: Sequence[str]) -> str:
    """The run's notes about its own reliability (an empty string when there are none)."""
    if not notes:
        return ""
    return '<ul class="ga-notes">' + "".join(f"<li>{_e(n)}</li>" for n in notes) + "</ul>"


def _meta(rows: Iterable[tuple[str, str]]) -> str:
    return '<dl class="ga-meta">' + "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _document_section(report: AuditReport, n: int, heading: bool) -> str:
    out = ['<section class="ga-document">']
    name = report.title or report.source
    if heading:
        out.append(f"<h2>{_e(name)}</h2>")
    rows = [("Document", f"<code>{_e(report.source)}</code>")]
    if report.title:
        rows.append(("Title", _e(report.title)))
    rows.append(("Published", _e(P.published_description(report))))
    if report.pages:
        rows.append(("Pages", _e(report.pages)))
    rows.append(("Statements examined", _e(report.claim_count)))
    c = report.counts()
    rows.append(("Findings", _e(f"{c['error']} error(s), {c['warning']} warning(s), {c['info']} info"
                                + (f", {len(report.suppressed)} suppressed" if report.suppressed else ""))))
    out.append(_meta(rows))
    if report.errors:
        items = "".join(f"<li><code>{_e(e.code)}</code> {_e(e.message)}</li>" for e in report.errors)
        out.append(f'<h3>Could not be audited</h3><ul class="ga-errors">{items}</ul>')
    if report.findings:
        out.append(f"<h3>Findings ({len(report.findings)})</h3>")
        for i, f in enumerate(ordered_findings(report.findings)):
            out.append(_finding(report, f, f"d{n}-f{i + 1}"))
    elif not report.errors:
        out.append('<p class="ga-empty">No findings.</p>')
    if report.suppressed:
        out.append(f'<details class="ga-suppressed"><summary>{len(report.suppressed)} finding(s) suppressed '
                   'by the baseline (not counted in the exit status)</summary>')
        for i, f in enumerate(report.suppressed):
            out.append(_finding(report, f, f"d{n}-s{i + 1}", suppressed=True))
        out.append("</details>")
    out.append("</section>")
    return "\n".join(out)


def _filters(reports: Sequence[AuditReport]) -> str:
    sevs = sorted({f.severity for r in reports for f in r.findings}, key=P.SEVERITIES.index)
    kinds = [k for k in P.KINDS if any(f.kind == k for r in reports for f in r.findings)]
    if not sevs:
        return ""

    def boxes(name: str, values: Sequence[str], label: Callable[[str], str]) -> str:
        return "".join(f'<label><input type="checkbox" name="{name}" value="{_e(v)}" checked> {_e(label(v))}</label>'
                       for v in values)

    return ('<form id="ga-filters" class="ga-filters" hidden>'
            f'<fieldset><legend>Severity</legend>{boxes("severity", sevs, lambda s: P.SEVERITY_LABELS[s])}</fieldset>'
            f'<fieldset><legend>Kind</legend>{boxes("kind", kinds, P.kind_label)}</fieldset>'
            '<span id="ga-shown" class="ga-where"></span></form>')


def render_html_fragment(reports: Sequence[AuditReport], factbase_info: dict | None = None,
                         as_of: _dt.date | None = None, *, filters: bool = False,
                         index_href: str | None = None) -> str:
    """The report as one ``<div class="ga-report">`` with its own scoped styles and no script
    (what a notebook shows inline).

    Args:
        reports: the reports of the run.
        factbase_info: the fact base's ``info()`` (default: the first report's).
        as_of: the date the rules were taken at (default: the first report's).
        filters: include the (hidden until scripted) filter form.
        index_href: link back to this index page, at the top and the bottom (a page of a folder
            written by :func:`write_html_reports`).
    """
    reports = list(reports)
    first = reports[0] if reports else None
    factbase_info = factbase_info if factbase_info is not None else (first.factbase if first else {})
    as_of = as_of or (first.as_of if first else _dt.date.today())
    version = first.tool_version if first else ""
    t = P.totals(reports)
    out = ['<div class="ga-report">', f"<style>{_CSS}</style>"]
    nav = (f'<nav class="ga-nav"><a href="{_e(index_href)}" class="ga-index-link">&larr; All documents '
           "(index)</a></nav>") if index_href else ""
    if nav:
        out.append(nav)
    if len(reports) == 1 and first is not None:
        out.append(f"<h1>Guidance audit: {_e(first.title or first.source)}</h1>")
    else:
        out.append(f"<h1>Guidance audit of {t.documents} documents</h1>")
    out.append(f'<p class="ga-sub">Rules taken as at {_e(P.long_date(as_of))}. Each finding quotes the '
               "document, says where the passage is and cites the authority for the rule.</p>")
    out.append("<h2>Summary</h2>")
    run_rows = [("Rules as of", _e(f"{P.long_date(as_of)} ({as_of.isoformat()})")),
                ("Fact base", _e(_factbase_short(factbase_info))),
                ("Fact base horizon", _e(P.horizon_text(factbase_info)))]
    if len(reports) == 1 and first is not None:
        run_rows.append(("Published", _e(P.published_description(first))))
    else:
        run_rows.append(("Documents", _e(f"{t.documents} ({t.unreadable} could not be audited)"
                                          if t.unreadable else t.documents)))
    out.append(_meta(run_rows))
    out.append(_run_technical(factbase_info, version))
    out.append(_notes(P.run_notes(reports)))
    out.append(_count_tables(t))
    if filters:
        out.append(_filters(reports))
    for n, r in enumerate(reports, 1):
        out.append(_document_section(r, n, heading=len(reports) > 1))
    if nav:
        out.append(nav)
    out.append("</div>")
    return "\n".join(out)


def _page(title: str, body: str, policy: str, script: bool) -> str:
    tail = f"<script>{_SCRIPT}</script>\n" if script else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n"
            "<style>body { margin: 0; background: #fafafa; }</style>\n"
            f"</head>\n<body>\n{body}\n{tail}</body>\n</html>\n")


def render_html(reports: Sequence[AuditReport], factbase_info: dict | None = None,
                as_of: _dt.date | None = None, *, index_href: str | None = None) -> str:
    """The reports as one self-contained HTML page (a renderer for ``--format html``).

    Args:
        reports: the reports of the run (one section per document).
        factbase_info: the fact base's ``info()`` (default: the first report's).
        as_of: the date the rules were taken at (default: the first report's).
        index_href: link back to this index page (see :func:`render_html_fragment`).

    Returns:
        The page. It loads nothing, and its Content-Security-Policy lets only its own filter
        script run.
    """
    reports = list(reports)
    if len(reports) == 1:
        title = f"Guidance audit: {reports[0].title or reports[0].source}"
    else:
        title = f"Guidance audit of {len(reports)} documents"
    body = render_html_fragment(reports, factbase_info, as_of, filters=True, index_href=index_href)
    return _page(title, body, CONTENT_SECURITY_POLICY, script=True)


def _page_name(n: int, source: str) -> str:
    """``003-force-policy.html``: the number keeps names unique, the stem keeps them recognisable."""
    stem = re.sub(r"[^a-z0-9]+", "-", Path(source).stem.lower()).strip("-")[:60] or "document"
    return f"{n:03d}-{stem}.html"


def render_index(reports: Sequence[AuditReport], pages: Sequence[str], factbase_info: dict | None = None,
                 as_of: _dt.date | None = None) -> str:
    """The index page of a corpus run: one row per document, linking its page; unreadable
    documents and those with the most errors first, then by warnings and info."""
    reports = list(reports)
    first = reports[0] if reports else None
    factbase_info = factbase_info if factbase_info is not None else (first.factbase if first else {})
    as_of = as_of or (first.as_of if first else _dt.date.today())
    t = P.totals(reports)
    rows = []
    for r, page in sorted(zip(reports, pages), key=lambda rp: _severity_key(rp[0])):
        c = r.counts()
        status = ("could not be audited: " + "; ".join(e.message for e in r.errors)) if r.errors else ""
        rows.append(
            f'<tr class="ga-doc"><td><a href="{_e(page)}">{_e(r.title or r.source)}</a><br><code>{_e(r.source)}</code></td>'
            f'<td data-label="Published">{_e(P.published_description(r))}</td>'
            f'<td class="ga-num" data-label="Errors">{c["error"]}</td>'
            f'<td class="ga-num" data-label="Warnings">{c["warning"]}</td>'
            f'<td class="ga-num" data-label="Info">{c["info"]}</td>'
            f'<td class="ga-num" data-label="Suppressed">{len(r.suppressed)}</td>'
            f'<td class="ga-errors">{_e(status)}</td></tr>')
    table = ('<table class="ga-docs"><tr class="ga-head"><th>Document</th><th>Published</th><th>Errors</th>'
             f'<th>Warnings</th><th>Info</th><th>Suppressed</th><th>Problems</th></tr>{"".join(rows)}</table>')
    run_rows = [("Rules as of", _e(f"{P.long_date(as_of)} ({as_of.isoformat()})")),
                ("Fact base", _e(_factbase_short(factbase_info))),
                ("Fact base horizon", _e(P.horizon_text(factbase_info))),
                ("Documents", _e(f"{t.documents} ({t.unreadable} could not be audited)" if t.unreadable
                                 else t.documents))]
    version = first.tool_version if first is not None else ""
    body = "\n".join(['<div class="ga-report">', f"<style>{_CSS}</style>",
                      f"<h1>Guidance audit of {t.documents} documents</h1>", "<h2>Summary</h2>",
                      _meta(run_rows), _run_technical(factbase_info, version), _notes(P.run_notes(reports)), _count_tables(t), "<h2>Documents</h2>",
                      table, "</div>"])
    return _page(f"Guidance audit of {t.documents} documents", body, _INDEX_POLICY, script=False)


def write_html_reports(reports: Sequence[AuditReport], factbase_info: dict | None, as_of: _dt.date | None,
                       out_dir: str | Path) -> Path:
    """Write ``index.html`` and one page per document into ``out_dir`` (created if needed).

    Returns:
        The path of ``index.html``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    reports = list(reports)
    pages = [_page_name(n, r.source) for n, r in enumerate(reports, 1)]
    for r, name in zip(reports, pages):
        (out / name).write_text(render_html([r], factbase_info, as_of, index_href="index.html"), encoding="utf-8",
                                errors=ESCAPE_ERRORS)
    index = out / "index.html"
    index.write_text(render_index(reports, pages, factbase_info, as_of), encoding="utf-8", errors=ESCAPE_ERRORS)
    return index

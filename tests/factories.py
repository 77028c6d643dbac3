"""Hand-built documents, findings and reports for the renderer tests.

Renderer tests build their inputs here so that they test the formats, not the quality of the audit.
Offsets are computed when the document is built, so ``doc.text[f.location.start:f.location.end]``
always equals ``f.quote``.
"""
from __future__ import annotations

import datetime as dt
from typing import Sequence

from guidance_audit.models import Block, Citation, Document, Finding, Location, Metadata, Related
from guidance_audit.report import AuditReport

AS_OF = dt.date(2026, 11, 21)
PUBLISHED = dt.date(2020, 4, 23)
FACTBASE = {"version": "test+0001", "sha256": "0" * 64, "facts": 3, "overridden": []}

HC194 = Citation(title="Statement of Changes in Immigration Rules HC 194", provision="Appendix FM, E-ILRP.1.3",
                 date=dt.date(2012, 7, 9), url="https://www.gov.uk/government/publications/hc-194")


def make_document(paragraphs: Sequence[str | tuple[str, int]], source: str = "guidance.txt", *,
                  title: str | None = "Test guidance", published: dt.date | None = PUBLISHED,
                  published_from: str | None = "text", fmt: str = "text") -> Document:
    """A document whose blocks are the paragraphs, separated by blank lines.

    A paragraph may be ``(text, page)`` to put it on a page.
    """
    text, blocks = "", []
    pages = None
    for i, p in enumerate(paragraphs):
        body, page = (p, None) if isinstance(p, str) else p
        if blocks:
            text += "\n\n"
        start = len(text)
        text += body
        blocks.append(Block(index=i, kind="paragraph", text=body, start=start, end=len(text), page=page,
                            number=str(i + 1)))
        if page is not None:
            pages = max(pages or 0, page)
    meta = Metadata(source=source, format=fmt, title=title, published=published, published_from=published_from,
                    pages=pages)
    return Document(text=text, blocks=tuple(blocks), metadata=meta)


def location_of(doc: Document, quote: str, occurrence: int = 0) -> Location:
    """Where ``quote`` is in the document (tests only: the library never searches for quotes)."""
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(quote, start + 1)
    end = start + len(quote)
    block = doc.block_at(start)
    return Location(page=block.page if block else None, block=block.index if block else None, start=start, end=end)


def make_finding(doc: Document, quote: str, *, kind: str = "outdated", severity: str = "error",
                 rule: str = "partner.settlement_period", message: str | None = None, **kw) -> Finding:
    """A finding quoting ``quote`` from ``doc``; keyword arguments override Finding fields."""
    defaults = dict(
        stated="2 years", expected="5 years",
        true_between=(dt.date(2003, 4, 1), dt.date(2012, 7, 8)), wrong_at_publication=True,
        citations=(HC194,), changed_on=dt.date(2012, 7, 9),
    )
    if kind not in ("outdated", "incorrect"):
        defaults = dict(citations=(HC194,))
    defaults.update(kw)
    return Finding(kind=kind, severity=severity, rule=rule,  # type: ignore[arg-type]
                   message=message or f"The statement is {kind}.", quote=quote,
                   location=location_of(doc, quote) if quote else Location(None, None, 0, 0), **defaults)


def make_contradiction(doc: Document, quote: str, other: str, rule: str = "stance.share_victim_data") -> Finding:
    return make_finding(doc, quote, kind="internal-contradiction", severity="warning", rule=rule,
                        message="The document says both that it never shares victims' details and that it does.",
                        related=(Related(quote=other, location=location_of(doc, other)),))


def make_omission(rule: str = "topic.da_concession", expected: str = "the migrant victims of domestic abuse concession"):
    return Finding(kind="omission", severity="warning", rule=rule,
                   message=f"This reads as domestic abuse guidance, but it never addresses {expected}.",
                   quote="", location=Location(None, None, 0, 0), expected=expected, citations=(HC194,))


def make_report(doc: Document | None, findings: Sequence[Finding] = (), *, suppressed: Sequence[Finding] = (),
                reasons: dict[str, str] | None = None, source: str | None = None, errors=(),
                as_of: dt.date = AS_OF) -> AuditReport:
    meta = doc.metadata if doc is not None else None
    return AuditReport(
        source=source or (meta.source if meta else "missing.pdf"), as_of=as_of, findings=tuple(findings),
        errors=tuple(errors), document=doc, title=meta.title if meta else None,
        published=meta.published if meta else None, published_from=meta.published_from if meta else None,
        pages=meta.pages if meta else None, claim_count=len(doc.blocks) if doc else 0, factbase=dict(FACTBASE),
        tool_version="0.1.0", suppressed=tuple(suppressed), suppression_reasons=dict(reasons or {}),
    )


SPOUSE = "People on a spouse visa can apply for indefinite leave to remain after two years in the UK."
NEVER_SHARE = "We will never share a victim's details with Immigration Enforcement."
ALWAYS_SHARE = "Officers must pass the victim's details to Immigration Enforcement."
UKBA = "UK Border Agency"


def sample_report(source: str = "force-policy.txt") -> AuditReport:
    """A report with one finding of each common kind, on pages, with a contradiction and an omission."""
    doc = make_document([
        ("Victims of crime: insecure immigration status. Last updated 23 April 2020.", 1),
        (SPOUSE, 1),
        (f"Contact the {UKBA} if in doubt.", 2),
        (NEVER_SHARE, 2),
        (ALWAYS_SHARE, 3),
    ], source=source)
    findings = [
        make_finding(doc, SPOUSE),
        make_finding(doc, UKBA, kind="outdated-term", severity="warning", rule="body.ukba",
                     stated="UK Border Agency", expected="UK Visas and Immigration", wrong_at_publication=True,
                     true_between=(dt.date(2008, 4, 1), dt.date(2013, 3, 31))),
        make_contradiction(doc, ALWAYS_SHARE, NEVER_SHARE),
        make_omission(),
    ]
    return make_report(doc, findings)


HOSTILE_PARAGRAPHS = [
    "<script>document.title='PWNED';document.body.setAttribute('data-pwned','1')</script> Spouses settle after 2 years & more.",
    "Officers | teams should read `code` and **bold** <img src=x onerror=\"document.title='PWNED2'\"> text.",
    "# Not a heading\n- not a list\n1. not numbered [link](javascript:alert(1)) ![img](http://x/y.png)",
]


def hostile_report(source: str = "hostile<script>.txt") -> AuditReport:
    """A report whose document text, quotes, messages and citations try to inject markup."""
    doc = make_document(HOSTILE_PARAGRAPHS, source=source, title="<b>Title</b> & \"quotes\"")
    bad_cite = Citation(title="<script>alert('cite')</script> | `x`", provision="<i>para</i>",
                        url="javascript:alert(1)")
    findings = [
        make_finding(doc, HOSTILE_PARAGRAPHS[0], message="Message <script>alert('m')</script> & `tick` | pipe",
                     stated="<b>2</b> years", expected="5 years & more", citations=(bad_cite, HC194)),
        make_finding(doc, "Officers | teams should read `code` and **bold** <img src=x onerror=\"document.title='PWNED2'\"> text.",
                     kind="outdated-term", severity="warning", rule="body.<x>`|"),
        make_finding(doc, "# Not a heading\n- not a list", kind="incorrect", rule="rule.md"),
    ]
    return make_report(doc, findings)

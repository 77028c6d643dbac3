"""spaCy components for people who already run spaCy pipelines.

Importing :mod:`guidance_audit` registers two factories and their extensions (once):

``guidance_claims``
    splits the Doc into the statements the auditor checks: ``doc._.claims`` is the list of
    :class:`~guidance_audit.models.Claim`, and ``doc.spans["guidance_claims"]`` holds one
    ``Span`` per claim, labelled with its framing (``current``, ``historical``, ``future``,
    ``hypothetical`` or ``quoted``), with ``span._.claim``, ``span._.framing``,
    ``span._.modality``, ``span._.negated`` and ``span._.quantities``::

        import spacy, guidance_audit
        nlp = spacy.blank("en")
        nlp.add_pipe("guidance_claims")
        doc = nlp("People on a spouse visa can settle after two years.")
        doc.spans["guidance_claims"][0]._.quantities   # (<Quantity duration 24.0months 'two years'>,)

``guidance_findings``
    audits the Doc's text against the fact base and puts each finding that quotes a passage in
    ``doc.spans["guidance_findings"]``, labelled with its kind, with ``span._.finding``,
    ``span._.severity``, ``span._.rule`` and ``span._.message``; ``doc._.findings`` holds every
    finding (omissions too, which quote no passage) and ``doc._.audit_report`` the whole
    :class:`~guidance_audit.reports.model.AuditReport`. displaCy shows them::

        nlp.add_pipe("guidance_findings", config={"as_of": "2026-11-21", "published": "2020-04-23"})
        doc = nlp(text)
        spacy.displacy.render(doc, style="span", options={"spans_key": "guidance_findings"})

The span keys are :data:`CLAIMS_KEY` and :data:`FINDINGS_KEY`.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from .models import Block, Claim
from .segment import SENTENCE_COMPONENT, claims_of_block, guidance_sentences

CLAIMS_KEY = "guidance_claims"
FINDINGS_KEY = "guidance_findings"

#: displaCy colours for the finding kinds (pass ``options={"colors": FINDING_COLORS, ...}``)
FINDING_COLORS = {
    "outdated": "#f4a3a3", "incorrect": "#f07b7b", "outdated-citation": "#f4c2a3",
    "outdated-term": "#f7dd8f", "internal-contradiction": "#c9b8f0", "supported": "#b7e4c7",
}


def _claim_of(span: Span) -> Claim | None:
    """The claim a span covers: the one ``doc._.claims`` has at the span's character offsets."""
    for claim in span.doc._.claims or ():
        if _covers(span, claim.start, claim.end):
            return claim
    return None


def _covers(span: Span, start: int, end: int) -> bool:
    """Whether the span is the token-aligned span of the characters ``start:end``."""
    return span.start_char <= start < span.end_char and span.start_char < end <= span.end_char


def _claim_attr(name: str):
    def get(span: Span) -> Any:
        claim = _claim_of(span)
        return getattr(claim, name) if claim is not None else None

    return get


def _finding_of(span: Span):
    for f in span.doc._.findings or ():
        if f.quote and _covers(span, f.location.start, f.location.end) and span.label_ == f.kind:
            return f
    return None


def _finding_attr(name: str):
    def get(span: Span) -> Any:
        f = _finding_of(span)
        return getattr(f, name) if f is not None else None

    return get


def _register() -> None:
    for name, default in (("claims", None), ("findings", None), ("audit_report", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("claim"):
        Span.set_extension("claim", getter=_claim_of)
    for name in ("framing", "modality", "negated", "quantities"):
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_claim_attr(name))
    if not Span.has_extension("finding"):
        Span.set_extension("finding", getter=_finding_of)
    for name in ("severity", "rule", "message"):
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_finding_attr(name))


_register()


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    """The Span of the characters ``start:end`` widened to whole tokens, or ``None`` outside the Doc."""
    if not 0 <= start < end <= len(doc.text):
        return None
    return doc.char_span(start, end, label=label, alignment_mode="expand")


class GuidanceClaims:
    """Sets ``doc._.claims`` and ``doc.spans["guidance_claims"]``: the claims of the whole Doc,
    treated as one paragraph."""

    def __init__(self, reference: str | None = None):
        self.reference = _dt.date.fromisoformat(reference) if reference else None

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("SENT_START"):
            guidance_sentences(doc)
        block = Block(index=0, kind="paragraph", text=doc.text, start=0, end=len(doc.text))
        doc._.claims = claims_of_block(doc, block, self.reference or _dt.date.today())
        spans = [_span(doc, c.start, c.end, c.framing) for c in doc._.claims]
        doc.spans[CLAIMS_KEY] = SpanGroup(doc, name=CLAIMS_KEY, spans=[s for s in spans if s is not None])
        return doc


class GuidanceFindings:
    """Audits the Doc's text and adds its findings as spans in ``doc.spans["guidance_findings"]``.

    Args:
        as_of: the ISO date the rules are taken at (default: today).
        published: the document's ISO publication date (default: read from the text).
        facts: paths of extra fact packs.
        include_supported: also mark statements that agree with the rules.
    """

    def __init__(self, as_of: str | None = None, published: str | None = None, facts: list[str] | None = None,
                 include_supported: bool = False):
        self.as_of = as_of
        self.published = published
        self.facts = list(facts or [])
        self.include_supported = include_supported
        self._auditor = None

    @property
    def auditor(self):
        """The auditor, built when the first Doc arrives (so adding the pipe is cheap)."""
        if self._auditor is None:
            from .auditor import Auditor
            from .factbase import load_factbase

            self._auditor = Auditor(load_factbase(extra=self.facts), include_supported=self.include_supported)
        return self._auditor

    def __call__(self, doc: Doc) -> Doc:
        from .errors import NoTextError

        try:
            report = self.auditor.audit_text(doc.text, as_of=self.as_of, published=self.published, source="<doc>")
        except NoTextError:
            report = None
        findings = tuple(report.findings) if report is not None else ()
        if report is not None and report.document is not None and report.document.text != doc.text:
            findings = ()  # offsets would not point into this Doc; never mark the wrong words
        doc._.audit_report = report
        doc._.findings = list(findings)
        spans = [_span(doc, f.location.start, f.location.end, f.kind) for f in findings if f.quote]
        doc.spans[FINDINGS_KEY] = SpanGroup(doc, name=FINDINGS_KEY, spans=[s for s in spans if s is not None])
        return doc


@Language.factory(CLAIMS_KEY, default_config={"reference": None})
def make_guidance_claims(nlp: Language, name: str, reference: str | None) -> GuidanceClaims:
    """Create the claims component. ``reference`` is the ISO date statements speak from (default today)."""
    return GuidanceClaims(reference)


@Language.factory(FINDINGS_KEY, default_config={"as_of": None, "published": None, "facts": [],
                                                "include_supported": False})
def make_guidance_findings(nlp: Language, name: str, as_of: str | None, published: str | None,
                           facts: list[str], include_supported: bool) -> GuidanceFindings:
    """Create the findings component (see :class:`GuidanceFindings`)."""
    return GuidanceFindings(as_of, published, facts, include_supported)


__all__ = ["CLAIMS_KEY", "FINDINGS_KEY", "FINDING_COLORS", "GuidanceClaims", "GuidanceFindings", "SENTENCE_COMPONENT"]

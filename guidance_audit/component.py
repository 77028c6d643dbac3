"""A spaCy component for people who already run spaCy pipelines.

Importing :mod:`guidance_audit` registers the ``guidance_claims`` factory and the ``Doc._.claims``
extension (once)::

    import spacy, guidance_audit
    nlp = spacy.blank("en")
    nlp.add_pipe("guidance_claims")
    doc = nlp("People on a spouse visa can settle after two years.")
    doc._.claims   # [<Claim [0:51] 'People on a spouse visa can settle after two years.'>]
"""
from __future__ import annotations

import datetime as _dt

from spacy.language import Language
from spacy.tokens import Doc

from .models import Block
from .segment import SENTENCE_COMPONENT, claims_of_block, guidance_sentences

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)


class GuidanceClaims:
    """Sets ``doc._.claims``: the claims of the whole Doc, treated as one paragraph."""

    def __init__(self, reference: str | None = None):
        self.reference = _dt.date.fromisoformat(reference) if reference else None

    def __call__(self, doc: Doc) -> Doc:
        if not doc.has_annotation("SENT_START"):
            guidance_sentences(doc)
        block = Block(index=0, kind="paragraph", text=doc.text, start=0, end=len(doc.text))
        doc._.claims = claims_of_block(doc, block, self.reference or _dt.date.today())
        return doc


@Language.factory("guidance_claims", default_config={"reference": None})
def make_guidance_claims(nlp: Language, name: str, reference: str | None) -> GuidanceClaims:
    """Create the component. ``reference`` is the ISO date statements speak from (default today)."""
    return GuidanceClaims(reference)


__all__ = ["GuidanceClaims", "SENTENCE_COMPONENT"]

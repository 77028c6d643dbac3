"""The spaCy components: claims as Spans with their attributes, findings as Spans displaCy shows."""
import spacy
from spacy import displacy

import guidance_audit as ga  # noqa: F401 - registers the factories
from guidance_audit.component import CLAIMS_KEY, FINDING_COLORS, FINDINGS_KEY

TEXT = ("Published 1 May 2020. Spouses can settle after two years. Before July 2012 spouses could settle "
        "after two years. Contact the UK Border Agency.")


def test_claims_are_spans_with_their_attributes():
    nlp = spacy.blank("en")
    nlp.add_pipe("guidance_claims")
    doc = nlp(TEXT)
    spans = doc.spans[CLAIMS_KEY]
    assert [s.text for s in spans] == [c.text for c in doc._.claims]
    assert [(s.start_char, s.end_char) for s in spans] == [(c.start, c.end) for c in doc._.claims]
    current, historical = spans[1], spans[2]
    assert current.text == "Spouses can settle after two years."
    assert current.label_ == "current" and current._.framing == "current"
    assert [(q.kind, q.value) for q in current._.quantities] == [("duration", 24)]
    assert current._.claim is doc._.claims[1] and current._.negated is False and current._.modality == "can"
    assert historical.label_ == "historical" and historical._.framing == "historical"


def test_findings_are_spans_that_displacy_renders():
    nlp = spacy.blank("en")
    nlp.add_pipe("guidance_findings", config={"as_of": "2026-06-01"})
    doc = nlp(TEXT)
    spans = doc.spans[FINDINGS_KEY]
    assert [(s.text, s.label_, s._.severity, s._.rule) for s in spans] == [
        ("Spouses can settle after two years.", "outdated", "error", "partner.settlement_period"),
        ("UK Border Agency", "outdated-term", "warning", "body.ukba"),
    ]
    assert spans[0]._.finding is doc._.findings[0] and spans[0]._.message.startswith("States two years")
    assert doc._.audit_report.as_of.isoformat() == "2026-06-01"
    # the historical statement is not marked
    assert all(not s.text.startswith("Before July 2012") for s in spans)
    html = displacy.render(doc, style="span", options={"spans_key": FINDINGS_KEY, "colors": FINDING_COLORS})
    assert "outdated-term" in html and FINDING_COLORS["outdated"] in html and FINDING_COLORS["outdated-term"] in html
    assert html.count("outdated-term") == 1 and html.count(">\n        outdated\n") == 1  # one label per span


def test_both_components_in_one_pipeline_and_a_blank_doc():
    nlp = spacy.blank("en")
    nlp.add_pipe("guidance_claims")
    nlp.add_pipe("guidance_findings", config={"as_of": "2026-06-01", "published": "2020-05-01"})
    doc = nlp(TEXT)
    assert len(doc.spans[CLAIMS_KEY]) == 4 and len(doc.spans[FINDINGS_KEY]) == 2
    assert doc._.findings[0].wrong_at_publication is True
    empty = nlp("   ")
    assert list(empty.spans[FINDINGS_KEY]) == [] and empty._.findings == []

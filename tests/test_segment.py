"""Sentence and claim segmentation, modality, negation and framing."""
import datetime as dt

import pytest

from guidance_audit.models import Block
from guidance_audit.segment import (build_pipeline, claims_of_block, detect_framing, detect_modality,
                                    detect_negation, quote_spans)
from guidance_audit.quantities import parse_quantities

NLP = build_pipeline()
REF = dt.date(2020, 4, 23)


def claims(text, reference=REF):
    block = Block(0, "paragraph", text, 50, 50 + len(text), page=2)
    return claims_of_block(NLP(text), block, reference)


@pytest.mark.parametrize("text, sentences", [
    ("Officers must record the report. They should then refer the victim.", 2),
    ("See para. 289A of the Rules for details. A second sentence follows.", 2),
    ("Under s. 115 of the 1999 Act benefits are excluded. Next.", 2),
    ("Relevant forms, e.g. SET(DV), are free. Next one.", 2),
    ("Form No. 3 applies. Ask Insp. Jones for help.", 2),
    ("J. Smith approved this policy. It applies now.", 2),
    ('She said "we will never share." Then she left.', 2),
    ("Is the victim safe? Ask first! Then record it.", 3),
    ("Officers must act; they must also record it.", 1),
    ("Paragraphs 3.1 and 4.2 apply to all staff.", 1),
])
def test_sentence_boundaries_suit_guidance_prose(text, sentences):
    assert len(claims(text)) == sentences


def test_claim_spans_point_into_the_document():
    text = "  People on a spouse visa can settle after two years.  Officers must help. "
    doc_text = " " * 50 + text
    for c in claims(text):
        assert doc_text[c.start:c.end] == c.text
        assert c.block == 0 and c.page == 2
        for q in c.quantities:
            assert doc_text[q.start:q.end] == q.text


@pytest.mark.parametrize("text, modality", [
    ("Officers must refer the victim.", "must"),
    ("Officers should refer the victim.", "should"),
    ("Officers may refer the victim.", "may"),
    ("Victims can apply for the concession.", "can"),
    ("We will never share details.", "will"),
    ("Victims apply on form SET(DV).", None),
])
def test_modality(text, modality):
    assert detect_modality(text) == modality


@pytest.mark.parametrize("text, negated", [
    ("We will never pass a victim's details on.", True),
    ("Officers must not check databases.", True),
    ("Victims cannot be detained for this.", True),
    ("Reporting carries no risk of your information reaching the Home Office.", True),
    ("Officers must refer the victim.", False),
    ("This covers not only spouses but partners.", False),
])
def test_negation(text, negated):
    assert detect_negation(text) is negated


@pytest.mark.parametrize("text, framing", [
    ("People on a spouse visa can apply for ILR after two years.", "current"),
    ("Since 9 July 2012 partners must wait five years before settling.", "current"),
    ("Before 9 July 2012, spouses could settle after two years.", "historical"),
    ("Until July 2012 a spouse could settle after two years.", "historical"),
    ("Previously, spouses could settle after two years.", "historical"),
    ("Spouses used to be able to settle after two years.", "historical"),
    ("In 2010, spouses could settle after two years.", "historical"),
    ("The UK Border Agency was abolished in 2013.", "historical"),
    ("The 2011 leaflet said that spouses could settle after two years.", "quoted"),
    ('"Spouses can settle after two years," the old leaflet said.', "quoted"),
    ("If the proposals are implemented, Skilled Workers would need ten years to settle.", "hypothetical"),
    ("The consultation proposes a ten-year baseline for settlement.", "hypothetical"),
    ("From 1 January 2027 the Graduate route will last 18 months.", "future"),
    ("If a victim is destitute, she can apply for three months' leave.", "current"),
])
def test_framing(text, framing):
    assert detect_framing(text, parse_quantities(text), REF) == framing


def test_framing_of_a_date_depends_on_the_reference_date():
    text = "Before 9 July 2012, spouses could settle after two years."
    assert detect_framing(text, parse_quantities(text), dt.date(2020, 1, 1)) == "historical"
    future = "From 1 January 2027 the Graduate route will last 18 months."
    assert detect_framing(future, parse_quantities(future), dt.date(2027, 6, 1)) == "current"


def test_quote_spans_ignore_apostrophes():
    text = "The victim's partner said \u201cwe will never share\u201d and 'no risk' too."
    inner = [text[a:b] for a, b in quote_spans(text)]
    assert inner == ["we will never share", "no risk"]


def test_users_pipeline_keeps_its_own_sentence_boundaries():
    import spacy
    from guidance_audit.segment import SENTENCE_COMPONENT, prepare_pipeline

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    prepare_pipeline(nlp)
    assert SENTENCE_COMPONENT not in nlp.pipe_names
    assert NLP.pipe_names == [SENTENCE_COMPONENT]

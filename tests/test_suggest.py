"""Suggested corrections: only the stated quantity changes, and only where that corrects the sentence."""
import dataclasses
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

import guidance_audit as ga
from guidance_audit import sarif
from guidance_audit.models import Citation, Finding, Location
from guidance_audit.suggest import suggest

SCHEMA = json.loads((Path(ga.__file__).parent / "data" / "report.schema.json").read_text())
SPOUSE = "People on a spouse visa can apply for indefinite leave to remain after just two years in the UK."
CITE = Citation("Statement of Changes in Immigration Rules HC 194", "Appendix FM", dt.date(2012, 7, 9))


def finding(quote="Spouses can settle after two years.", stated="two years", expected="5 years",
            kind="outdated", start=100) -> Finding:
    return Finding(kind=kind, severity="error", rule="partner.settlement_period", message="m", quote=quote,
                   location=Location(None, 0, start, start + len(quote)), stated=stated, expected=expected,
                   citations=(CITE,))


@pytest.mark.parametrize("f, text", [
    (finding(), "Spouses can settle after 5 years."),
    (finding(kind="incorrect", stated="3 years"), None),  # "3 years" is not in the quote
    (finding(quote="After two years, or two years more, they settle."), None),  # stated twice: span uncertain
    (finding(expected="5 years or 10 years"), None),  # more than one value in force
    (finding(kind="outdated-term", stated="two years"), None),
    (finding(stated=None), None),
    (finding(expected=None), None),
])
def test_suggestion_only_when_the_quantity_alone_corrects_the_sentence(f, text):
    s = suggest(f)
    assert (s.text if s else None) == text


def test_suggestion_replaces_only_the_stated_span_at_document_offsets():
    s = suggest(finding(start=100))
    assert (s.start, s.end, s.replacement) == (100 + len("Spouses can settle after "), 100 + 25 + 9, "5 years")
    assert s.citation == CITE


def test_the_spouse_case_gets_the_five_year_correction_with_its_citation():
    report = ga.audit_text(SPOUSE, published="2020-04-23", as_of="2026-11-21")
    f = report.findings[0]
    assert f.suggestion.text == SPOUSE.replace("two years", "5 years")
    doc = report.document.text
    assert doc[f.suggestion.start:f.suggestion.end] == "two years"
    assert "HC 194" in f.suggestion.citation.title


def test_suggestion_is_in_json_html_markdown_and_sarif_fixes():
    report = ga.audit_text(SPOUSE, published="2020-04-23", as_of="2026-11-21")
    data = report.to_dict()
    jsonschema.validate(data, SCHEMA)
    sug = data["documents"][0]["findings"][0]["suggestion"]
    assert sug["replacement"] == "5 years" and sug["citation"]["title"].endswith("HC 194")
    assert "Suggested correction" in report.to_html() and "after just 5 years" in report.to_html()
    assert "Suggested correction: People on a spouse visa" in report.to_markdown()
    result = sarif.to_sarif([report], report.factbase, report.as_of)["runs"][0]["results"][0]
    rep = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert rep["insertedContent"]["text"] == "5 years"
    start, length = rep["deletedRegion"]["charOffset"], rep["deletedRegion"]["charLength"]
    assert report.document.text[start:start + length] == "two years"


def test_findings_without_a_suggestion_have_null_in_json():
    report = ga.audit_text("Officers should contact the UK Border Agency.", as_of="2026-11-21")
    assert report.findings and all(f["suggestion"] is None for f in report.to_dict()["documents"][0]["findings"])
    jsonschema.validate(report.to_dict(), SCHEMA)


def test_sarif_with_fixes_is_valid():
    from test_formats import validate_sarif

    report = ga.audit_text(SPOUSE, published="2020-04-23", as_of="2026-11-21")
    validate_sarif(sarif.to_sarif([report], report.factbase, report.as_of))


def test_suggestion_survives_dataclass_replace():
    f = dataclasses.replace(finding(), suggestion=suggest(finding()))
    assert f.to_dict()["suggestion"]["text"] == "Spouses can settle after 5 years."

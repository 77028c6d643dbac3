"""Verdict logic on a small, fixed fact pack: supported, outdated, incorrect, or nothing."""
import datetime as dt
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit.factbase import _load

MINI = _load([Path(__file__).parent / "data" / "mini_pack.yaml"], [])
AUDITOR = ga.Auditor(MINI, include_supported=True)


def kinds(text, **kw):
    return [f.kind for f in AUDITOR.audit_text(text, **kw).findings]


@pytest.mark.parametrize("text, published, expected", [
    # current statements of each dated value
    ("A spouse can apply to settle after five years.", "2020-04-23", ["supported"]),
    ("A spouse can apply for ILR after 60 months.", "2020-04-23", ["supported"]),
    ("A spouse can apply to settle after two years.", "2020-04-23", ["outdated"]),
    ("A spouse can apply to settle after 24 months.", "2020-04-23", ["outdated"]),
    ("A spouse can apply to settle after 12 months.", "2020-04-23", ["outdated"]),
    ("A spouse can apply to settle after three years.", "2020-04-23", ["incorrect"]),
    # not about the fact, or not asserted as current
    ("A fiancé can settle after two years.", "2020-04-23", []),
    ("A spouse can work after two years.", "2020-04-23", []),
    ("Before 9 July 2012, a spouse could settle after two years.", "2020-04-23", []),
    ("The old leaflet said that a spouse could settle after two years.", "2020-04-23", []),
    ("A spouse cannot settle after two years.", "2020-04-23", []),
    ("Officers must record every report.", "2020-04-23", []),
])
def test_value_verdicts(text, published, expected):
    assert kinds(text, published=published, as_of="2026-11-21") == expected


def test_outdated_finding_reports_interval_successor_and_publication():
    report = AUDITOR.audit_text("A spouse can apply to settle after two years.", published="2020-04-23",
                                as_of="2026-11-21")
    f = report.findings[0]
    assert f.true_between == (dt.date(2003, 4, 1), dt.date(2012, 7, 8))
    assert f.wrong_at_publication is True
    assert f.citations[0].title == "HC 194"
    assert f.stated == "two years" and f.expected == "5 years"
    assert "Part 8 leave holders" in f.message
    assert report.document.text[f.location.start:f.location.end] == f.quote


def test_a_statement_correct_when_published_is_outdated_later():
    f = AUDITOR.audit_text("A spouse can apply to settle after two years.", published="2010-05-01",
                           as_of="2026-11-21").findings[0]
    assert f.kind == "outdated" and f.wrong_at_publication is False
    assert "correct when the document was published" in f.message


def test_as_of_audits_a_document_against_the_rules_of_its_day():
    assert kinds("A spouse can apply to settle after two years.", published="2010-05-01",
                 as_of="2010-05-01") == ["supported"]


def test_supported_findings_are_reported_only_when_asked():
    quiet = ga.Auditor(MINI)
    assert quiet.audit_text("A spouse can settle after five years.").findings == ()


@pytest.mark.parametrize("text, as_of, published, expected", [
    ("Contact the Old Agency for advice.", "2026-11-21", "2020-01-01", [("outdated-term", True)]),
    ("Contact the Old Agency for advice.", "2026-11-21", "2010-01-01", [("outdated-term", False)]),
    ("Contact the Old Agency for advice.", "2012-01-01", "2010-01-01", []),
    ("The former Old Agency was abolished in 2013.", "2026-11-21", "2020-01-01", []),
    ("The Old Agency, now New Agency, deals with this.", "2026-11-21", "2020-01-01", []),
    ("Their 2011 leaflet was titled \u201cOld Agency advice\u201d.", "2026-11-21", "2020-01-01", []),
])
def test_outdated_terms(text, as_of, published, expected):
    report = AUDITOR.audit_text(text, as_of=as_of, published=published)
    got = [(f.kind, f.wrong_at_publication) for f in report.findings if f.kind != "supported"]
    assert got == expected
    for f in report.findings:
        assert report.document.text[f.location.start:f.location.end] == f.quote


def test_the_same_fact_stated_with_two_values_is_a_contradiction():
    text = ("A spouse can apply to settle after five years.\n\n"
            "Officers should know that a spouse can settle after three years.")
    report = ga.Auditor(MINI).audit_text(text, as_of="2026-11-21")
    contradictions = [f for f in report.findings if f.kind == "internal-contradiction"]
    assert len(contradictions) == 1
    c = contradictions[0]
    assert "five years" in c.quote and "three years" in c.related[0].quote
    assert report.document.text[c.related[0].location.start:c.related[0].location.end] == c.related[0].quote

"""Whose statement a sentence is, in real-world wording: what someone did on a date is history, not
the cohort a rule is for; what a study or complaint found does not address a topic the document
itself must cover; an opening that says what a document is not about keeps a profile off it; and
the headers forces put on their instructions say who the document is for. Each case has a
near-miss that must still be read the other way."""
import datetime as dt

import pytest

import guidance_audit as ga
from guidance_audit.check import detect_profiles
from guidance_audit.genre import detect_genre
from guidance_audit.quantities import parse_quantities
from guidance_audit.readers import document_from_text
from guidance_audit.segment import explain_framing, reports_findings

REFERENCE = dt.date(2023, 3, 1)

FRAMING_CASES = [
    ("an act on a date: a complaint lodged", "Liberty and Southall Black Sisters lodged a super-complaint on "
     "18 December 2018 about police sharing victims' data.", "historical"),
    ("an act on a date: an appeal lodged", "The Home Office lodged an appeal on 3 March 2019.", "historical"),
    ("near-miss: partners who applied before a date are a cohort", "Partners who applied before 9 July 2012 can "
     "settle after two years.", "current"),
    ("near-miss: applications lodged before a date are a cohort", "Applications lodged before 9 July 2012 lead "
     "to settlement after two years.", "current"),
    ("near-miss: if you applied before a date", "If you applied before 9 July 2012 you can settle after two years.",
     "current"),
]


@pytest.mark.parametrize("what,text,framing", FRAMING_CASES, ids=[c[0] for c in FRAMING_CASES])
def test_what_someone_did_on_a_date_is_history_and_a_cohort_is_not(what, text, framing):
    got, why = explain_framing(text, parse_quantities(text), REFERENCE)
    assert got == framing, (got, why)
    if framing == "historical":
        assert why and "past" in why


FINDINGS_CASES = [
    ("The investigation found that officers shared victims' details with the Home Office.", True),
    ("The super-complaint was about police passing victims' information to immigration enforcement.", True),
    ("HMICFRS concluded that forces shared data with the Home Office inconsistently.", True),
    ("Research on how migrant victims report crime showed that fear of the Home Office keeps them away.", True),
    # near-misses: the document's own instruction, even where it names a report
    ("Officers must not share a victim's details with the Home Office.", False),
    ("Record the report and tell the victim what will happen next.", False),
    ("Officers should read the force's information-sharing agreement before contacting the Home Office.", False),
]


@pytest.mark.parametrize("text,reported", FINDINGS_CASES, ids=[c[0][:40] for c in FINDINGS_CASES])
def test_what_a_study_or_complaint_found_is_told_apart(text, reported):
    assert reports_findings(text) is reported


POLICY = ("Force procedure 22: victims and witnesses with insecure immigration status\n\n"
          "This procedure applies to all officers and staff of the constabulary.\n\n"
          + ("Officers must record the crime and treat the person as a victim. Officers should explain that "
             "migrants who are victims of crime can report it. Officers must not delay an investigation because "
             "of a victim's immigration status, and officers will keep the victim informed. ") * 6)


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


def _omitted(auditor, text):
    report = auditor.audit_text(text, as_of="2026-12-01", published="2024-05-01")
    return {f.rule for f in report.findings if f.kind == "omission"}


def test_a_finding_reported_does_not_address_the_topic(auditor):
    reported = POLICY + ("\n\nThe super-complaint was about police passing victims' details to the Home Office, "
                         "and the investigation found that forces shared information with immigration enforcement.")
    assert "topic.data_sharing_basis" in _omitted(auditor, reported)
    # near-miss: the document's own rule on the same subject addresses it
    own = POLICY + ("\n\nOfficers must not pass a victim's details to the Home Office unless the victim agrees "
                    "or there is a safeguarding need.")
    assert "topic.data_sharing_basis" not in _omitted(auditor, own)


def test_an_opening_that_says_what_a_document_is_not_about_keeps_the_profile_off(auditor):
    profiles = auditor.factbase.profiles
    body = ("Officers must check the person's immigration status with the Home Office. " * 8)
    scoped = ("Custody procedure 7: foreign national detainees\n\nThis procedure applies to all officers in custody. "
              "It does not deal with victims or witnesses, who are covered by procedure 22.\n\n" + body)
    assert "profile.police_victims_insecure_status" not in [
        p.id for p in detect_profiles(scoped, profiles, None, "officer-guidance", [])]
    # near-miss: an opening that says it deals with victims and witnesses
    about = scoped.replace("It does not deal with victims or witnesses, who are covered by procedure 22.",
                           "It also deals with victims or witnesses who are brought to custody.")
    about = about.replace(body, body + "Officers must treat a victim as a victim first. " * 4)
    assert "profile.police_victims_insecure_status" in [
        p.id for p in detect_profiles(about, profiles, None, "officer-guidance", [])]


GENRE_CASES = [
    ("officer-guidance", "Aide-memoire PPU/AM/11: migrant victims", "Keep this card with your notebook."),
    ("officer-guidance", "Call handler briefing note 03/19", "What to say when a caller asks about their visa."),
    ("officer-guidance", "Victims with insecure immigration status",
     "Audience: All response and neighbourhood sergeants\nWhat to do when a victim has no visa."),
    ("practitioner-guidance", "Multi-agency procedure: migrant survivors of domestic abuse",
     "This procedure is for all partner agencies of the safeguarding adults board."),
    # near-misses: the same subjects in pages for the public
    ("public-information", "Reporting a crime if you are worried about your visa",
     "You can report a crime to us. If you are worried about your visa, you can still call us and you will "
     "not be asked for your passport."),
    ("public-information", "What happens when you call us",
     "If you call us, you will speak to a call handler. You can tell them if you need an interpreter."),
]


@pytest.mark.parametrize("expected,title,opening", GENRE_CASES, ids=[c[1][:40] for c in GENRE_CASES])
def test_the_headers_of_an_instruction_say_who_it_is_for(expected, title, opening):
    genre = detect_genre(document_from_text(f"{title}\n\n{opening}"))
    assert genre.name == expected, genre

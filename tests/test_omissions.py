"""Omissions a reviewer would accept: the document's genre decides whether a profile applies, a
topic that became expected after publication is only an info note, an incomplete document is
not faulted, and every omission carries its evidence."""
import pytest

import guidance_audit as ga
from guidance_audit.readers import document_from_text
from guidance_audit.genre import GENRES, completeness, detect_genre

POLICY_BODY = (
    "All officers and staff must follow this procedure when a victim or witness may have insecure "
    "immigration status. Officers must record the crime and treat the person as a victim. Officers "
    "should explain that migrants who are victims of crime can report it. Officers must not delay an "
    "investigation because of a victim's immigration status, and officers will keep the victim informed. "
) * 6
PUBLIC_BODY = (
    "If you are a victim of crime, you can tell us what happened. You will be treated as a victim. "
    "Police officers and staff will listen to you, and you can bring a friend. If your visa depends on "
    "your partner, you may be able to get help. Victims who are migrants can report crime to the police. "
) * 6


def _doc(title, opening, body=POLICY_BODY):
    return document_from_text(f"{title}\n\n{opening}\n\n{body}")


GENRE_CASES = [
    ("officer-guidance", "Force procedure 14: victims with insecure immigration status",
     "This procedure applies to all officers and staff of the constabulary."),
    ("practitioner-guidance", "Practice briefing: migrant survivors",
     "This briefing is for IDVAs, refuge staff and support workers supporting migrant survivors."),
    ("caseworker-guidance", "Partner route: transitional arrangements",
     "This guidance tells caseworkers how to decide applications. Version history: version 3.0."),
    ("public-information", "Reporting a crime if you are worried about your immigration status",
     "You can report a crime to us. If you are worried about your visa, you can still call us, and "
     "you will not be asked for your passport."),
    ("press-release", "Commissioner welcomes new reporting pathway",
     "News release. The Police and Crime Commissioner said the pathway would help victims."),
    ("news", "Westcombe Gazette: family visa rules change", "By our reporter. The rules changed this week."),
    ("opinion", "Opinion: it is time to stop sharing victims' data",
     "I believe the police should never share a victim's details."),
    ("consultation", "Consultation on a victims' data-sharing protocol",
     "We are seeking views on the draft protocol. The closing date for responses is 1 March."),
    ("review", "Scrutiny panel review of how the force supports migrant victims",
     "The panel reviewed 40 cases. Our findings and recommendations follow."),
]


@pytest.mark.parametrize("expected,title,opening", GENRE_CASES, ids=[c[0] for c in GENRE_CASES])
def test_genre_is_detected_with_evidence(expected, title, opening):
    genre = detect_genre(_doc(title, opening, body=""))
    assert genre.name == expected, genre
    assert genre.evidence and all(isinstance(e, str) for e in genre.evidence)


def test_every_genre_is_known():
    assert {c[0] for c in GENRE_CASES} <= set(GENRES)


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


def _omissions(report):
    return [f for f in report.findings if f.kind == "omission"]


def test_officer_guidance_missing_topics_gets_warnings_with_evidence(auditor):
    report = auditor.audit_text(f"Force procedure: victims with insecure immigration status\n\n{POLICY_BODY}",
                                as_of="2026-12-01", published="2024-05-01")
    found = _omissions(report)
    assert {f.rule for f in found} >= {"topic.data_sharing_basis", "topic.specialist_support_referral"}
    assert all(f.severity == "warning" for f in found)
    assert all(any(e.startswith("would have counted") for e in f.evidence) for f in found)
    assert report.genre["name"] == "officer-guidance"


def test_near_misses_are_reported(auditor):
    text = (f"Force procedure: victims with insecure immigration status\n\n{POLICY_BODY}\n\n"
            "Victims often ask whether the Home Office will be told about them.")
    found = {f.rule: f for f in _omissions(auditor.audit_text(text, as_of="2026-12-01", published="2024-05-01"))}
    assert any("near-miss" in e and "Home Office" in e for e in found["topic.data_sharing_basis"].evidence)


def test_contacting_an_immigration_lawyer_addresses_specialist_advice(auditor):
    text = (f"Force procedure: victims with insecure immigration status\n\n{POLICY_BODY}\n\n"
            "Officers should tell the victim they can contact an immigration lawyer for free advice.")
    rules = {f.rule for f in _omissions(auditor.audit_text(text, as_of="2026-12-01", published="2024-05-01"))}
    assert "topic.specialist_support_referral" not in rules


@pytest.mark.parametrize("title,opening", [
    ("Commissioner welcomes new pathway for victims", "News release. The Police and Crime Commissioner said:"),
    ("Scrutiny panel review of how officers treat migrant victims", "Our findings and recommendations follow."),
], ids=["press-release", "review"])
def test_documents_that_are_not_officer_guidance_get_no_omission(auditor, title, opening):
    report = auditor.audit_text(f"{title}\n\n{opening}\n\n{POLICY_BODY}", as_of="2026-12-01", published="2024-05-01")
    assert _omissions(report) == []


def test_a_public_page_about_victims_is_not_faulted_as_officer_guidance(auditor):
    text = f"Reporting a crime if you are worried about your immigration status\n\n{PUBLIC_BODY}"
    report = auditor.audit_text(text, as_of="2026-12-01", published="2024-05-01")
    assert report.genre["name"] == "public-information"
    assert _omissions(report) == []


def test_a_requirement_that_arose_after_publication_is_a_warning_not_wrong_at_publication(auditor):
    # The data-sharing topic became expected with the super-complaint report of 17 December 2020:
    # a 2019 policy still in use leaves it out today, but it was not wrong when it was written.
    text = f"Force procedure: victims with insecure immigration status\n\n{POLICY_BODY}"
    report = auditor.audit_text(text, as_of="2026-12-01", published="2019-03-01")
    by_rule = {f.rule: f for f in _omissions(report)}
    later = by_rule["topic.data_sharing_basis"]
    assert later.severity == "warning" and later.wrong_at_publication is False
    assert "before that became expected" in later.message
    # The victim-first topic was expected from December 2018, before publication.
    earlier = by_rule["topic.victim_first_checks"]
    assert earlier.severity == "warning" and earlier.wrong_at_publication is True
    assert "before that became expected" not in earlier.message


def test_later_requirements_can_be_left_out():
    auditor = ga.Auditor(include_later_requirements=False)
    text = f"Force procedure: victims with insecure immigration status\n\n{POLICY_BODY}"
    rules = {f.rule for f in _omissions(auditor.audit_text(text, as_of="2026-12-01", published="2019-03-01"))}
    assert "topic.data_sharing_basis" not in rules and "topic.victim_first_checks" in rules


@pytest.mark.parametrize("text,why", [
    ("Force procedure: victims with insecure immigration status\n\nOfficers must treat migrant victims "
     "as victims. Officers should record the crime.", "words"),
    ("Extract from the force procedure on victims with insecure immigration status\n\n" + POLICY_BODY,
     "part of a longer document"),
], ids=["too-short", "extract"])
def test_incomplete_documents_get_a_note_not_omissions(auditor, text, why):
    report = auditor.audit_text(text, as_of="2026-12-01", published="2024-05-01")
    assert _omissions(report) == []
    assert why in completeness(report.document).reason
    assert any("may be incomplete" in n for n in report.notes)


def test_a_stated_genre_overrides_detection():
    auditor = ga.Auditor(genre="press-release")
    text = f"Force procedure: victims with insecure immigration status\n\n{POLICY_BODY}"
    report = auditor.audit_text(text, as_of="2026-12-01", published="2024-05-01")
    assert _omissions(report) == [] and report.genre == {"name": "press-release",
                                                          "evidence": ["stated by the caller"], "source": "argument"}
    with pytest.raises(ValueError):
        ga.Auditor(genre="leaflet")


def test_headings_can_say_who_a_procedure_is_for(auditor):
    # The opening speaks only of victims and status; the headings say the document is for officers.
    opening = ("Procedure 31: victims with insecure immigration status\n\nDate of issue: 16 September 2024\n\n"
               "Why this procedure matters\n\nVictims whose right to be in the UK is uncertain rarely report "
               "crime, and migrants fear what will happen to their status. They may have come to join a "
               "partner, to study or to work, and their permission may have run out or been refused.")
    body = ("\n\n## What every officer must do\n\n" + POLICY_BODY)
    text = f"# {opening}{body}"
    report = auditor.audit_text(text, as_of="2026-12-01", published="2024-09-16")
    assert _omissions(report), "a police procedure whose headings name officers is police guidance"
    # Near-miss: a survivors' leaflet whose heading mentions the police is not police guidance.
    leaflet = ("# Help for survivors with insecure immigration status\n\nIf you are a survivor of domestic "
               "abuse and a migrant, you can get help.\n\n## What the police can do\n\n" + PUBLIC_BODY)
    assert _omissions(auditor.audit_text(leaflet, as_of="2026-12-01", published="2024-09-16")) == []


def test_an_undated_document_is_told_when_the_requirement_began(auditor):
    report = auditor.audit_text(f"Force procedure: victims with insecure immigration status\n\n{POLICY_BODY}",
                                as_of="2026-12-01")
    dated = [f for f in _omissions(report) if f.rule == "topic.data_sharing_basis"]
    assert dated and "gives no date" in dated[0].message and "17 December 2020" in dated[0].message
    report = auditor.audit_text(f"Force procedure: victims with insecure immigration status\n\n{POLICY_BODY}",
                                as_of="2026-12-01", published="2024-05-01")
    assert all("gives no date" not in f.message for f in _omissions(report))


def test_a_call_handling_script_about_callers_is_police_guidance_on_victims():
    from guidance_audit.check import detect_profiles
    auditor = ga.Auditor()
    text = ("CALL HANDLING SCRIPT CH-42 Domestic abuse calls where the caller may have insecure immigration status. "
            "Call handlers must follow this script. " + "The caller may fear the police. " * 8)
    found = detect_profiles(text, auditor.factbase.profiles, "Harrowfield Police - Contact Management",
                            "officer-guidance", [])
    assert [p.id for p in found] == ["profile.police_victims_insecure_status"]
    refuge = text.replace("CALL HANDLING SCRIPT CH-42", "This procedure tells refuge workers how to handle calls.")
    assert detect_profiles(refuge, auditor.factbase.profiles, "Refuge procedure", "officer-guidance", []) == []


def test_sharing_named_without_its_basis_does_not_address_what_is_shared_and_on_what_basis(auditor):
    title = "Force procedure: victims with insecure immigration status\n\n"
    bare = title + POLICY_BODY + "\n\nThe force works closely with the Home Office and Immigration Enforcement."
    rules = {f.rule for f in _omissions(auditor.audit_text(bare, as_of="2026-12-01", published="2024-05-01"))}
    assert "topic.data_sharing_basis" in rules
    based = title + POLICY_BODY + ("\n\nOfficers share a victim's details with Immigration Enforcement only with "
                                   "her consent or where there is a risk of serious harm.")
    rules = {f.rule for f in _omissions(auditor.audit_text(based, as_of="2026-12-01", published="2024-05-01"))}
    assert "topic.data_sharing_basis" not in rules


def test_the_trafficking_duty_and_a_reported_review_do_not_address_data_sharing(auditor):
    title = "Force procedure: victims with insecure immigration status\n\n"
    other = title + POLICY_BODY + ("\n\nOfficers have a duty under section 52 of the Modern Slavery Act 2015 to notify "
                                   "the Home Office of possible victims of trafficking. For adults who consent, this is "
                                   "done by a referral.\n\nThe Home Office review of data sharing, published on "
                                   "15 December 2021, rejected a complete firewall.")
    rules = {f.rule for f in _omissions(auditor.audit_text(other, as_of="2026-12-01", published="2024-05-01"))}
    assert "topic.data_sharing_basis" in rules
    own = other + ("\n\nOfficers do not pass a victim's details to Immigration Enforcement unless there is a risk "
                   "of serious harm.")
    rules = {f.rule for f in _omissions(auditor.audit_text(own, as_of="2026-12-01", published="2024-05-01"))}
    assert "topic.data_sharing_basis" not in rules

"""A sample police document with one problem of each kind, read from text, DOCX, PDF and HTML,
gets exactly the expected findings; an up-to-date one that names old bodies only as history
gets none."""
import pytest

import guidance_audit as ga
from builders import write_document

AS_OF = "2026-11-21"
PROBLEMS = [
    "Victims and Witnesses with Insecure Immigration Status: Guidance for Officers",
    "Westvale Police. Approved by Chief Officers on 2 March 2022.",
    "Officers must treat every person who reports a crime first and foremost as a victim.",
    "We will never pass a victim's details to Immigration Enforcement.",
    "A person on a spouse visa can apply for indefinite leave to remain after two years.",
    "A victim of domestic abuse can get six months' leave under the destitution concession.",
    "Officers can ask the UK Border Agency for advice about a victim's status.",
    "A victim may be able to settle under paragraph 289A of the Immigration Rules.",
    "Record the victim's account in their own words and note any language needs. Book an interpreter "
    "where the victim would be more comfortable speaking another language, and never use a family member "
    "or the suspect to interpret.",
    "Keep the victim informed of progress at each stage of the investigation and explain what will happen "
    "next. Where the victim has children, consider their needs as well as the victim's own, and record "
    "what was decided and why.",
    "Supervisors should review every case involving a victim with insecure status within seven days and "
    "make sure the investigation is not delayed because of questions about the victim's status. Any concern "
    "about the handling of such a case should be raised with the force lead for vulnerability, who keeps a "
    "record of the cases reviewed and the lessons learned from them, and who reviews this guidance every "
    "year so that it stays in line with the law and with national guidance.",
    "Where a victim has no leave, officers must refer the victim's details to Immigration Enforcement.",
]
EXPECTED = {
    ("internal-contradiction", "We will never pass a victim's details to Immigration Enforcement."),
    ("outdated", "A person on a spouse visa can apply for indefinite leave to remain after two years."),
    ("incorrect", "A victim of domestic abuse can get six months' leave under the destitution concession."),
    ("outdated-term", "UK Border Agency"),
    ("outdated-citation", "paragraph 289A"),
    ("omission", ""),
}
UP_TO_DATE = [
    "Victims and Witnesses with Insecure Immigration Status: Guidance for Officers",
    "Westvale Police. Approved by Chief Officers on 2 March 2026.",
    "Officers must treat every person who reports a crime first and foremost as a victim, and must never "
    "check police systems solely to establish a victim's immigration status.",
    "Information is shared with Immigration Enforcement only where the victim is suspected of a serious "
    "offence, under the force's information-sharing agreement.",
    "Officers should refer victims to a specialist support service and to regulated immigration advice.",
    "The former UK Border Agency was abolished in 2013; its casework now sits with UK Visas and Immigration.",
    "The Student route replaced Tier 4 in October 2020.",
    "Victims whose relationship has broken down because of domestic abuse can apply to settle under "
    "Appendix Victim of Domestic Abuse, which replaced paragraph 289A in January 2024.",
    "The Migrant Victims of Domestic Abuse Concession, previously known as the DDV concession, gives three "
    "months' leave with access to public funds.",
    "A spouse of a British citizen can normally apply to settle after five years on the partner route.",
]


def write(fmt, tmp_path, paragraphs):
    return write_document(fmt, tmp_path, paragraphs, running_header='Westvale Police - OFFICIAL')


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf", "html"])
def test_each_kind_of_problem_is_found_exactly(fmt, tmp_path, auditor):
    report = auditor.audit(write(fmt, tmp_path, PROBLEMS), as_of=AS_OF)
    got = {(f.kind, f.quote) for f in report.findings}
    assert got == EXPECTED
    text = report.document.text
    for f in report.findings:
        assert text[f.location.start:f.location.end] == f.quote
    contradiction = next(f for f in report.findings if f.kind == "internal-contradiction")
    other = contradiction.related[0]
    assert other.quote == PROBLEMS[-1]
    assert text[other.location.start:other.location.end] == other.quote
    omission = next(f for f in report.findings if f.kind == "omission")
    assert omission.rule == "topic.specialist_support_referral"
    if fmt == "pdf":
        assert {f.location.page for f in report.findings if f.kind != "omission"} == {1, 2}


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf", "html"])
def test_up_to_date_guidance_naming_old_bodies_as_history_gets_nothing(fmt, tmp_path, auditor):
    report = auditor.audit(write(fmt, tmp_path, UP_TO_DATE), as_of=AS_OF)
    assert report.findings == ()

"""Contradictions and omissions, table-driven, with the bundled stance and profile packs."""
import pytest

import guidance_audit as ga

AS_OF = "2026-11-21"
NEVER = "We will never pass a victim's details to Immigration Enforcement."
MUST = "Officers must refer the victim's details to Immigration Enforcement."
NO_RISK = "Reporting carries no risk of your information reaching the Home Office."
NOTIFY = "The officer will notify Immigration Enforcement whenever a victim has no leave."


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


def contradictions(auditor, *sentences):
    report = auditor.audit_text("\n\n".join(sentences), as_of=AS_OF, published="2022-01-10")
    return report, [f for f in report.findings if f.kind == "internal-contradiction"]


@pytest.mark.parametrize("sentences, expected", [
    ((NEVER, "Officers should record the crime.", MUST), 1),
    ((NO_RISK, NOTIFY), 1),
    ((MUST, "Some other guidance applies.", NEVER), 1),
    # both merely mention the topic
    (("Immigration Enforcement is a command of the Home Office.", NEVER), 0),
    # a conditional denial does not contradict a conditional permission
    (("We will not share a victim's details with Immigration Enforcement unless there is an immediate risk of harm.",
      "Officers may share information with Immigration Enforcement where there is an immediate risk of harm."), 0),
    # history is not a current position
    (("Until 2020 officers would pass victims' details to the Home Office as a matter of routine.", NEVER), 0),
    # a quotation of someone else's view is not the document's position
    (('One victim told us: "they will pass your details to the Home Office."', NEVER), 0),
    ((NEVER, "We will never share a witness's information with the Home Office."), 0),
])
def test_stance_contradictions(auditor, sentences, expected):
    report, found = contradictions(auditor, *sentences)
    assert len(found) == expected, found
    for f in found:
        text = report.document.text
        assert text[f.location.start:f.location.end] == f.quote
        assert len(f.related) == 1
        r = f.related[0]
        assert text[r.location.start:r.location.end] == r.quote
        assert r.location.start != f.location.start


def test_contradiction_reports_both_places_once(auditor):
    report, found = contradictions(auditor, NEVER, MUST)
    assert len(found) == 1
    assert found[0].quote == NEVER and found[0].related[0].quote == MUST
    assert found[0].severity == "warning"


POLICE_DOC = """Northshire Police: victims and witnesses with insecure immigration status

Published 4 March 2022.

This guidance is for police officers and staff who deal with victims and witnesses of crime whose immigration status is insecure.

Officers must treat every person reporting a crime first and foremost as a victim.

Victims with no leave to remain may fear contact with the police. Officers should reassure victims and witnesses.

Officers must never check police systems solely to establish a victim's immigration status.

{sharing}

{support}

Officers should record the crime and investigate it in the usual way. The officer in the case remains responsible for safeguarding the victim.

Recording and safeguarding

Record the victim's account in their own words and note any language needs. Book an interpreter where the victim would be more comfortable speaking another language, and do not use a family member or the suspect to interpret. Complete a risk assessment for every domestic abuse report and send it to the local safeguarding hub in the usual way.

Keep the victim informed of progress at the intervals set out in the Victims' Code, and explain what will happen next at each stage. Where the victim has children, consider the needs of the children as well as the victim's own.

Supervisors should review every case involving a victim with insecure status within seven days and make sure the investigation is not delayed because of questions about the victim's status. Any concern about the handling of such a case should be raised with the force lead for vulnerability, who keeps a record of the cases reviewed and the lessons learned from them.

This guidance will be reviewed every year by the vulnerability lead, who will update it when the law or national guidance changes and tell every team what has changed.
"""
SHARING = "Information is shared with Immigration Enforcement only where a victim is suspected of a serious offence, under the force's data-sharing agreement."
SUPPORT = "Officers should refer victims to a specialist support service and to regulated immigration advice."


@pytest.mark.parametrize("sharing, support, missing", [
    (SHARING, SUPPORT, []),
    ("", SUPPORT, ["topic.data_sharing_basis"]),
    (SHARING, "", ["topic.specialist_support_referral"]),
])
def test_police_profile_omissions(auditor, sharing, support, missing):
    text = POLICE_DOC.format(sharing=sharing, support=support)
    report = auditor.audit_text(text, as_of=AS_OF)
    got = sorted(f.rule for f in report.findings if f.kind == "omission")
    assert got == missing
    for f in report.findings:
        if f.kind == "omission":
            assert f.citations and f.quote == "" and f.severity == "warning"


def test_a_document_outside_every_profile_gets_no_omissions(auditor):
    text = ("Sponsor guidance for employers.\n\nEmployers must check a worker's right to work before "
            "employment starts.\n\nThe sponsor licence must be renewed on time.")
    report = auditor.audit_text(text, as_of=AS_OF)
    assert [f for f in report.findings if f.kind == "omission"] == []


def test_a_profile_can_be_named_explicitly():
    auditor = ga.Auditor(profile="profile.da_practitioner_migrant_survivors")
    report = auditor.audit_text("A short note about housing.", as_of=AS_OF)
    rules = {f.rule for f in report.findings if f.kind == "omission"}
    assert "topic.destitution_concession" in rules


def test_unknown_profile_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown profile"):
        ga.Auditor(profile="profile.nope")

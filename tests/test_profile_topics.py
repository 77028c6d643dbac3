"""The police profile's required topics, one table per topic: sentences in the words real police
guidance uses that address the topic (the document is not faulted), near-misses that use the
topic's words without addressing it (the document is faulted, and the sentence is shown as a
near-miss), and a document published before the topic became expected (an info note, never a
warning). See claims/research/police-profile-topics.md for the authorities behind each topic."""
import datetime as dt

import pytest

import guidance_audit as ga
from guidance_audit.check import check_omissions

POLICE = "profile.police_victims_insecure_status"

#: A police procedure that addresses none of the three topics.
BODY = (
    "All officers and staff must follow this procedure when a victim or witness may have insecure "
    "immigration status. Officers must record the crime and treat the person as a victim. Officers "
    "should explain that migrants who are victims of crime can report it. Officers must not delay an "
    "investigation because of a victim's immigration status, and officers will keep the victim informed. "
) * 6


@pytest.fixture(scope="module")
def profile():
    return next(p for p in ga.load_factbase().profiles if p.id == POLICE)


def _rules(profile, sentence, published=dt.date(2024, 5, 1)):
    text = f"Force procedure: victims with insecure immigration status\n\n{BODY}\n\n{sentence}"
    return {f.rule: f for f in check_omissions(text, [profile], published=published)}


ADDRESSES = {
    "topic.data_sharing_basis": [
        "We will not routinely pass your details to the Home Office.",
        "Officers must not contact Immigration Enforcement only because they have doubts about a victim's status.",
        "Information about a victim is shared with the Home Office only where there is a lawful basis.",
        "Your details will not be given to immigration officers.",
        "Officers should not report victims to Immigration Enforcement.",
        "Any referral to Immigration Enforcement must be authorised by an inspector.",
        "There is no firewall between the police and Immigration Enforcement.",
        "The force will not tell the Home Office about a victim who reports domestic abuse.",
        "Officers will not check with the Home Office unless the victim is suspected of an offence.",
        "The Home Office is notified only with the victim's consent.",
        "This section explains our information sharing agreement.",
    ],
    "topic.specialist_support_referral": [
        "Officers should tell the victim they can contact an immigration lawyer for free advice.",
        "Signpost the victim to a specialist by-and-for service.",
        "Link the victim to a third party that can provide advice and assistance.",
        "Refer the victim to the local IDVA service.",
        "Victims should get advice from an OISC-regulated adviser.",
        "Give the victim details of the National Domestic Abuse Helpline.",
        "Officers can put the victim in touch with Southall Black Sisters.",
        "The victim should be encouraged to seek immigration advice.",
        "A qualified immigration adviser can explain the victim's options.",
        "Victims can get free, confidential advice from Citizens Advice.",
        "The Support for Migrant Victims scheme can help with accommodation.",
        "Officers should refer victims to partner agencies who can help.",
    ],
    "topic.victim_first_checks": [
        "When someone reports a crime, they are treated first and foremost as a victim.",
        "Our approach is simple: victim first.",
        "Police databases are never checked only to establish a victim's immigration status.",
        "PNC checks must not be carried out solely to establish immigration status.",
        "Officers will not ask about a victim's immigration status unless it is relevant to the investigation.",
        "A victim's immigration status will not be checked as a matter of routine.",
        "All victims will be treated as victims, regardless of their immigration status.",
        "Checks must never be made for the sole purpose of establishing a person's immigration status.",
        "A person who reports a crime is a victim and will be treated as one.",
        "A victim's immigration status is not in itself a reason to stop or downgrade an investigation.",
        "The victim comes first.",
        "A victim who is subject to immigration control is still a victim.",
    ],
}

NEAR_MISSES = {
    "topic.data_sharing_basis": [
        "Victims often ask whether the Home Office will be told about them.",
        "Victims can find information about visas on the Home Office website.",
        "Officers should refer to the Home Office guidance on the migrant victims concession.",
        "Many victims are afraid to report crime because of the Home Office.",
        "Immigration Enforcement is part of the Home Office.",
    ],
    "topic.specialist_support_referral": [
        "Officers must not give immigration advice.",
        "Refer the file to the Crown Prosecution Service.",
        "Crimes linked to immigration status are recorded by the service.",
        "Officers should refer to the Victims' Code for the victim's entitlements to support.",
        "Victims may not know where to get help.",
        "See paragraph 4 for advice on recording.",
    ],
    "topic.victim_first_checks": [
        "The victim first reported the abuse in March.",
        "Only the Home Office can confirm a person's immigration status.",
        "Officers should check the victim's immigration status on the PNC.",
        "The person who reported the crime is a witness in the case.",
        "A victim's immigration status is recorded on the crime report.",
        "The victim came first to the front counter and then to the custody suite.",
        "The children are still victims' dependants on the application.",
    ],
}


def _table(cases):
    return [(topic, s) for topic, sentences in cases.items() for s in sentences]


@pytest.mark.parametrize("topic,sentence", _table(ADDRESSES), ids=lambda v: v[:50])
def test_a_sentence_in_real_guidance_words_addresses_the_topic(profile, topic, sentence):
    rules = _rules(profile, sentence)
    assert topic not in rules
    # It addresses its own topic only: the document is still faulted for the others.
    assert set(rules) == set(ADDRESSES) - {topic}


@pytest.mark.parametrize("topic,sentence", _table(NEAR_MISSES), ids=lambda v: v[:50])
def test_a_near_miss_does_not_address_the_topic(profile, topic, sentence):
    found = _rules(profile, sentence)
    assert topic in found, f"{sentence!r} was counted as addressing {topic}"
    assert found[topic].severity == "warning"
    req = next(r for r in profile.requires if r.id == topic)
    if any(h.lower() in sentence.lower() for h in req.hints):
        assert any(e.startswith("near-miss") and sentence.rstrip(".") in e for e in found[topic].evidence)


@pytest.mark.parametrize("topic", sorted(ADDRESSES))
def test_a_document_published_before_the_topic_was_expected_is_told_so(profile, topic):
    req = next(r for r in profile.requires if r.id == topic)
    assert req.expected_from is not None and req.citations
    before = req.expected_from - dt.timedelta(days=30)
    found = _rules(profile, "", published=before)
    assert found[topic].severity == "warning" and found[topic].wrong_at_publication is False
    assert "before that became expected" in found[topic].message
    on_the_day = _rules(profile, "", published=req.expected_from)
    assert on_the_day[topic].severity == "warning" and on_the_day[topic].wrong_at_publication is True
    assert "before that became expected" not in on_the_day[topic].message
    later_left_out = {f.rule for f in check_omissions(
        f"Force procedure: victims with insecure immigration status\n\n{BODY}", [profile],
        published=before, include_later=False)}
    assert topic not in later_left_out


def test_the_police_profile_requires_only_topics_with_a_checked_authority(profile):
    # The destitution concession and the settlement route for victims of domestic abuse are
    # required of practitioner guidance, but no authority checked so far says police guidance must
    # explain them (claims/research/police-profile-topics.md): police guidance that leaves them
    # out is not faulted.
    assert {r.id for r in profile.requires} == set(ADDRESSES)
    text = f"Force procedure: victims with insecure immigration status\n\n{BODY}\n\n" + " ".join(
        s for s in (ADDRESSES[t][0] for t in ADDRESSES))
    assert check_omissions(text, [profile], published=dt.date(2024, 5, 1)) == []

"""Wording met on the fifth blind section once it was opened (stop 24): each case is the rule the
user relies on, in our own words."""
import datetime as dt

import pytest

import guidance_audit as ga
from guidance_audit.readers.text import document_from_string
from guidance_audit.segment import build_pipeline

AS_OF = dt.date(2026, 12, 1)


def _rules(text, published="2026-02-01"):
    report = ga.audit_text(text, as_of=AS_OF, published=published)
    return [(f.kind, f.rule) for f in report.findings if f.kind != "supported"]


def test_history_that_dates_a_value_wrongly_is_incorrect():
    rules = _rules("Partner visas\n\nThe minimum income requirement for partners was raised to £38,700 in 2025.")
    assert ("incorrect", "partner.minimum_income.history") in rules


def test_history_that_dates_a_value_rightly_is_not_flagged():
    assert _rules("Partner visas\n\nThe minimum income requirement for partners was raised to £29,000 in 2024.") == []


def test_an_announced_change_given_the_wrong_date_is_incorrect():
    wrong = _rules("The Graduate route will be cut to 18 months for applications made on or after 1 January 2026.")
    right = _rules("The Graduate route will be cut to 18 months for applications made on or after 1 January 2027.")
    assert ("incorrect", "graduate.grant_length.effective-date") in wrong
    assert right == []


def test_time_still_to_go_is_not_the_qualifying_period():
    rules = _rules("Long residence\n\nA young man who arrived aged six is two years from qualifying for long "
                   "residence settlement.")
    assert not any(rule.startswith("long_residence") for _, rule in rules)


@pytest.mark.parametrize("text", [
    "Officers must read the protocol before any contact with the Home Office about a victim.",
])
def test_an_act_named_as_a_time_takes_no_stance(text):
    never = "Officers must never pass a victim's details to Immigration Enforcement."
    assert not any(kind == "internal-contradiction" for kind, _ in _rules(f"{never}\n\n{text}"))


def test_a_cohort_admitted_before_a_date_is_not_history():
    rules = _rules("For most victims the rule is now in Appendix FM (section DVILR); paragraph 289A applies only "
                   "to those admitted before 9 July 2012.", published="2016-04-11")
    assert ("outdated-citation", "rules.appendix_fm_dvilr") in rules


def test_a_fragment_after_a_past_sentence_is_history():
    rules = _rules("Spouse visa thread\n\nI came over as a wife in 2008 and got my ILR in 2010 after two years on a "
                   "spouse visa. No income figure, no English test, no surcharge.", published="2025-08-14")
    assert not any(rule.startswith("english.") for _, rule in rules)


def test_the_concession_not_helping_partners_of_students_is_outdated():
    text = ("The DDV concession is only for partners of British citizens or settled people. It does not help a "
            "victim whose partner is here on a work or student visa.")
    assert ("outdated", "concession.coverage") in _rules(text, published="2019-09-23")


def test_a_forum_thread_title_and_ruled_post_headers():
    text = ("COMMUNITY FORUM\nThread: Can I work while waiting for my asylum decision?\n\n"
            "--------------------\n#2 someone 15 March 2023, 08:41\n--------------------\n"
            "You can apply for permission to work once you have waited 6 months.\n")
    doc = document_from_string(text)
    assert doc.metadata.title == "Can I work while waiting for my asylum decision?"
    assert [b.text for b in doc.blocks][-1] == "You can apply for permission to work once you have waited 6 months."
    assert not any("----" in b.text for b in doc.blocks)


def test_a_labels_letter_ends_a_sentence_but_an_initial_does_not():
    nlp = build_pipeline()
    assert [s.text for s in nlp("Case studies are in Annex A. They show the harm.").sents] == [
        "Case studies are in Annex A.", "They show the harm."]
    assert len(list(nlp("Contact J. Smith for help.").sents)) == 1


def test_a_new_name_said_of_an_old_body_is_not_flagged():
    rules = _rules("1. THE OISC HAS A NEW NAME\n\nFrom 16 January 2025 it is the Immigration Advice Authority.",
                   published="2025-01-22")
    assert not any(rule == "body.oisc" for _, rule in rules)

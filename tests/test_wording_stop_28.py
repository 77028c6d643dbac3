"""Wording met on the seventh blind section once it was opened (stop 28): each case is the rule a
user relies on, in our own words, with the near miss that must stay quiet (or must still be found)."""
import datetime as dt

import guidance_audit as ga
from guidance_audit import check
from guidance_audit.models import Quantity
from guidance_audit.segment import entry_date_of

AS_OF = dt.date(2026, 12, 1)


def _findings(text, published="2026-02-01", html_in=None):
    if html_in is not None:
        path = html_in / "page.html"
        path.write_text(text, encoding="utf-8")
        report = ga.audit(path, as_of=AS_OF, published=published)
    else:
        report = ga.audit_text(text, as_of=AS_OF, published=published)
    return [f for f in report.findings if f.kind != "supported"]


def _rules(text, published="2026-02-01", **kw):
    return [(f.kind, f.rule) for f in _findings(text, published, **kw)]


def _kinds(text, published="2026-02-01", **kw):
    return {f.kind for f in _findings(text, published, **kw)}


def test_a_date_after_the_earlier_value_is_not_the_date_of_the_later_one():
    told = ("The minimum income requirement was £18,600 from July 2012 until it was raised to £29,000 "
            "for applications made on or after 11 April 2024.")
    assert not any(rule.endswith(".history") for _, rule in _rules(told))
    wrong = "The minimum income requirement was raised to £29,000 in July 2012."
    assert ("incorrect", "partner.minimum_income.history") in _rules(wrong)


def test_a_duration_of_another_order_is_not_a_wrong_value_of_the_rule():
    fact = ga.load_factbase().facts["partner.settlement_period"]
    week = Quantity("duration", 0.25, "a week", 0, 6, unit="months")
    assert check._out_of_scale(week, fact)
    years = Quantity("duration", 36, "three years", 0, 11, unit="months")
    assert not check._out_of_scale(years, fact)


THREAD = ("<html><body><h1>Spouse visa to ILR - how long?</h1>"
          "<h3>#1 wren_77 (Member) 15 March 2011, 21:07</h3>"
          "<p>For anyone on a spouse visa the probationary period is two years before you can settle.</p>"
          "<h3>#2 heron (Moderator) 20 June 2012, 19:15</h3>"
          "<p>From 9 July 2012 the probationary period before settlement goes up to five years.</p></body></html>")


def test_dated_posts_each_speak_from_their_own_date(tmp_path):
    assert entry_date_of("#2 heron (Moderator) 20 June 2012, 19:15") == dt.date(2012, 6, 20)
    assert entry_date_of("Update, 3 February 2025") == dt.date(2025, 2, 3)
    assert entry_date_of("Before 9 July 2012") is None
    assert entry_date_of("Changes from 4 April 2024") is None
    assert "internal-contradiction" not in _kinds(THREAD, published=None, html_in=tmp_path)
    # a plain-text thread, whose post headers are read as paragraphs
    plain = ("Spouse visa to ILR - how long?\n\n#1 wren_77 (Member) 15 March 2011, 21:07\n\n"
             "For anyone on a spouse visa the probationary period is two years before you can settle.\n\n"
             "#2 heron (Moderator) 20 June 2012, 19:15\n\n"
             "From 9 July 2012 the probationary period before settlement goes up to five years.\n")
    assert "internal-contradiction" not in _kinds(plain, published=None)
    # the same two statements on an undated page do contradict each other
    one_post = THREAD.replace("<h3>#2 heron (Moderator) 20 June 2012, 19:15</h3>", "")
    one_post = one_post.replace("<h3>#1 wren_77 (Member) 15 March 2011, 21:07</h3>", "")
    one_post = one_post.replace("From 9 July 2012 the", "The").replace("goes up to", "is")
    assert "internal-contradiction" in _kinds(one_post, published=None, html_in=tmp_path)


def test_a_table_row_for_a_past_period_is_history(tmp_path):
    html = ("<html><body><h1>Skilled Worker salary thresholds</h1><table>"
            "<tr><th>Period</th><th>General salary threshold</th></tr>"
            "<tr><td>December 2020 to April 2023</td><td>£25,600</td></tr>"
            "<tr><td>From 22 July 2025</td><td>£41,700</td></tr></table></body></html>")
    assert not _findings(html, published="2025-09-01", html_in=tmp_path)
    current = html.replace("<td>£41,700</td>", "<td>£38,700</td>")
    assert any(f.quote == "£38,700" for f in _findings(current, published="2025-09-01", html_in=tmp_path))


PROMISE = "Our officers will never pass a victim's details to Immigration Enforcement. "


def test_what_victims_fear_is_not_what_the_police_do():
    feared = PROMISE + "Many victims fear that their details will be passed to the Home Office if they come forward."
    assert "internal-contradiction" not in _kinds(feared)
    done = PROMISE + "Officers will pass the victim's details to the Home Office if they come forward."
    assert "internal-contradiction" in _kinds(done)


def test_the_home_office_as_the_source_or_owner_of_a_request_is_not_where_details_go():
    text = (PROMISE + "Requests from the Home Office for information about a victim must be passed to the "
            "Information Sharing Unit. Pass any Home Office request to the Information Sharing Unit.")
    assert "internal-contradiction" not in _kinds(text)
    sent = PROMISE + "Officers must pass every request for a status check to the Home Office."
    assert "internal-contradiction" in _kinds(sent)


def test_what_an_audit_checks_is_not_a_practice():
    text = ("Officers should not share a victim's details with Immigration Enforcement because of their status. "
            "The audit will check that no victim was referred to Immigration Enforcement without a recorded reason.")
    assert "internal-contradiction" not in _kinds(text)


def test_in_any_other_case_is_not_every_case():
    denial = ("Where an officer only has doubts about a victim's status, the officer must not share that "
              "victim's information with Immigration Enforcement. ")
    other = denial + ("In any other case, information about a victim may be shared with the Home Office only "
                      "where an inspector has approved it.")
    assert "internal-contradiction" not in _kinds(other)
    every = denial + "In every case, information about a victim must be shared with the Home Office."
    assert "internal-contradiction" in _kinds(every)


def test_what_another_document_of_the_body_says_is_reported():
    review = ("Thematic review of the force's response to migrant victims\n\n"
              'Its investigation manual, revised in 2023, tells investigators to "notify the Home Office of any '
              'victim who appears to have no lawful status". '
              "An intranet page for call handlers still describes the Destitute Domestic Violence concession.")
    assert not _findings(review, published="2025-06-01")
    own = "Call handlers should explain the Destitute Domestic Violence concession to the caller."
    assert ("outdated-term", "concession.ddv") in _rules(own, published="2025-06-01")


def test_an_old_provision_in_a_table_cell_is_the_rows_value(tmp_path):
    html = ("<html><body><h1>Settlement for survivors</h1><table>"
            "<tr><th>Survivor's status</th><th>Settlement route</th></tr>"
            "<tr><td>Partner of a British citizen or settled person</td><td>Appendix FM Section DVILR</td></tr>"
            "</table></body></html>")
    assert any(f.kind == "outdated-citation" for f in _findings(html, published="2022-06-01", html_in=tmp_path))
    glossary = html.replace("Settlement route", "Old name")
    assert not any(f.kind == "outdated-citation" for f in _findings(glossary, published="2022-06-01", html_in=tmp_path))


def test_a_pronoun_takes_the_group_from_the_sentence_before():
    text = ("Survivors whose partner is a worker or student are in the hardest position. "
            "They cannot use the concession and need advice on other options.")
    assert ("outdated", "concession.coverage") in _rules(text, published="2022-06-01")
    other = ("Survivors whose partner is British are in a better position. "
             "They can get support from a refuge while they apply.")
    assert not any(rule == "concession.coverage" for _, rule in _rules(other, published="2022-06-01"))


def test_safe_to_share_published_by_the_inspectorates_in_the_wrong_year():
    wrong = ("The report Safe to share?, published by HMICFRS, the College of Policing and the IOPC in "
             "December 2019, looked at police data sharing.")
    assert ("incorrect", "policing.safe_to_share_published") in _rules(wrong)
    right = wrong.replace("2019", "2020")
    assert ("incorrect", "policing.safe_to_share_published") not in _rules(right)


COHORT = "Skilled Workers first sponsored before 4 April 2024 benefit from transitional arrangements. "


def test_the_transitional_skilled_worker_threshold():
    assert ("outdated", "skilled_worker.transitional_threshold") in _rules(
        COHORT + "Their threshold for extensions and settlement is £29,000.")
    assert not _findings(COHORT + "Their threshold for extensions and settlement is £31,300.")
    # the general threshold for new hires is another fact
    assert not any(rule == "skilled_worker.transitional_threshold" for _, rule in _rules(
        COHORT + "For new hires the general salary threshold is £41,700."))


def test_the_old_route_a_cohort_came_under_is_not_relied_on():
    cohort = ("Workers sponsored under Tier 2 (General) before 1 December 2020 are treated as Skilled Workers "
              "when they extend.")
    assert not any(f.kind == "outdated-term" for f in _findings(cohort, published="2023-03-01"))
    relied = "Employers can still sponsor new workers under Tier 2 (General) for these roles."
    assert ("outdated-term", "route.tier2") in _rules(relied, published="2023-03-01")


def test_safe_to_share_named_after_its_wrong_date():
    wrong = "The police inspectorate published its findings in December 2019 under the title Safe to share, after a super-complaint."
    assert ("incorrect", "policing.safe_to_share_published") in _rules(wrong)
    right = wrong.replace("2019", "2020")
    assert ("incorrect", "policing.safe_to_share_published") not in _rules(right)

"""Wording met on the eighth blind section once it was opened (stop 29): each case is the rule a
user relies on, in our own words, with the near miss that must stay quiet (or must still be found)."""
import datetime as dt

import guidance_audit as ga
from guidance_audit.segment import negated_before

AS_OF = dt.date(2026, 12, 1)


def _findings(text, published="2026-02-01", html_in=None, name="page.html"):
    if html_in is not None:
        path = html_in / name
        path.write_text(text, encoding="utf-8")
        report = ga.audit(path, as_of=AS_OF, published=published)
    else:
        report = ga.audit_text(text, as_of=AS_OF, published=published)
    return [f for f in report.findings if f.kind != "supported"]


def _rules(text, published="2026-02-01", **kw):
    return [(f.kind, f.rule) for f in _findings(text, published, **kw)]


def test_a_number_joined_by_and_is_a_second_object_of_the_negated_verb():
    example = "The limit is not an average, so you cannot work 30 hours one week and 10 the next."
    assert negated_before(example, example.index("10"))
    assert not negated_before("You cannot settle after two years and you must wait five years.",
                              len("You cannot settle after two years and you must wait "))
    page = ("How many hours can students work in term time?\n\nIf you are studying a full-time course at degree "
            "level or above, you can work up to 20 hours a week during term time. " + example + "\n")
    assert _rules(page) == []
    wrong = page.replace("up to 20 hours", "up to 25 hours")
    assert ("incorrect", "student.term_time_work_hours") in _rules(wrong)


def test_what_a_closing_including_aside_names_is_not_the_subject():
    said = ("As a recent graduate you can usually be paid at the lower new-entrant rate of £33,400 a year. "
            "It lasts for up to four years in total, including your time on the Graduate route.")
    assert _rules(said) == []
    # the Graduate route itself still stated wrongly
    assert ("incorrect", "graduate.grant_length") in _rules("The Graduate route lasts for four years.")
    # and the new-entrant limit is a fact of its own
    wrong = said.replace("up to four years", "up to five years")
    assert ("incorrect", "skilled_worker.new_entrant_max_period") in _rules(wrong)


PAGE = ("<html><head><title>Working during and after your studies | Students' Union</title></head><body>"
        "<h1>Working during and after your studies</h1><h2>The Graduate route</h2>"
        "<h3>Can my family stay with me?</h3>"
        "<p>Your partner and children can stay only if they are already here as your dependants. "
        "You cannot bring new family members to join you as a Graduate.</p>"
        "<h2>Bringing your family</h2><p>You can bring dependants if you are studying a master's course "
        "lasting nine months or longer.</p></body></html>")


def test_a_nearer_heading_about_what_a_fact_excludes_outweighs_the_title(tmp_path):
    rules = _rules(PAGE, html_in=tmp_path)
    assert ("outdated", "student.dependants") in rules  # the master's sentence under its own heading
    assert not any(kind == "internal-contradiction" for kind, _ in rules)


MINUTES = ("Adults Scrutiny Panel - Minutes - 9 October 2019\n\n"
           "Minutes of the meeting held on 9 October 2019.\n\nPresent: Councillor A (Chair), Councillor B.\n\n"
           "Councillor Pollett recalled that in 2010 the council had written to the UK Border Agency about "
           "delays; he hoped things had improved since.\n\n"
           "The report stated that partners of British citizens must complete a two-year probationary period "
           "before they can settle, and that the domestic violence rule allows them to apply earlier.\n\n"
           "The Team Manager said that the British or settled partner had to earn at least £18,600 a year.\n")


def test_minutes_record_what_officers_and_the_report_said_as_the_meetings_statements(tmp_path):
    found = _findings(MINUTES, published="2019-10-21", html_in=tmp_path, name="minutes.txt")
    rules = {(f.kind, f.rule) for f in found}
    assert ("outdated", "partner.settlement_period") in rules
    assert ("outdated", "partner.minimum_income") in rules
    assert not any(f.rule == "body.ukba" for f in found)  # what was done in 2010 is history
    report = ga.audit(tmp_path / "minutes.txt", as_of=AS_OF, published="2019-10-21")
    assert report.genre["name"] == "meeting-record"


def test_an_active_replacer_is_the_new_thing_not_the_one_that_changed():
    history = ("Before that the Home Office had funded the Sojourner Project pilot, which the DDV concession "
               "replaced, and before 2012 victims had applied under paragraph 289A.")
    assert not any(rule.endswith(".change-date") for _, rule in _rules(history, published="2019-10-21"))
    wrong = "The Shortage Occupation List was replaced by the Immigration Salary List in 2022."
    assert ("incorrect", "list.shortage_occupation_list.change-date") in _rules(wrong)


def test_not_asking_someone_for_an_old_document_does_not_rely_on_it():
    assert not any(f.rule == "document.eea_residence_card"
                   for f in _findings("Do not ask EEA nationals for a registration certificate.", published="2016-03-01"))


def test_eea_documents_and_rights_stated_as_they_were_under_free_movement():
    for said in ("A passport from an EEA country or Switzerland proves an unlimited right to rent, even if it has expired.",
                 "The right of EEA nationals to live in the UK does not depend on a visa."):
        assert ("outdated", "eu.free_movement_rights") in _rules(said, published="2016-03-01")
    assert _rules("EEA nationals now need status under the EU Settlement Scheme or a visa to rent a home.") == []


SCRIPT = ("DOMESTIC ABUSE: WHAT TO TELL THE CALLER\n\n"
          "Do not give immigration advice. You may read out the following general information:\n\n"
          "\"If your relationship has ended because of abuse, you may be able to apply to stay permanently "
          "under the domestic violence rule (DVILR) in Appendix FM.\"\n\n"
          "\"If you have no money, you may be able to get three months' leave under the DDV concession.\"\n")


def test_the_lines_of_a_script_the_reader_is_to_read_out_are_the_documents_own_words():
    rules = {rule for _, rule in _rules(SCRIPT, published="2021-03-03")}
    assert {"route.dvilr_name", "concession.ddv"} <= rules
    # a quotation of what someone else said stays a quotation
    quoted = SCRIPT.replace("You may read out the following general information:",
                            "At the meeting a survivor described what she had been told:")
    assert "concession.ddv" not in {rule for _, rule in _rules(quoted, published="2021-03-03")}


PROMISE = "We will never pass your details to the Home Office because you have reported a crime to us. "


def test_a_promise_not_to_pass_on_a_crime_report_against_passing_on_what_it_revealed():
    firm = PROMISE + ("If the caller tells you they have no visa or have overstayed, complete form CH-27A and send "
                      "it to Immigration Enforcement within 24 hours.")
    assert ("internal-contradiction", "stance.share_victim_data_with_immigration") in _rules(firm, published="2021-03-03")
    weighed = PROMISE + ("If we find that a victim is in the UK without permission, we may share information with "
                         "Immigration Enforcement where it is necessary and proportionate.")
    assert not any(kind == "internal-contradiction" for kind, _ in _rules(weighed, published="2021-03-03"))


def test_telling_the_caller_to_contact_an_office_is_not_the_police_passing_details_on():
    said = (PROMISE + "Never tell the caller to contact Immigration Enforcement themselves.")
    assert not any(kind == "internal-contradiction" for kind, _ in _rules(said, published="2021-03-03"))


def test_a_pronoun_chain_carries_its_subject_across_paragraphs():
    said = ("You may be able to get help through the Destitution Domestic Violence concession. It gives you three "
            "months' permission to stay with access to public funds.\n\n"
            "To get it you must show that you are destitute, which means you have no money to live on.\n")
    assert ("outdated", "concession.destitution_requirement") in _rules(said, published="2023-05-01")
    # without the chain, the concession is two sentences away and out of reach
    unrelated = said.replace("It gives you three months' permission to stay with access to public funds.",
                             "A refuge can also help you find somewhere safe to live.")
    assert ("outdated", "concession.destitution_requirement") not in _rules(unrelated, published="2023-05-01")
    only = ("My husband is here on a work visa. Can I use the concession?\n\nUnfortunately not. "
            "It only applies to women whose partner is British or settled.\n")
    assert ("outdated", "concession.coverage") in _rules(only, published="2023-05-01")


def test_a_dropped_plan_stated_after_it_was_dropped_is_wrong():
    plan = "The minimum income requirement for a spouse visa is due to rise to £38,700 by early 2025."
    early = _findings(plan, published="2024-04-20")
    assert [(f.kind, f.wrong_at_publication) for f in early if f.rule == "partner.income_rise_plan"] == [("outdated", False)]
    late = _findings(plan.replace("by early 2025", "in the spring of 2027"), published="2026-03-01")
    assert [(f.kind, f.wrong_at_publication) for f in late if f.rule == "partner.income_rise_plan"] == [("incorrect", True)]
    told = "The previous government had planned to raise the minimum income requirement to £38,700, but it never happened."
    assert _rules(told, published="2026-03-01") == []


def test_a_factbase_value_marked_dropped_must_be_a_positions_ended_value(tmp_path):
    pack = tmp_path / "claims"
    pack.mkdir()
    (pack / "p.yaml").write_text(
        "pack: p\nfacts:\n  - id: x.value\n    kind: value\n    title: A value\n    quantity: money\n"
        "    confidence: high\n    reviewed: 2026-01-01\n    recognise: {all: [[thing]]}\n    values:\n"
        "      - value: '£10'\n        dropped: true\n        citation: {title: T, url: 'https://example.org'}\n",
        encoding="utf-8")
    try:
        ga.load_factbase([pack], bundled=False)
    except ga.AuditError as e:
        assert "dropped" in str(e)
    else:
        raise AssertionError("a value fact with 'dropped' loaded without complaint")


def test_a_condition_listed_under_you_can_apply_if_is_a_requirement():
    page = ("VICTIMS OF DOMESTIC VIOLENCE\n\nYou can apply if:\n\n"
            "* you were given permission to stay as the partner of a British citizen, for a probationary period;\n\n"
            "* your relationship with your partner broke down during that probationary period; and\n\n"
            "* the relationship broke down because of domestic violence.\n")
    assert ("outdated", "vda.breakdown_timing") in _rules(page, published="2011-08-01")
    told = page.replace("You can apply if:", "Some of our clients told us:")
    assert ("outdated", "vda.breakdown_timing") not in _rules(told, published="2011-08-01")


def test_those_who_are_destitute_can_apply_limits_the_old_concession():
    said = "Those who are destitute can apply to the Home Office under the DDV concession for three months' leave."
    assert ("outdated", "concession.destitution_requirement") in _rules(said, published="2021-05-01")
    now = "Victims can apply under the Migrant Victims of Domestic Abuse Concession whether or not they are destitute."
    assert ("outdated", "concession.destitution_requirement") not in _rules(now)


def test_secondary_values_of_the_income_rule_in_worked_figures_and_recaps():
    kids = "So a couple with three children who are not British would need £27,200."
    assert ("outdated", "partner.child_income_addition") in _rules(kids, published="2023-05-01")
    recap = "Quick recap for a spouse visa\n\nIncome: £18,600 with no children\n\nCash only: £62,500\n"
    assert ("outdated", "partner.minimum_income") in _rules(recap, published="2023-05-01")
    fee = "A couple would need £1,048 for the application fee."
    assert not any(rule == "partner.minimum_income" for _, rule in _rules(fee, published="2023-05-01"))


def test_a_past_tense_in_a_later_clause_does_not_make_a_present_rule_history():
    said = ("What changed for Skilled Worker sponsors on 4 April\n\nFor certificates assigned from 4 April 2024 "
            "the general figure is £38,700, and going rates were lifted to the median for each occupation.\n")
    assert ("outdated", "skilled_worker.salary_threshold") in _rules(said, published="2024-06-10")
    told = said.replace("the general figure is £38,700, and going rates were lifted",
                        "the general figure was £38,700, and going rates were lifted")
    assert ("outdated", "skilled_worker.salary_threshold") not in _rules(told, published="2026-06-10")


def test_an_exclusion_named_in_a_later_clause_does_not_veto_the_fact():
    said = "You risk a civil penalty of up to £20,000 per illegal worker, and your sponsor licence may be revoked."
    assert ("outdated", "right_to_work.employer_penalty") in _rules(said, published="2021-05-01")
    licence = "Your sponsor licence may be revoked and you may be fined."
    assert not any("penalty" in rule for _, rule in _rules(licence, published="2021-05-01"))


def test_each_case_of_an_or_list_of_old_penalties_is_its_own_finding():
    said = ("The Home Office can fine landlords who let to someone without checking. The maximum civil "
            "penalties are:\n\n* for a tenant: £1,000 for a first offence, or £3,000 if you have been fined before.\n")
    quotes = [f.quote for f in _findings(said, published="2017-03-01") if f.rule == "right_to_rent.landlord_penalty"]
    assert quotes == ["for a tenant: £1,000 for a first offence", "or £3,000 if you have been fined before"]
    # a figure and its rise in one clause stay one statement
    rise = "Landlords can be fined up to £1,000 per tenant, rising to £3,000 for repeat breaches."
    assert len([f for f in _findings(rise, published="2017-03-01") if f.rule == "right_to_rent.landlord_penalty"]) == 1


def test_figures_that_show_how_hours_vary_are_an_illustration():
    said = ("Students at degree level can work up to 20 hours a week in term time. The limit is not an average: "
            "if you work 22 hours one week and 14 the next, you have breached your conditions.")
    assert _rules(said) == []
    assert ("incorrect", "student.term_time_work_hours") in _rules(
        "Students at degree level can work up to 22 hours a week in term time.")


def test_a_figure_belongs_to_its_own_clause_not_to_a_rule_named_in_the_next():
    said = "Today most people on work routes qualify after five years, and long residence takes ten."
    assert not any(rule == "long_residence.qualifying_period" for _, rule in _rules(said))
    wrong = "Long residence takes five years, and most people on work routes qualify after five years too."
    assert ("incorrect", "long_residence.qualifying_period") in _rules(wrong)

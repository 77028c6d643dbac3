"""Wording met on the realistic section in stop 26: each case is the rule a user relies on, in our
own words, with the near miss that must stay quiet."""
import datetime as dt

import guidance_audit as ga

AS_OF = dt.date(2026, 12, 1)


def _rules(text, published="2026-02-01"):
    report = ga.audit_text(text, as_of=AS_OF, published=published)
    return [(f.kind, f.rule) for f in report.findings if f.kind != "supported"]


def test_relying_on_the_partners_income_is_the_requirement_not_a_persons_pay():
    faq = "Partner visas: common questions\n\nHow much does my partner need to earn?\n\n"
    wrong = _rules(faq + "At least £18,600 a year before tax, if you are relying on the British partner's income alone.",
                   published="2018-05-22")
    assert ("outdated", "partner.minimum_income") in wrong
    own_pay = _rules("Spouse visa thread\n\nMy partner's income is £18,600 a year, which is why we waited.",
                     published="2018-05-22")
    assert not any(rule == "partner.minimum_income" for _, rule in own_pay)


def test_a_recap_line_labelled_income_states_the_requirement():
    text = ("How much do you need to earn to bring your partner to the UK?\n\nQuick recap\n\n"
            "Income: £18,600 with no children\n\n")
    assert ("outdated", "partner.minimum_income") in _rules(text, published="2023-05-18")


def test_the_value_of_the_day_and_its_announced_successor_are_no_contradiction():
    text = ("Family visas: what the new £29,000 income rule means for couples\n\n"
            "The current minimum income requirement of £18,600 for partners has been in place since July 2012.")
    rules = _rules(text, published="2024-03-20")
    assert not any(kind == "internal-contradiction" for kind, _ in rules)
    # two values of different periods stated as current at once still contradict each other
    clash = _rules("Partner visas\n\nThe minimum income requirement for partners is £29,000.\n\n"
                   "Couples must show a minimum income of £18,600 for the partner visa.", published="2025-03-20")
    assert ("internal-contradiction", "partner.minimum_income.consistency") in clash


def test_an_extension_under_the_old_figure_is_the_transitional_cohort():
    text = ("Spouse visas: your questions\n\nDo we still need the £18,600?\n\n"
            "Yes, for the extension you still need to show the financial requirement of £18,600 for a partner.")
    report = ga.audit_text(text, as_of=AS_OF, published="2019-03-01", include_supported=True)
    income = [f for f in report.findings if f.rule.startswith("partner.minimum_income")]
    assert income and all(f.kind == "supported" and f.cohort for f in income)


def test_a_sponsorship_briefing_gives_its_statements_the_skilled_worker_subject():
    text = ("# Sponsoring overseas hires after April 2024: what changed\n\n## Skill level\n\n"
            "Roles at RQF level 3 and above can still be sponsored.\n\n## English language\n\n"
            "Applicants still need English at B1 level.")
    rules = _rules(text, published="2024-04-08")
    assert ("outdated", "skilled_worker.skill_level") in rules
    assert ("outdated", "english.skilled_worker_level") in rules
    # the same sentences under a heading about students name no Skilled Worker fact
    students = _rules("# Studying in the UK\n\n## English language\n\nApplicants still need English at B1 level.",
                      published="2024-04-08")
    assert not any(rule.startswith("english.skilled_worker") for _, rule in students)


def test_a_fronted_phrase_running_into_it_is_refers_back():
    text = ("Right to rent: questions\n\nWhat happens if a landlord gets it wrong?\n\n"
            "The penalty for a first breach is up to £10,000 for each adult occupier.\n\nFor lodgers it is £80.")
    assert ("outdated", "right_to_rent.landlord_penalty") in _rules(text, published="2026-01-10")
    # the same figure in a sentence that refers to nothing before it is not a penalty
    other = _rules("Right to rent: questions\n\nWhat happens if a landlord gets it wrong?\n\n"
                   "The penalty for a first breach is up to £10,000 for each adult occupier.\n\n"
                   "For lodgers the deposit was £80.", published="2026-01-10")
    assert not any(rule == "right_to_rent.landlord_penalty" for _, rule in other)


def test_a_breach_of_the_right_to_rent_rules_is_a_landlord_penalty_but_an_employers_is_not():
    landlord = _rules("Fees update\n\nA first breach of the right to rent rules can cost up to £1,000 per occupier.",
                      published="2023-04-01")
    assert ("outdated", "right_to_rent.landlord_penalty") in landlord
    employer = _rules("Employer checks\n\nFor repeat breaches by an employer it is £60,000 per worker.",
                      published="2024-04-01")
    assert not any(rule == "right_to_rent.landlord_penalty" for _, rule in employer)


def test_at_the_time_of_writing_is_the_documents_present_but_at_the_time_is_the_past():
    now = _rules("Bringing your partner to the UK\n\nAt the time of writing, the Immigration Health Surcharge "
                 "is £624 for each year of the visa.", published="2026-08-01")
    assert ("outdated", "fees.ihs_main_rate") in now
    then = _rules("Bringing your partner to the UK\n\nWhen my husband applied in 2021 the Immigration Health "
                  "Surcharge was £624 for each year of the visa, which seemed a lot at the time.",
                  published="2026-08-01")
    assert not any(rule == "fees.ihs_main_rate" for _, rule in then)


def test_the_settlement_fee_is_the_ilr_fee():
    assert ("outdated", "fees.ilr") in _rules("Fees\n\nThe settlement fee is £2,885 per person.",
                                              published="2026-08-01")
    # a settlement scheme that is free is not the ILR fee
    assert not any(rule == "fees.ilr" for _, rule in _rules(
        "Fees\n\nThere is no fee for the EU Settlement Scheme.", published="2026-08-01"))


def test_a_table_cell_reads_the_caption_of_its_table():
    table = ("# Home Office fees: autumn update\n\n## Application fees\n\n"
             "| Application | Fee until 3 October | From 4 October |\n|---|---|---|\n"
             "| Settlement (indefinite leave to remain) | £2,404 | £2,885 |\n")
    rules = _rules(table, published="2023-09-14")
    assert ("outdated", "fees.ilr") in rules
    # without the caption naming fees the cell is just a sum of money in a row about settlement
    bare = table.replace("## Application fees", "## What changes")
    assert not any(rule == "fees.ilr" for _, rule in _rules(bare, published="2023-09-14"))


def test_time_held_before_settlement_is_not_a_grant_length():
    text = ("Spouse visas: questions\n\nIf you apply from abroad you will normally be given 33 months.\n\n"
            "Once you have held your spouse visa for two years you can apply for indefinite leave to remain.")
    rules = _rules(text, published="2024-02-01")
    assert ("outdated", "partner.settlement_period") in rules
    assert not any(rule == "partner.grant_length.consistency" for _, rule in rules)


def test_a_grant_then_settlement_sentence_states_both_and_contradicts_an_earlier_two_years():
    text = ("Spouse visas: questions\n\nOnce you have held your spouse visa for two years you can apply for "
            "indefinite leave to remain.\n\nYou will then extend for a further 30 months before you can apply "
            "for indefinite leave to remain after five years on the route.")
    rules = _rules(text, published="2024-02-01")
    assert ("internal-contradiction", "partner.settlement_period.consistency") in rules


def test_an_under_18s_row_is_not_the_adult_surcharge():
    table = ("# Surcharge\n\n## The immigration health surcharge\n\n| Who | Annual rate now |\n|---|---|\n"
             "| Adults | £624 per year |\n| Under-18s | £470 per year |\n")
    rules = _rules(table, published="2023-09-14")
    assert ("outdated", "fees.ihs_main_rate") in rules
    assert ("incorrect", "fees.ihs_main_rate") not in rules


def test_an_old_name_for_the_speaker_of_reported_speech_is_the_documents_own():
    said = _rules("Travel news\n\nA spokesperson for the UK Border Agency said most applications were decided "
                  "automatically.", published="2025-03-01")
    assert ("outdated-term", "body.ukba") in said
    # what a review reports another document to have said stays the review's finding about it
    reported = _rules("Review of force policies\n\nThe panel said that the force still told officers to "
                      "contact the UK Border Agency.", published="2025-03-01")
    assert not any(rule == "body.ukba" for _, rule in reported)


def test_a_refugee_grant_followed_by_settlement_in_the_next_clause_is_a_grant():
    for sentence in ["Survivors recognised as refugees receive five years' permission to stay and can then apply "
                     "to settle.",
                     "Everyone granted refugee status receives five years' permission to stay in the UK, after which "
                     "they can apply for settlement."]:
        assert ("outdated", "protection.refugee_leave_length") in _rules(f"Refugees\n\n{sentence}",
                                                                         published="2026-09-01"), sentence
    # the settlement period itself is not the grant
    settle = _rules("Refugees\n\nRefugees can apply to settle after five years in the UK.", published="2026-09-01")
    assert not any(rule == "protection.refugee_leave_length" for _, rule in settle)


def test_every_position_value_reads_as_words_in_a_message():
    # A finding's message names the version in force; a value given only by its patterns must say
    # in words what it is, or the user reads "This misstates ...: 30(th)? June 2021."
    from guidance_audit.factbase import load_factbase
    regexish = ("\\", "|", "(?", ")?", "{", "[")
    bad = [(f.id, v.text) for f in load_factbase().facts.values() for v in f.values
           if v.says and any(mark in v.text for mark in regexish)]
    assert bad == []


def test_the_right_to_rent_scheme_named_in_a_heading_covers_a_landlord_sentence():
    text = "# Right to rent checks\n\nLandlords letting properties in Wales and Scotland must make the same checks."
    assert ("incorrect", "right_to_rent.scope") in _rules(text, published="2016-03-01")
    england = "# Right to rent checks\n\nLandlords letting properties in England must make these checks."
    assert not any(rule == "right_to_rent.scope" for _, rule in _rules(england, published="2016-03-01"))


def test_a_euss_deadline_that_never_was_is_incorrect_and_a_cohort_condition_is_not_history():
    text = ("# EU Settlement Scheme: your questions\n\nIs it too late to apply?\n\n"
            "If you moved to the UK before the end of 2020, you can still apply at any time before 30 June 2025 "
            "without giving a reason.")
    assert ("incorrect", "eu.euss_deadline") in _rules(text, published="2024-05-01")
    joining = ("# EU Settlement Scheme: your questions\n\nJoining family members can still apply before "
               "30 June 2025 if they arrived within the last three months.")
    assert not any(rule == "eu.euss_deadline" for _, rule in _rules(joining, published="2025-05-01"))


def test_a_statement_naming_the_fact_itself_is_that_fact_whatever_the_sentence_before():
    text = ("Concession\n\nSince 1 April 2012 the concession has replaced the Sojourner Project. "
            "The concession gives up to four months' leave with access to benefits.")
    assert ("incorrect", "concession.period") in _rules(text, published="2013-09-02")
    # a pronoun still refers to what the sentence before was about
    pronoun = ("Concession\n\nThe Sojourner Project ran until March 2012. It gave up to 40 days of support.")
    assert not any(rule == "concession.period" for _, rule in _rules(pronoun, published="2013-09-02"))


def test_an_exception_named_after_a_turn_does_not_rule_the_statement_out():
    text = ("Call handling\n\nSpouses must complete two years in the UK before they can settle, but there is a "
            "special rule for people whose marriage has broken down because of domestic violence.")
    assert any(rule == "partner.settlement_period" for _, rule in _rules(text, published="2019-07-08"))
    # a turn that states a figure of its own still speaks for the fact it names
    savings = ("Spouse visa\n\nSavings can make up a shortfall, but only the amount above £16,000 counts.")
    assert not any(rule.startswith("partner.minimum_income") for _, rule in _rules(savings, published="2022-03-01"))

"""Wording met on the sixth blind section once it was opened (stop 27): each case is the rule a
user relies on, in our own words, with the near miss that must stay quiet."""
import datetime as dt

import guidance_audit as ga

AS_OF = dt.date(2026, 12, 1)

MINUTES = ("Minutes of the Harrowfield Migrant Support Network meeting, 12 March 2025\n\n"
           "Present: Cllr A Byrne (Chair), Ms T Okoro, Dr L Hanley\n\nApologies: Mr P Dunne\n\n"
           "3. Support for survivors\n\n")


def _findings(text, published="2026-02-01", **kw):
    report = ga.audit_text(text, as_of=AS_OF, published=published, **kw)
    return [f for f in report.findings if f.kind != "supported"]


def _rules(text, published="2026-02-01", **kw):
    return [(f.kind, f.rule) for f in _findings(text, published, **kw)]


def test_what_a_participant_said_in_minutes_is_the_meetings_statement():
    said = _rules(MINUTES + "Dr Hanley said the concession now lasted six months, which gave refuges more time.",
                  published="2025-03-12")
    assert ("incorrect", "concession.period") in said
    # "reported that" and a role as the speaker, in the past tense of reported speech
    role = _rules(MINUTES + "The Chair reported that the concession gave victims six months' leave.",
                  published="2025-03-12")
    assert ("incorrect", "concession.period") in role


def test_history_recalled_in_minutes_stays_history():
    text = MINUTES + "Ms Okoro reminded members that the concession had given six months' leave until 2012."
    assert not any(rule.startswith("concession.period") for _, rule in _rules(text, published="2025-03-12"))


def test_reported_speech_outside_minutes_is_still_reported():
    # the same sentence in a news story is what someone said, not the paper's own statement
    news = ("Refuge warns over visa rules\n\nBy our reporter, 12 March 2025\n\n"
            "Dr Hanley said the concession now lasted six months, which gave refuges more time.")
    assert not any(rule.startswith("concession.period") for _, rule in _rules(news, published="2025-03-12"))


def test_a_notification_of_possible_trafficking_victims_is_no_breach_of_a_promise_about_abuse_victims():
    policy = ("Victims with insecure immigration status: force policy\n\n"
              "Information sharing\n\n"
              "The force does not pass information about victims of domestic abuse to the Home Office.\n\n"
              "Under section 52 of the Modern Slavery Act 2015 the police must notify the Home Office where "
              "they believe a person may be a victim of slavery or human trafficking.")
    assert not any(kind == "internal-contradiction" for kind, _ in _rules(policy, published="2019-06-14"))
    # sharing the details of abuse victims themselves still contradicts the promise
    clash = policy + ("\n\nProcedure\n\nThe officer in the case must email the victim's name and address "
                      "to Immigration Enforcement within 24 hours.")
    assert any(kind == "internal-contradiction" for kind, _ in _rules(clash, published="2019-06-14"))


def test_a_count_of_other_things_is_no_count_of_the_codes_rights():
    text = ("Commissioner's annual report\n\nThe Victims' Code sets out 12 rights for every victim of crime. "
            "This year my office audited 300 cases against the Code.")
    assert not any(rule.startswith("victims_code.rights") for _, rule in _rules(text, published="2025-07-17"))
    # a wrong number of the Code's own rights is still wrong
    wrong = _rules("Commissioner's annual report\n\nThe Victims' Code sets out 15 rights for every victim of crime.",
                   published="2025-07-17")
    assert ("incorrect", "victims_code.rights") in wrong


def test_not_only_partners_of_british_citizens_is_the_wider_concession():
    wider = ("Since February 2024 the concession has also covered the partners of workers and students, "
             "not only the partners of British citizens and settled people.")
    assert not any(rule == "concession.coverage" for _, rule in _rules(wider, published="2025-07-17"))
    narrow = ("The concession is only available to those who came to the UK as the spouse, civil partner "
              "or unmarried partner of a British citizen or settled person.")
    assert ("outdated", "concession.coverage") in _rules(narrow, published="2019-05-01")


def test_a_campaign_line_about_destitution_states_no_condition():
    campaign = "No woman should have to choose between staying with an abuser and being destitute."
    assert not any(rule == "concession.destitution_requirement"
                   for _, rule in _rules("What we campaign for\n\n" + campaign, published="2021-04-01"))
    condition = ("Under the DDV concession you can ask the Home Office for three months' leave. "
                 "You must tell the Home Office that you have no money to live on.")
    assert ("outdated", "concession.destitution_requirement") in _rules(condition, published="2021-04-01")


def test_hearsay_on_a_forum_is_not_the_posters_statement():
    post = ("Spouse visa extension thread\n\nSome people say she can get ILR after two years, "
            "others say it's five now and she'll need to extend first.")
    assert not any(rule.startswith("partner.") for _, rule in _rules(post, published="2014-03-01"))
    own = "Spouse visa extension thread\n\nMy wife can get ILR after two years on her spouse visa."
    assert ("outdated", "partner.settlement_period") in _rules(own, published="2014-03-01")


def test_the_concessions_leave_while_applying_is_no_settlement_period():
    text = ("Help if your relationship has broken down\n\nThere's the DDV concession for people who have no money. "
            "It gives you 3 months' leave with access to benefits while you apply to settle.")
    assert not any(rule.startswith("partner.settlement_period") for _, rule in _rules(text, published="2014-03-01"))


def test_a_first_grant_you_will_have_been_given_is_a_grant_length():
    text = "If you are on a spouse visa you will have been given 27 months to begin with."
    assert ("outdated", "partner.grant_length") in _rules(text, published="2021-04-01")
    fiance = "If you came on a fiancé visa you will have been given six months to marry."
    assert not any(rule.startswith("partner.grant_length") for _, rule in _rules(fiance, published="2021-04-01"))


def test_the_dvilr_section_of_appendix_fm_is_a_citation():
    text = "Victims can apply for settlement under the new DVILR section of Appendix FM."
    findings = _findings(text, published="2012-10-22")
    cited = [f for f in findings if f.rule == "rules.appendix_fm_dvilr"]
    assert cited and cited[0].kind == "outdated-citation" and cited[0].wrong_at_publication is False
    assert not any(f.rule == "route.dvilr_name" for f in findings)  # one finding for the one citation


def test_refugees_who_could_still_bring_family_state_an_open_route():
    text = MINUTES + ("Ms Okoro said refugees could still bring their spouse and children under refugee family "
                      "reunion without meeting any income requirement.")
    rules = _rules(text, published="2025-09-17")
    assert ("outdated", "protection.family_reunion_status") in rules
    closed = MINUTES + "Ms Okoro said refugee family reunion had been suspended on 4 September 2025."
    assert not any(rule.startswith("protection.family_reunion") for _, rule in _rules(closed, published="2025-09-17"))


def test_denying_the_transitional_income_cohort_is_incorrect():
    thread = "Spouse visa ILR thread\n\n"
    for wrong in ("The income still has to be £29,000 for ILR now, even if your first visa was under the old £18,600 rules.",
                  "Everyone has needed £29,000 since April last year, the old figure is gone for extensions too."):
        assert ("incorrect", "partner.transitional_income_cohort") in _rules(thread + wrong, published="2025-06-01")
    # the rule as it is: a new partner, or a new applicant, meets £29,000
    for right in ("If you extend with a new partner you must meet £29,000.",
                  "New applicants have needed £29,000 since 11 April 2024, but partners already on the route "
                  "keep £18,600 when they extend with the same partner."):
        assert not any(kind == "incorrect" for kind, _ in _rules(thread + right, published="2025-06-01"))


def test_the_act_of_a_leading_condition_is_not_the_promise():
    faq = ("Reporting a crime\n\nWill you tell immigration about me?\n\n"
           "No. If you report a crime, we will not pass your details to the immigration authorities.\n\n"
           "Checks\n\nOur officers will check the immigration status of every victim of crime with the Home Office "
           "before the crime report is completed.")
    assert any(kind == "internal-contradiction" for kind, _ in _rules(faq, published="2012-05-01"))
    # without the blanket check, the promise stands alone
    alone = faq.split("\n\nChecks")[0]
    assert not any(kind == "internal-contradiction" for kind, _ in _rules(alone, published="2012-05-01"))


def test_who_the_old_concession_left_out_is_its_old_coverage():
    for old in ("The DDVC is open to partners of British citizens and settled people, but not to partners of "
                "people on work or study visas.",
                "Women on other visas, or with no leave, cannot get the concession."):
        assert ("outdated", "concession.coverage") in _rules("The DDV concession\n\n" + old, published="2017-05-01")
    # who it covers now, said the same way round, is right
    now = "The concession is open to partners of British citizens and of people on work or study visas."
    assert not any(rule == "concession.coverage" for _, rule in _rules("The MVDAC\n\n" + now, published="2025-05-01"))


def test_a_fiance_visa_that_let_someone_work_is_incorrect():
    post = "Spouse visa thread\n\nI came as a fiancée first and my fiancée visa let me work, so I had a job before the wedding."
    assert ("incorrect", "fiance.work") in _rules(post, published="2014-03-01")
    after = "Spouse visa thread\n\nAfter the wedding I switched to a spouse visa, which let me work."
    assert not any(rule == "fiance.work" for _, rule in _rules(after, published="2014-03-01"))


def test_a_negation_in_a_relative_clause_does_not_deny_the_main_verb():
    text = ("Renting privately\n\nA landlord who does not carry out the checks can be fined up to £3,000 "
            "for each adult occupier.")
    assert ("outdated", "right_to_rent.landlord_penalty") in _rules(text, published="2019-05-01")
    denied = "Renting privately\n\nA landlord cannot be fined £3,000 for each adult occupier."
    assert not any(rule == "right_to_rent.landlord_penalty" for _, rule in _rules(denied, published="2019-05-01"))


def test_a_repeat_breach_under_a_right_to_rent_heading_is_the_landlord_penalty():
    text = "Right to rent penalties\n\nA repeat breach within three years can cost up to £3,000."
    assert ("outdated", "right_to_rent.landlord_penalty") in _rules(text, published="2023-05-01")
    employer = "Illegal working penalties\n\nA repeat breach within three years can cost up to £3,000."
    assert not any(rule == "right_to_rent.landlord_penalty" for _, rule in _rules(employer, published="2023-05-01"))


def test_the_surcharge_named_beside_the_visa_fee_is_still_the_surcharge():
    text = ("As well as the visa fee, each applicant pays the Immigration Health Surcharge of £624 for each "
            "year of the visa.")
    assert ("outdated", "fees.ihs_main_rate") in _rules(text, published="2021-05-01")
    total = "The visa fee and the Immigration Health Surcharge come to £3,500 a year in total."
    assert not any(rule == "fees.ihs_main_rate" for _, rule in _rules(total, published="2021-05-01"))


def test_sharing_the_document_reports_contradicts_a_denial_that_covers_that_time():
    statement = ("Commissioner's statement on safe reporting\n\n"
                 "Since 2019 the force has not shared any information about victims of crime with Immigration "
                 "Enforcement.\n\nFigures provided to my office show that between April 2020 and January 2021 the "
                 "force made thirty-eight status enquiries to the Home Office about victims of domestic abuse.")
    assert any(kind == "internal-contradiction" for kind, _ in _rules(statement, published="2021-03-01"))
    # sharing reported from before the time the denial covers is no contradiction
    earlier = statement.replace("Since 2019", "Since 2022").replace("published", "published")
    assert not any(kind == "internal-contradiction" for kind, _ in _rules(earlier, published="2023-03-01"))


def test_refugees_who_can_currently_bring_family_without_an_income_threshold_state_an_open_route():
    text = ("Question 13: refugees\n\nRefugees can currently bring their spouse and children to the UK through "
            "refugee family reunion without meeting an income threshold.")
    assert ("outdated", "protection.family_reunion_status") in _rules(text, published="2026-02-10")
    # the same said of a date before the suspension is history
    past = ("Question 13: refugees\n\nUntil September 2025 refugees could bring their spouse and children through "
            "refugee family reunion without meeting an income threshold.")
    assert not any(rule.startswith("protection.family_reunion") for _, rule in _rules(past, published="2026-02-10"))


def test_six_weeks_of_concession_leave_misstates_the_period():
    text = ("The concession\n\nThe concession gives three months' leave with access to public funds. "
            "Women who reach the end of the six weeks of concession leave without having applied become overstayers.")
    rules = _rules(text, published="2025-05-01")
    assert ("incorrect", "concession.period") in rules
    sojourner = "Before 2012 the Sojourner Project paid for up to six weeks in a refuge."
    assert not any(rule.startswith("concession.period") for _, rule in _rules(sojourner, published="2025-05-01"))


def test_partners_of_students_who_can_use_it_to_settle_under_appendix_vda_is_incorrect():
    text = ("What we funded\n\nThe project helps victims to use the Migrant Victims of Domestic Abuse Concession. "
            "Victims who are partners of students or skilled workers can use it to apply for settlement under "
            "Appendix Victim of Domestic Abuse.")
    assert ("incorrect", "da.vda_excludes_work_study_partners") in _rules(text, published="2025-07-17")
    right = ("What we funded\n\nVictims who are partners of students or skilled workers cannot use it to apply for "
             "settlement under Appendix Victim of Domestic Abuse.")
    assert not any(kind == "incorrect" for kind, _ in _rules(right, published="2025-07-17"))


def test_extract_claims_reads_with_the_genre_the_auditor_is_given():
    from guidance_audit.readers import document_from_text
    doc = document_from_text("Support network notes\n\nDr Hanley said the concession now lasted six months, which "
                             "gave refuges more time.")
    said = [c for c in ga.Auditor(genre="meeting-record").extract_claims(doc) if "Hanley" in c.text]
    assert said and said[0].framing == "current" and said[0].context.genre == "meeting-record"
    told = [c for c in ga.Auditor(genre="news").extract_claims(doc) if "Hanley" in c.text]
    assert told and told[0].framing == "quoted"

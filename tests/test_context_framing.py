"""How real guidance is written: subjects outside the sentence, strong names, history told in the
past, transitional cohorts, secondary values and stated effective dates. Each case is written in
real-world wording and has a near-miss that must not be flagged."""
import pytest

import guidance_audit as ga
from guidance_audit.readers import read_document

AS_OF = "2026-12-01"


def _html(tmp_path, body, name="page.html"):
    path = tmp_path / name
    path.write_text(f"<html><head><title>Guide</title></head><body><main>{body}</main></body></html>", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


def _rules(report):
    return {(f.kind, f.rule) for f in report.findings if f.severity in ("error", "warning")}


# (what is tested, page body, the fact that must be flagged (kind, rule) or None, where the subject came from)
CONTEXT_CASES = [
    ("heading", "<h1>Family visas</h1><h2>Meeting the financial requirement</h2>"
                "<p>The sponsor must earn at least £18,600 a year.</p>",
     ("outdated", "partner.minimum_income"), "heading"),
    ("heading near-miss", "<h1>Family visas</h1><h2>Meeting the financial requirement</h2>"
                          "<p>The sponsor must earn at least £29,000 a year.</p>", None, None),
    ("FAQ question", "<h1>Spouse visa questions</h1><h3>How long before my wife can get ILR?</h3>"
                     "<p>After two years.</p>", ("outdated", "partner.settlement_period"), "question"),
    ("FAQ near-miss", "<h1>Spouse visa questions</h1><h3>How long before my wife can get ILR?</h3>"
                      "<p>After five years.</p>", None, None),
    ("question in the paragraph", "<h1>Advice line</h1><p>What is the minimum income for a spouse visa? "
                                  "£18,600 a year.</p>", ("outdated", "partner.minimum_income"), "question"),
    ("lead-in and bullets", "<h1>Partner visa</h1><p>You can apply to settle as a partner if:</p>"
                            "<ul><li>you have lived in the UK for 2 years</li></ul>",
     ("outdated", "partner.settlement_period"), "lead-in"),
    ("lead-in near-miss", "<h1>Partner visa</h1><p>You can apply to settle as a partner if:</p>"
                          "<ul><li>you have lived in the UK for 5 years</li></ul>", None, None),
    ("pronoun chain", "<h1>Family visas</h1><p>Partners must earn £29,000. This rises to £22,400 with one child.</p>",
     ("outdated", "partner.minimum_income"), "previous"),
    ("table headers", "<h1>Salary rules</h1><table><tr><th>Route</th><th>Salary threshold</th></tr>"
                      "<tr><td>Skilled Worker</td><td>£26,200</td></tr></table>",
     ("outdated", "skilled_worker.salary_threshold"), "header"),
    ("table near-miss", "<h1>Salary rules</h1><table><tr><th>Route</th><th>Salary threshold</th></tr>"
                        "<tr><td>Skilled Worker</td><td>£41,700</td></tr></table>", None, None),
    ("strong name alone", "<h1>Costs</h1><p>The minimum income requirement is £18,600.</p>",
     ("outdated", "partner.minimum_income"), None),
]


@pytest.mark.parametrize("what,body,expected,source", CONTEXT_CASES, ids=[c[0] for c in CONTEXT_CASES])
def test_subject_outside_the_sentence(tmp_path, auditor, what, body, expected, source):
    report = auditor.audit(_html(tmp_path, body), as_of=AS_OF, published="2025-09-01")
    found = [f for f in report.findings if f.severity in ("error", "warning") and f.kind != "internal-contradiction"]
    if expected is None:
        assert found == []
        return
    assert expected in {(f.kind, f.rule) for f in found}, report.findings
    f = next(f for f in found if (f.kind, f.rule) == expected)
    assert report.document.text[f.location.start:f.location.end] == f.quote  # the quote is the statement
    if source:
        assert any(source in c for c in f.context), f.context


HISTORY_CASES = [
    ("simple past with a date", "On 1 April 2012 the UK Border Agency introduced the DDV concession to replace "
                                "the Sojourner Project.", "UK Border Agency introduced the DDV concession today."),
    ("replacement", "This replaces the Destitution Domestic Violence Concession (DDVC).",
     "Victims can apply for the Destitution Domestic Violence Concession (DDVC)."),
    ("formerly known as", "Contact UK Visas and Immigration, formerly known as the UK Border Agency.",
     "Contact the UK Border Agency."),
    ("a cohort that held an old route", "People who held a Tier 4 visa may now be on the Student route.",
     "Apply for a Tier 4 visa before your course starts."),
    ("a change told in the past", "In July 2012 the Home Office introduced a five-year probationary period and "
                                  "abolished the two-year probationary period for spouses.",
     "Spouses can settle after a two-year probationary period."),
]


@pytest.mark.parametrize("what,history,current", HISTORY_CASES, ids=[c[0] for c in HISTORY_CASES])
def test_history_is_not_a_current_assertion(auditor, what, history, current):
    assert _rules(auditor.audit_text(history, as_of=AS_OF, published="2025-01-10")) == set()
    assert _rules(auditor.audit_text(current, as_of=AS_OF, published="2025-01-10")) != set()


def test_a_history_section_frames_its_statements(tmp_path, auditor):
    body = ("<h1>Partner visas</h1><h2>History</h2><p>Spouses could settle after two years.</p>"
            "<h2>The rules now</h2><p>Spouses can settle after two years.</p>")
    report = auditor.audit(_html(tmp_path, body), as_of=AS_OF, published="2025-01-10")
    flagged = [f for f in report.findings if f.kind == "outdated"]
    assert len(flagged) == 1 and "rules now" not in flagged[0].quote
    claims = ga.Auditor().extract_claims(report.document)
    assert any(c.framing == "historical" and "History" in (c.framing_reason or "") for c in claims
               if c.text.startswith("Spouses could"))


def test_a_bracketed_aside_is_not_a_negation(auditor):
    text = "A spouse can apply for ILR after two years (even if that permission is no longer valid)."
    assert ("outdated", "partner.settlement_period") in _rules(auditor.audit_text(text, as_of=AS_OF))
    near = "A spouse cannot apply for ILR after two years (they must wait five)."
    assert ("outdated", "partner.settlement_period") not in _rules(auditor.audit_text(near, as_of=AS_OF))


def test_a_page_scoped_to_a_past_cohort_is_right_for_it(tmp_path, auditor):
    body = ("<h1>Settlement for partners</h1><p>This page is for people who applied before 9 July 2012.</p>"
            "<p>A spouse can apply for indefinite leave to remain after two years.</p>")
    report = auditor.audit(_html(tmp_path, body), as_of=AS_OF, published="2013-01-10")
    assert _rules(report) == set()
    held = [f for f in report.findings if f.cohort]
    assert held and held[0].severity == "info" and "9 July 2012" in held[0].message
    near = ("<h1>Settlement for partners</h1><p>This page is for everyone on the partner route.</p>"
            "<p>A spouse can apply for indefinite leave to remain after two years.</p>")
    assert ("outdated", "partner.settlement_period") in _rules(
        auditor.audit(_html(tmp_path, near, "near.html"), as_of=AS_OF, published="2013-01-10"))


def test_a_statement_addressed_to_the_transitional_cohort_is_not_an_error(auditor):
    text = ("Partners who first applied before 11 April 2024 can still rely on the £18,600 income threshold "
            "when they extend with the same partner.")
    report = auditor.audit_text(text, as_of=AS_OF, published="2025-01-10")
    assert _rules(report) == set()
    assert any(f.cohort and f.rule == "partner.minimum_income" for f in report.findings)
    near = "New partners must meet an income threshold of £18,600."
    assert ("outdated", "partner.minimum_income") in _rules(auditor.audit_text(near, as_of=AS_OF))


def test_a_secondary_value_is_checked(auditor):
    text = "Sponsors of a spouse must earn £18,600, plus £3,800 for the first child."
    assert ("outdated", "partner.minimum_income") in _rules(auditor.audit_text(text, as_of=AS_OF))
    wrong = "Care workers cannot bring dependants with them; students on taught courses since 2024 cannot either."
    assert all(k != "incorrect" for k, _ in _rules(auditor.audit_text(wrong, as_of=AS_OF)))


def test_a_stated_effective_date_is_checked(auditor):
    wrong = "Skilled workers must be paid at least £41,700 from 4 April 2024."
    found = [f for f in auditor.audit_text(wrong, as_of=AS_OF).findings
             if f.rule == "skilled_worker.salary_threshold.effective-date"]
    assert found and found[0].stated == "4 April 2024" and "22 July 2025" in found[0].message
    right = "Skilled workers must be paid at least £41,700 from 22 July 2025."
    assert _rules(auditor.audit_text(right, as_of=AS_OF)) == set()


def test_the_context_is_one_object_on_the_claim(tmp_path):
    path = _html(tmp_path, "<h1>Family visas</h1><p>You can apply if:</p><ul><li>you earn £29,000</li></ul>")
    doc = read_document(path)
    claims = ga.Auditor().extract_claims(doc)
    item = next(c for c in claims if c.text.startswith("you earn"))
    assert item.text == "you earn £29,000"  # the statement keeps its own words and place
    assert doc.text[item.start:item.end] == item.text
    kinds = [layer.kind for layer in item.context.layers]
    assert kinds[0] == "lead-in" and item.context.layers[0].text == "You can apply if:"
    assert "heading" in kinds


# Real-world wording met in stop 19, each with its near-miss:
# (what is tested, page body, published, (kind, rule) that must be flagged or None)
WORDING_CASES = [
    ("an old name said to be gone", "<h1>Work visas</h1><h2>The Shortage Occupation List has gone</h2>"
                                    "<p>Employers now use the Immigration Salary List.</p>", "2024-04-17", None),
    ("near-miss: a figure that has gone up", "<h1>Family visas</h1><p>The minimum income requirement for a "
                                             "spouse visa has gone up to £18,600.</p>", "2024-04-17",
     ("outdated", "partner.minimum_income")),
    ("a list of references", "<h1>Policy</h1><p>Officers follow national guidance.</p><h2>References</h2>"
                             "<ul><li>NPCC position statement on information exchange regarding victims of "
                             "crime, December 2018</li><li>UK Border Agency, Enforcement Instructions, 2010</li></ul>",
     "2019-07-08", None),
    ("near-miss: the same name in the body", "<h1>Policy</h1><p>Contact the UK Border Agency about the "
                                             "victim's status.</p><h2>References</h2><ul><li>Victims' Code</li></ul>",
     "2019-07-08", ("outdated-term", "body.ukba")),
    ("advice in the conditional", "<h1>Spouse visas</h1><p>With no income at all you would need £62,500 in "
                                  "savings.</p>", "2017-02-06", ("outdated", "partner.minimum_income")),
    ("near-miss: a proposal in the conditional", "<h1>Spouse visas</h1><p>Under the proposals applicants "
                                                 "would need £38,700 in income.</p>", "2024-01-10", None),
    ("someone's own pay is not the threshold", "<h1>Family visa rules</h1><p>Her husband is from Ghana and she "
                                               "wants him to join her as her spouse. She earns around £15,000 a "
                                               "year.</p>", "2012-06-14", None),
    ("an evidence look-back is not a grant", "<h1>Spouse and partner visas</h1><p>You will need:</p><ul><li>"
                                             "payslips and bank statements for the last six months;</li></ul>",
     "2017-02-06", None),
    ("near-miss: a grant length under the same heading", "<h1>Spouse and partner visas</h1><p>Your first spouse "
                                                         "visa will be granted for 27 months.</p>", "2017-02-06",
     ("outdated", "partner.grant_length")),
    ("a paragraph number at the end of a sentence", "<h1>Domestic violence</h1><p>A victim should be considered "
                                                    "for settlement under paragraph 289A.</p>", "2014-03-03",
     ("outdated-citation", "rules.para_289a")),
    ("an appendix that was withdrawn", "<h1>HM Forces families</h1><p>From 1 December 2013 their applications "
                                       "are made under Appendix Armed Forces.</p>", "2014-03-03",
     ("outdated-citation", "rules.appendix_armed_forces")),
    ("near-miss: the appendix that replaced it", "<h1>HM Forces families</h1><p>Their applications are made "
                                                 "under Appendix HM Armed Forces.</p>", "2025-03-03", None),
    ("history that goes on to say it still applies", "<h1>Domestic violence</h1><p>Before 9 July 2012 the rule "
                                                     "was paragraph 289A, and it still applies to a few people.</p>",
     "2019-07-08", ("outdated-citation", "rules.para_289a")),
    ("near-miss: history alone", "<h1>Domestic violence</h1><p>Before 9 July 2012 the rule was paragraph "
                                 "289A.</p>", "2019-07-08", None),
    ("a grant on switching in-country", "<h1>Husbands, wives and partners</h1><p>If you switch into this "
                                        "category in the UK, you will normally be given 2 years' leave to "
                                        "remain.</p>", "2010-08-27", ("outdated", "partner.grant_length")),
    ("near-miss: a fiancé(e) visa", "<h1>Partners</h1><p>A fiancé(e) visa lasts six months, and you must "
                                    "marry and then apply to switch.</p>", "2019-01-10", None),
    ("a heading's bare 'transitional' is not the cohort", "<h1>Part 8 partners: transitional cases</h1><p>This "
                                                          "guidance is only for people who applied under Part 8."
                                                          "</p><p>The minimum income requirement under Appendix FM "
                                                          "is £18,600 a year.</p>", "2014-03-03",
     ("outdated", "partner.minimum_income")),
    ("a review reporting what it was told", "<h1>Scrutiny panel review</h1><p>Officers told us they often ask "
                                            "victims to produce a residence card.</p>", "2025-03-03", None),
    ("near-miss: the review's own advice", "<h1>Scrutiny panel review</h1><p>Officers should ask victims to "
                                           "produce a residence card.</p>", "2025-03-03",
     ("outdated-term", "document.eea_residence_card")),
    ("a strong name alone: probationary period", "<h1>Partners</h1><p>The probationary period is two "
                                                 "years.</p>", "2019-06-01", ("outdated", "partner.settlement_period")),
    ("near-miss: a police probationary period", "<h1>Joining the force</h1><p>Student officers serve a two-year "
                                                "probationary period.</p>", "2019-06-01", None),
    ("a strong name alone: financial requirement", "<h1>Partners</h1><p>The financial requirement is £18,600."
                                                   "</p>", "2019-06-01", ("outdated", "partner.minimum_income")),
    ("near-miss: a later sentence that does not refer back", "<h1>Partners</h1><p>The probationary period is five "
                                                             "years. Decisions take about 12 months.</p>",
     "2019-06-01", None),
    ("a past change with a past possibility", "<h1>Partners</h1><p>In April 2003 the probationary period was "
                                              "increased from one year to two years, so people who married before "
                                              "then may have been given less.</p>", "2009-06-01", None),
    ("a pronoun that carries the whole subject", "<h1>Domestic abuse</h1><p>Victims can ask for the Migrant "
                                                 "Victims of Domestic Abuse Concession. It gives six months of "
                                                 "leave.</p>", "2025-06-01", ("incorrect", "concession.period")),
    ("near-miss: a processing time", "<h1>Settlement</h1><p>Spouses can apply for indefinite leave to remain. "
                                     "It takes about six months to get a decision.</p>", "2025-06-01", None),
    ("near-miss: 'it takes' stating the rule", "<h1>Settlement</h1><p>It takes two years before a spouse can "
                                               "apply for ILR.</p>", "2010-06-01",
     ("outdated", "partner.settlement_period")),
    ("a question asserts nothing", "<h1>Right to work</h1><h3>A candidate has a biometric residence permit. Can I "
                                   "just copy it?</h3><p>No. Use the online service.</p>", "2023-03-06", None),
    ("near-miss: the answer asserts", "<h1>Right to work</h1><h3>What should I check?</h3><p>Check the candidate's "
                                      "biometric residence permit.</p>", "2023-03-06",
     ("outdated", "document.brp")),
    ("history carried on by a pronoun", "<h1>Briefing</h1><p>In July 2012 the government introduced a new family "
                                        "route. It set the minimum income requirement at £18,600 a year.</p>",
     "2025-03-03", None),
    ("near-miss: a pronoun after a current sentence", "<h1>Briefing</h1><p>Partners apply under Appendix FM. It "
                                                      "sets the minimum income requirement at £18,600 a year.</p>",
     "2025-03-03", ("outdated", "partner.minimum_income")),
    ("a figure under discussion", "<h1>Briefing</h1><p>A threshold of £38,700 would exclude many working "
                                  "families from sponsoring a spouse.</p>", "2025-03-03", None),
    ("someone's account in a scenario", "<h1>Quiz</h1><p>Q4. Does she need a conviction to get settlement as a "
                                        "spouse?</p><p>Q5. A man says he works 14 hours a day for no pay. What do "
                                        "you do?</p>", "2019-03-03", None),
    ("a contents line and a restriction", "<h1>Student visas</h1><p>This page explains who can bring family "
                                          "members. Only some students can bring dependants.</p>", "2026-03-03",
     None),
    ("near-miss: the old rule stated", "<h1>Student visas</h1><p>Students on a one-year master's course can bring "
                                       "dependants.</p>", "2026-03-03", ("outdated", "student.dependants")),
    ("a provision named for what it excludes", "<h1>Domestic abuse</h1><p>Partners of workers cannot settle under "
                                               "Appendix VDA, so get advice.</p>", "2026-03-03", None),
    ("a present perfect in a section about change", "<h1>Annual report</h1><h2>What changed this year</h2><p>We "
                                                    "have also been telling clients about their rights under the "
                                                    "Code of Practice for Victims of Crime published in 2015.</p>",
     "2023-05-01", ("outdated-citation", "victims_code.2015")),
    ("near-miss: the past tense in a section about change", "<h1>Annual report</h1><h2>What changed this year</h2>"
                                                            "<p>In 2021 the Code of Practice for Victims of Crime "
                                                            "published in 2015 was replaced.</p>", "2023-05-01", None),
    ("near-miss: a dated cohort in the heading", "<h1>Partners who first applied before 11 April 2024</h1><p>The "
                                                 "minimum income requirement is £18,600 a year.</p>", "2025-03-03",
     None),
]


@pytest.mark.parametrize("what,body,published,expected", WORDING_CASES, ids=[c[0] for c in WORDING_CASES])
def test_real_world_wording(tmp_path, auditor, what, body, published, expected):
    report = auditor.audit(_html(tmp_path, body), as_of=AS_OF, published=published)
    rules = _rules(report) - {(k, r) for k, r in _rules(report) if k == "internal-contradiction"}
    if expected is None:
        assert rules == set(), report.findings
    else:
        assert expected in rules, report.findings


def test_a_route_length_mentioned_with_the_grants_is_no_contradiction(auditor):
    text = ("## How long before my husband can get ILR?\n\nUsually after five years.\n\n"
            "He will normally get a first visa, then an extension, and can apply for indefinite leave to "
            "remain when he has spent 60 months in the UK as your partner.\n\n"
            "Once you have held a spouse visa for two years you can apply for indefinite leave to remain.\n")
    report = auditor.audit_text(text, as_of=AS_OF, published="2017-02-06")
    rules = {f.rule for f in report.findings if f.kind == "internal-contradiction"}
    assert "partner.grant_length.consistency" not in rules
    assert "partner.settlement_period.consistency" in rules  # five years against two: a real one


def test_a_masthead_with_a_bracketed_note_asserts_nothing(auditor):
    text = ("UK Border Agency - Settlement - Partners - Applied before 9 July 2012 [Text-only version of an "
            "archived web page]\n\nHome > Settlement > Partners\n\nContact the UK Border Agency for help.\n")
    flagged = [f for f in auditor.audit_text(text, as_of=AS_OF, published="2011-05-01").findings
               if f.rule == "body.ukba"]
    assert len(flagged) == 1 and flagged[0].quote == "UK Border Agency" and flagged[0].location.start > 60


def test_a_value_announced_for_soon_after_publication_was_not_wrong_then(auditor):
    text = "British citizens who want to bring a spouse must earn at least £18,600 a year."
    found = [f for f in auditor.audit_text(text, as_of=AS_OF, published="2012-06-14").findings
             if f.rule == "partner.minimum_income"]
    assert found and found[0].kind == "outdated" and found[0].wrong_at_publication is False
    long_before = [f for f in auditor.audit_text("Spouses can apply to settle after five years.", as_of=AS_OF,
                                                 published="2005-06-14").findings if f.kind != "info"]
    assert all(f.wrong_at_publication is not False for f in long_before if f.rule == "partner.settlement_period")


def test_a_denial_contradicted_by_an_officer_contacting_immigration_enforcement(auditor):
    text = ("## The police and the Home Office\n\nPolice officers do not share survivors' details with the "
            "Home Office.\n\nIf the police are unsure about a survivor's status, an officer may contact "
            "Immigration Enforcement to check it.\n")
    found = [f for f in auditor.audit_text(text, as_of=AS_OF, published="2024-05-01").findings
             if f.kind == "internal-contradiction"]
    assert found and "contact Immigration Enforcement" in (found[0].quote + " ".join(r.quote for r in found[0].related))
    near = ("## The police and the Home Office\n\nPolice officers do not share survivors' details with the "
            "Home Office.\n\nA survivor may contact the Home Office herself about her visa.\n")
    assert not [f for f in auditor.audit_text(near, as_of=AS_OF, published="2024-05-01").findings
                if f.kind == "internal-contradiction"]

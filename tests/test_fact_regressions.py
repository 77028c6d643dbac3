"""Priority-A items of the December 2026 fact audit (../shared/FACTS-2026-12.md §2): correct
sentences the fact base used to accuse, each with the wrong sentence next to it that must still
be reported."""
import pytest

import guidance_audit as ga

AS_OF = "2026-12-01"

CORRECT = [
    # A1: the UK left the EU in January 2020; free movement went on to 31 December 2020.
    ("eu.free_movement_end",
     "The UK's EU membership ended on 31 January 2020, but free movement continued until 11pm on 31 December 2020."),
    # A2: other changes that took effect, mentioned beside earned settlement.
    ("settlement.earned_settlement_status",
     "The Skilled Worker changes that took effect in July 2025 were separate from earned settlement."),
    ("settlement.earned_settlement_status",
     "The earned settlement consultation has been introduced as a proposal only."),
    # A3: a firewall denied, not asserted.
    ("policy.firewall", "It is not true that a firewall is in place between the police and the Home Office."),
    ("policy.firewall", "Claims that a firewall is in place are false."),
    # A5: the concession's old coverage told in the past tense.
    ("concession.coverage",
     "The concession used to be only for partners of British citizens or settled people, but since "
     "February 2024 it also covers partners of workers and students."),
]

WRONG = [
    ("eu.free_movement_end", "Free movement ended on 31 January 2020 when the UK left the EU."),
    ("settlement.earned_settlement_status", "Earned settlement came into force in 2025."),
    ("policy.firewall", "A firewall is now in place, so the police never share victims' details."),
    ("concession.coverage",
     "The MVDAC is only available to partners of British citizens or settled people."),
]


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


@pytest.mark.parametrize("fact,text", CORRECT, ids=[f"{f}-{t[:30]}" for f, t in CORRECT])
def test_correct_sentence_is_not_flagged(auditor, fact, text):
    report = auditor.audit_text(text, as_of=AS_OF, published="2026-06-01")
    assert [f for f in report.findings if f.rule == fact] == []


@pytest.mark.parametrize("fact,text", WRONG, ids=[f"{f}-{t[:30]}" for f, t in WRONG])
def test_wrong_sentence_is_still_flagged(auditor, fact, text):
    report = auditor.audit_text(text, as_of=AS_OF, published="2026-06-01")
    assert [f.kind for f in report.findings if f.rule == fact] in (["incorrect"], ["outdated"])


def test_asylum_permission_to_work_is_never_an_error_after_hc_1691(auditor):
    # A4: HC 1691 (spring 2026) changed the permission-to-work rules in ways not yet confirmed, so a
    # late-2026 document describing another wait is at most a warning.
    report = auditor.audit_text("People seeking asylum can apply for permission to work after 6 months "
                                "of waiting for a decision.", as_of=AS_OF, published="2026-10-01")
    found = [f for f in report.findings if f.rule == "asylum.permission_to_work_wait"]
    assert found and all(f.severity == "warning" for f in found)


def test_a_provision_with_only_a_latest_end_day_never_guesses_wrong_at_publication():
    import guidance_audit as ga
    a = ga.Auditor()
    early = [f for f in a.audit_text("Public funds are defined in paragraph 6 of the Immigration Rules.",
                                     as_of="2026-12-01", published="2017-01-10").findings
             if f.rule == "rules.intro_para_6"]
    assert early and early[0].wrong_at_publication is None and "not established" in early[0].message
    late = [f for f in a.audit_text("Public funds are defined in paragraph 6 of the Immigration Rules.",
                                    as_of="2026-12-01", published="2026-03-10").findings
            if f.rule == "rules.intro_para_6"]
    assert late and late[0].wrong_at_publication is True

"""Recognition tables: for every dated value of every fact, sentences that must match it and
near-misses that must not. The tables live in tests/recognition/*.yaml."""
import datetime as dt
from pathlib import Path

import pytest
import yaml

import guidance_audit as ga

TABLES = sorted((Path(__file__).parent / "recognition").glob("*.yaml"))
AS_OF = "2026-11-21"
VERDICTS = {"outdated", "incorrect", "supported", "outdated-term", "outdated-citation", "wrong-provision", "none"}


def _cases():
    for table in TABLES:
        for i, case in enumerate(yaml.safe_load(table.read_text(encoding="utf-8")) or []):
            yield pytest.param(case, id=f"{table.stem}[{i}]-{case['fact']}-{case['expect']}")


CASES = list(_cases())


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor(include_supported=True)


def case_text(case):
    """The case's sentence, after its ``context`` (a heading, FAQ question or list lead-in) as a
    paragraph of its own when the case gives one; a lead-in's sentence becomes a bullet."""
    context = case.get("context")
    if not context:
        return case["text"]
    body = f"- {case['text']}" if context.rstrip().endswith(":") else case["text"]
    return f"{context}\n\n{body}"


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("case", CASES)
def test_recognition_table(case, auditor):
    assert case["expect"] in VERDICTS, case
    assert auditor.factbase.get(case["fact"]) is not None, f"unknown fact {case['fact']}"
    report = auditor.audit_text(case_text(case), published=_iso(case.get("published")),
                                as_of=_iso(case.get("as_of", AS_OF)))
    mine = [f.kind for f in report.findings if f.rule == case["fact"]]
    # A provision cited for a subject it does not cover is reported under "<provision>.subject".
    mine += ["wrong-provision" for f in report.findings if f.rule == f"{case['fact']}.subject"]
    if case["expect"] == "none":
        assert mine == [], f"{case['text']!r} should not be matched to {case['fact']}: {report.findings}"
    else:
        assert case["expect"] in mine, f"{case['text']!r}: expected {case['expect']}, got {report.findings}"


def test_every_fact_has_recognition_cases():
    fb = ga.load_factbase()
    covered = {c.values[0]["fact"] for c in CASES}
    missing = sorted(f.id for f in fb if f.id not in covered)
    assert missing == [], f"facts without recognition cases: {missing}"


def test_every_dated_value_has_a_matching_sentence():
    fb = ga.load_factbase()
    positives = {}
    for c in CASES:
        case = c.values[0]
        if case["expect"] != "none":
            positives.setdefault(case["fact"], 0)
            positives[case["fact"]] += 1
    short = [f.id for f in fb if f.kind in ("value", "statistic", "position")
             and positives.get(f.id, 0) < len([v for v in f.values if v.status == "in-force"])]
    assert short == [], f"facts with fewer positive sentences than dated values: {short}"


def test_no_two_facts_claim_a_sentence_with_conflicting_verdicts(auditor):
    bad = []
    for c in CASES:
        case = c.values[0]
        report = auditor.audit_text(case["text"], published=_iso(case.get("published")), as_of=AS_OF)
        by_claim = {}
        for f in report.findings:
            if f.kind in ("supported", "outdated", "incorrect"):
                by_claim.setdefault(f.location.start, set()).add(f.kind)
        for kinds in by_claim.values():
            if "supported" in kinds and kinds & {"outdated", "incorrect"}:
                bad.append((case["text"], sorted(kinds)))
    assert bad == []

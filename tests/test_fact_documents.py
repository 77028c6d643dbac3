"""Whole documents built from the recognition tables: one states the value of every fact in force
today and must raise no error or warning; the other states superseded values and each must be
reported as outdated with the interval and citation of the fact's dated value."""
import datetime as dt
from pathlib import Path

import pytest
import yaml

import guidance_audit as ga

TABLES = sorted((Path(__file__).parent / "recognition").glob("*.yaml"))
AS_OF = dt.date(2026, 11, 21)
CASES = [c for t in TABLES for c in yaml.safe_load(t.read_text(encoding="utf-8")) or []]


def _as_of(case):
    value = case.get("as_of", AS_OF)
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


def test_a_document_stating_every_current_value_raises_nothing(auditor):
    current = [c["text"] for c in CASES if c["expect"] == "supported" and _as_of(c) == AS_OF]
    assert len(current) >= 40
    text = "Fact base check sheet\n\n" + "\n\n".join(current)
    report = auditor.audit_text(text, as_of=AS_OF, published=AS_OF)
    loud = [(f.kind, f.rule, f.quote) for f in report.findings if f.severity in ("error", "warning")]
    assert loud == []


def test_every_superseded_value_is_exercised():
    fb = ga.load_factbase()
    outdated = {c["fact"] for c in CASES if c["expect"] in ("outdated", "outdated-term", "outdated-citation")}
    superseded = {f.id for f in fb if (f.kind in ("term", "provision") and f.end and f.end < AS_OF)
                  or (f.kind == "value" and any(v.end and v.end < AS_OF for v in f.values))}
    assert sorted(superseded - outdated) == []


@pytest.mark.parametrize("case", [c for c in CASES if c["expect"] == "outdated"],
                         ids=lambda c: f"{c['fact']}: {c['text'][:50]}")
def test_each_superseded_value_gets_its_interval_and_citation(case, auditor):
    fact = auditor.factbase.get(case["fact"])
    report = auditor.audit_text(case["text"], as_of=_as_of(case), published=case.get("published"))
    found = [f for f in report.findings if f.rule == fact.id and f.kind == "outdated"]
    assert len(found) == 1, report.findings
    f = found[0]
    if fact.kind == "term":  # a withdrawn document relied on (withdrawn: true): the term's own lifespan
        assert fact.withdrawn and f.true_between == (fact.start, fact.end) and fact.citations[0] in f.citations
        assert report.document.text[f.location.start:f.location.end] == f.quote
        return
    versions = {(v.start, v.end): v for v in fact.values}
    assert f.true_between in versions, f.true_between
    old = versions[f.true_between]
    assert old.end is not None and old.end < _as_of(case)
    successor = fact.successor_of(old)
    expected_citations = successor.citations if successor and successor.citations else old.citations
    assert expected_citations[0] in f.citations
    assert report.document.text[f.location.start:f.location.end] == f.quote

"""The motivating case, end to end, from text, DOCX, PDF and HTML.

National police guidance approved on 23 April 2020 told officers that spouse-visa holders can
settle after two years; that stopped being true for new partners on 9 July 2012.
"""
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

import guidance_audit as ga
from builders import write_document

STATEMENT = ("People on a spouse visa can apply for indefinite leave to remain after just two years "
             "in the UK.")
HISTORY = "Before 9 July 2012, spouses could settle after two years."
CORRECT = "Since 9 July 2012, a spouse normally needs five years with partner leave before settling."
PARAGRAPHS = [
    "Information sharing with the Home Office",
    "Approved by Chief Constables' Council on 23 April 2020.",
    "Officers must treat a person reporting a crime first and foremost as a victim.",
    STATEMENT,
    "Officers should record the report and refer the victim to a specialist support service.",
]
AS_OF = "2026-11-21"
SCHEMA = json.loads((Path(ga.__file__).parent / "data" / "report.schema.json").read_text())


def write(fmt, tmp_path, paragraphs):
    return write_document(fmt, tmp_path, paragraphs, running_header='OFFICIAL - NPCC guidance')


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf", "html"])
def test_spouse_two_years_is_outdated_from_every_format(fmt, tmp_path, auditor):
    report = auditor.audit(write(fmt, tmp_path, PARAGRAPHS), as_of=AS_OF)
    assert report.published == dt.date(2020, 4, 23)
    assert report.published_from == "text"
    errors = [f for f in report.findings if f.severity == "error"]
    assert len(errors) == 1, report.findings
    f = errors[0]
    assert f.kind == "outdated"
    assert f.rule == "partner.settlement_period"
    assert f.true_between == (dt.date(2003, 4, 1), dt.date(2012, 7, 8))
    assert f.wrong_at_publication is True
    assert "two years" in f.quote
    assert report.document.text[f.location.start:f.location.end] == f.quote
    titles = " ".join(c.title + " " + (c.provision or "") for c in f.citations)
    assert "HC 194" in titles and "Appendix FM" in titles
    if fmt == "pdf":
        assert f.location.page == 2
    jsonschema.validate(json.loads(report.to_json()), SCHEMA)


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf", "html"])
def test_history_and_correct_statements_raise_no_error(fmt, tmp_path, auditor):
    paragraphs = [p if p != STATEMENT else HISTORY for p in PARAGRAPHS] + [CORRECT]
    report = auditor.audit(write(fmt, tmp_path, paragraphs), as_of=AS_OF)
    assert [f for f in report.findings if f.severity == "error"] == []


def test_audit_text_with_publication_date_argument():
    report = ga.audit_text(STATEMENT, published="2020-04-23", as_of=AS_OF)
    assert [f.kind for f in report.findings] == ["outdated"]
    assert report.published_from == "argument"
    doc = json.loads(report.to_json())
    jsonschema.validate(doc, SCHEMA)
    finding = doc["documents"][0]["findings"][0]
    assert finding["true_between"] == {"from": "2003-04-01", "to": "2012-07-08"}
    assert finding["wrong_at_publication"] is True

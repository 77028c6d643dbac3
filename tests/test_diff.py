"""Version diff: findings fixed, introduced and still present between two editions, matched through
renumbered paragraphs and small rewording, in every report format."""
import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

import guidance_audit as ga
from guidance_audit.cli import main
from guidance_audit.diff import diff_documents, diff_reports

SCHEMA = json.loads((Path(ga.__file__).parent / "data" / "report.schema.json").read_text())
AS_OF = "2026-11-21"

OLD = """Published 23 April 2020.

1. People on a spouse visa can apply for indefinite leave to remain after two years.

2. Officers should refer concerns to the UK Border Agency.

3. The minimum income requirement is £18,600 a year.
"""
NEW = """Published 1 May 2023.

1. A new opening paragraph moves everything down.

2. People on a spouse visa may apply for indefinite leave to remain after two years.

3. Officers should refer concerns to UK Visas and Immigration.

4. The minimum income requirement is £18,600 a year.
"""


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


@pytest.fixture
def editions(tmp_path):
    old, new = tmp_path / "policy-2020.txt", tmp_path / "policy-2023.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    return old, new


def statuses(d):
    return sorted((e.status, e.finding.rule) for e in d.entries)


def test_fixed_and_still_present_survive_renumbering_and_rewording(editions, auditor):
    d = diff_documents(*editions, auditor=auditor, as_of=AS_OF)
    assert statuses(d) == [("fixed", "body.ukba"), ("still-present", "partner.minimum_income"),
                           ("still-present", "partner.settlement_period")]
    reworded = next(e for e in d.still_present if e.finding.rule == "partner.settlement_period")
    assert reworded.old.fingerprint != reworded.new.fingerprint and 85 <= reworded.similarity < 100


def test_a_finding_new_to_the_later_edition_is_introduced(tmp_path, auditor):
    old, new = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text("Officers must record every crime.\n", encoding="utf-8")
    new.write_text("Officers must record every crime.\n\n" + OLD.split("\n\n")[1] + "\n", encoding="utf-8")
    d = diff_documents(old, new, auditor=auditor, as_of=AS_OF)
    assert statuses(d) == [("introduced", "partner.settlement_period")]


def test_rewording_below_the_threshold_is_a_fix_and_an_introduction(editions, auditor):
    old, new = (auditor.audit(p, as_of=AS_OF) for p in editions)
    d = diff_reports(old, new, threshold=100)
    assert ("fixed", "partner.settlement_period") in statuses(d)
    assert ("introduced", "partner.settlement_period") in statuses(d)


def test_diff_json_follows_the_report_schema(editions, auditor):
    data = diff_documents(*editions, auditor=auditor, as_of=AS_OF).to_dict()
    jsonschema.validate(data, SCHEMA)
    fixed = [e for e in data["diff"]["entries"] if e["status"] == "fixed"]
    assert fixed[0]["old_fingerprint"] in {f["fingerprint"] for f in data["documents"][0]["findings"]}


def test_diff_in_markdown_html_csv_and_sarif(editions, auditor):
    from test_formats import validate_sarif

    d = diff_documents(*editions, auditor=auditor, as_of=AS_OF)
    assert "## Fixed (1)" in d.to_markdown() and "## Still present (2)" in d.to_markdown()
    assert "<table>" in d.to_html() and "still-present" in d.to_html() and "<script" not in d.to_html()
    rows = list(csv.DictReader(io.StringIO(d.to_csv())))
    assert sorted(r["status"] for r in rows) == ["fixed", "still-present", "still-present"]
    log = d.to_sarif()
    validate_sarif(log)
    assert sorted(r["baselineState"] for r in log["runs"][0]["results"]) == ["absent", "unchanged", "unchanged"]


@pytest.mark.parametrize("fmt", ["text", "json", "md", "html", "sarif", "csv"])
def test_diff_command_writes_every_format(editions, fmt, tmp_path, capsys):
    out = tmp_path / f"diff.{fmt}"
    code = main(["diff", *map(str, editions), "--as-of", AS_OF, "--format", fmt, "--output", str(out)])
    assert code == 0  # nothing introduced
    assert out.read_text(encoding="utf-8").strip()


def test_diff_command_fails_on_an_introduced_error_and_on_unreadable_input(tmp_path, capsys):
    old, new = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text("Officers must record every crime.\n", encoding="utf-8")
    new.write_text(OLD, encoding="utf-8")
    assert main(["diff", str(old), str(new), "--as-of", AS_OF]) == 1
    assert main(["diff", str(old), str(tmp_path / "missing.txt")]) == 2
    assert main(["diff", str(old), str(new), "--threshold", "150"]) == 2

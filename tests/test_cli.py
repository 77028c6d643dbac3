"""The command line: formats, exit status, corpus runs that survive bad files, facts commands."""
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import guidance_audit as ga
from guidance_audit.cli import main

STATEMENT = "People on a spouse visa can apply for indefinite leave to remain after two years."
SCHEMA = json.loads((Path(ga.__file__).parent / "data" / "report.schema.json").read_text())


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "bad.txt").write_text("Published 23 April 2020.\n\n" + STATEMENT + "\n", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Published 1 May 2024.\n\nOfficers must record every crime.\n", encoding="utf-8")
    return tmp_path


def run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_text_format_a_header_line_per_finding_then_summary(corpus, capsys):
    code, out, _ = run(["audit", str(corpus / "bad.txt"), "--as-of", "2026-11-21"], capsys)
    assert code == 1
    lines = out.strip().splitlines()
    assert lines[0].startswith(str(corpus / "bad.txt"))
    assert lines[1].endswith(": error outdated partner.settlement_period")
    assert "HC 194" in " ".join(lines[2:])
    assert lines[-1].startswith("1 document: 1 with findings, 0 clean, 0 unreadable; 1 error,")


def test_json_format_follows_the_schema_for_a_directory(corpus, capsys):
    code, out, _ = run(["audit", str(corpus), "--format", "json", "--as-of", "2026-11-21"], capsys)
    assert code == 1
    doc = json.loads(out)
    jsonschema.validate(doc, SCHEMA)
    assert [Path(d["source"]).name for d in doc["documents"]] == ["bad.txt", "good.txt"]
    assert doc["as_of"] == "2026-11-21"
    assert doc["factbase"]["facts"] == len(ga.load_factbase())


@pytest.mark.parametrize("fail_on, expected", [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on_threshold(corpus, capsys, fail_on, expected):
    assert run(["audit", str(corpus / "bad.txt"), "--fail-on", fail_on], capsys)[0] == expected


def test_clean_document_exits_zero(corpus, capsys):
    assert run(["audit", str(corpus / "good.txt")], capsys)[0] == 0


def test_an_unreadable_file_is_reported_and_the_others_are_audited(corpus, capsys):
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage with no objects")
    code, out, err = run(["audit", str(corpus), "--format", "json"], capsys)
    doc = json.loads(out)
    by_name = {Path(d["source"]).name: d for d in doc["documents"]}
    assert by_name["broken.pdf"]["errors"] and by_name["broken.pdf"]["findings"] == []
    assert by_name["bad.txt"]["findings"]
    assert "broken.pdf" in err
    assert code == 1


def test_no_readable_input_exits_two(tmp_path, capsys):
    assert run(["audit", str(tmp_path / "missing.txt")], capsys)[0] == 2


def test_published_argument_overrides_the_document(corpus, capsys):
    code, out, _ = run(["audit", str(corpus / "bad.txt"), "--format", "json", "--published", "2010-01-01"], capsys)
    d = json.loads(out)["documents"][0]
    assert d["published"] == "2010-01-01" and d["published_from"] == "argument"
    assert d["findings"][0]["wrong_at_publication"] is False


def test_usage_errors_exit_two(capsys):
    assert run(["audit"], capsys)[0] == 2
    assert run(["audit", "x.txt", "--as-of", "yesterday"], capsys)[0] == 2
    assert run(["audit", "x.txt", "--facts", "/nonexistent.yaml"], capsys)[0] == 2


def test_facts_list_show_validate(capsys, tmp_path):
    code, out, _ = run(["facts", "list"], capsys)
    assert code == 0 and "partner.settlement_period" in out
    code, out, _ = run(["facts", "show", "partner.settlement_period"], capsys)
    assert code == 0 and "HC 194" in out and "2012-07-09" in out
    code, _, err = run(["facts", "show", "partner.settlement_perod"], capsys)
    assert code == 2 and "did you mean partner.settlement_period" in err
    assert run(["facts", "validate"], capsys)[0] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: x\nfacts:\n  - id: a\n    kind: value\n    title: t\n    surprise: 1\n")
    code, out, _ = run(["facts", "validate", str(bad)], capsys)
    assert code == 1 and f"{bad}:6: unknown key 'surprise'" in out


def test_user_fact_pack_is_used_by_audit(corpus, capsys, tmp_path):
    pack = tmp_path / "mine.yaml"
    pack.write_text("""pack: mine
facts:
  - id: local.helpline
    kind: term
    title: Old Helpline
    aliases: [Old Helpline]
    until: 2020-01-01
    successor: the New Helpline
    confidence: high
    reviewed: 2026-11-21
    citation: {title: Local notice, date: 2019-12-01}
""")
    (corpus / "helpline.txt").write_text("Call the Old Helpline for advice.\n")
    code, out, _ = run(["audit", str(corpus / "helpline.txt"), "--facts", str(pack), "--format", "json"], capsys)
    kinds = [f["kind"] for f in json.loads(out)["documents"][0]["findings"]]
    assert kinds == ["outdated-term"]


def test_python_dash_m_runs_the_cli(corpus):
    proc = subprocess.run([sys.executable, "-m", "guidance_audit", "audit", str(corpus / "good.txt")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "1 document:" in proc.stdout

"""What a CI job reads from a run: exit codes, unreadable documents in every format, the summary
line, one location everywhere and the fact base's horizon in every format.

Exit-code tests run the installed ``guidance-audit`` entry point in a subprocess, as CI would.
"""
import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit import _present as P
from guidance_audit.cli import main

STATEMENT = "People on a spouse visa can apply for indefinite leave to remain after two years."
EXE = shutil.which("guidance-audit") or str(Path(sys.executable).with_name("guidance-audit"))
LATE = "2030-01-01"  # well past the fact base's horizon, so every report carries a note


@pytest.fixture
def docs(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "bad.txt").write_text("Published 23 April 2020.\n\n" + STATEMENT + "\n", encoding="utf-8")
    (d / "good.txt").write_text("Published 1 May 2024.\n\nOfficers must record every crime.\n", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    return d


def cli(*args, **kw):
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, timeout=120, **kw)


@pytest.mark.parametrize("option, fmt", [("--output", "json"), ("--output", "csv"), ("--write-baseline", "text")])
def test_an_output_in_a_missing_folder_exits_two_with_one_line(docs, tmp_path, option, fmt):
    target = tmp_path / "no-such-folder" / "out.file"
    proc = cli("audit", docs / "good.txt", "--format", fmt, option, target, "--quiet")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and str(target) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_an_unexpected_exception_exits_two_not_one(docs, capsys, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr("guidance_audit.auditor.Auditor.audit_many", boom)
    assert main(["audit", str(docs / "good.txt")]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "guidance-audit: internal error: RuntimeError: a bug"


def test_an_unreadable_document_fails_the_run_like_an_error(docs):
    proc = cli("audit", docs / "good.txt", docs / "empty.txt", "--as-of", "2026-11-21")
    assert proc.returncode == 1
    assert "empty.txt: unreadable [no-text]" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == \
        "2 documents: 0 with findings, 1 clean, 1 unreadable; 0 errors, 0 warnings, 0 info"
    assert cli("audit", docs / "good.txt", docs / "empty.txt", "--fail-on", "never").returncode == 0
    assert cli("audit", docs / "empty.txt").returncode == 2        # nothing could be read at all


def test_jsonl_counts_an_unreadable_document_against_fail_on(docs, capsys):
    assert main(["audit", str(docs / "good.txt"), str(docs / "empty.txt"), "--format", "jsonl", "-q"]) == 1
    assert main(["audit", str(docs / "good.txt"), "--format", "jsonl", "-q"]) == 0


def test_a_closed_pipe_ends_quietly():
    proc = subprocess.Popen([EXE, "facts", "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


def run_reports(docs, as_of=LATE):
    auditor = ga.Auditor()
    return list(auditor.audit_many([str(docs / n) for n in ("bad.txt", "good.txt", "empty.txt")], as_of=as_of))


def test_csv_has_a_row_for_clean_and_unreadable_documents_and_a_where_column(docs):
    from guidance_audit.tabular import render_csv

    reports = run_reports(docs)
    rows = list(csv.DictReader(io.StringIO(render_csv(reports))))
    by_status = {(Path(r["source"]).name, r["status"]) for r in rows}
    assert ("good.txt", "clean") in by_status and ("empty.txt", "unreadable") in by_status
    assert ("bad.txt", "finding") in by_status
    unreadable = next(r for r in rows if r["status"] == "unreadable")
    assert unreadable["error_code"] == "no-text" and unreadable["error_message"]
    finding = next(r for r in rows if r["status"] == "finding" and r["kind"] == "outdated")
    text = reports[0].document.text
    start = int(finding["start"])
    line = text[:start].count("\n") + 1
    assert f"line {line}, column 1, characters {start}-{finding['end']}" in finding["where"]
    assert all(r["horizon"] == reports[0].factbase["horizon"] for r in rows)
    audited = [r for r in rows if r["status"] != "unreadable"]
    assert all(r["notes"] == " | ".join(reports[0].notes) for r in audited) and reports[0].notes


def test_an_omission_is_located_as_the_whole_document_everywhere():
    auditor = ga.Auditor(profile="profile.police_victims_insecure_status")
    report = auditor.audit_text("Victims of crime with insecure immigration status.\n\nOfficers must record "
                                "every report of crime.", published="2024-01-01")
    f = next(f for f in report.findings if f.kind == "omission")
    assert P.where_text(report.document, f.location, f.quote) == "whole document"
    assert f": whole document: warning omission {f.rule}\n" in report.to_text()
    assert "0-0" not in report.to_text() and "0-0" not in report.to_markdown()
    assert "whole document" in report.to_markdown() and "whole document" in report.to_csv()


def test_the_dataframe_has_the_horizon_and_an_ordered_severity(docs):
    pd = pytest.importorskip("pandas")
    from guidance_audit.tabular import reports_to_dataframe

    df = reports_to_dataframe(run_reports(docs))
    assert isinstance(df["severity"].dtype, pd.CategoricalDtype) and df["severity"].cat.ordered
    assert (df[df["severity"] >= "warning"]["severity"] != "info").all()
    assert (df["horizon"] == pd.Timestamp(ga.load_factbase().horizon)).all()
    assert df["notes"].notna().all()


def test_every_format_shows_the_horizon_and_every_note(docs):
    reports = run_reports(docs)
    info = reports[0].factbase
    notes = P.run_notes(reports)
    horizon = ga.load_factbase().horizon
    assert notes and info["horizon"] == horizon.isoformat()
    from guidance_audit.formats import RENDERERS

    for fmt in ("text", "html", "md"):
        out = RENDERERS[fmt](reports, info, reports[0].as_of)
        assert P.long_date(horizon) in out, fmt
        for note in notes:
            key = note.split(";")[0].replace("'", "&#x27;") if fmt == "html" else note.split(";")[0]
            assert key.replace("'", "\\'") in out or key in out, fmt
    sarif = json.loads(RENDERERS["sarif"](reports, info, reports[0].as_of))
    run = sarif["runs"][0]
    assert run["properties"]["horizon"] == horizon.isoformat() and run["properties"]["notes"] == notes
    texts = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert all(n in texts for n in notes)
    assert any(n["descriptor"]["id"] == "no-text" for n in run["invocations"][0]["toolExecutionNotifications"])


def test_no_note_when_the_audit_date_is_within_the_horizon(docs):
    horizon = ga.load_factbase().horizon
    reports = run_reports(docs, as_of=horizon.isoformat())
    assert not P.run_notes(reports)
    assert "note:" not in ga.AuditReport.to_text(reports[0])


def test_standard_input_is_audited_under_its_given_name(docs):
    data = (docs / "bad.txt").read_bytes()
    proc = cli("audit", "-", "--stdin-filename", "policy.txt", "--as-of", "2026-11-21", input=data.decode())
    assert proc.returncode == 1
    assert "\npolicy.txt:3:1: error outdated partner.settlement_period\n" in proc.stdout


def test_standard_input_format_comes_from_the_content_not_the_name(tmp_path):
    from builders import make_docx

    path = make_docx(tmp_path / "p.docx", ["Published 23 April 2020.", STATEMENT])
    proc = subprocess.run([EXE, "audit", "-", "--stdin-filename", "notes.txt", "--format", "json",
                           "--as-of", "2026-11-21"], input=path.read_bytes(), capture_output=True, timeout=120)
    doc = json.loads(proc.stdout)["documents"][0]
    assert proc.returncode == 1 and doc["source"] == "notes.txt"
    assert [f["rule"] for f in doc["findings"]] == ["partner.settlement_period"]


def test_empty_standard_input_is_an_unreadable_document(docs):
    proc = cli("audit", "-", str(docs / "good.txt"), input="")
    assert proc.returncode == 1 and "<stdin>: unreadable [no-text]" in proc.stdout


def test_excel_csv_has_a_byte_order_mark_and_crlf_and_reads_back(docs, tmp_path):
    out = tmp_path / "r.csv"
    proc = cli("audit", docs / "bad.txt", "--format", "csv", "--excel", "-o", out, "--as-of", "2026-11-21", "-q")
    assert proc.returncode == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [r["rule"] for r in rows] == ["partner.settlement_period"]


def test_write_csv_writes_the_rows_to_a_path(docs, tmp_path):
    reports = run_reports(docs)
    ga.write_csv(reports, tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8")
    from guidance_audit.tabular import render_csv

    assert text == render_csv(reports) and not text.startswith("\ufeff")

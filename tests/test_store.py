"""Audit history: every run recorded in a real SQLite file, safe with concurrent writers, resumable,
and answering the history questions on the command line."""
import csv
import io
import json
import multiprocessing
import sqlite3

import pytest

import guidance_audit as ga
from guidance_audit import history
from guidance_audit.cli import main
from guidance_audit.store import SCHEMA_VERSION, Store, StoreError

AS_OF = "2026-11-21"
SPOUSE = "People on a spouse visa can apply for indefinite leave to remain after two years."
FIXED = "People on a spouse visa can apply for indefinite leave to remain after five years."
UKBA = "Officers should refer concerns to the UK Border Agency."


@pytest.fixture(scope="module")
def factbase():
    return ga.load_factbase()


def write(path, published, *lines):
    path.write_text(f"Published {published}.\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_run_records_documents_statements_with_fact_ids_and_findings(tmp_path, factbase):
    db = tmp_path / "audits.sqlite"
    doc = write(tmp_path / "policy.txt", "23 April 2020", SPOUSE, UKBA, "Officers must record every crime.")
    report = ga.Auditor(factbase, store=db).audit(doc, as_of=AS_OF)
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert c.execute("SELECT source, published FROM documents").fetchall() == [(str(doc), "2020-04-23")]
    facts = {f for (f,) in c.execute("SELECT fact_id FROM statement_facts")}
    assert {"partner.settlement_period", "body.ukba"} <= facts
    stored = {fp for (fp,) in c.execute("SELECT fingerprint FROM findings")}
    assert stored == {f.fingerprint for f in report.findings}
    run = c.execute("SELECT factbase_sha256, factbase_horizon FROM runs").fetchone()
    assert run == (factbase.sha256, factbase.info()["horizon"])
    assert c.execute("SELECT as_of FROM audits").fetchone()[0] == AS_OF


def test_a_document_already_stored_is_not_audited_again(tmp_path, factbase, monkeypatch):
    db = tmp_path / "audits.sqlite"
    doc = write(tmp_path / "policy.txt", "23 April 2020", SPOUSE)
    first = ga.Auditor(factbase, store=db).audit(doc, as_of=AS_OF)
    again = ga.Auditor(factbase, store=db)
    monkeypatch.setattr(again, "audit_document", lambda *a, **k: pytest.fail("audited twice"))
    second = again.audit(doc, as_of=AS_OF)
    assert second.findings == first.findings and second.findings[0].suggestion is not None
    assert [r["documents"] for r in Store(db).runs()] == [1, 1]  # the second run still counts it


def test_a_changed_document_or_another_date_is_audited_again(tmp_path, factbase):
    db = tmp_path / "audits.sqlite"
    doc = write(tmp_path / "policy.txt", "23 April 2020", SPOUSE)
    auditor = ga.Auditor(factbase, store=db)
    auditor.audit(doc, as_of=AS_OF)
    auditor.audit(doc, as_of="2011-01-01")
    write(doc, "23 April 2020", FIXED)
    assert auditor.audit(doc, as_of=AS_OF).findings == ()
    c = sqlite3.connect(db)
    assert c.execute("SELECT COUNT(*) FROM audits").fetchone()[0] == 3
    assert c.execute("SELECT COUNT(*) FROM audits WHERE current = 1").fetchone()[0] == 1


def _audit_in_process(db, paths, as_of):
    auditor = ga.Auditor(store=db)
    for p in paths:
        auditor.audit(p, as_of=as_of)


@pytest.mark.slow
def test_concurrent_writers_in_separate_processes_lose_nothing(tmp_path):
    db = tmp_path / "audits.sqlite"
    paths = [write(tmp_path / f"doc{i}.txt", "23 April 2020", f"Paragraph {i}.", SPOUSE, UKBA) for i in range(12)]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_audit_in_process, args=(str(db), [str(p) for p in paths[i::3]], AS_OF))
             for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    c = sqlite3.connect(db)
    assert c.execute("SELECT COUNT(*) FROM audits").fetchone()[0] == 12
    assert c.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 3
    assert c.execute("SELECT COUNT(DISTINCT audit_id) FROM findings WHERE rule='partner.settlement_period'"
                     ).fetchone()[0] == 12


def test_jobs_workers_write_one_run(tmp_path, capsys):
    db = tmp_path / "audits.sqlite"
    for i in range(4):
        write(tmp_path / f"doc{i}.txt", "23 April 2020", f"Paragraph {i}.", SPOUSE)
    code = main(["audit", str(tmp_path), "--store", str(db), "--jobs", "2", "--as-of", AS_OF, "-q"])
    capsys.readouterr()
    assert code == 1
    assert Store(db).runs()[0]["documents"] == 4 and len(Store(db).runs()) == 1


def test_same_document_stored_concurrently_by_two_auditors_is_kept_once(tmp_path, factbase):
    db = tmp_path / "audits.sqlite"
    doc = write(tmp_path / "policy.txt", "23 April 2020", SPOUSE)
    a, b = ga.Auditor(factbase, store=db), ga.Auditor(factbase, store=db)
    ra = a.audit_document(ga.read_document(doc), as_of=AS_OF)
    rb = b.audit_document(ga.read_document(doc), as_of=AS_OF)
    assert ra.findings == rb.findings
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM findings").fetchone()[0] == len(ra.findings)


def test_a_file_that_is_not_a_store_is_a_typed_error(tmp_path):
    bad = tmp_path / "audits.sqlite"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError):
        Store(bad)
    with pytest.raises(ga.AuditError):
        ga.Auditor(store=tmp_path)  # a folder


def test_a_store_from_a_newer_version_is_refused_and_an_old_one_migrated(tmp_path):
    db = tmp_path / "audits.sqlite"
    Store(db).close()
    c = sqlite3.connect(db)
    c.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    c.commit()
    with pytest.raises(StoreError, match="newer"):
        Store(db)
    old = tmp_path / "old.sqlite"
    sqlite3.connect(old).execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    store = Store(old)  # version 0: every migration applies
    assert store.conn.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
    assert store.runs() == []


def _two_runs(tmp_path, factbase):
    db = tmp_path / "audits.sqlite"
    a = write(tmp_path / "a.txt", "23 April 2020", SPOUSE, UKBA)
    b = write(tmp_path / "b.txt", "1 May 2024", "Officers must record every crime.")
    list(ga.Auditor(factbase, store=db).audit_many([a, b], as_of=AS_OF))
    list(ga.Auditor(factbase, store=db).audit_many([a, b], as_of=AS_OF))
    write(a, "23 April 2020", FIXED, UKBA)
    write(b, "1 May 2024", "Officers must record every crime.", SPOUSE)
    list(ga.Auditor(factbase, store=db).audit_many([a, b], as_of=AS_OF))
    return db, a, b


def test_changes_between_the_last_two_runs_lists_fixed_and_introduced(tmp_path, factbase):
    db, a, b = _two_runs(tmp_path, factbase)
    got = {(c.change, c.source, c.rule) for c in history.changes(Store(db))}
    assert got == {("fixed", str(a), "partner.settlement_period"),
                   ("introduced", str(b), "partner.settlement_period")}
    assert history.changes(Store(db), 2, 2) == []


def test_open_errors_by_publisher_and_year(tmp_path, factbase):
    db, a, b = _two_runs(tmp_path, factbase)
    rows = history.open_errors(Store(db))
    assert [(r.year, r.documents, r.sources) for r in rows] == [(2024, 1, (str(b),))]


def test_history_on_the_command_line_as_text_csv_and_json(tmp_path, factbase, capsys):
    db, a, b = _two_runs(tmp_path, factbase)
    assert main(["history", "changes", "--store", str(db), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["change"] for r in rows} == {"fixed", "introduced"}
    assert main(["history", "open", "--store", str(db), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["year"] == 2024
    assert main(["history", "runs", "--store", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("run\t") and len(out) == 4  # a header and three runs


def test_history_usage_errors_exit_2(tmp_path, capsys):
    assert main(["history", "runs", "--store", str(tmp_path / "missing.sqlite")]) == 2
    db = tmp_path / "audits.sqlite"
    Store(db).close()
    assert main(["history", "changes", "--store", str(db)]) == 2
    assert "two runs" in capsys.readouterr().err

"""Inputs for measurement 8: audit stores of many documents, and a fact pack that changes one rule.

A store is built by auditing two small documents for real (one whose statement touches the
changed fact, one whose statements touch other facts) and copying their stored rows, so a store
of 10,000 documents takes seconds to build and holds real statements, fact links and findings.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import yaml

AS_OF = "2026-11-21"
FACT = "partner.settlement_period"
AFFECTED = ("Published 1 May 2024.\n\nPeople on a spouse visa can apply for indefinite leave to remain "
            "after five years.\n")
UNAFFECTED = ("Published 1 May 2024.\n\nOfficers should refer concerns to the UK Border Agency.\n\n"
              "The minimum income requirement for a partner visa is £29,000 a year.\n\n"
              "Officers must record every crime.\n")


def changed_pack(path: Path) -> Path:
    """The settlement period fact with a made-up new value (8 years from 1 July 2026)."""
    import guidance_audit as ga

    source = Path(ga.__file__).parent / "claims" / "partner.yaml"
    if not source.exists():
        source = Path(__file__).resolve().parent.parent / "claims" / "partner.yaml"
    pack = yaml.safe_load(source.read_text(encoding="utf-8"))
    fact = next(f for f in pack["facts"] if f["id"] == FACT)
    values = [v for v in fact["values"] if v.get("status") != "announced"]
    values[-1]["until"] = "2026-06-30"
    values.append({"value": "8 years", "from": "2026-07-01",
                   "citations": [{"title": "Statement of Changes (benchmark)", "date": "2026-06-01",
                                  "url": "https://www.gov.uk/benchmark"}]})
    fact["values"] = values
    path.write_text(yaml.safe_dump({"pack": "benchmark-change", "horizon": AS_OF, "facts": [fact]},
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build_store(path: Path, work: Path, auditor, documents: int, affected: int) -> Path:
    """A store of ``documents`` documents of which ``affected`` have a statement touching
    :data:`FACT`."""
    import guidance_audit as ga
    from guidance_audit.store import Store

    a, u = work / "affected.txt", work / "unaffected.txt"
    a.write_text(AFFECTED, encoding="utf-8")
    u.write_text(UNAFFECTED, encoding="utf-8")
    recorder = ga.Auditor(auditor.factbase, store=path)
    recorder.audit(a, as_of=AS_OF)
    recorder.audit(u, as_of=AS_OF)
    Store(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    templates = {src: conn.execute("SELECT id FROM audits WHERE source = ?", (str(p),)).fetchone()[0]
                 for src, p in (("a", a), ("u", u))}
    for n in range(documents - 2):
        _copy(conn, templates["a" if n < affected - 1 else "u"], f"doc-{n:05d}.txt")
    conn.execute("COMMIT")
    conn.close()
    return path


def _copy(conn: sqlite3.Connection, audit_id: int, source: str) -> None:
    doc_id = conn.execute("INSERT INTO documents (content_hash, source, title, publisher, published, format)"
                          " SELECT ? || content_hash, ?, title, publisher, published, format FROM documents"
                          " WHERE id = (SELECT document_id FROM audits WHERE id = ?)",
                          (source, source, audit_id)).lastrowid
    new = conn.execute("INSERT INTO audits (document_id, source, as_of, factbase_sha256, options, title, published,"
                       " published_from, pages, claims, errors, notes, current, recorded) SELECT ?, ?, as_of,"
                       " factbase_sha256, options, title, published, published_from, pages, claims, errors, notes,"
                       " 1, recorded FROM audits WHERE id = ?", (doc_id, source, audit_id)).lastrowid
    for (sid,) in conn.execute("SELECT id FROM statements WHERE audit_id = ?", (audit_id,)).fetchall():
        nsid = conn.execute("INSERT INTO statements (audit_id, text, start, end, page, block, block_kind,"
                            " heading_path, context) SELECT ?, text, start, end, page, block, block_kind,"
                            " heading_path, context FROM statements WHERE id = ?", (new, sid)).lastrowid
        conn.execute("INSERT INTO statement_facts (fact_id, statement_id) SELECT fact_id, ? FROM statement_facts"
                     " WHERE statement_id = ?", (nsid, sid))
        conn.execute("INSERT INTO findings (audit_id, statement_id, fingerprint, kind, severity, rule, quote, data)"
                     " SELECT ?, ?, fingerprint, kind, severity, rule, quote, data FROM findings"
                     " WHERE statement_id = ?", (new, nsid, sid))

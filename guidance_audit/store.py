"""Audit history in an embedded SQLite database (``--store audits.sqlite``, ``Auditor(store=...)``).

Each run records, for every document: the document (content hash, source, title, publisher where
known, published date), the statements the fact base recognised with the fact ids they touch, the
findings with their fingerprints, the fact base's version and horizon, and ``as_of``.

The file is opened in WAL mode with a busy timeout and every write is one ``BEGIN IMMEDIATE``
transaction, so worker processes (``--jobs N``) and separate runs can write at the same time. A
document already stored under the same content hash, fact base, ``as_of`` and options is not
audited again: its stored findings are returned and linked to the new run.

The schema is versioned (``meta.schema_version``); :data:`MIGRATIONS` brings an older file up to
date when it is opened, and a file written by a newer version is refused.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .errors import AuditError
from .models import Citation, Claim, Document, Finding, Location, Related, Suggestion

if TYPE_CHECKING:
    from .report import AuditReport

__all__ = ["Store", "StoreError", "StoredStatement", "open_store", "content_hash", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1

#: (version, statements) pairs: applying them in order builds the current schema from nothing.
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, (
        "CREATE TABLE runs (id INTEGER PRIMARY KEY, started TEXT NOT NULL, tool_version TEXT,"
        " factbase_version TEXT, factbase_sha256 TEXT, factbase_horizon TEXT, facts INTEGER)",
        "CREATE TABLE documents (id INTEGER PRIMARY KEY, content_hash TEXT NOT NULL UNIQUE, source TEXT,"
        " title TEXT, publisher TEXT, published TEXT, format TEXT)",
        "CREATE TABLE audits (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id),"
        " source TEXT NOT NULL, as_of TEXT NOT NULL, factbase_sha256 TEXT NOT NULL, options TEXT NOT NULL,"
        " title TEXT, published TEXT, published_from TEXT, pages INTEGER, claims INTEGER NOT NULL DEFAULT 0,"
        " errors TEXT NOT NULL, notes TEXT NOT NULL, current INTEGER NOT NULL DEFAULT 1, recorded TEXT NOT NULL,"
        " UNIQUE (document_id, factbase_sha256, as_of, options))",
        "CREATE INDEX audits_by_source ON audits (source, current)",
        "CREATE TABLE run_audits (run_id INTEGER NOT NULL REFERENCES runs(id),"
        " audit_id INTEGER NOT NULL REFERENCES audits(id), PRIMARY KEY (run_id, audit_id)) WITHOUT ROWID",
        "CREATE TABLE statements (id INTEGER PRIMARY KEY, audit_id INTEGER NOT NULL REFERENCES audits(id),"
        " text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, page INTEGER, block INTEGER,"
        " block_kind TEXT, heading_path TEXT NOT NULL, context TEXT NOT NULL)",
        "CREATE INDEX statements_by_audit ON statements (audit_id)",
        "CREATE TABLE statement_facts (fact_id TEXT NOT NULL, statement_id INTEGER NOT NULL"
        " REFERENCES statements(id), PRIMARY KEY (fact_id, statement_id)) WITHOUT ROWID",
        "CREATE INDEX statement_facts_by_statement ON statement_facts (statement_id)",
        "CREATE TABLE findings (id INTEGER PRIMARY KEY, audit_id INTEGER NOT NULL REFERENCES audits(id),"
        " statement_id INTEGER REFERENCES statements(id), fingerprint TEXT NOT NULL, kind TEXT NOT NULL,"
        " severity TEXT NOT NULL, rule TEXT NOT NULL, quote TEXT NOT NULL, data TEXT NOT NULL)",
        "CREATE INDEX findings_by_audit ON findings (audit_id)",
        "CREATE INDEX findings_by_statement ON findings (statement_id)",
    )),
)

_PUBLISHER_KEYS = ("publisher", "company", "organisation", "organization")


class StoreError(AuditError):
    """The store file cannot be opened, is not an audit store, or was written by a newer version."""

    code = "bad-store"


@dataclass(frozen=True)
class StoredStatement:
    """A statement kept in the store, with what is needed to check it again without its document.

    Attributes:
        id: the statement's row id.
        audit_id: the audit it belongs to; ``source`` the document it came from.
        text, start, end, page, block: the statement and where it was.
        block_kind: the kind of block it was in (``paragraph``, ``list_item``...).
        heading_path: the headings it sat under, outermost first.
        context: its context layers, nearest first, as ``(kind, text)`` pairs.
        fact_ids: the facts it touches.
        title, published, as_of: the document's title and date, and the date it was judged at.
    """

    id: int
    audit_id: int
    source: str
    text: str
    start: int
    end: int
    page: int | None
    block: int | None
    block_kind: str | None
    heading_path: tuple[str, ...]
    context: tuple[tuple[str, str], ...]
    fact_ids: tuple[str, ...]
    title: str | None
    published: _dt.date | None
    as_of: _dt.date


def content_hash(data: bytes | str) -> str:
    """The SHA-256 of a document's bytes (or of its text when it was given as a string)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def file_hash(path: str | os.PathLike, chunk: int = 1 << 20) -> str | None:
    """The SHA-256 of a file's bytes, or ``None`` when it cannot be read (the reader says why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            while block := fh.read(chunk):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


class Store:
    """An audit history file. Safe to share between threads and processes: each thread (and each
    process, after a fork) opens its own connection; pickling keeps only the path and run id.

    Args:
        path: the SQLite file (created when missing).
        timeout: seconds to wait for another writer before giving up.

    Raises:
        StoreError: the file is not an SQLite audit store, or was written by a newer version.
    """

    def __init__(self, path: str | os.PathLike, *, timeout: float = 60.0):
        self.path = str(path)
        self.timeout = timeout
        self.run_id: int | None = None
        self._local = threading.local()
        self._connect()

    # -- connections --------------------------------------------------------------------------

    def __getstate__(self) -> dict:
        return {"path": self.path, "timeout": self.timeout, "run_id": self.run_id}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._local = threading.local()

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            return conn
        if Path(self.path).is_dir():
            raise StoreError("is a folder, not an audit store file", source=self.path)
        try:
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            _migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"not an audit store ({exc})", source=self.path) from None
        self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        return self._connect()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None and self._local.pid == os.getpid():
            conn.close()
        self._local = threading.local()

    def _write(self):
        return _Transaction(self.conn)

    # -- recording ----------------------------------------------------------------------------

    def begin_run(self, factbase: dict, tool_version: str = "") -> int:
        """Start a run and return its id (also kept as :attr:`run_id`)."""
        with self._write() as c:
            cur = c.execute(
                "INSERT INTO runs (started, tool_version, factbase_version, factbase_sha256, factbase_horizon,"
                " facts) VALUES (?, ?, ?, ?, ?, ?)",
                (_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), tool_version,
                 factbase.get("version"), factbase.get("sha256"), factbase.get("horizon"), factbase.get("facts")))
            self.run_id = int(cur.lastrowid)
        return self.run_id

    def find_audit(self, digest: str, factbase_sha: str, as_of: _dt.date, options: str) -> int | None:
        """The audit already stored for this content, fact base, date and options, if any."""
        row = self.conn.execute(
            "SELECT a.id FROM audits a JOIN documents d ON d.id = a.document_id WHERE d.content_hash = ?"
            " AND a.factbase_sha256 = ? AND a.as_of = ? AND a.options = ?",
            (digest, factbase_sha, as_of.isoformat(), options)).fetchone()
        return int(row[0]) if row else None

    def link(self, audit_id: int, source: str | None = None) -> None:
        """Count a stored audit as part of the current run (a document not audited twice)."""
        with self._write() as c:
            if self.run_id is not None:
                c.execute("INSERT OR IGNORE INTO run_audits (run_id, audit_id) VALUES (?, ?)", (self.run_id, audit_id))
            src = c.execute("SELECT source FROM audits WHERE id = ?", (audit_id,)).fetchone()[0]
            _make_current(c, audit_id, src)

    def record(self, report: AuditReport, digest: str, options: str,
               statements: Sequence[tuple[Claim, Iterable[str]]] = ()) -> int:
        """Store one audited document with its recognised statements and findings.

        Args:
            report: the document's report.
            digest: its content hash (see :func:`content_hash`).
            options: the audit options that change findings, as text.
            statements: ``(claim, fact ids)`` for each statement the fact base recognised.

        Returns:
            The audit's id (an existing one when another writer stored the same audit first).
        """
        doc = report.document
        meta = doc.metadata if doc is not None else None
        fb_sha = report.factbase.get("sha256", "")
        with self._write() as c:
            c.execute("INSERT OR IGNORE INTO documents (content_hash, source, title, publisher, published, format)"
                      " VALUES (?, ?, ?, ?, ?, ?)",
                      (digest, report.source, report.title, publisher_of(doc), _iso(report.published),
                       meta.format if meta else None))
            doc_id = c.execute("SELECT id FROM documents WHERE content_hash = ?", (digest,)).fetchone()[0]
            cur = c.execute(
                "INSERT OR IGNORE INTO audits (document_id, source, as_of, factbase_sha256, options, title, published,"
                " published_from, pages, claims, errors, notes, recorded) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, report.source, report.as_of.isoformat(), fb_sha, options, report.title,
                 _iso(report.published), report.published_from, report.pages, report.claim_count,
                 json.dumps([e.to_dict() for e in report.errors]), json.dumps(list(report.notes)),
                 _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")))
            if not cur.rowcount:  # a concurrent writer stored the same audit
                audit_id = c.execute("SELECT id FROM audits WHERE document_id = ? AND factbase_sha256 = ? AND as_of = ?"
                                     " AND options = ?", (doc_id, fb_sha, report.as_of.isoformat(), options)).fetchone()[0]
            else:
                audit_id = int(cur.lastrowid)
                _insert_contents(c, audit_id, report, statements)
            if self.run_id is not None:
                c.execute("INSERT OR IGNORE INTO run_audits (run_id, audit_id) VALUES (?, ?)", (self.run_id, audit_id))
            _make_current(c, audit_id, report.source)
        return int(audit_id)

    # -- reading ------------------------------------------------------------------------------

    def load_report(self, audit_id: int, source: str | None = None, factbase: dict | None = None,
                    tool_version: str = "") -> AuditReport:
        """A stored audit as an :class:`AuditReport` (without the document's text)."""
        from .report import AuditReport, ErrorEntry

        row = self.conn.execute("SELECT source, as_of, title, published, published_from, pages, claims, errors, notes"
                                " FROM audits WHERE id = ?", (audit_id,)).fetchone()
        if row is None:
            raise StoreError(f"no stored audit {audit_id}", source=self.path)
        findings = tuple(finding_from_dict(json.loads(d)) for (d,) in self.conn.execute(
            "SELECT data FROM findings WHERE audit_id = ? ORDER BY id", (audit_id,)))
        return AuditReport(
            source=source or row[0], as_of=_dt.date.fromisoformat(row[1]), findings=findings,
            errors=tuple(ErrorEntry(**e) for e in json.loads(row[7])), title=row[2],
            published=_date(row[3]), published_from=row[4], pages=row[5], claim_count=row[6],
            factbase=factbase or {}, tool_version=tool_version, notes=tuple(json.loads(row[8])))

    def runs(self) -> list[dict[str, Any]]:
        """Every run, oldest first, with how many documents and error findings it has."""
        rows = self.conn.execute(
            "SELECT r.id, r.started, r.factbase_version, r.factbase_horizon, COUNT(DISTINCT ra.audit_id),"
            " (SELECT COUNT(*) FROM run_audits x JOIN findings f ON f.audit_id = x.audit_id"
            "  WHERE x.run_id = r.id AND f.severity = 'error')"
            " FROM runs r LEFT JOIN run_audits ra ON ra.run_id = r.id GROUP BY r.id ORDER BY r.id").fetchall()
        return [{"run": r[0], "started": r[1], "factbase_version": r[2], "factbase_horizon": r[3],
                 "documents": r[4], "errors": r[5]} for r in rows]

    def statements_touching(self, fact_ids: Iterable[str]) -> list[StoredStatement]:
        """The statements of every document's latest audit that touch any of these facts.

        The look-up goes through the ``statement_facts`` index, so its cost grows with the
        number of statements found, not with the size of the store.
        """
        ids = sorted(set(fact_ids))
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT s.id, s.audit_id, a.source, s.text, s.start, s.end, s.page, s.block, s.block_kind,"
            " s.heading_path, s.context, a.title, a.published, a.as_of,"
            " (SELECT group_concat(fact_id, char(31)) FROM statement_facts x WHERE x.statement_id = s.id)"
            " FROM statements s JOIN audits a ON a.id = s.audit_id"
            f" WHERE s.id IN (SELECT statement_id FROM statement_facts WHERE fact_id IN ({marks}))"
            " AND a.current = 1 ORDER BY a.source, s.start", ids).fetchall()
        return [StoredStatement(
            id=r[0], audit_id=r[1], source=r[2], text=r[3], start=r[4], end=r[5], page=r[6], block=r[7],
            block_kind=r[8], heading_path=tuple(json.loads(r[9])),
            context=tuple((k, t) for k, t in json.loads(r[10])), fact_ids=tuple((r[14] or "").split("\x1f")),
            title=r[11], published=_date(r[12]), as_of=_dt.date.fromisoformat(r[13])) for r in rows]

    def findings_of_statement(self, statement_id: int) -> list[Finding]:
        """The stored findings on one statement."""
        return [finding_from_dict(json.loads(d)) for (d,) in self.conn.execute(
            "SELECT data FROM findings WHERE statement_id = ? ORDER BY id", (statement_id,))]


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error): one writer at a time, waiting for
    the others up to the busy timeout."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _migrate(conn: sqlite3.Connection) -> None:
    with _Transaction(conn):
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(f"written by a newer guidance-audit (store schema {version}; this version "
                             f"reads up to {SCHEMA_VERSION})")
        for target, statements in MIGRATIONS:
            if target > version:
                for sql in statements:
                    conn.execute(sql)
                version = target
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(version),))


def _make_current(c: sqlite3.Connection, audit_id: int, source: str) -> None:
    c.execute("UPDATE audits SET current = 0 WHERE source = ? AND current = 1 AND id != ?", (source, audit_id))
    c.execute("UPDATE audits SET current = 1 WHERE id = ?", (audit_id,))


def _insert_contents(c: sqlite3.Connection, audit_id: int, report: AuditReport,
                     statements: Sequence[tuple[Claim, Iterable[str]]]) -> None:
    doc = report.document
    spans: list[tuple[int, int, int]] = []
    for claim, fact_ids in statements:
        block = doc.blocks[claim.block] if doc is not None and 0 <= claim.block < len(doc.blocks) else None
        layers = [[layer.kind, layer.text] for layer in claim.context.layers]
        cur = c.execute("INSERT INTO statements (audit_id, text, start, end, page, block, block_kind, heading_path,"
                        " context) VALUES (?,?,?,?,?,?,?,?,?)",
                        (audit_id, claim.text, claim.start, claim.end, claim.page, claim.block,
                         block.kind if block else None, json.dumps(list(claim.heading_path)), json.dumps(layers)))
        sid = int(cur.lastrowid or 0)
        spans.append((claim.start, claim.end, sid))
        c.executemany("INSERT OR IGNORE INTO statement_facts (fact_id, statement_id) VALUES (?, ?)",
                      [(fid, sid) for fid in set(fact_ids)])
    rows = []
    for f in report.findings:
        in_statement: int | None = next((s for a, b, s in spans if a <= f.location.start and f.location.end <= b), None)
        rows.append((audit_id, in_statement, f.fingerprint, f.kind, f.severity, f.rule, f.quote,
                     json.dumps({**f.to_dict(), "changed_on": _iso(f.changed_on)}, ensure_ascii=False)))
    c.executemany("INSERT INTO findings (audit_id, statement_id, fingerprint, kind, severity, rule, quote, data)"
                  " VALUES (?,?,?,?,?,?,?,?)", rows)


def run_store(store: Store | str | os.PathLike, factbase: dict, tool_version: str) -> Store:
    """The store an Auditor records into: a store already in a run (as a worker process gets it)
    is used as it is; otherwise a new run is started."""
    s = open_store(store)
    if s.run_id is None:
        s.begin_run(factbase, tool_version)
    return s


def audit_options(published: _dt.date | None, include_supported: bool, profile: str | None) -> str:
    """The audit options that change a document's findings, as the text an audit is keyed by."""
    return f"published={_iso(published) or ''};supported={int(include_supported)};profile={profile or ''}"


def publisher_of(document: Document | None) -> str | None:
    """The publisher named in the document's properties, if any."""
    if document is None:
        return None
    extra = {k.lower(): v for k, v in document.metadata.extra}
    return next((extra[k] for k in _PUBLISHER_KEYS if extra.get(k)), None)


def open_store(store: Store | str | os.PathLike) -> Store:
    """A :class:`Store` for a path (or the store itself)."""
    return store if isinstance(store, Store) else Store(store)


def _iso(d: _dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _date(s: str | None) -> _dt.date | None:
    return _dt.date.fromisoformat(s) if s else None


def _citation(d: dict) -> Citation:
    return Citation(title=d["title"], provision=d.get("provision"), date=_date(d.get("date")), url=d.get("url"))


def _location(d: dict) -> Location:
    return Location(page=d.get("page"), block=d.get("block"), start=d["start"], end=d["end"])


def finding_from_dict(d: dict) -> Finding:
    """A :class:`Finding` from its ``to_dict`` form (the JSON report's finding object)."""
    tb = d.get("true_between")
    sug = d.get("suggestion")
    return Finding(
        kind=d["kind"], severity=d["severity"], rule=d["rule"], message=d["message"], quote=d["quote"],
        location=_location(d["location"]), stated=d.get("stated"), expected=d.get("expected"),
        true_between=(_date(tb.get("from")), _date(tb.get("to"))) if tb else None,
        wrong_at_publication=d.get("wrong_at_publication"),
        citations=tuple(_citation(c) for c in d.get("citations") or ()),
        related=tuple(Related(r["quote"], _location(r["location"])) for r in d.get("related") or ()),
        confidence=d.get("confidence") or "high", changed_on=_date(d.get("changed_on")),
        context=tuple(d.get("context") or ()), framing=d.get("framing"), framing_reason=d.get("framing_reason"),
        cohort=d.get("cohort"),
        suggestion=Suggestion(sug["text"], sug["start"], sug["end"], sug["replacement"],
                              _citation(sug["citation"]) if sug.get("citation") else None) if sug else None,
    )

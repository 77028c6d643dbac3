"""The questions users ask of an audit history (see :mod:`guidance_audit.store`).

* :func:`open_errors`: the documents whose latest audit still has errors, by publisher and year;
* :func:`changes`: the findings fixed and introduced between two runs;
* :func:`render_rows`: any of these as text, CSV or JSON.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any, Sequence

from .store import Store, StoreError

__all__ = ["OpenErrors", "FindingChange", "open_errors", "changes", "render_rows"]


@dataclass(frozen=True)
class OpenErrors:
    """One publisher and year: how many documents still have errors, and how many errors."""

    publisher: str | None
    year: int | None
    documents: int
    errors: int
    sources: tuple[str, ...]


@dataclass(frozen=True)
class FindingChange:
    """A finding fixed (in the earlier run, not the later) or introduced (the other way round)."""

    change: str
    source: str
    kind: str
    severity: str
    rule: str
    quote: str
    fingerprint: str


def open_errors(store: Store) -> list[OpenErrors]:
    """Documents whose latest audit has error findings, grouped by publisher and publication year.

    Publisher is the one in the document's properties where known, else ``None``.
    """
    rows = store.conn.execute(
        "SELECT d.publisher, substr(a.published, 1, 4), a.source, COUNT(f.id) FROM audits a"
        " JOIN documents d ON d.id = a.document_id JOIN findings f ON f.audit_id = a.id"
        " WHERE a.current = 1 AND f.severity = 'error' GROUP BY a.id ORDER BY 1, 2, 3").fetchall()
    groups: dict[tuple[str | None, int | None], list[tuple[str, int]]] = {}
    for publisher, year, source, n in rows:
        groups.setdefault((publisher, int(year) if year else None), []).append((source, n))
    return [OpenErrors(p, y, len(docs), sum(n for _, n in docs), tuple(s for s, _ in docs))
            for (p, y), docs in sorted(groups.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or 0))]


def _run_ids(store: Store, first: int | None, second: int | None) -> tuple[int, int]:
    ids = [r[0] for r in store.conn.execute("SELECT id FROM runs r WHERE EXISTS"
                                            " (SELECT 1 FROM run_audits x WHERE x.run_id = r.id) ORDER BY id")]
    if first is None and second is None:
        if len(ids) < 2:
            raise StoreError("needs two runs with documents to compare; the store has "
                             f"{len(ids)}", source=store.path)
        return ids[-2], ids[-1]
    if first is None or second is None:
        raise StoreError("give both runs to compare (--from and --to), or neither for the last two")
    for r in (first, second):
        if r not in ids:
            raise StoreError(f"no run {r} with documents in the store", source=store.path)
    return first, second


def changes(store: Store, first: int | None = None, second: int | None = None) -> list[FindingChange]:
    """Findings fixed and introduced between two runs (default: the last two), for the documents
    (by source) both runs audited. Findings are matched by fingerprint.
    """
    a, b = _run_ids(store, first, second)

    def findings_of(run: int) -> dict[str, dict[str, tuple]]:
        out: dict[str, dict[str, tuple]] = {}
        for source, fp, kind, sev, rule, quote in store.conn.execute(
                "SELECT au.source, f.fingerprint, f.kind, f.severity, f.rule, f.quote FROM run_audits x"
                " JOIN audits au ON au.id = x.audit_id LEFT JOIN findings f ON f.audit_id = au.id"
                " WHERE x.run_id = ? ORDER BY au.source, f.id", (run,)):
            by_fp = out.setdefault(source, {})
            if fp is not None:
                by_fp[fp] = (kind, sev, rule, quote)
        return out

    old, new = findings_of(a), findings_of(b)
    out: list[FindingChange] = []
    for source in sorted(set(old) & set(new)):
        for change, here, there in (("fixed", old[source], new[source]), ("introduced", new[source], old[source])):
            for fp, (kind, sev, rule, quote) in here.items():
                if fp not in there:
                    out.append(FindingChange(change, source, kind, sev, rule, quote, fp))
    return out


def render_rows(rows: Sequence[Any], fmt: str = "text") -> str:
    """Dataclass rows as ``text`` (tab-separated with a header), ``csv`` or ``json``."""
    dicts = [{k: (list(v) if isinstance(v, tuple) else v)
              for k, v in (asdict(r) if is_dataclass(r) and not isinstance(r, type) else r).items()}
             for r in rows]
    if fmt == "json":
        return json.dumps(dicts, indent=2, ensure_ascii=False)
    if not dicts:
        return "" if fmt == "csv" else "nothing found"
    keys = list(dicts[0])
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(keys)
        w.writerows([["; ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in d.values()]
                     for d in dicts])
        return buf.getvalue()
    lines = ["\t".join(keys)]
    for d in dicts:
        lines.append("\t".join(", ".join(v) if isinstance(v, list) else ("-" if v is None else str(v))
                               for v in d.values()))
    return "\n".join(lines)

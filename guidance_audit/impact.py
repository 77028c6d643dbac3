"""Impact of a rule change: which stored statements a fact base change makes newly wrong or newly
correct, found without reading any document again.

The store keeps every recognised statement with the facts it touches and its context (headings,
lead-in, question, table headers, earlier sentences of its paragraph). :func:`impact` looks up the
statements touching the changed facts through the store's index and checks each one twice, with
the fact base before and after the change, on a small document rebuilt from the statement and its
context; the cost grows with the number of affected statements, not with the size of the store.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Literal

from .models import Block, BlockKind, Citation, Document, Finding, Location, Metadata
from .store import Store, StoredStatement

if TYPE_CHECKING:
    from .auditor import Auditor
    from .factbase import FactBase

__all__ = ["ImpactEntry", "ImpactReport", "changed_facts", "impact", "statement_document"]

Change = Literal["newly-outdated", "newly-incorrect", "newly-wrong", "newly-correct"]


@dataclass(frozen=True)
class ImpactEntry:
    """One stored statement whose verdict a fact base change alters.

    Attributes:
        change: ``newly-outdated`` / ``newly-incorrect`` (or ``newly-wrong`` for other kinds):
            the changed facts now give this finding; ``newly-correct``: a finding it had is gone.
        source: the document; ``statement`` and ``location`` where the statement is in it.
        fact_id: the changed fact.
        finding: the finding under the new fact base (``None`` when newly correct).
        previous: the finding under the old fact base (``None`` when newly wrong).
        citations: the authority for the new position.
    """

    change: Change
    source: str
    statement: str
    location: Location
    fact_id: str
    finding: Finding | None
    previous: Finding | None
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.change, "source": self.source, "statement": self.statement,
                "location": self.location.to_dict(), "fact_id": self.fact_id,
                "finding": self.finding.to_dict() if self.finding else None,
                "previous": self.previous.to_dict() if self.previous else None,
                "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class ImpactReport:
    """What a fact base change does to the stored documents."""

    changed_facts: tuple[str, ...]
    statements_checked: int
    entries: tuple[ImpactEntry, ...]

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.source for e in self.entries))

    def summary(self) -> str:
        wrong = sum(e.change != "newly-correct" for e in self.entries)
        return (f"{len(self.changed_facts)} changed fact(s), {self.statements_checked} stored statement(s) "
                f"re-checked: {wrong} newly wrong, {len(self.entries) - wrong} newly correct, "
                f"in {len(self.documents)} document(s)")

    def to_dict(self) -> dict[str, Any]:
        return {"changed_facts": list(self.changed_facts), "statements_checked": self.statements_checked,
                "summary": self.summary(), "entries": [e.to_dict() for e in self.entries]}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self) -> str:
        lines = []
        for e in self.entries:
            cite = f" [{e.citations[0]}]" if e.citations else ""
            why = e.finding.message if e.finding else f"no longer conflicts with {e.fact_id}"
            lines.append(f"{e.source}:{e.location.start}-{e.location.end}: {e.change} {e.fact_id}: "
                         f"\"{_short(e.statement)}\" {why}{cite}")
        lines.append(self.summary())
        return "\n".join(lines)

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["change", "source", "start", "end", "fact_id", "kind", "statement", "citation"])
        for e in self.entries:
            either = e.finding or e.previous
            kind = either.kind if either is not None else ""
            w.writerow([e.change, e.source, e.location.start, e.location.end, e.fact_id, kind, e.statement,
                        str(e.citations[0]) if e.citations else ""])
        return buf.getvalue()


def changed_facts(before: FactBase, after: FactBase) -> list[str]:
    """Ids of the facts that are new in ``after`` or differ from ``before``."""
    return sorted(fid for fid, fact in after.facts.items() if before.facts.get(fid) != fact)


def statement_document(s: StoredStatement) -> tuple[Document, int, int]:
    """A small document holding a stored statement in its context: its headings, the question,
    lead-in or table headers above it, and the earlier sentences of its paragraph.

    Returns:
        The document and the span of the statement in its text.
    """
    layers: dict[str, list[str]] = {}
    for kind, text in s.context:
        layers.setdefault(kind, []).append(text)
    headings = s.heading_path
    specs: list[tuple[BlockKind, str, tuple[str, ...], tuple[int, int, int] | None]] = []
    for i, h in enumerate(headings):
        specs.append(("heading", h, headings[:i + 1], None))
    for q in layers.get("question", [])[:1]:
        specs.append(("paragraph", q, headings, None))
    lead = layers.get("lead-in", [])[:1]
    for text in lead:
        specs.append(("paragraph", text, headings, None))
    previous = list(reversed(layers.get("previous", [])))
    body = " ".join([*previous, s.text])
    offset = len(body) - len(s.text)
    row, col = layers.get("row-header", [])[:1], layers.get("column-header", [])[:1]
    if row or col:
        if col:
            specs.append(("table_cell", col[0], headings, (0, 0, 1)))
        if row:
            specs.append(("table_cell", row[0], headings, (0, 1, 0)))
        specs.append(("table_cell", body, headings, (0, 1, 1)))
    else:
        specs.append(("list_item" if lead else "paragraph", body, headings, None))
    text = ""
    blocks: list[Block] = []
    for i, (kind, t, path, cell) in enumerate(specs):
        if blocks:
            text += "\n\n"
        start = len(text)
        text += t
        blocks.append(Block(index=i, kind=kind, text=t, start=start, end=len(text), heading_path=path, cell=cell))
    meta = Metadata(source=s.source, format="text", title=s.title, published=s.published,
                    published_from="metadata" if s.published else None)
    stmt_start = blocks[-1].start + offset
    return Document(text=text, blocks=tuple(blocks), metadata=meta), stmt_start, stmt_start + len(s.text)


def _touches(rule: str, ids: set[str]) -> str | None:
    """The changed fact a finding's rule belongs to (``x.effective-date`` belongs to ``x``)."""
    while rule:
        if rule in ids:
            return rule
        rule = rule.rpartition(".")[0]
    return None


def _findings_on(auditor: Auditor, s: StoredStatement, as_of: _dt.date, ids: set[str]) -> dict[tuple, Finding]:
    doc, start, end = statement_document(s)
    report = auditor.audit_document(doc, as_of=as_of, published=s.published)
    out = {}
    for f in report.findings:
        fid = _touches(f.rule, ids)
        if fid and f.severity != "info" and start <= f.location.start and f.location.end <= end:
            out[(f.kind, f.rule, f.stated)] = f
    return out


def _shift(f: Finding, s: StoredStatement, start: int) -> Finding:
    """The finding placed where the statement is in its own document (it was found in the
    rebuilt one, where the statement starts at ``start``)."""
    delta = s.start - start
    loc = Location(s.page, s.block, f.location.start + delta, f.location.end + delta)
    sug = f.suggestion
    if sug is not None:
        sug = dataclasses.replace(sug, start=sug.start + delta, end=sug.end + delta)
    return dataclasses.replace(f, location=loc, suggestion=sug)


def impact(store: Store, after: FactBase, *, before: FactBase | None = None,
           changed: Iterable[str] | None = None, as_of: _dt.date | str | None = None,
           auditor_before: Auditor | None = None, auditor_after: Auditor | None = None) -> ImpactReport:
    """Every stored statement that a fact base change makes newly wrong or newly correct.

    Args:
        store: the audit history.
        after: the fact base with the change (for example ``load_factbase(extra=["new.yaml"])``).
        before: the fact base the store was audited with (default: the bundled one).
        changed: the changed fact ids (default: :func:`changed_facts` of ``before`` and ``after``).
        as_of: the date to judge at (default: each statement's stored audit date).
        auditor_before, auditor_after: Auditors to reuse (built from the fact bases otherwise).

    Returns:
        An :class:`ImpactReport`, statement by statement, with the new citation.
    """
    from .auditor import Auditor, _to_date
    from .factbase import load_factbase

    before = before if before is not None else (auditor_before.factbase if auditor_before else load_factbase())
    ids = set(changed) if changed is not None else set(changed_facts(before, after))
    statements = store.statements_touching(ids)
    if not statements:
        return ImpactReport(tuple(sorted(ids)), 0, ())
    old_auditor = auditor_before or Auditor(before)
    new_auditor = auditor_after or Auditor(after)
    on = _to_date(as_of, "as_of")
    entries: list[ImpactEntry] = []
    for s in statements:
        when = on or s.as_of
        _, start, _ = statement_document(s)
        old = _findings_on(old_auditor, s, when, ids)
        new = _findings_on(new_auditor, s, when, ids)
        old = {k: _shift(f, s, start) for k, f in old.items()}
        new = {k: _shift(f, s, start) for k, f in new.items()}
        for key, f in new.items():
            if key not in old:
                change = {"outdated": "newly-outdated", "incorrect": "newly-incorrect"}.get(f.kind, "newly-wrong")
                entries.append(ImpactEntry(change, s.source, s.text, f.location,  # type: ignore[arg-type]
                                           _touches(f.rule, ids) or f.rule, f, old.get(key), f.citations))
        for key, f in old.items():
            if key not in new and not any(k[:2] == key[:2] for k in new):
                fid = _touches(f.rule, ids) or f.rule
                fact = after.facts.get(fid)
                now = fact.values_in_force(when) if fact is not None and fact.values else ()
                cites = tuple(c for v in now for c in v.citations) or (fact.citations if fact else ())
                entries.append(ImpactEntry("newly-correct", s.source, s.text, f.location, fid, None, f,
                                           tuple(cites)))
    return ImpactReport(tuple(sorted(ids)), len(statements), tuple(entries))


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."

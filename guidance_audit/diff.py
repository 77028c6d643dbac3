"""Version diff: the findings of two editions of one document, fixed, introduced and still present.

Findings are matched first by fingerprint (rule, kind and quoted words: offsets and paragraph
numbers do not count), then, among those left, by the same kind and rule and a statement that
reads nearly the same (``rapidfuzz`` ratio of the normalised quotes at least ``threshold``), so a
finding survives renumbered paragraphs and small rewording.

    >>> d = diff_documents("policy-2020.pdf", "policy-2023.pdf")     # doctest: +SKIP
    >>> [e.status for e in d.entries]                                  # doctest: +SKIP
    ['fixed', 'still-present', 'introduced']
"""
from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rapidfuzz import fuzz

from .models import Finding
from .report import AuditReport, report_dict

if TYPE_CHECKING:
    from .auditor import Auditor

__all__ = ["DiffEntry", "DocumentDiff", "diff_reports", "diff_documents", "DIFF_FORMATS"]

Status = Literal["fixed", "introduced", "still-present"]
DEFAULT_THRESHOLD = 85.0
_ORDER = {"fixed": 0, "introduced": 1, "still-present": 2}


@dataclass(frozen=True)
class DiffEntry:
    """One finding across the two editions.

    Attributes:
        status: ``fixed`` (in the old edition only), ``introduced`` (in the new only) or
            ``still-present``.
        old, new: the finding in each edition (``None`` where it is absent).
        similarity: how alike the two quotes read (0-100; 100 for a fingerprint match).
    """

    status: Status
    old: Finding | None
    new: Finding | None
    similarity: float | None = None

    @property
    def finding(self) -> Finding:
        """The finding as it stands in the newer edition where it is there, else the old one."""
        f = self.new or self.old
        assert f is not None
        return f

    def to_dict(self) -> dict[str, Any]:
        f = self.finding
        return {"status": self.status, "kind": f.kind, "severity": f.severity, "rule": f.rule,
                "old_fingerprint": self.old.fingerprint if self.old else None,
                "new_fingerprint": self.new.fingerprint if self.new else None,
                "similarity": None if self.similarity is None else round(self.similarity, 1)}


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _matchable(f: Finding) -> str:
    return _norm(f.quote) + "".join(" | " + _norm(r.quote) for r in f.related)


@dataclass(frozen=True)
class DocumentDiff:
    """The findings of two editions of a document, matched."""

    old: AuditReport
    new: AuditReport
    entries: tuple[DiffEntry, ...]

    def of(self, status: Status) -> tuple[DiffEntry, ...]:
        return tuple(e for e in self.entries if e.status == status)

    @property
    def fixed(self) -> tuple[DiffEntry, ...]:
        return self.of("fixed")

    @property
    def introduced(self) -> tuple[DiffEntry, ...]:
        return self.of("introduced")

    @property
    def still_present(self) -> tuple[DiffEntry, ...]:
        return self.of("still-present")

    def summary(self) -> str:
        return (f"{len(self.fixed)} fixed, {len(self.introduced)} introduced, "
                f"{len(self.still_present)} still present")

    def to_dict(self) -> dict[str, Any]:
        """The JSON report of both editions (``documents[0]`` old, ``documents[1]`` new) with a
        ``diff`` object listing each finding's status (in the shipped schema)."""
        data = report_dict([self.old, self.new], self.new.factbase, self.new.as_of)
        data["diff"] = {"old": self.old.source, "new": self.new.source, "summary": self.summary(),
                        "entries": [e.to_dict() for e in self.entries]}
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self) -> str:
        lines = [f"{self.old.source} -> {self.new.source}"]
        for e in self.entries:
            f = e.finding
            where = f.location.describe()
            lines.append(f"{e.status}: {f.severity} {f.kind} {f.rule} ({where}): \"{_short(f.quote)}\"")
        lines.append(self.summary())
        return "\n".join(lines)

    def to_markdown(self) -> str:
        from .markdown_report import code_span, md_escape

        out = [f"# Changes between {md_escape(self.old.source)} and {md_escape(self.new.source)}", "",
               md_escape(self.summary()), ""]
        sections: tuple[tuple[Status, str], ...] = (("fixed", "Fixed"), ("introduced", "Introduced"),
                                                    ("still-present", "Still present"))
        for status, title in sections:
            entries = self.of(status)
            if not entries:
                continue
            out += [f"## {title} ({len(entries)})", "", "| severity | kind | rule | statement |", "|---|---|---|---|"]
            for e in entries:
                f = e.finding
                out.append(f"| {f.severity} | {f.kind} | {code_span(f.rule)} | {md_escape(_short(f.quote, 160))} |")
            out.append("")
        return "\n".join(out)

    def to_html(self) -> str:
        e_ = html.escape
        rows = []
        for e in self.entries:
            f = e.finding
            sug = f"<br><em>Suggested: {e_(f.suggestion.text)}</em>" if f.suggestion and e.new else ""
            rows.append(f'<tr class="ga-{e_(e.status)}"><td>{e_(e.status)}</td><td>{e_(f.severity)}</td>'
                        f"<td>{e_(f.kind)}</td><td><code>{e_(f.rule)}</code></td><td>{e_(f.quote)}{sug}</td></tr>")
        title = f"Changes between {self.old.source} and {self.new.source}"
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
                f"<title>{e_(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
                "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em;vertical-align:top}"
                ".ga-fixed td:first-child{color:#060}.ga-introduced td:first-child{color:#a00}</style></head><body>"
                f"<h1>{e_(title)}</h1><p>{e_(self.summary())}</p><table><thead><tr><th>status</th><th>severity</th>"
                "<th>kind</th><th>rule</th><th>statement</th></tr></thead><tbody>"
                + "".join(rows) + "</tbody></table></body></html>\n")

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["status", "severity", "kind", "rule", "old_start", "new_start", "similarity", "quote",
                    "old_fingerprint", "new_fingerprint"])
        for e in self.entries:
            f, d = e.finding, e.to_dict()
            w.writerow([e.status, f.severity, f.kind, f.rule, e.old.location.start if e.old else "",
                        e.new.location.start if e.new else "", d["similarity"] if d["similarity"] is not None else "",
                        f.quote, d["old_fingerprint"] or "", d["new_fingerprint"] or ""])
        return buf.getvalue()

    def to_sarif(self) -> dict[str, Any]:
        """A SARIF log of both editions whose results carry ``baselineState``: ``new`` and
        ``unchanged`` for the new edition's findings, ``absent`` for those fixed (located in the
        old edition)."""
        from .sarif import to_sarif

        log = to_sarif([self.old, self.new], self.new.factbase, self.new.as_of)
        run = log["runs"][0]
        state = {}
        for e in self.entries:
            if e.old is not None and e.status == "fixed":
                state[(0, e.old.fingerprint)] = "absent"
            if e.new is not None:
                state[(1, e.new.fingerprint)] = "new" if e.status == "introduced" else "unchanged"
        kept = []
        for result in run["results"]:
            art = result["locations"][0]["physicalLocation"]["artifactLocation"]["index"]
            s = state.get((art, next(iter(result["partialFingerprints"].values()))))
            if s is not None:
                result["baselineState"] = s
                kept.append(result)
        run["results"] = kept
        return log


def diff_reports(old: AuditReport, new: AuditReport, *, threshold: float = DEFAULT_THRESHOLD) -> DocumentDiff:
    """Match the findings of two editions.

    Args:
        old, new: the reports of the older and the newer edition.
        threshold: the least ``rapidfuzz.fuzz.ratio`` (0-100) of two normalised quotes for
            findings of the same kind and rule to count as the same finding reworded.

    Returns:
        A :class:`DocumentDiff` whose entries are fixed, then introduced, then still present,
        each in document order.
    """
    olds, news = list(old.findings), list(new.findings)
    pairs: list[tuple[Finding, Finding, float]] = []
    by_fp: dict[str, list[Finding]] = {}
    for f in news:
        by_fp.setdefault(f.fingerprint, []).append(f)
    left_old = []
    for f in olds:
        same = by_fp.get(f.fingerprint)
        if same:
            pairs.append((f, same.pop(0), 100.0))
        else:
            left_old.append(f)
    left_new = [f for fs in by_fp.values() for f in fs]
    candidates = sorted(((fuzz.ratio(_matchable(a), _matchable(b)), i, j)
                         for i, a in enumerate(left_old) for j, b in enumerate(left_new)
                         if a.kind == b.kind and a.rule == b.rule), reverse=True)
    used_old, used_new = set(), set()
    for score, i, j in candidates:
        if score < threshold or i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((left_old[i], left_new[j], score))
    entries = [DiffEntry("fixed", f, None) for i, f in enumerate(left_old) if i not in used_old]
    entries += [DiffEntry("introduced", None, f) for j, f in enumerate(left_new) if j not in used_new]
    entries += [DiffEntry("still-present", a, b, s) for a, b, s in pairs]
    entries.sort(key=lambda e: (_ORDER[e.status], e.finding.location.start))
    return DocumentDiff(old, new, tuple(entries))


def diff_documents(old: str | os.PathLike, new: str | os.PathLike, *, auditor: Auditor | None = None,
                   as_of: _dt.date | str | None = None, threshold: float = DEFAULT_THRESHOLD) -> DocumentDiff:
    """Audit two editions of a document and match their findings (see :func:`diff_reports`).

    Raises:
        AuditError: when either edition cannot be read.
    """
    from .auditor import default_auditor

    a = auditor or default_auditor()
    return diff_reports(a.audit(old, as_of=as_of), a.audit(new, as_of=as_of), threshold=threshold)


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def render_diff(d: DocumentDiff, fmt: str) -> str:
    """The diff in one of :data:`DIFF_FORMATS`."""
    if fmt == "sarif":
        return json.dumps(d.to_sarif(), indent=2, ensure_ascii=False)
    return {"text": d.to_text, "json": d.to_json, "md": d.to_markdown, "html": d.to_html, "csv": d.to_csv}[fmt]()


DIFF_FORMATS = ("text", "json", "md", "html", "sarif", "csv")

"""SARIF 2.1.0 output, for code-scanning dashboards and other tools that read static-analysis logs.

One run per call. Each finding is a result whose region is given both as character offsets and
as 1-based lines and columns counted in Unicode code points (``columnKind: unicodeCodePoints``)
over the document's *extracted* text (``report.document.text``), which is also what
``snippet.text`` quotes; for a plain-text document the lines and columns are the file's own (the
text reader records where each source line starts, see :mod:`.source_lines`), for a PDF, DOCX or
HTML document they are counted in the text the reader extracted. Omissions have no quote and get a location
without a region. Findings a baseline suppressed are emitted with an external suppression.

    >>> log = to_sarif(reports, factbase_info, as_of)        # doctest: +SKIP
    >>> report.to_sarif()      # JSON text, like report.to_json()   # doctest: +SKIP
"""
from __future__ import annotations

import bisect
import datetime as _dt
import json
import re
from pathlib import PurePath, PureWindowsPath
from typing import TYPE_CHECKING, Any, Sequence
from urllib.parse import quote as _urlquote

from . import _present as P
from ..models import Document, Finding, Location
from .escaping import json_text  # also registers the guidance_audit.fsbytes error handler
from .source_lines import source_position

if TYPE_CHECKING:
    from .model import AuditReport

__all__ = ["to_sarif", "render_sarif", "SARIF_SCHEMA", "SARIF_VERSION", "FINGERPRINT_KEY"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "guidanceAudit/v1"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def artifact_uri(source: str) -> str:
    """The source as a URI reference: relative paths stay relative (``/`` separators,
    percent-encoded), absolute paths become ``file:`` URIs."""
    if re.match(r"^[A-Za-z]:[\\/]", source) or "\\" in source:
        path: PurePath = PureWindowsPath(source)
        posix = path.as_posix()
    else:
        posix = source
    if posix.startswith("/"):
        return "file://" + _urlquote(posix, safe="/", errors="guidance_audit.fsbytes")
    if re.match(r"^[A-Za-z]:/", posix):
        return "file:///" + _urlquote(posix, safe="/:", errors="guidance_audit.fsbytes")
    return _urlquote(posix, safe="/", errors="guidance_audit.fsbytes")  # the name's own bytes


class _Lines:
    """Maps character offsets of a text to 1-based (line, column) pairs."""

    def __init__(self, text: str, document: Document | None = None):
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        self.document = document

    def position(self, offset: int) -> tuple[int, int]:
        in_file = source_position(self.document, offset)  # a text file: its own lines (issue 15)
        if in_file is not None:
            return in_file
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1


def _region(document: Document | None, lines: _Lines | None, loc: Location, quote: str) -> dict[str, Any] | None:
    if not quote:
        return None
    region: dict[str, Any] = {"snippet": {"text": quote}}
    text = document.text if document is not None else None
    if text is not None and lines is not None and 0 <= loc.start <= loc.end <= len(text) \
            and text[loc.start:loc.end] == quote:
        sl, sc = lines.position(loc.start)
        el, ec = lines.position(loc.end)
        region = {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec,
                  "charOffset": loc.start, "charLength": loc.end - loc.start, **region}
    return region


def _physical(uri: str, index: int, region: dict[str, Any] | None) -> dict[str, Any]:
    phys: dict[str, Any] = {"artifactLocation": {"uri": uri, "index": index}}
    if region is not None:
        phys["region"] = region
    return phys


def _true_between(f: Finding) -> dict[str, str | None] | None:
    if f.true_between is None:
        return None
    lo, hi = f.true_between
    return {"from": P.iso(lo), "to": P.iso(hi)}


def _result(report: AuditReport, f: Finding, rule_index: int, uri: str, art: int, lines: _Lines | None,
            suppressed: bool) -> dict[str, Any]:
    doc = report.document
    region = _region(doc, lines, f.location, f.quote)
    loc: dict[str, Any] = {"physicalLocation": _physical(uri, art, region)}
    where = P.where_text(doc, f.location, f.quote)
    loc["message"] = {"text": where}
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "message": {"text": f.message},
        "locations": [loc],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    if f.kind == "supported":
        # SARIF: a result that is not a failure must have level "none".
        result.update(kind="pass", level="none")
    else:
        result.update(kind="fail", level=_LEVELS.get(f.severity, "warning"))
    if f.related:
        result["relatedLocations"] = [
            {"id": i, "physicalLocation": _physical(uri, art, _region(doc, lines, r.location, r.quote)),
             "message": {"text": ("Conflicting statement: " if f.kind == "internal-contradiction" else "")
                         + P.where_text(doc, r.location, r.quote)}}
            for i, r in enumerate(f.related, 1)
        ]
    if suppressed:
        sup: dict[str, Any] = {"kind": "external", "status": "accepted"}
        reason = P.suppression_reason(report, f)
        if reason:
            sup["justification"] = reason
        result["suppressions"] = [sup]
    if f.suggestion is not None and region is not None and "charOffset" in region:
        result["fixes"] = [_fix(doc, lines, uri, art, f)]
    result["properties"] = {
        "kind": f.kind,
        "severity": f.severity,
        "page": f.location.page,
        "block": f.location.block,
        "quote": f.quote,
        "stated": f.stated,
        "expected": f.expected,
        "true_between": _true_between(f),
        "changed_on": P.iso(f.changed_on),
        "wrong_at_publication": f.wrong_at_publication,
        "published": P.iso(report.published),
        "published_from": report.published_from,
        "citations": [c.to_dict() for c in f.citations],
        "related": [r.to_dict() for r in f.related],
        "confidence": f.confidence,
    }
    return result


def _fix(doc: Document | None, lines: _Lines | None, uri: str, art: int, f: Finding) -> dict[str, Any]:
    """A SARIF ``fix``: replace only the stated quantity with the current value."""
    s = f.suggestion
    assert s is not None and lines is not None
    sl, sc = lines.position(s.start)
    el, ec = lines.position(s.end)
    deleted = {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec,
               "charOffset": s.start, "charLength": s.end - s.start}
    cite = f" ({s.citation})" if s.citation else ""
    return {"description": {"text": f"Replace {f.stated} with {s.replacement}{cite}"},
            "artifactChanges": [{"artifactLocation": {"uri": uri, "index": art},
                                 "replacements": [{"deletedRegion": deleted,
                                                   "insertedContent": {"text": s.replacement}}]}]}


def _rule(rule_id: str, findings: list[Finding]) -> dict[str, Any]:
    kinds = list(dict.fromkeys(f.kind for f in findings))
    first = findings[0]
    label = " / ".join(P.kind_label(k) for k in kinds)
    rule: dict[str, Any] = {
        "id": rule_id,
        "shortDescription": {"text": f"{label}: {rule_id}"},
        "fullDescription": {"text": first.message},
        "defaultConfiguration": {"level": _LEVELS.get(first.severity, "warning") if first.kind != "supported"
                                 else "none"},
    }
    urls = [P.safe_url(c.url) for f in findings for c in f.citations]
    help_uri = next((u for u in urls if u), None)
    if help_uri:
        rule["helpUri"] = help_uri
    cites = list(dict.fromkeys(str(c) for f in findings for c in f.citations))
    if cites:
        rule["help"] = {"text": "Authority: " + "; ".join(cites)}
    rule["properties"] = {"kind": kinds[0], **({"kinds": kinds} if len(kinds) > 1 else {})}
    return rule


def to_sarif(reports: Sequence[AuditReport], factbase_info: dict | None = None,
             as_of: _dt.date | None = None) -> dict[str, Any]:
    """A SARIF 2.1.0 log (as a dict) with one run holding every document's findings.

    Args:
        reports: the reports of the run.
        factbase_info: the fact base's ``info()`` (default: the first report's).
        as_of: the date the rules were taken at (default: the first report's).

    Returns:
        The log; ``json.dumps`` it to write a ``.sarif`` file.
    """
    reports = list(reports)
    first = reports[0] if reports else None
    factbase_info = factbase_info if factbase_info is not None else (first.factbase if first else {})
    as_of = as_of or (first.as_of if first else _dt.date.today())
    version = (first.tool_version if first else "") or _package_version()

    by_rule: dict[str, list[Finding]] = {}
    for r in reports:
        for f in (*r.findings, *r.suppressed):
            by_rule.setdefault(f.rule, []).append(f)
    rule_ids = list(by_rule)
    rule_index = {rid: i for i, rid in enumerate(rule_ids)}

    artifacts = []
    results = []
    notifications = []
    for art, r in enumerate(reports):
        uri = artifact_uri(r.source)
        artifact: dict[str, Any] = {"location": {"uri": uri}}
        artifact["properties"] = {
            "source": r.source, "title": r.title, "published": P.iso(r.published),
            "published_from": r.published_from, "pages": r.pages, "claims": r.claim_count,
            "suppressed": len(r.suppressed),
            "format": r.document.metadata.format if r.document is not None else None,
        }
        artifacts.append(artifact)
        lines = _Lines(r.document.text, r.document) if r.document is not None else None
        for f in r.findings:
            results.append(_result(r, f, rule_index[f.rule], uri, art, lines, False))
        for f in r.suppressed:
            results.append(_result(r, f, rule_index[f.rule], uri, art, lines, True))
        for e in r.errors:
            notifications.append({
                "level": "error", "message": {"text": e.message}, "descriptor": {"id": e.code},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": art}}}],
            })

    notes = P.run_notes(reports)
    notifications += [{"level": "warning", "message": {"text": n}, "descriptor": {"id": "audit-note"}}
                      for n in notes]
    t = P.totals(reports)
    driver: dict[str, Any] = {
        "name": "guidance-audit",
        "fullName": "guidance-audit: audit of immigration guidance against a dated, cited fact base",
        "version": version,
        "rules": [_rule(rid, by_rule[rid]) for rid in rule_ids],
    }
    if re.fullmatch(r"\d+\.\d+\.\d+(?:[-+].*)?", version or ""):
        driver["semanticVersion"] = version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [{
            "executionSuccessful": not reports or any(not r.errors for r in reports),
            "toolExecutionNotifications": notifications,
        }],
        "artifacts": artifacts,
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "as_of": as_of.isoformat(),
            "factbase": factbase_info,
            "horizon": P.iso(P.horizon_of(factbase_info)),
            "notes": notes,
            "suppressed": t.suppressed,
            "counts": t.by_severity,
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(reports: Sequence[AuditReport], factbase_info: dict | None = None,
                 as_of: _dt.date | None = None) -> str:
    """The SARIF log as JSON text (a renderer for ``--format sarif``)."""
    return json_text(json.dumps(to_sarif(reports, factbase_info, as_of), indent=2, ensure_ascii=False))


def _package_version() -> str:
    from .._version import __version__

    return __version__

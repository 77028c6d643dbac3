"""Baselines: findings a person has reviewed and accepted, kept out of the exit status.

A baseline is a JSON file with one entry per accepted finding::

    {
      "baseline_version": 1,
      "tool": "guidance-audit",
      "entries": [
        {"fingerprint": "…", "source": "policy.pdf", "rule": "body.ukba", "kind": "outdated-term",
         "quote": "UK Border Agency", "reason": "historical annex, left as published"}
      ]
    }

``fingerprint`` (see :attr:`guidance_audit.Finding.fingerprint`) is what matches: it depends on
the rule, the kind and the quoted words, not on offsets, so it survives edits elsewhere in the
document. An entry applies to the document named by ``source`` (compared as a path, so
``docs/a.pdf`` matches ``./docs/a.pdf`` and ``/work/docs/a.pdf``); ``"source": "*"`` applies it to
every document. ``reason`` is written empty and is for a person to fill in; entries without a reason
still apply, and :func:`load_baseline` reports how many there are.

Suppressed findings are never dropped: they move from ``report.findings`` to
``report.suppressed`` and every format counts them.
"""
from __future__ import annotations

import datetime as _dt
import json
import stat
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Iterable

from .errors import AuditError

if TYPE_CHECKING:
    from .report import AuditReport

__all__ = ["Baseline", "BaselineEntry", "BaselineError", "apply_baseline", "baseline_from_reports",
           "load_baseline", "write_baseline"]

BASELINE_VERSION = 1
_FIELDS = ("fingerprint", "source", "rule", "kind", "quote", "reason")


class BaselineError(AuditError):
    """A baseline file is missing, is not JSON, or has malformed entries."""

    code = "bad-baseline"


@dataclass(frozen=True)
class BaselineEntry:
    """One accepted finding."""

    fingerprint: str
    source: str = "*"
    rule: str = ""
    kind: str = ""
    quote: str = ""
    reason: str = ""

    def to_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in _FIELDS}


@dataclass(frozen=True)
class Baseline:
    """The entries of a baseline file."""

    entries: tuple[BaselineEntry, ...] = ()
    path: str | None = None

    @property
    def without_reason(self) -> int:
        """How many entries have no reason."""
        return sum(1 for e in self.entries if not e.reason.strip())

    def matches(self, source: str, fingerprint: str) -> BaselineEntry | None:
        """The entry that suppresses this finding of this document, or ``None``."""
        for e in self.entries:
            if e.fingerprint == fingerprint and _same_source(e.source, source):
                return e
        return None

    def to_dict(self) -> dict[str, Any]:
        return {"baseline_version": BASELINE_VERSION, "tool": "guidance-audit",
                "entries": [e.to_dict() for e in self.entries]}


MAX_BASELINE_BYTES = 64 * 1024 * 1024  # far more than any real baseline; bounds /dev/zero


def _parts(path: str) -> tuple[str, ...]:
    p = PurePosixPath(path.replace("\\", "/"))
    return tuple(x for x in p.parts if x not in (".", "/"))


def _same_source(entry_source: str, source: str) -> bool:
    if entry_source in ("", "*") or entry_source == source:
        return True
    a, b = _parts(entry_source), _parts(source)
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[-n:] == b[-n:]


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file.

    Raises:
        BaselineError: the file cannot be read, is not JSON, or an entry is malformed.
    """
    p = Path(path)
    try:
        if not stat.S_ISREG(p.stat().st_mode):  # a FIFO blocks, /dev/zero never ends
            raise BaselineError("a baseline must be a regular file (not a pipe, device or folder)", source=str(p))
        with open(p, "rb") as fh:
            data_bytes = fh.read(MAX_BASELINE_BYTES + 1)
        if len(data_bytes) > MAX_BASELINE_BYTES:
            raise BaselineError(f"the baseline has more than {MAX_BASELINE_BYTES:,} bytes", source=str(p))
        raw = data_bytes.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline: {exc}", source=str(p)) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"not JSON: {exc}", source=str(p)) from None
    except RecursionError:
        raise BaselineError("not a baseline: JSON nested too deeply", source=str(p)) from None
    if isinstance(data, dict):
        entries = data.get("entries")
    else:
        entries = data
    if not isinstance(entries, list):
        raise BaselineError('expected an object with an "entries" list', source=str(p))
    out = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not isinstance(e.get("fingerprint"), str) or not e["fingerprint"]:
            raise BaselineError(f"entry {i + 1}: needs a non-empty string \"fingerprint\"", source=str(p))
        unknown = set(e) - set(_FIELDS)
        if unknown:
            raise BaselineError(f"entry {i + 1}: unknown key(s) {', '.join(sorted(unknown))}", source=str(p))
        bad = [k for k in _FIELDS if k in e and not isinstance(e[k], (str, type(None)))]
        if bad:
            raise BaselineError(f"entry {i + 1}: {', '.join(bad)} must be text", source=str(p))
        out.append(BaselineEntry(**{k: (e.get(k) or ("*" if k == "source" else "")) for k in _FIELDS}))
    return Baseline(tuple(out), str(p))


def apply_baseline(report: AuditReport, baseline: Baseline) -> AuditReport:
    """Move the report's findings that the baseline accepts to ``report.suppressed``.

    Returns:
        A new report; the reasons are in ``report.suppression_reasons`` (by fingerprint).
    """
    keep, moved = [], list(report.suppressed)
    reasons = dict(getattr(report, "suppression_reasons", {}) or {})
    for f in report.findings:
        entry = baseline.matches(report.source, f.fingerprint)
        if entry is None:
            keep.append(f)
        else:
            moved.append(f)
            reasons[f.fingerprint] = entry.reason
    if len(keep) == len(report.findings):
        return report
    return replace(report, findings=tuple(keep), suppressed=tuple(moved), suppression_reasons=reasons)


def unused_entries(baseline: Baseline, reports: Iterable[AuditReport]) -> list[BaselineEntry]:
    """Entries that matched no finding of these reports (stale, or for other documents)."""
    seen = {(r.source, f.fingerprint) for r in reports for f in r.suppressed}
    return [e for e in baseline.entries
            if not any(fp == e.fingerprint and _same_source(e.source, src) for src, fp in seen)]


def baseline_from_reports(reports: Iterable[AuditReport], previous: Baseline | None = None) -> Baseline:
    """A baseline accepting every current finding (and every suppressed one) of the reports.

    Reasons already given in ``previous`` are kept; new entries get an empty reason.
    """
    entries: list[BaselineEntry] = []
    seen: set[tuple[str, str]] = set()
    for r in reports:
        for f in (*r.findings, *r.suppressed):
            key = (r.source, f.fingerprint)
            if key in seen:
                continue
            seen.add(key)
            old = previous.matches(r.source, f.fingerprint) if previous is not None else None
            entries.append(BaselineEntry(fingerprint=f.fingerprint, source=r.source, rule=f.rule, kind=f.kind,
                                         quote=f.quote, reason=old.reason if old is not None else ""))
    return Baseline(tuple(entries))


def write_baseline(reports: Iterable[AuditReport], path: str | Path, previous: Baseline | None = None) -> Baseline:
    """Write a baseline accepting every current finding of the reports to ``path``.

    Returns:
        The baseline written.
    """
    b = baseline_from_reports(reports, previous)
    data = b.to_dict()
    data["created"] = _dt.date.today().isoformat()
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return replace(b, path=str(path))

"""Baselines: findings a person has reviewed and accepted, kept out of the exit status.

A baseline is a JSON file with one entry per accepted finding::

    {
      "baseline_version": 2,
      "tool": "guidance-audit",
      "entries": [
        {"fingerprint": "…", "source": "docs/policy.pdf", "sha256": "…", "rule": "body.ukba",
         "kind": "outdated-term", "quote": "UK Border Agency", "reason": "historical annex, left as published"}
      ]
    }

``fingerprint`` (see :attr:`guidance_audit.Finding.fingerprint`) is what matches: it depends on
the rule, the kind and the quoted words, not on offsets, so it survives edits elsewhere in the
document. An entry applies to one document, known by its identity:

* ``sha256``, the hash of the document file's bytes: the same document wherever it is, so moving
  or renaming the audited folder keeps every suppression;
* ``source``, the document's path relative to the folder the baseline file is in (relative to
  the working folder for a baseline that has no file): the same place, so an edited document keeps
  its suppressions. Paths are compared resolved, so ``docs/a.pdf``, ``./docs/a.pdf`` and its
  absolute path are one document, and ``a/policy.txt`` and ``b/policy.txt`` are two.

An entry applies when either matches; ``"source": "*"`` applies it to every document. Version 1
baselines (no ``sha256``, paths relative to the working folder) are still read. ``reason`` is
written empty and is for a person to fill in; entries without a reason still apply, and
:func:`load_baseline` reports how many there are.

Suppressed findings are never dropped: they move from ``report.findings`` to
``report.suppressed`` and every format counts them.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Iterable

from .errors import AuditError

if TYPE_CHECKING:
    from .report import AuditReport

__all__ = ["Baseline", "BaselineEntry", "BaselineError", "apply_baseline", "baseline_from_reports",
           "load_baseline", "write_baseline"]

BASELINE_VERSION = 2
_FIELDS = ("fingerprint", "source", "sha256", "rule", "kind", "quote", "reason")


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
    sha256: str = ""

    def to_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in _FIELDS}


@dataclass(frozen=True)
class Baseline:
    """The entries of a baseline file."""

    entries: tuple[BaselineEntry, ...] = ()
    path: str | None = None
    version: int = BASELINE_VERSION
    _hashes: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def without_reason(self) -> int:
        """How many entries have no reason."""
        return sum(1 for e in self.entries if not e.reason.strip())

    @property
    def folder(self) -> Path:
        """The folder entries' paths are relative to: the baseline file's, else the working folder."""
        return Path(self.path).parent if self.path else Path(".")

    def matches(self, source: str, fingerprint: str) -> BaselineEntry | None:
        """The entry that suppresses this finding of this document, or ``None``."""
        for e in self.entries:
            if e.fingerprint == fingerprint and self.same_document(e, source):
                return e
        return None

    def same_document(self, entry: BaselineEntry, source: str) -> bool:
        """Whether ``entry`` is about the document at ``source``: the same content hash, or the
        same path (relative to :attr:`folder`; version 1: to the working folder)."""
        if entry.source in ("", "*"):
            return True
        if entry.sha256 and entry.sha256 == self._hash(source):
            return True
        target = _resolved(source)
        if _resolved(self.folder / entry.source) == target:
            return True
        return self.version < 2 and _resolved(entry.source) == target

    def _hash(self, source: str) -> str | None:
        if source not in self._hashes:
            self._hashes[source] = document_hash(source)
        return self._hashes[source]

    def to_dict(self) -> dict[str, Any]:
        return {"baseline_version": BASELINE_VERSION, "tool": "guidance-audit",
                "entries": [e.to_dict() for e in self.entries]}


MAX_BASELINE_BYTES = 64 * 1024 * 1024  # far more than any real baseline; bounds /dev/zero


def _resolved(path: str | os.PathLike) -> str:
    text = os.fspath(path)
    try:
        return str(Path(text).resolve())
    except (OSError, RuntimeError, ValueError):
        return os.path.abspath(text)


def document_hash(source: str) -> str | None:
    """The SHA-256 of a document file's bytes, or ``None`` when ``source`` is not a readable
    regular file (standard input, a text given in Python)."""
    try:
        if not stat.S_ISREG(os.stat(source).st_mode):
            return None
        digest = hashlib.sha256()
        with open(source, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()
    except (OSError, ValueError):
        return None


def relative_source(source: str, folder: str | os.PathLike) -> str:
    """``source`` as a POSIX path relative to ``folder`` (absolute when it cannot be)."""
    if source.startswith("<"):
        return source
    try:
        return PurePosixPath(Path(os.path.relpath(_resolved(source), _resolved(folder))).as_posix()).as_posix()
    except ValueError:  # another drive
        return _resolved(source)


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
    version = data.get("baseline_version", 1) if isinstance(data, dict) else 1
    return Baseline(tuple(out), str(p), version=version if isinstance(version, int) else 1)


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
            if not any(fp == e.fingerprint and baseline.same_document(e, src) for src, fp in seen)]


def baseline_from_reports(reports: Iterable[AuditReport], previous: Baseline | None = None,
                          folder: str | os.PathLike | None = None) -> Baseline:
    """A baseline accepting every current finding (and every suppressed one) of the reports.

    Each entry names its document by content hash and by path relative to ``folder`` (the
    folder the baseline will be written in; default: the working folder). Reasons already given
    in ``previous`` are kept; new entries get an empty reason.
    """
    base = Path(folder) if folder is not None else Path(".")
    entries: list[BaselineEntry] = []
    hashes: dict[str, str | None] = {}
    seen: set[tuple[str, str]] = set()
    for r in reports:
        for f in (*r.findings, *r.suppressed):
            key = (r.source, f.fingerprint)
            if key in seen:
                continue
            seen.add(key)
            old = previous.matches(r.source, f.fingerprint) if previous is not None else None
            if r.source not in hashes:
                hashes[r.source] = document_hash(r.source)
            entries.append(BaselineEntry(fingerprint=f.fingerprint, source=relative_source(r.source, base),
                                         sha256=hashes[r.source] or "", rule=f.rule, kind=f.kind,
                                         quote=f.quote, reason=old.reason if old is not None else ""))
    return Baseline(tuple(entries), str(base / "baseline.json") if folder is not None else None)


def write_baseline(reports: Iterable[AuditReport], path: str | Path, previous: Baseline | None = None) -> Baseline:
    """Write a baseline accepting every current finding of the reports to ``path``.

    Returns:
        The baseline written.
    """
    from .reports.escaping import json_text
    from .outputs import write_atomic

    b = baseline_from_reports(reports, previous, folder=Path(path).parent)
    data = b.to_dict()
    data["created"] = _dt.date.today().isoformat()
    write_atomic(path, json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n")
    return replace(b, path=str(path))

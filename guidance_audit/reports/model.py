"""The audit report: the findings of one document, as data.

Its ``to_*`` methods hand it to the renderers of this package (:mod:`.text`, :mod:`.json_report`,
:mod:`.html`, :mod:`.markdown`, :mod:`.sarif`, :mod:`.tabular`), imported when first asked for.
This module depends on :mod:`guidance_audit.models` only.
"""
from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from dataclasses import dataclass, field

from . import _present as P
from ..models import SEVERITY_RANK, Document, Finding
from .escaping import json_text

SCHEMA_VERSION = "1"
TOOL_NAME = "guidance-audit"


@dataclass(frozen=True, slots=True)
class ErrorEntry:
    """Why a document (or part of it) could not be audited."""

    code: str
    message: str

    def to_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


#: How far the audit date may pass the fact base's horizon before every report says so.
HORIZON_GRACE = _dt.timedelta(days=90)


def audit_notes(as_of: _dt.date, horizon: _dt.date | None, published: _dt.date | None) -> tuple[str, ...]:
    """The notes a report carries about its own reliability."""
    notes = []
    if horizon is not None and as_of > horizon + HORIZON_GRACE:
        notes.append(f"The fact base's sources were checked up to {horizon.day} {horizon:%B %Y}; the audit "
                     f"is taken at {as_of.day} {as_of:%B %Y}, so rules may have changed since "
                     f"{horizon.day} {horizon:%B %Y} without the fact base knowing.")
    if published is not None and as_of < published:
        notes.append(f"The audit date ({as_of.isoformat()}) is before the document's own publication date "
                     f"({published.isoformat()}): the document is judged by rules older than itself.")
    return tuple(notes)


@dataclass(frozen=True)
class AuditReport:
    """The result of auditing one document.

    Attributes:
        source: the path or name audited.
        findings: findings in document order (omissions last).
        errors: problems that stopped the document being read or audited.
        document: the extracted document (``None`` when it could not be read).
        as_of: the date the rules were taken at.
        published, published_from: the document's date and where it came from
            (``metadata``, ``text``, ``argument`` or ``None``).
        claim_count: how many claims the document was split into.
        factbase: the fact base's version, content hash and size.
    """

    source: str
    as_of: _dt.date
    findings: tuple[Finding, ...] = ()
    errors: tuple[ErrorEntry, ...] = ()
    document: Document | None = None
    title: str | None = None
    published: _dt.date | None = None
    published_from: str | None = None
    pages: int | None = None
    claim_count: int = 0
    factbase: dict = field(default_factory=dict)
    tool_version: str = ""
    suppressed: tuple[Finding, ...] = ()
    #: why a baseline suppressed a finding, by the finding's fingerprint ("" when no reason was given)
    suppression_reasons: dict[str, str] = field(default_factory=dict)
    #: warnings about the audit itself, in every output form: the audit date is well past the
    #: fact base's horizon, or before the document's own publication date
    notes: tuple[str, ...] = ()
    #: the document's genre and the evidence for it (see :mod:`guidance_audit.genre`)
    genre: dict | None = None

    @property
    def ok(self) -> bool:
        """Whether the document was read and audited."""
        return not self.errors

    def counts(self) -> dict[str, int]:
        """Findings by severity."""
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in ("error", "warning", "info")}

    def worst(self) -> str | None:
        """The highest severity found, or ``None``."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: SEVERITY_RANK[s])

    def document_dict(self) -> dict:
        """This document's entry in the JSON report's ``documents`` list."""
        return {
            "source": self.source,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "published_from": self.published_from,
            "pages": self.pages,
            "claims": self.claim_count,
            "findings": [f.to_dict() for f in self.findings],
            "suppressed": len(self.suppressed),
            "errors": [e.to_dict() for e in self.errors],
            "notes": list(self.notes),
            "genre": self.genre,
        }

    def to_dict(self) -> dict:
        from .json_report import report_dict

        return report_dict([self])

    def to_json(self, indent: int | None = 2) -> str:
        """The report as JSON text following the shipped schema (schema_version "1")."""
        return json_text(json.dumps(self.to_dict(), indent=indent, ensure_ascii=False))

    def to_text(self, color: bool = False, width: int | None = None) -> str:
        """What a person reads in a terminal: each finding's header line
        (``path:line:col: severity kind rule``), its message wrapped to ``width`` (default 100)
        and its quote, then the as-of date, the fact base's horizon and a summary."""
        from .text import render_text

        return render_text([self], color=color, width=width)

    def to_html(self) -> str:
        """This report as one self-contained HTML page (see :mod:`guidance_audit.reports.html`)."""
        from .html import render_html

        return render_html([self], self.factbase, self.as_of)

    def _repr_html_(self) -> str:
        """What Jupyter shows: the same report, inline, with styles scoped to it and no script."""
        from .html import render_html_fragment

        return render_html_fragment([self], self.factbase, self.as_of)

    def to_markdown(self) -> str:
        """This report as Markdown, for pasting into an issue (see :mod:`guidance_audit.reports.markdown`)."""
        from .markdown import render_markdown

        return render_markdown([self], self.factbase, self.as_of)

    def to_sarif(self, indent: int | None = 2) -> str:
        """This report as a SARIF 2.1.0 log in JSON text, like :meth:`to_json`
        (``guidance_audit.reports.sarif.to_sarif([report])`` gives the dict)."""
        from .sarif import to_sarif

        return json_text(json.dumps(to_sarif([self], self.factbase, self.as_of), indent=indent, ensure_ascii=False))

    def to_csv(self) -> str:
        """The findings as CSV, one row per finding (see :mod:`guidance_audit.reports.tabular`)."""
        from .tabular import render_csv

        return render_csv([self], self.factbase, self.as_of)

    def to_dataframe(self):
        """The findings as a pandas ``DataFrame``, one row per finding (needs the ``pandas`` extra)."""
        from .tabular import reports_to_dataframe

        return reports_to_dataframe([self])

    def __len__(self) -> int:
        """How many findings the report has (suppressed ones not counted)."""
        return len(self.findings)

    def __iter__(self):
        """The findings, in document order."""
        return iter(self.findings)

    def __str__(self) -> str:
        """The report's summary: ``policy.pdf: 1 with findings, ...; 1 error, 0 warnings, 0 info``."""
        return f"{self.source}: " + P.summary_line([self]).split(": ", 1)[1]

    def __repr__(self) -> str:
        c = self.counts()
        err = f" errors={len(self.errors)}" if self.errors else ""
        return (f"<AuditReport {self.source!r} findings={len(self.findings)} "
                f"(error={c['error']} warning={c['warning']} info={c['info']}){err}>")

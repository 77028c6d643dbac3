"""Findings as a table: CSV (standard library only) and pandas data frames.

One row per finding, with the stable columns of :data:`COLUMNS`. Findings a baseline suppressed
are kept as rows with ``suppressed`` true and the baseline's reason, so nothing is dropped
silently. pandas is imported only inside :func:`reports_to_dataframe`; install it with the
``pandas`` extra (``pip install "guidance-audit[pandas]"``).
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import os
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from . import _present as P
from ..models import Finding
from .escaping import ESCAPE_ERRORS  # a non-UTF-8 file name is written as \xff, never an error

if TYPE_CHECKING:
    import pandas

    from .model import AuditReport

__all__ = ["COLUMNS", "STATUSES", "finding_rows", "render_csv", "reports_to_dataframe", "rows_to_dataframe", "write_csv"]

#: Column names, in order. New columns are only ever added at the end.
COLUMNS: tuple[str, ...] = (
    "source", "title", "published", "published_from", "as_of", "kind", "severity", "rule", "message",
    "quote", "page", "block", "start", "end", "stated", "expected", "true_from", "true_to",
    "wrong_at_publication", "citations", "citation_urls", "related_quote", "fingerprint", "confidence",
    "suppressed", "suppression_reason",
    "status", "where", "related_where", "error_code", "error_message", "horizon", "notes",
)
#: What a row stands for: a finding, or a document audited with no findings, or one never audited.
STATUSES: tuple[str, ...] = ("finding", "clean", "unreadable")
_DATE_COLUMNS = ("published", "as_of", "true_from", "true_to", "horizon")
_INT_COLUMNS = ("page", "block", "start", "end")


def _document_columns(report: AuditReport) -> dict[str, Any]:
    return {
        "source": report.source,
        "title": report.title,
        "published": report.published,
        "published_from": report.published_from,
        "as_of": report.as_of,
        "horizon": P.horizon_of(report.factbase),
        "notes": " | ".join(report.notes) or None,
    }


def _document_row(report: AuditReport) -> dict[str, Any]:
    """The row of a document with no findings: ``clean``, or ``unreadable`` with its error."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(_document_columns(report), suppressed=False)
    if report.errors:
        row.update(status="unreadable", error_code="; ".join(e.code for e in report.errors),
                   error_message="; ".join(e.message for e in report.errors))
    else:
        row["status"] = "clean"
    return row


def _row(report: AuditReport, f: Finding, suppressed: bool) -> dict[str, Any]:
    lo, hi = f.true_between if f.true_between is not None else (None, None)
    doc = report.document
    return {
        **_document_columns(report),
        "status": "finding",
        "where": P.where_text(doc, f.location, f.quote),
        "related_where": " | ".join(P.where_text(doc, r.location, r.quote) for r in f.related) or None,
        "error_code": None,
        "error_message": None,
        "source": report.source,
        "title": report.title,
        "published": report.published,
        "published_from": report.published_from,
        "as_of": report.as_of,
        "kind": f.kind,
        "severity": f.severity,
        "rule": f.rule,
        "message": f.message,
        "quote": f.quote,
        "page": f.location.page,
        "block": f.location.block,
        "start": f.location.start,
        "end": f.location.end,
        "stated": f.stated,
        "expected": f.expected,
        "true_from": lo,
        "true_to": hi,
        "wrong_at_publication": f.wrong_at_publication,
        "citations": "; ".join(c.title for c in f.citations),
        "citation_urls": "; ".join(c.url for c in f.citations if c.url),
        "related_quote": " | ".join(r.quote for r in f.related) or None,
        "fingerprint": f.fingerprint,
        "confidence": f.confidence,
        "suppressed": suppressed,
        "suppression_reason": P.suppression_reason(report, f) if suppressed else None,
    }


def finding_rows(reports: Iterable[AuditReport], *, include_suppressed: bool = True,
                 include_documents: bool = False) -> list[dict[str, Any]]:
    """One dict per finding (keys: :data:`COLUMNS`), dates as :class:`datetime.date`.

    Args:
        reports: the reports.
        include_suppressed: also give the findings a baseline suppressed (``suppressed`` true).
        include_documents: also give one row for each document without findings, with
            ``status`` ``clean`` or ``unreadable`` (and its ``error_code`` and
            ``error_message``), so that "clean" differs from "never audited".
    """
    rows = []
    for r in reports:
        rows += [_row(r, f, False) for f in r.findings]
        if include_suppressed:
            rows += [_row(r, f, True) for f in r.suppressed]
        if include_documents and (r.errors or not r.findings):
            rows.append(_document_row(r))
    return rows


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any, guard: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.date):
        return value.isoformat()
    s = str(value)
    # A spreadsheet would run a cell starting with "=" as a formula; document text must stay text.
    if guard and s.startswith(_FORMULA_START):
        return "'" + s
    return s


def render_csv(reports: Sequence[AuditReport], factbase_info: dict | None = None, as_of: _dt.date | None = None,
               *, formula_guard: bool = True, excel: bool = False) -> str:
    """The findings as CSV with a header row of :data:`COLUMNS` (a renderer for ``--format csv``),
    and a row for every document without findings (``status`` ``clean`` or ``unreadable``).

    Args:
        reports: the reports of the run.
        factbase_info, as_of: accepted for the renderer signature; each row carries its report's
            ``as_of``.
        formula_guard: prefix text cells that a spreadsheet would evaluate (starting with ``=``,
            ``+``, ``-``, ``@``) with ``'``. Turn off to get the exact text.
        excel: begin with a byte-order mark and end lines with CRLF, so that Excel opens the file
            as UTF-8 (accents, "£" and "›" intact).
    """
    buf = io.StringIO()
    if excel:
        buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n" if excel else "\n")
    w.writerow(COLUMNS)
    for row in finding_rows(reports, include_documents=True):
        w.writerow([_cell(row[c], formula_guard and isinstance(row[c], str)) for c in COLUMNS])
    return buf.getvalue()


def write_csv(reports: Iterable[AuditReport], path: str | os.PathLike, *, excel: bool = False,
              formula_guard: bool = True) -> None:
    """Write :func:`render_csv` of the reports to ``path`` (UTF-8; see ``excel``)."""
    text = render_csv(list(reports), formula_guard=formula_guard, excel=excel)
    with open(path, "w", encoding="utf-8", errors=ESCAPE_ERRORS, newline="") as fh:
        fh.write(text)


def reports_to_dataframe(reports: Iterable[AuditReport], *, include_suppressed: bool = True,
                         include_documents: bool = False) -> pandas.DataFrame:
    """The findings of several reports as one pandas ``DataFrame`` (columns: :data:`COLUMNS`).

    Date columns (including the fact base's ``horizon``) are ``datetime64``; ``page`` and
    ``block`` are nullable integers (``Int64``); ``wrong_at_publication`` is a nullable boolean;
    ``severity`` is an ordered categorical (``info < warning < error``), so
    ``df[df.severity >= "warning"]`` and sorting work by severity.

    Args:
        reports: the reports.
        include_suppressed: also give the findings a baseline suppressed.
        include_documents: also give a row for each document without findings (see
            :func:`finding_rows`).

    Raises:
        ImportError: pandas is not installed (install the ``pandas`` extra).
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - exercised by monkeypatching in the tests
        raise ImportError(
            "to_dataframe() needs pandas: pip install \"guidance-audit[pandas]\" (the 'pandas' extra)"
        ) from exc
    return rows_to_dataframe(finding_rows(reports, include_suppressed=include_suppressed,
                                          include_documents=include_documents))


def rows_to_dataframe(rows: Sequence[dict[str, Any]]) -> pandas.DataFrame:
    """Rows of :func:`finding_rows` as the typed ``DataFrame`` of :func:`reports_to_dataframe`
    (for rows made where the documents are, such as on cluster workers)."""
    import pandas as pd

    df = pd.DataFrame(list(rows), columns=list(COLUMNS))
    for c in _DATE_COLUMNS:
        df[c] = pd.to_datetime(df[c], errors="coerce")
    for c in _INT_COLUMNS:
        df[c] = df[c].astype("Int64")
    df["wrong_at_publication"] = df["wrong_at_publication"].astype("boolean")
    df["suppressed"] = df["suppressed"].astype(bool)
    df["severity"] = pd.Categorical(df["severity"], categories=list(reversed(P.SEVERITIES)), ordered=True)
    return df

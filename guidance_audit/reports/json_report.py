"""The JSON report (schema_version "1", described by ``guidance_audit/data/report.schema.json``)
and JSON Lines, one object per document."""
from __future__ import annotations

import datetime as _dt
import json
from typing import Iterable, Sequence

from .escaping import json_text
from .model import SCHEMA_VERSION, TOOL_NAME, AuditReport


def report_dict(reports: Iterable[AuditReport], factbase: dict | None = None,
                as_of: _dt.date | None = None, tool_version: str | None = None) -> dict:
    """The JSON report (as a dict) for one or more documents."""
    reports = list(reports)
    first = reports[0] if reports else None
    as_of = as_of or (first.as_of if first else _dt.date.today())
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version or (first.tool_version if first else "")},
        "factbase": factbase or (first.factbase if first else {}),
        "as_of": as_of.isoformat(),
        "documents": [r.document_dict() for r in reports],
    }


def render_json(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """The JSON report (schema_version "1") for every document of the run."""
    return json_text(json.dumps(report_dict(reports, factbase, as_of), indent=2, ensure_ascii=False))


def jsonl_record(report: AuditReport, factbase: dict, as_of: _dt.date) -> dict:
    """One line of ``--format jsonl``: the document's entry of the JSON report, with the run's
    ``as_of``, ``tool`` and ``factbase`` so that each line stands on its own."""
    from .._version import __version__

    record = report.document_dict()
    record["as_of"] = as_of.isoformat()
    record["tool"] = {"name": TOOL_NAME, "version": report.tool_version or __version__}
    record["factbase"] = factbase
    return record


def render_jsonl(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """JSON Lines: one object per document (see :func:`jsonl_record`). The command line writes
    these lines as each document is audited."""
    return "".join(json_text(json.dumps(jsonl_record(r, factbase, as_of), ensure_ascii=False)) + "\n"
                   for r in reports)

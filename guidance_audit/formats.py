"""Output formats of the command line: each takes the reports of a run and returns text.

A renderer is ``f(reports, factbase_info, as_of) -> str``. Add a format by adding it to
:data:`RENDERERS`; the command line offers every key as a ``--format`` choice.
"""
from __future__ import annotations

import datetime as _dt
import json
from typing import Callable, Sequence

from .escaping import json_text
from .report import AuditReport, render_text, report_dict

Renderer = Callable[[Sequence[AuditReport], dict, _dt.date], str]


def render_json(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """The JSON report (schema_version "1") for every document of the run."""
    return json_text(json.dumps(report_dict(reports, factbase, as_of), indent=2, ensure_ascii=False))


def render_plain(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date, *, color: bool = False) -> str:
    """One finding per line, then the run's notes, as-of date, fact-base horizon and summary."""
    return render_text(reports, color=color, factbase=factbase, as_of=as_of)


def render_html(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """One self-contained HTML page (see :mod:`guidance_audit.html_report`)."""
    from .html_report import render_html as _render

    return _render(reports, factbase, as_of)


def render_markdown(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """Markdown for pasting into an issue (see :mod:`guidance_audit.markdown_report`)."""
    from .markdown_report import render_markdown as _render

    return _render(reports, factbase, as_of)


def render_sarif(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """A SARIF 2.1.0 log as JSON text (see :mod:`guidance_audit.sarif`)."""
    from .sarif import render_sarif as _render

    return _render(reports, factbase, as_of)


def render_csv(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date, *, excel: bool = False) -> str:
    """One CSV row per finding and per document without findings (see :mod:`guidance_audit.tabular`)."""
    from .tabular import render_csv as _render

    return _render(reports, factbase, as_of, excel=excel)


def jsonl_record(report: AuditReport, factbase: dict, as_of: _dt.date) -> dict:
    """One line of ``--format jsonl``: the document's entry of the JSON report, with the run's
    ``as_of``, ``tool`` and ``factbase`` so that each line stands on its own."""
    from . import __version__
    from .report import TOOL_NAME

    record = report.document_dict()
    record["as_of"] = as_of.isoformat()
    record["tool"] = {"name": TOOL_NAME, "version": report.tool_version or __version__}
    record["factbase"] = factbase
    return record


def render_jsonl(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """JSON Lines: one object per document (see :func:`jsonl_record`). The command line writes
    these lines as each document is audited."""
    return "".join(json_text(json.dumps(jsonl_record(r, factbase, as_of), ensure_ascii=False)) + "\n" for r in reports)


RENDERERS: dict[str, Renderer] = {
    "text": render_plain,
    "json": render_json,
    "html": render_html,
    "md": render_markdown,
    "sarif": render_sarif,
    "csv": render_csv,
    "jsonl": render_jsonl,
}

"""Output formats of the command line: each takes the reports of a run and returns text.

A renderer is ``f(reports, factbase_info, as_of) -> str``. Add a format by adding it to
:data:`RENDERERS`; the command line offers every key as a ``--format`` choice.
"""
from __future__ import annotations

import datetime as _dt
from typing import Callable, Sequence

from .json_report import jsonl_record, render_json, render_jsonl  # noqa: F401 - part of this module's API
from .model import AuditReport
from .text import render_text

Renderer = Callable[[Sequence[AuditReport], dict, _dt.date], str]


def render_plain(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date, *, color: bool = False,
                 width: int | None = None, quiet: bool = False) -> str:
    """Findings grouped by document (a header line each, the message wrapped to ``width``, the
    quote below), then the run's notes, as-of date, fact-base horizon and summary; ``quiet``
    keeps only the header lines (see :mod:`guidance_audit.reports.text`)."""
    return render_text(reports, color=color, factbase=factbase, as_of=as_of, width=width, quiet=quiet)


def render_html(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """One self-contained HTML page (see :mod:`guidance_audit.reports.html`)."""
    from .html import render_html as _render

    return _render(reports, factbase, as_of)


def render_markdown(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """Markdown for pasting into an issue (see :mod:`guidance_audit.reports.markdown`)."""
    from .markdown import render_markdown as _render

    return _render(reports, factbase, as_of)


def render_sarif(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date) -> str:
    """A SARIF 2.1.0 log as JSON text (see :mod:`guidance_audit.reports.sarif`)."""
    from .sarif import render_sarif as _render

    return _render(reports, factbase, as_of)


def render_csv(reports: Sequence[AuditReport], factbase: dict, as_of: _dt.date, *, excel: bool = False) -> str:
    """One CSV row per finding and per document without findings (see :mod:`guidance_audit.reports.tabular`)."""
    from .tabular import render_csv as _render

    return _render(reports, factbase, as_of, excel=excel)


RENDERERS: dict[str, Renderer] = {
    "text": render_plain,
    "json": render_json,
    "html": render_html,
    "md": render_markdown,
    "sarif": render_sarif,
    "csv": render_csv,
    "jsonl": render_jsonl,
}

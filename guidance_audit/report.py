"""Kept so that existing imports work: the report moved to :mod:`guidance_audit.reports.model`,
its JSON form to :mod:`guidance_audit.reports.json_report` and its text form to
:mod:`guidance_audit.reports.text`."""
from .reports.json_report import report_dict  # noqa: F401
from .reports.model import *  # noqa: F401,F403
from .reports.model import HORIZON_GRACE, SCHEMA_VERSION, TOOL_NAME, AuditReport, ErrorEntry, audit_notes  # noqa: F401
from .reports.text import finding_line, render_text  # noqa: F401

"""guidance_audit: audit police and Home Office immigration guidance against a dated, cited fact base.

    >>> import guidance_audit as ga
    >>> report = ga.audit_text("People on a spouse visa can apply for ILR after two years.",
    ...                        published="2020-04-23")
    >>> [f.kind for f in report.findings]
    ['outdated']
"""
from . import component as _component  # registers the "guidance_claims" spaCy factory
from .auditor import Auditor, audit, audit_safely, audit_text
from .errors import (AuditError, EncryptedDocumentError, FactBaseError, MissingFileError, NoTextError,
                     TooLargeError, UnreadableFileError, UnsupportedFormatError)
from .factbase import Fact, FactBase, FactValue, load_factbase
from .inputs import Inputs, expand_inputs
from .limits import Limits
from .genre import GENRES, Genre, detect_genre
from .models import (Block, Citation, Claim, ClaimContext, ContextLayer, Document, Finding, Location, Metadata,
                     Quantity, Related)
from .readers import read_document
from .report import AuditReport, ErrorEntry
from .tabular import reports_to_dataframe, write_csv

from ._version import __version__

__all__ = [
    "AuditError", "AuditReport", "Auditor", "Block", "Citation", "Claim", "ClaimContext", "ContextLayer",
    "Document", "GENRES", "Genre", "detect_genre",
    "EncryptedDocumentError", "ErrorEntry", "Fact", "FactBase", "FactBaseError", "FactValue", "Finding",
    "Inputs", "Limits", "Location", "Metadata", "MissingFileError", "NoTextError", "Quantity", "Related",
    "TooLargeError", "UnreadableFileError", "UnsupportedFormatError", "audit", "audit_safely", "audit_text",
    "expand_inputs", "load_factbase", "read_document", "reports_to_dataframe", "write_csv", "__version__",
]

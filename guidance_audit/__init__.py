"""guidance_audit: audit police and Home Office immigration guidance against a dated, cited fact base.

    >>> import guidance_audit as ga
    >>> report = ga.audit_text("People on a spouse visa can apply for ILR after two years.",
    ...                        published="2020-04-23")
    >>> [f.kind for f in report.findings]
    ['outdated']
"""
import gc as _gc

# Importing spaCy and this package makes some hundred thousand long-lived objects; the cyclic
# garbage collector would pass over all of them several times meanwhile (a fifth of a fresh
# process's start). Collection is only put off until the imports are done, not turned off.
_gc_was_enabled = _gc.isenabled()
_gc.disable()
try:
    from . import component as _component  # registers the "guidance_claims" spaCy factory
    from .auditor import Auditor, audit, audit_safely, audit_text
    from .errors import (AuditError, DeadlineError, EncryptedDocumentError, FactBaseError, MissingFileError,
                         NoTextError, OutputError, TooLargeError, UnreadableFileError, UnsupportedFormatError)
    from .factbase import Fact, FactBase, FactValue, load_factbase
    from .limits import Limits
    from .genre import GENRES, Genre, detect_genre
    from .models import (Block, Citation, Claim, ClaimContext, ContextLayer, Document, Finding, Location, Metadata,
                         Quantity, Related)
    from .readers import read_document
    from .report import AuditReport, ErrorEntry
finally:
    if _gc_was_enabled:
        _gc.enable()
    del _gc_was_enabled

from ._version import __version__

# Imported on first use, so that a run that needs neither pays nothing for them: folder inputs
# (pathspec) and data frames / CSV.
_LAZY = {"Inputs": "inputs", "expand_inputs": "inputs", "reports_to_dataframe": "tabular", "write_csv": "tabular"}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

__all__ = [
    "AuditError", "AuditReport", "Auditor", "Block", "Citation", "Claim", "ClaimContext", "ContextLayer",
    "DeadlineError", "OutputError",
    "Document", "GENRES", "Genre", "detect_genre",
    "EncryptedDocumentError", "ErrorEntry", "Fact", "FactBase", "FactBaseError", "FactValue", "Finding",
    "Inputs", "Limits", "Location", "Metadata", "MissingFileError", "NoTextError", "Quantity", "Related",
    "TooLargeError", "UnreadableFileError", "UnsupportedFormatError", "audit", "audit_safely", "audit_text",
    "expand_inputs", "load_factbase", "read_document", "reports_to_dataframe", "write_csv", "__version__",
]

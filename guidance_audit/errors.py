"""Typed errors. Every failure a user can cause with bad input is an :class:`AuditError`."""
from __future__ import annotations


class AuditError(Exception):
    """Base class of every error guidance_audit raises for bad input.

    Attributes:
        code: a stable, machine-readable code recorded in reports (``"corrupt-file"``...).
        hint: optional advice for the user (for example that a scan needs OCR).
    """

    code = "audit-error"

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None):
        self.message = message
        self.source = source
        self.hint = hint
        text = f"{source}: {message}" if source else message
        if hint:
            text = f"{text} ({hint})"
        super().__init__(text)

    @property
    def detail(self) -> str:
        """The message and hint without the source, for reports that give the source apart."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UnreadableFileError(AuditError):
    """The file does not exist, cannot be opened, or is corrupt or truncated."""

    code = "unreadable-file"


class MissingFileError(UnreadableFileError, FileNotFoundError):
    """The file does not exist: an :class:`UnreadableFileError` (code ``unreadable-file``) that
    ``except FileNotFoundError`` catches too."""

    def __new__(cls, message: str = "", *, source: str | None = None, hint: str | None = None):
        # OSError takes its args in __new__ and accepts no keywords there; unpicklers that
        # restore the state afterwards call it with no arguments.
        return super().__new__(cls, f"{source}: {message}" if source else message)

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None):
        super().__init__(message, source=source, hint=hint)
        self.filename = source
        self.args = (f"{source}: {message}" if source else message,)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnsupportedFormatError(AuditError):
    """The content is not one of the supported formats (PDF, DOCX, HTML, text)."""

    code = "unsupported-format"


class EncryptedDocumentError(AuditError):
    """The document is password-protected or encrypted."""

    code = "encrypted-document"


class NoTextError(AuditError):
    """The document has no extractable text (for example a scanned PDF)."""

    code = "no-text"


class TooLargeError(AuditError):
    """The document exceeds a configured limit (size, pages, characters, time)."""

    code = "too-large"


class FactBaseError(AuditError):
    """A fact pack is malformed; ``problems`` lists every ``file:line: problem`` found."""

    code = "bad-fact-pack"

    def __init__(self, problems: list[str], *, source: str | None = None):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems) if self.problems else "invalid fact pack", source=None)


class DeadlineError(TooLargeError):
    """A document overran its time limit (``Limits.max_seconds``) and its audit was stopped
    from outside: the worker process auditing it was killed and replaced, or a pattern of a
    fact pack or profile ran out of time. A :class:`TooLargeError` with its own code."""

    code = "timeout"


class OutputError(AuditError):
    """A report or baseline cannot be written where it was asked for (a missing or read-only
    folder, a folder where a file is expected, one of the inputs, a full device)."""

    code = "bad-output"

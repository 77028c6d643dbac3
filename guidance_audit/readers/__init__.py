"""Document readers: PDF, DOCX, HTML and plain text into a :class:`~guidance_audit.models.Document`.

The format is decided by the content first (``%PDF-n`` in the first KB, a zip holding
``word/document.xml``, HTML tags near the start, otherwise text); the file name's suffix only
breaks ties (``.html`` for markup-less text; a ``.pdf`` or ``.docx`` name on content that is
neither is reported as a damaged file rather than read as text).

Public entry points:

* :func:`read_document` reads a file from disk;
* :func:`read_bytes` reads content already in memory;
* :func:`document_from_text` builds a document from a Python string.

Every failure caused by the input raises a subclass of
:class:`~guidance_audit.errors.AuditError`.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import BinaryIO, Literal

from ..errors import (AuditError, EncryptedDocumentError, MissingFileError, NoTextError, TooLargeError,
                      UnreadableFileError, UnsupportedFormatError)
from ..limits import DEFAULT_LIMITS, Limits
from ..models import Document
from .text import document_from_string

__all__ = ["read_document", "read_bytes", "document_from_text", "detect_format", "Limits", "PDF_BACKENDS",
           "check_pdf_backend"]

Format = Literal["pdf", "docx", "html", "text"]
PDF_BACKENDS: tuple[str, ...] = ("pdfminer", "pdfium")
SNIFF_BYTES = 4096
_HTML_SNIFF = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<p[\s>]|<div[\s>]|<h[1-6][\s>]|<title[\s>]"
    rb"|<meta[\s>]|<table[\s>]|<ul[\s>]|<br\s*/?>",
    re.I,
)
_PDF_MAGIC = re.compile(rb"%PDF-\d")
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst", ""})
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OOXML = "EncryptedPackage".encode("utf-16-le")
_OTHER_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document (save it as DOCX or PDF)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
)


def _strip_bom_for_sniff(head: bytes) -> bytes:
    """Return the start of the content as ASCII-compatible bytes for markup sniffing."""
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(enc, "ignore").encode("utf-8", "ignore")
    if len(head) >= 8 and head[1::2].count(0) > len(head) // 4:
        return head.decode("utf-16-le", "ignore").encode("utf-8", "ignore")
    if len(head) >= 8 and head[0::2].count(0) > len(head) // 4:
        return head.decode("utf-16-be", "ignore").encode("utf-8", "ignore")
    return head[3:] if head.startswith(b"\xef\xbb\xbf") else head


def detect_format(head: bytes, name: str = "", fp: BinaryIO | None = None) -> Format:
    """Decide a document's format from its first bytes (and its name, to break ties).

    Args:
        head: the first few KB of the content.
        name: the file name; only its suffix is used.
        fp: the whole content, seekable, used to look inside zip files.

    Returns:
        ``"pdf"``, ``"docx"``, ``"html"`` or ``"text"``.

    Raises:
        UnsupportedFormatError: content of another known kind (image, archive, spreadsheet,
            legacy .doc...).
        EncryptedDocumentError: a password-protected Office file.
        UnreadableFileError: a ``.pdf`` or ``.docx`` name on content that is neither.
    """
    suffix = Path(name).suffix.lower()
    pdf = _PDF_MAGIC.search(head[:1024])
    if pdf:
        # Readers accept junk before the header; ASCII text before it is a text about PDFs.
        before = head[:pdf.start()]
        if suffix == ".pdf" or not before.strip() or not before.isascii():
            return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        if fp is not None:
            from .docx import _open_zip, is_docx_zip

            fp.seek(0)
            with _open_zip(fp, name) as zf:
                names = zf.namelist()
            fp.seek(0)
            if not is_docx_zip(names):
                raise UnsupportedFormatError(
                    "a zip archive, but not a Word document (no word/document.xml)", source=name
                )
        return "docx"
    if head.startswith(_OLE2):
        if fp is not None:
            fp.seek(0)
            whole = fp.read()
            fp.seek(0)
            if _ENCRYPTED_OOXML in whole:
                raise EncryptedDocumentError("the Word document is password-protected", source=name,
                                             hint="save an unprotected copy and audit that")
        raise UnsupportedFormatError(
            "a legacy Office file (Word 97-2003 .doc or similar); save it as .docx", source=name
        )
    for signature, what in _OTHER_SIGNATURES:
        if head.startswith(signature):
            raise UnsupportedFormatError(f"the file is {what}, not a supported document", source=name)
    if suffix == ".pdf":
        raise UnreadableFileError("named .pdf but is not a PDF (no %PDF- header): damaged or mislabelled",
                                  source=name)
    if suffix in (".docx", ".docm", ".dotx"):
        raise UnreadableFileError("named .docx but is not a DOCX file (not a zip archive): damaged or "
                                  "mislabelled", source=name)
    sniff = _strip_bom_for_sniff(head)
    first = sniff[:1024].lstrip()
    if first[:1] == b"<" and _HTML_SNIFF.search(first[:1024]):
        return "html"
    if _HTML_SNIFF.search(sniff[:SNIFF_BYTES]) and suffix not in _TEXT_SUFFIXES - {""}:
        return "html"
    if suffix in _HTML_SUFFIXES:
        return "html"
    return "text"


def check_pdf_backend(backend: str) -> str:
    """Return ``backend`` if it names a PDF backend; raise :class:`ValueError` otherwise."""
    if backend not in PDF_BACKENDS:
        raise ValueError(f"unknown PDF backend {backend!r}; known: {', '.join(PDF_BACKENDS)}")
    return backend


def _read(fp: BinaryIO, size: int, name: str, limits: Limits, pdf_backend: str = "pdfminer") -> Document:
    if size == 0:
        raise NoTextError("the file is empty", source=name)
    if size > limits.max_bytes:
        raise TooLargeError(f"the file has {size:,} bytes (limit {limits.max_bytes:,})", source=name)
    head = fp.read(SNIFF_BYTES)
    fp.seek(0)
    fmt = detect_format(head, name, fp)
    if fmt == "pdf":
        if pdf_backend == "pdfium":
            from .pdfium import read_pdf_pdfium

            return read_pdf_pdfium(fp, name, limits)
        from .pdf import read_pdf

        return read_pdf(fp, name, limits)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(fp, name, limits)
    data = fp.read()
    if fmt == "html":
        from .html import read_html

        return read_html(data, name, limits)
    from .text import read_text

    return read_text(data, name, limits)


def read_document(path: str | os.PathLike[str], *, limits: Limits | None = None,
                  pdf_backend: str = "pdfminer") -> Document:
    """Read a guidance document from disk.

    Args:
        path: the file (PDF, DOCX, HTML or text, recognised by content).
        limits: resource limits; the defaults when ``None``.
        pdf_backend: ``"pdfminer"`` (the default) or ``"pdfium"`` (faster; needs the ``pdfium``
            extra, ``pypdfium2``): which library extracts the text of a PDF. Both give the same
            document shape, limits and errors.

    Returns:
        The document: its text, blocks (with character spans, pages, heading paths) and
        metadata (title, publication date and where it came from).

    Raises:
        UnreadableFileError: missing, unreadable, corrupt or truncated file.
        UnsupportedFormatError: binary content of a kind that is not supported.
        EncryptedDocumentError: password-protected document.
        NoTextError: empty file, or no text (a scanned PDF).
        TooLargeError: beyond one of ``limits``.
    """
    limits = limits or DEFAULT_LIMITS
    check_pdf_backend(pdf_backend)
    name = os.fspath(path)
    try:
        fp = _open_regular(name)
    except FileNotFoundError as exc:
        raise MissingFileError("no such file", source=name) from exc
    except IsADirectoryError as exc:
        raise UnreadableFileError("is a directory, not a file", source=name) from exc
    except OSError as exc:
        raise UnreadableFileError(f"cannot open the file ({exc.strerror or exc})", source=name) from exc
    with fp:
        try:
            size = os.fstat(fp.fileno()).st_size
            return _read(fp, size, name, limits, pdf_backend)
        except AuditError:
            raise
        except OSError as exc:
            raise UnreadableFileError(f"cannot read the file ({exc})", source=name) from exc
        except Exception as exc:
            raise _unexpected(exc, name) from exc


def _open_regular(name: str) -> BinaryIO:
    """Open a regular file for reading. A FIFO, device or socket is refused (a FIFO would block
    the open itself, and ``/dev/zero`` reports size 0 and never ends), so it is opened without
    blocking and checked before anything is read."""
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        import stat

        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(name)
        if not stat.S_ISREG(mode):
            raise UnreadableFileError("is not a regular file (a pipe, device or socket); only files are read",
                                      source=name)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(data: bytes, name: str, *, limits: Limits | None = None,
               pdf_backend: str = "pdfminer") -> Document:
    """Read a guidance document held in memory.

    Args:
        data: the content.
        name: a name for it (recorded as the source; its suffix breaks format ties).
        limits: resource limits.
        pdf_backend: ``"pdfminer"`` or ``"pdfium"``, as for :func:`read_document`.

    Returns:
        The document, as :func:`read_document` would.
    """
    limits = limits or DEFAULT_LIMITS
    check_pdf_backend(pdf_backend)
    try:
        return _read(io.BytesIO(data), len(data), name, limits, pdf_backend)
    except AuditError:
        raise
    except Exception as exc:
        raise _unexpected(exc, name) from exc


def _unexpected(exc: Exception, name: str) -> AuditError:
    """The typed error for an exception that a parser raised on damaged input and no reader
    anticipated: running out of memory is a limit reached, anything else an unreadable file."""
    if isinstance(exc, MemoryError):
        return TooLargeError("reading the file needs more memory than is available", source=name)
    if isinstance(exc, RecursionError):
        return UnreadableFileError("the file is nested too deeply to read", source=name)
    return UnreadableFileError(f"cannot read the file ({type(exc).__name__}: {exc})", source=name)


def document_from_text(text: str, source: str = "<text>", *, limits: Limits | None = None) -> Document:
    """Build a document from a Python string with the plain-text block rules.

    Args:
        text: the text.
        source: the name to record.
        limits: resource limits (``max_chars``).

    Returns:
        The document; ``published`` is read from a date phrase in the text if there is one.

    Raises:
        NoTextError: the text is empty or blank.
    """
    return document_from_string(text, source, limits=limits)

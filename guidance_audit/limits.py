"""Resource limits applied while reading documents.

Every reader checks the limits it can meet as it goes (bytes before reading, pages and elapsed
time while pages stream, characters per page and decompressed stream bytes while a PDF is
read, characters while text is built, nesting depth and elapsed time while HTML is parsed,
part sizes and compression ratio before a DOCX is decompressed) and raises
:class:`~guidance_audit.errors.TooLargeError` as soon as one is exceeded.
"""
from __future__ import annotations

from dataclasses import dataclass

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on the work done for one document.

    Attributes:
        max_bytes: largest input file accepted, in bytes.
        max_pages: most PDF pages read.
        max_chars: most characters of extracted text.
        max_docx_part_bytes: largest uncompressed size of one member of a DOCX zip.
        max_docx_total_bytes: largest uncompressed size of all members of a DOCX zip together.
        max_compression_ratio: largest ratio of uncompressed to compressed size accepted for a
            DOCX member that inflates to more than ``min_bomb_bytes`` (zip bombs compress far
            better than real documents).
        min_bomb_bytes: a DOCX member that inflates to no more than this is never refused for its
            compression ratio: long repetitive tables compress as well as a bomb, and the absolute
            limits (``max_docx_part_bytes``, ``max_docx_total_bytes``) already bound it.
        max_html_depth: deepest element nesting accepted in HTML.
        max_seconds: wall-clock budget for one document, from the start of reading it to the end
            of auditing it (checked while PDF pages and HTML are parsed, and between batches of
            blocks while auditing).
        max_page_chars: most characters drawn on one PDF page.
        max_page_lines: most text lines on one PDF page (pdfminer's grouping of lines into boxes
            takes time and memory that grow fast with them when lines overlap).
        max_pdf_stream_bytes: most bytes the streams of one PDF that are read (page contents,
            forms, fonts) may decompress to, together.
    """

    max_bytes: int = 100 * _MB
    max_pages: int = 5000
    max_chars: int = 20_000_000
    max_docx_part_bytes: int = 200 * _MB
    max_docx_total_bytes: int = 500 * _MB
    max_compression_ratio: float = 200.0
    min_bomb_bytes: int = 16 * _MB
    max_html_depth: int = 500
    max_seconds: float = 600.0
    max_page_chars: int = 200_000
    max_page_lines: int = 5_000
    max_pdf_stream_bytes: int = 512 * _MB


DEFAULT_LIMITS = Limits()

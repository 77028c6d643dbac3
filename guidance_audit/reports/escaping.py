"""Writing untrusted strings safely: file names that are not UTF-8, terminal escapes, bidi controls.

File names come from the file system as Python gives them: bytes that are not UTF-8 are carried
losslessly as lone surrogates (``os.fsdecode``'s ``surrogateescape``: the byte ``\\xff`` is
``"\\udcff"``). Such a string cannot be encoded as UTF-8, and fact packs and documents may hold
terminal escapes, a newline or bidi overrides. The helpers here make each output safe without
losing what it carries:

* :func:`json_text` escapes, in JSON text, the characters that JSON allows raw but that are
  dangerous or unencodable: lone surrogates, DEL, C1 controls, bidi controls and the line and
  paragraph separators. ``json.loads`` gives back exactly the same strings, so a JSON Lines
  file names a non-UTF-8 file exactly and ``--resume`` finds it.
* :func:`terminal_safe` shows any control, escape, bidi control or undecodable byte as a visible
  escape (``\\x1b``, ``\\n``, ``\\u202e``, ``\\xff``), for the text report and standard error: an
  escape sequence in a file name cannot reach the terminal and a newline cannot forge a line.
* :func:`encode_output` encodes a report for writing: undecodable bytes and other lone
  surrogates become visible escapes (error handler ``guidance_audit.escape``), never an error.
* :func:`fs_bytes` gives a name's original bytes, for percent-encoding in URIs.
"""
from __future__ import annotations

import codecs
import re

__all__ = ["json_text", "terminal_safe", "encode_output", "fs_bytes", "ESCAPE_ERRORS", "display_name"]

#: Bidirectional formatting characters (embeddings, overrides, isolates and marks).
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Raw in JSON strings but escaped by json_text: lone surrogates, DEL, C1, bidi, U+2028/U+2029.
_JSON_RISKY = re.compile("[\ud800-\udfff\x7f-\x9f\u2028\u2029" + BIDI_CONTROLS + "]")
# Shown escaped by terminal_safe: C0 controls (tab, newline and escape included), DEL, C1,
# lone surrogates, bidi controls, line and paragraph separators.
_TERMINAL_RISKY = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029" + BIDI_CONTROLS + "]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

ESCAPE_ERRORS = "guidance_audit.escape"


def json_text(text: str) -> str:
    """JSON text (as ``json.dumps`` gives it) with the risky characters inside its strings
    written as ``\\uXXXX`` escapes: the same JSON value, safe to print and to encode as UTF-8.

    Only for the output of ``json.dumps``: outside strings JSON text is ASCII, so every such
    character is inside a string, where its escape means the same.
    """
    return _JSON_RISKY.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _visible(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    c = ord(ch)
    if 0xDC80 <= c <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{c - 0xDC00:02x}"
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def terminal_safe(text: str | None) -> str:
    """``text`` with every control character, escape, bidi control and undecodable byte shown
    as a visible escape (``\\x1b``, ``\\n``, ``\\u202e``, ``\\xff``); ``""`` for ``None``."""
    if not text:
        return text or ""
    return _TERMINAL_RISKY.sub(lambda m: _visible(m.group()), text)


def display_name(name: str) -> str:
    """A file name for people to read: undecodable bytes as ``\\xff``, controls escaped."""
    return terminal_safe(name)


def _escape_errors(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(_visible(ch) for ch in exc.object[exc.start:exc.end]), exc.end


codecs.register_error(ESCAPE_ERRORS, _escape_errors)


def encode_output(text: str, encoding: str = "utf-8") -> bytes:
    """``text`` encoded for writing; what cannot be encoded (a non-UTF-8 file name's bytes,
    a lone surrogate) is written as a visible escape instead of failing."""
    return text.encode(encoding, ESCAPE_ERRORS)


def _fs_errors(exc: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = bytearray()
    for ch in exc.object[exc.start:exc.end]:
        c = ord(ch)
        out += bytes([c - 0xDC00]) if 0xDC80 <= c <= 0xDCFF else ch.encode("utf-8", "surrogatepass")
    return bytes(out), exc.end


codecs.register_error("guidance_audit.fsbytes", _fs_errors)


def fs_bytes(name: str) -> bytes:
    """The bytes of a file name as the file system holds them (the inverse of ``os.fsdecode``
    on a UTF-8 system), for percent-encoding in a URI."""
    return name.encode("utf-8", "guidance_audit.fsbytes")

"""Generators of hostile inputs, built at test time (nothing here is a committed binary).

Quick reference::

    minimal_pdf([b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"])   # a hand-written PDF, one content stream per page
    ref_cycle_pdf("Count")                    # /Count 6 0 R, 6 0 obj 7 0 R, 7 0 obj 6 0 R (any of REF_CYCLE_PLACES)
    flate_bomb_pdf(600 * MB)                  # a content stream that inflates to 600 MB of spaces
    stacked_lines_pdf(1500)                   # 1,500 overlapping text lines on one page
    tall_page_pdf(3500)                       # 3,500 well-separated text lines on one tall page
    truncations(data, 40), byte_flips(data, 40, seed=1)   # damaged copies of a good file
    xxe_docx(path, "http://127.0.0.1:8000/x")  # DOCTYPE with an external entity (or DTD, or parameter entity)
    nested_html(100_000), unterminated_tags_html(200_000), fetching_html(url)
    alias_bomb_yaml(9), recursive_alias_yaml(), deep_yaml(100_000), python_tag_yaml(tag)
    with RecordingServer() as server: ... server.requests   # a local HTTP server that records every request
    read_isolated(paths, memory=2 * GB)       # read files in a child process with a memory ceiling
"""
from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import threading
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator, Sequence

from builders import make_docx

MB = 1024 * 1024
GB = 1024 * MB

# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def minimal_pdf(pages: Sequence[bytes], *, media_box: bytes = b"[0 0 612 792]",
                flate: bool = False, extra_objects: Sequence[bytes] = ()) -> bytes:
    """A valid PDF with one content stream per page (font ``/F1`` is Helvetica).

    Args:
        pages: the content stream of each page (PDF operators, uncompressed).
        media_box: every page's MediaBox.
        flate: compress the content streams with FlateDecode.
        extra_objects: more objects, numbered after the pages' (for hand-made references).
    """
    n = len(pages)
    page_ids = [4 + 2 * i for i in range(n)]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % p for p in page_ids) + b"] /Count %d >>" % n,
        HELVETICA,
    ]
    for i, content in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box
                       + b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        data = zlib.compress(content) if flate else content
        extra = b" /Filter /FlateDecode" if flate else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream")
    objects.extend(extra_objects)
    return _assemble(objects)


def _assemble(objects: Sequence[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


REF_CYCLE_PLACES = ("Count", "Pages", "Contents", "Length", "MediaBox", "Resources", "Font")


def ref_cycle_pdf(where: str, *, chain: int = 0) -> bytes:
    """A one-page PDF in which one entry (``where``: one of :data:`REF_CYCLE_PLACES`) is
    ``6 0 R``, object 6 is ``7 0 R`` and object 7 is ``6 0 R`` (a reference cycle). With
    ``chain``, the entry instead starts a chain of that many objects that each only refer to
    the next, ending in the real value."""
    content = b"BT /F1 12 Tf 72 700 Td (Hello) Tj ET"
    parts = {"Count": b"1", "Pages": b"2 0 R", "Contents": b"5 0 R", "Length": b"%d" % len(content),
             "MediaBox": b"[0 0 612 792]", "Resources": b"<< /Font << /F1 3 0 R >> >>", "Font": b"3 0 R"}
    extra: list[bytes] = []
    if chain:
        value = parts[where]
        extra = [b"%d 0 R" % (7 + i) for i in range(chain - 1)] + [value]
    else:
        extra = [b"7 0 R", b"6 0 R"]
    parts[where] = b"6 0 R"
    objects = [
        b"<< /Type /Catalog /Pages " + parts["Pages"] + b" >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count " + parts["Count"] + b" >>",
        HELVETICA,
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + parts["MediaBox"] + b" /Resources "
        + (parts["Resources"] if where != "Font" else b"<< /Font << /F1 " + parts["Font"] + b" >> >>")
        + b" /Contents " + parts["Contents"] + b" >>",
        b"<< /Length " + parts["Length"] + b" >>\nstream\n" + content + b"\nendstream",
        *extra,
    ]
    return _assemble(objects)


def text_page(lines: Sequence[str], *, size: int = 12) -> bytes:
    """A content stream drawing lines of text down the page."""
    ops = [b"BT /F1 %d Tf %d TL 72 740 Td" % (size, size + 4)]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def flate_bomb_pdf(inflated_bytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated_bytes`` of mostly spaces
    (about a two-hundredth of that on disk). Compressed chunk by chunk, so building it needs
    little memory."""
    head = b"BT /F1 12 Tf 72 700 Td (Hello from the bomb) Tj "
    deflate = zlib.compressobj(1)
    parts = [deflate.compress(head)]
    chunk = b" " * MB
    for _ in range(inflated_bytes // MB):
        parts.append(deflate.compress(chunk))
    parts.append(deflate.compress(b" ET") + deflate.flush())
    data = b"".join(parts)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        HELVETICA,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    return _assemble(objects)


def stacked_lines_pdf(lines: int) -> bytes:
    """One page of ``lines`` short text lines, each 0.01 pt below the last: every line overlaps
    every other, the worst case of pdfminer's grouping of lines into boxes (cubic time)."""
    ops = b" ".join(b"0 -0.01 Td (word%d) Tj" % i for i in range(lines))
    return minimal_pdf([b"BT /F1 6 Tf 10 780 Td " + ops + b" ET"])


def tall_page_pdf(lines: int) -> bytes:
    """One very tall page of ``lines`` separate, well-spaced text lines."""
    height = 40 + lines * 12
    ops = b" ".join(b"(Line %d of the tall page.) Tj T*" % i for i in range(lines))
    return minimal_pdf([b"BT /F1 8 Tf 12 TL 20 %d Td " % (height - 20) + ops + b" ET"],
                       media_box=b"[0 0 612 %d]" % height)


def scattered_words_pdf(words: int) -> bytes:
    """One page of ``words`` isolated words in three font sizes, so that none share a line or a
    box: pdfminer's hierarchical grouping of boxes needs memory in the square of their number."""
    cols = 40
    rows = words // cols + 1
    height = 40 + rows * 12
    ops = [b"/F1 %d Tf 1 0 0 1 %d %d Tm (ab) Tj" % (3 + (i % 3) * 2, 5 + (i % cols) * 15, height - 20 - (i // cols) * 12)
           for i in range(words)]
    return minimal_pdf([b"BT " + b" ".join(ops) + b" ET"], media_box=b"[0 0 612 %d]" % height)


def many_chars_pdf(chars: int) -> bytes:
    """One page drawing ``chars`` characters."""
    lines = [b"(" + b"x" * 100 + b") Tj T*" for _ in range(chars // 100)]
    return minimal_pdf([b"BT /F1 2 Tf 2.5 TL 10 785 Td " + b" ".join(lines) + b" ET"])


# --------------------------------------------------------------------------------------------
# Damage
# --------------------------------------------------------------------------------------------


def truncations(data: bytes, count: int, *, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """``count`` truncated copies of ``data``: the first bytes, the last bytes cut off, and random
    cut points in between. Yields ``(label, bytes)``."""
    rng = random.Random(seed)
    n = len(data)
    cuts = {1, 8, 64, 512, n // 2, n - 1, n - 16, n - 200}
    while len(cuts) < count:
        cuts.add(rng.randrange(1, n))
    for cut in sorted(c for c in cuts if 0 < c < n)[:count]:
        yield f"cut{cut}", data[:cut]


def byte_flips(data: bytes, count: int, *, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """``count`` copies of ``data`` with 1 to 16 random bytes replaced, or a random slice deleted."""
    rng = random.Random(seed)
    for i in range(count):
        b = bytearray(data)
        if i % 4 == 3:
            start = rng.randrange(len(b))
            del b[start:start + rng.randrange(1, 400)]
            yield f"del{i}", bytes(b)
            continue
        for _ in range(rng.choice((1, 1, 2, 4, 16))):
            b[rng.randrange(len(b))] = rng.randrange(256)
        yield f"flip{i}", bytes(b)


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------


def docx_bytes(blocks: Sequence[object], tmp: Path) -> bytes:
    """The bytes of a DOCX written by :func:`builders.make_docx`."""
    path = tmp / "built.docx"
    make_docx(path, blocks)
    data = path.read_bytes()
    path.unlink()
    return data


def replace_parts(docx: bytes, replace: dict[str, bytes]) -> bytes:
    """A copy of a DOCX with some parts replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        for name in names:
            zout.writestr(name, replace.get(name, zin.read(name)))
        for name, data in replace.items():
            if name not in names:
                zout.writestr(name, data)
    return out.getvalue()


def xxe_docx(tmp: Path, system_id: str, *, kind: str = "entity", part: str = "word/document.xml",
             encoding: str = "utf-8") -> bytes:
    """A DOCX whose ``part`` declares a DTD that reaches outside the file.

    Args:
        tmp: a folder for the intermediate file.
        system_id: the URL or ``file://`` path the declaration points at.
        kind: ``"entity"`` (an external general entity used in the text), ``"parameter"`` (an
            external parameter entity used in the DTD) or ``"dtd"`` (an external DTD subset).
        part: the part that carries the declaration.
        encoding: the encoding the part is written in (``"utf-16"`` writes a BOM).
    """
    plain = docx_bytes(["Officers must record the report.", "ENTITY_HERE"], tmp)
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        xml = z.read(part).decode("utf-8")
    root = "w:document" if part == "word/document.xml" else "x"
    doctype = {
        "entity": f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{system_id}">]>',
        "parameter": f'<!DOCTYPE {root} [<!ENTITY % remote SYSTEM "{system_id}"> %remote;]>',
        "dtd": f'<!DOCTYPE {root} SYSTEM "{system_id}">',
    }[kind]
    decl_end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    xml = xml[:decl_end] + doctype + xml[decl_end:]
    if kind == "entity":
        xml = xml.replace("ENTITY_HERE", "&xxe;")
    if encoding != "utf-8":
        for quote in "'\"":
            xml = xml.replace(f"encoding={quote}UTF-8{quote}", f"encoding={quote}{encoding.upper()}{quote}")
    return replace_parts(plain, {part: xml.encode(encoding)})


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def nested_html(depth: int) -> bytes:
    """``depth`` nested ``<div>`` elements around one sentence."""
    return (b"<!DOCTYPE html><html><body>" + b"<div>" * depth + b"<p>Deep text.</p>" + b"</div>" * depth
            + b"</body></html>")


def unterminated_tags_html(count: int) -> bytes:
    """A page ending in ``count`` tags that are never closed (``<a <a <a ...``)."""
    return b"<html><body><p>Officers must record the report.</p>" + b"<a " * count


def fetching_html(url: str) -> bytes:
    """A page that would make a browser fetch from ``url`` (image, stylesheet, script, frame,
    object, meta refresh) and run scripts."""
    return f"""<!DOCTYPE html>
<html><head><title>Force policy</title>
<link rel="stylesheet" href="{url}/style.css">
<script src="{url}/script.js"></script>
<script>fetch("{url}/inline"); document.write("INJECTED TEXT");</script>
<meta http-equiv="refresh" content="0; url={url}/refresh">
<base href="{url}/">
</head><body>
<h1>Force policy</h1>
<p>Officers must record the report.<img src="{url}/image.png" onerror="fetch('{url}/onerror')"></p>
<iframe src="{url}/frame"></iframe><object data="{url}/object"></object>
<p style="background: url({url}/background.png)">Second paragraph.</p>
<svg><image href="{url}/svg.png"/></svg>
</body></html>""".encode()


# --------------------------------------------------------------------------------------------
# Fact packs
# --------------------------------------------------------------------------------------------

PACK_HEAD = "pack: hostile\nfacts:\n"


def alias_bomb_yaml(levels: int = 9) -> str:
    """The billion-laughs pattern in YAML: each anchor is a list of ten aliases to the one before,
    so ``levels`` lines expand to 10**levels values."""
    lines = ["pack: hostile", 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    lines.append(f"facts: *l{levels - 1}")
    return "\n".join(lines) + "\n"


def recursive_alias_yaml() -> str:
    """A list that contains itself through an alias."""
    return "pack: hostile\nfacts: &loop\n  - *loop\n"


def deep_yaml(depth: int) -> str:
    """``depth`` nested flow lists."""
    return "pack: hostile\nfacts: " + "[" * depth + "]" * depth + "\n"


def python_tag_yaml(tag: str, marker: Path) -> str:
    """A fact pack whose value carries a Python tag that would touch ``marker`` if constructed."""
    return (PACK_HEAD + "  - id: t.fact\n    kind: value\n    title: A fact\n    quantity: duration\n"
            "    confidence: high\n    reviewed: 2026-11-21\n    recognise: {all: [[spouse]]}\n    values:\n"
            f"      - value: {tag} [\"touch {marker}\"]\n        from: 2003-04-01\n"
            "        citation: {title: HC 538}\n")


# --------------------------------------------------------------------------------------------
# A local server that records whether anything reached out
# --------------------------------------------------------------------------------------------


class RecordingServer:
    """An HTTP server on 127.0.0.1 (a free port) that records the path of every request.

    Use as a context manager; ``url`` is its base address and ``requests`` what it received.
    """

    def __enter__(self) -> "RecordingServer":
        self.requests: list[str] = []
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server naming
                requests.append(self.path)
                body = b'<!ENTITY leaked "SERVER-SECRET">' if self.path.endswith(".dtd") else b"SERVER-SECRET"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_HEAD = do_GET

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


# --------------------------------------------------------------------------------------------
# Reading in a child process with a memory ceiling
# --------------------------------------------------------------------------------------------

_ISOLATED = r"""
import json, resource, sys, time
ceiling = int(sys.argv[1])
backend = sys.argv[2]
resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
from guidance_audit.errors import AuditError
from guidance_audit.readers import read_document
out = {}
for path in sys.argv[3:]:
    started = time.monotonic()
    try:
        doc = read_document(path, pdf_backend=backend)
        result = {"code": None, "message": "", "chars": len(doc.text)}
    except AuditError as exc:
        result = {"code": exc.code, "message": str(exc)}
    except BaseException as exc:
        result = {"code": "crash", "message": f"{type(exc).__name__}: {exc}"}
    result["seconds"] = time.monotonic() - started
    out[path] = result
out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""


def read_isolated(paths: Sequence[Path], *, memory: int = 2 * GB, timeout: float = 300,
                  pdf_backend: str = "pdfminer") -> dict:
    """Read files with :func:`guidance_audit.read_document` in a child process whose address
    space is capped at ``memory`` bytes (``RLIMIT_AS``), PDFs with ``pdf_backend``.

    Returns:
        ``{path: {"code", "message", "seconds"}, "maxrss_kb": peak resident size}``; ``code`` is
        ``None`` for a file read, an error code for an :class:`AuditError`, ``"crash"`` otherwise.

    Raises:
        AssertionError: the child died (a segfault, or killed for memory) or printed no result.
    """
    proc = subprocess.run([sys.executable, "-c", _ISOLATED, str(memory), pdf_backend, *map(str, paths)],
                          capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0 and proc.stdout.strip(), (proc.returncode, proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])

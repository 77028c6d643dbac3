"""DOCX reader, built on python-docx.

Before python-docx sees the file, the zip is checked without decompressing anything: it must
hold ``word/document.xml``, and every member's declared size, the total and the compression
ratio must be within :class:`~guidance_audit.limits.Limits`. Then every XML part is streamed
with a capped read (so a member whose header lies about its size cannot inflate beyond the
limit) and refused if it declares a ``<!DOCTYPE`` or ``<!ENTITY``: real Word files never do,
and entity declarations are how external-entity and entity-expansion attacks start.
(python-docx's own parser also has entity resolution off; the scan makes the refusal explicit.)

Body order is kept by walking the body element's children: paragraphs, tables (one block per
cell, merged cells once), content controls, and text boxes (after the paragraph that anchors
them; the fallback copy Word writes for old readers is skipped). Headers and footers live in other parts and are
never read. Paragraph styles ``Title`` and ``Heading 1``-``Heading 9`` (directly, through
``basedOn``, or an outline level) make headings, and so does a short paragraph set wholly in
bold without final punctuation (nested below styled headings); ``List ...`` styles and
numbering make list items. Title and dates come from the core properties.
"""
from __future__ import annotations

import datetime as _dt
import re
import zipfile
import zlib
from typing import BinaryIO, Iterator

from ..dates import find_publication_date
from ..errors import AuditError, NoTextError, TooLargeError, UnreadableFileError, UnsupportedFormatError
from ..limits import DEFAULT_LIMITS, Limits
from ..models import BlockKind, Document, Metadata
from ._build import HeadingTracker, TextBuilder, clean_text, split_marker

__all__ = ["read_docx", "check_docx_zip", "is_docx_zip"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


W_P, W_TBL, W_TR, W_TC, W_R, W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = (
    _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("r"), _w("sdt"), _w("sdtContent"), _w("customXml")
)
W_VAL = _w("val")
_RUN_TEXT = {_w("t"): None, _w("tab"): "\t", _w("br"): " ", _w("cr"): " ", _w("noBreakHyphen"): "-"}
_RUN_STOP = frozenset({_w("txbxContent"), f"{{{MC_NS}}}Fallback"})  # text boxes are read separately
_DOCUMENT_PART = re.compile(r"^word/document\d*\.xml$", re.I)
_XML_MEMBER = re.compile(r"\.(?:xml|rels|vml)$", re.I)
_DANGEROUS = tuple(
    pattern.encode(enc)
    for pattern in ("<!doctype", "<!entity")
    for enc in ("ascii", "utf-16-le", "utf-16-be")
)
_CHUNK = 1 << 20
RATIO_CHECK_MIN_BYTES = 1 << 20
MAX_MEMBERS = 10_000


def is_docx_zip(names: list[str]) -> bool:
    """Whether a zip's member names are those of a Word document."""
    return any(_DOCUMENT_PART.match(n) for n in names)


def _open_zip(fp: BinaryIO, source: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(fp)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableFileError(f"not a valid DOCX file: the zip container is unreadable ({exc})",
                                  source=source) from exc
    except Exception as exc:  # e.g. NotImplementedError for a damaged "zip version" field
        raise UnreadableFileError("not a valid DOCX file: the zip container is unreadable "
                                  f"({type(exc).__name__}: {exc})", source=source) from exc


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, source: str) -> int:
    """Stream one XML member with a capped read; refuse DOCTYPE/ENTITY declarations.

    Returns:
        The number of bytes it really inflated to.
    """
    read = 0
    tail = b""
    with zf.open(info) as f:
        while True:
            chunk = f.read(_CHUNK)
            if not chunk:
                break
            read += len(chunk)
            if read > limits.max_docx_part_bytes:
                raise TooLargeError(
                    f"DOCX part {info.filename} inflates beyond {limits.max_docx_part_bytes:,} bytes",
                    source=source,
                )
            window = tail + chunk.lower()
            if any(p in window for p in _DANGEROUS):
                raise UnreadableFileError(
                    f"DOCX part {info.filename} declares a DOCTYPE or entities, which Word never "
                    "writes; refusing to parse it",
                    source=source,
                )
            tail = window[-32:]
    return read


def check_docx_zip(fp: BinaryIO, source: str, limits: Limits | None = None) -> list[str]:
    """Check a DOCX container before anything parses it.

    Declared sizes are checked first, without decompressing; then XML parts are streamed with
    capped reads and scanned for DTDs.

    Args:
        fp: the file, seekable.
        source: its name, for errors.
        limits: the size and ratio limits.

    Returns:
        The member names.

    Raises:
        UnreadableFileError: not a zip, corrupt, or an XML part declares a DTD.
        UnsupportedFormatError: a zip, but not a Word document.
        TooLargeError: a member, the total, the member count or a compression ratio is beyond
            the limits.
    """
    limits = limits or DEFAULT_LIMITS
    zf = _open_zip(fp, source)
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        if not is_docx_zip(names):
            raise UnsupportedFormatError(
                "a zip archive, but not a Word document (no word/document.xml)", source=source
            )
        if len(infos) > MAX_MEMBERS:
            raise TooLargeError(f"the DOCX zip has {len(infos):,} members", source=source)
        total = 0
        for info in infos:
            if info.file_size > limits.max_docx_part_bytes:
                raise TooLargeError(
                    f"DOCX part {info.filename} would inflate to {info.file_size:,} bytes "
                    f"(limit {limits.max_docx_part_bytes:,})",
                    source=source,
                )
            total += info.file_size
            if total > limits.max_docx_total_bytes:
                raise TooLargeError(
                    f"the DOCX would inflate to more than {limits.max_docx_total_bytes:,} bytes",
                    source=source,
                )
            if info.file_size > max(RATIO_CHECK_MIN_BYTES, limits.min_bomb_bytes) and (
                info.compress_size == 0 or info.file_size / info.compress_size > limits.max_compression_ratio
            ):
                raise TooLargeError(
                    f"DOCX part {info.filename} has a compression ratio beyond "
                    f"{limits.max_compression_ratio:g} (a zip bomb?)",
                    source=source,
                )
        inflated = 0
        try:
            for info in infos:
                if _XML_MEMBER.search(info.filename) or info.filename == "[Content_Types].xml":
                    inflated += _scan_member(zf, info, limits, source)
                    if inflated > limits.max_docx_total_bytes:
                        raise TooLargeError(
                            f"the DOCX inflates to more than {limits.max_docx_total_bytes:,} bytes",
                            source=source,
                        )
        except AuditError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise UnreadableFileError(f"the DOCX zip is corrupt ({exc})", source=source) from exc
        except Exception as exc:  # zipfile also raises ValueError, struct.error... on damaged headers
            raise UnreadableFileError(f"the DOCX zip is corrupt ({type(exc).__name__}: {exc})",
                                      source=source) from exc
    return names


# -- styles ------------------------------------------------------------------------------------
class _Styles:
    """Paragraph-style facts needed for layout, resolved through ``basedOn`` once per style."""

    _HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.I)

    def __init__(self, styles_element) -> None:
        self._raw: dict[str, tuple[str, str | None, int | None, bool]] = {}
        self._default: str | None = None
        if styles_element is not None:
            for st in styles_element.iterchildren(_w("style")):
                if st.get(_w("type")) not in (None, "paragraph"):
                    continue
                sid = st.get(_w("styleId"))
                if not sid:
                    continue
                name_el = st.find(_w("name"))
                based_el = st.find(_w("basedOn"))
                ppr = st.find(_w("pPr"))
                outline = numbered = None
                if ppr is not None:
                    ol = ppr.find(_w("outlineLvl"))
                    outline = _int(ol.get(W_VAL)) if ol is not None else None
                    numbered = ppr.find(_w("numPr")) is not None
                name = name_el.get(W_VAL) if name_el is not None else sid
                based = based_el.get(W_VAL) if based_el is not None else None
                self._raw[sid] = (name or sid, based, outline, bool(numbered))
                if st.get(_w("default")) in ("1", "true"):
                    self._default = sid
        self._cache: dict[str | None, tuple[int | None, bool]] = {}

    def layout(self, style_id: str | None) -> tuple[int | None, bool]:
        """Return ``(heading_level, is_list)`` for a paragraph style id.

        ``heading_level`` is 0 for Title, N for "Heading N" (or outline level N-1), else None.
        """
        if style_id in self._cache:
            return self._cache[style_id]
        level: int | None = None
        is_list = False
        sid = style_id if style_id is not None else self._default
        seen: set[str] = set()
        while sid and sid in self._raw and sid not in seen and len(seen) < 12:
            seen.add(sid)
            name, based, outline, numbered = self._raw[sid]
            lname = name.strip().lower()
            m = self._HEADING_NAME.match(lname)
            if m:
                level = int(m.group(1))
                break
            if lname == "title":
                level = 0
                break
            if outline is not None and outline < 9:
                level = outline + 1
                break
            if (lname.startswith("list") and not lname.startswith("list continue")) or numbered:
                is_list = True
            sid = based
        result = (level, is_list)
        self._cache[style_id] = result
        return result


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# -- text --------------------------------------------------------------------------------------
def _run_visible(run, stop_at) -> bool:
    """Whether a run is body text of its paragraph (not inside a text box or a fallback copy)."""
    parent = run.getparent()
    while parent is not None and parent is not stop_at:
        if parent.tag in _RUN_STOP:
            return False
        parent = parent.getparent()
    return True


def _paragraph_text(p) -> str:
    """The visible text of a ``w:p`` element: runs at any depth (hyperlinks, insertions, fields,
    content controls), without deleted text, field codes or text-box contents."""
    parts: list[str] = []
    for run in p.iter(W_R):
        if not _run_visible(run, p):
            continue
        for child in run:
            if child.tag in _RUN_TEXT:
                repl = _RUN_TEXT[child.tag]
                parts.append(child.text or "" if repl is None else repl)
    return "".join(parts)


_BOLD_OFF = frozenset({"0", "false", "off"})
MAX_BOLD_HEADING_CHARS = 120
BOLD_HEADING_LEVEL = 10  # below every styled heading level (Title 0, Heading 1-9)


def _all_bold(p) -> bool:
    """Whether every visible run with text in a paragraph is set bold directly."""
    seen = False
    for run in p.iter(W_R):
        if not _run_visible(run, p) or run.find(_w("t")) is None:
            continue
        if not "".join(t.text or "" for t in run.iterchildren(_w("t"))).strip():
            continue
        rpr = run.find(_w("rPr"))
        b = rpr.find(_w("b")) if rpr is not None else None
        if b is None or b.get(W_VAL, "true").lower() in _BOLD_OFF:
            return False
        seen = True
    return seen


def _is_bold_heading(p, text: str) -> bool:
    """A short, wholly bold paragraph without final punctuation reads as a heading."""
    return (
        len(text) <= MAX_BOLD_HEADING_CHARS
        and not text.endswith((".", ",", ";", ":"))
        and _all_bold(p)
    )


W_TXBX = _w("txbxContent")
MC_FALLBACK = f"{{{MC_NS}}}Fallback"


def _text_boxes(p) -> list:
    """The text boxes anchored in a paragraph, outermost only, without fallback copies."""
    boxes = []
    for box in p.iter(W_TXBX):
        parent = box.getparent()
        while parent is not None and parent is not p and parent.tag not in (W_TXBX, MC_FALLBACK):
            parent = parent.getparent()
        if parent is p:
            boxes.append(box)
    return boxes


def _iter_body(body) -> Iterator:
    """Yield the paragraphs and tables of the body in order, entering content controls; the
    contents of text boxes (cover-page titles and dates often sit in them) follow the paragraph
    they are anchored in."""
    stack = [iter(body)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag
        if tag == W_P:
            yield child
            for box in reversed(_text_boxes(child)):
                stack.append(iter(box))
        elif tag == W_TBL:
            yield child
        elif tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                stack.append(iter(content))
        elif tag == W_CUSTOM_XML:
            stack.append(iter(child))


def _cells(tbl) -> Iterator[tuple[int, int, str]]:
    """Yield ``(row, column, text)`` of each cell of a table once (vertically merged
    continuations skipped)."""
    row = -1
    for tr in tbl.iter(W_TR):
        if _nearest_table(tr) is not tbl:
            continue
        row += 1
        for col, tc in enumerate(tr.iterchildren(W_TC)):
            tcpr = tc.find(_w("tcPr"))
            if tcpr is not None:
                vmerge = tcpr.find(_w("vMerge"))
                if vmerge is not None and vmerge.get(W_VAL, "continue") != "restart":
                    continue
            yield row, col, " ".join(_paragraph_text(p) for p in tc.iter(W_P))


def _nearest_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != W_TBL:
        parent = parent.getparent()
    return parent


def _paragraph_layout(p, styles: _Styles) -> tuple[int | None, bool]:
    ppr = p.find(_w("pPr"))
    style_id = None
    direct_list = False
    outline = None
    if ppr is not None:
        ps = ppr.find(_w("pStyle"))
        style_id = ps.get(W_VAL) if ps is not None else None
        direct_list = ppr.find(_w("numPr")) is not None
        ol = ppr.find(_w("outlineLvl"))
        outline = _int(ol.get(W_VAL)) if ol is not None else None
    level, is_list = styles.layout(style_id)
    if level is None and outline is not None and outline < 9:
        level = outline + 1
    return level, is_list or direct_list


def _as_date(value) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date) and value.year >= 1980:
        return value
    return None


def read_docx(fp: BinaryIO, source: str, limits: Limits | None = None) -> Document:
    """Read a DOCX file.

    Args:
        fp: the file, opened in binary mode and seekable.
        source: its name.
        limits: resource limits.

    Returns:
        The document (``page`` is ``None`` on every block).

    Raises:
        UnreadableFileError, UnsupportedFormatError, TooLargeError: see
            :func:`check_docx_zip`; also when python-docx cannot open the package.
        NoTextError: the body has no text.
    """
    import docx  # imported here so that reading other formats does not pay for it

    limits = limits or DEFAULT_LIMITS
    names = check_docx_zip(fp, source, limits)
    fp.seek(0)
    try:
        document = docx.Document(fp)
        body = document.element.body
        styles_el = document.styles.element
    except AuditError:
        raise
    except MemoryError as exc:
        raise TooLargeError("parsing the DOCX needs more memory than is available", source=source) from exc
    except Exception as exc:  # python-docx raises many types for damaged packages
        raise UnreadableFileError(f"python-docx cannot open the DOCX ({type(exc).__name__}: {exc})",
                                  source=source) from exc

    styles = _Styles(styles_el)
    builder = TextBuilder(max_chars=limits.max_chars, source=source)
    headings = HeadingTracker()
    tables = 0
    for el in _iter_body(body):
        if el.tag == W_TBL:
            tables += 1
            for row, col, cell in _cells(el):
                builder.add(cell, "table_cell", heading_path=headings.path, cell=(tables, row, col))
            continue
        text = clean_text(_paragraph_text(el))
        if not text:
            continue
        level, is_list = _paragraph_layout(el, styles)
        m = split_marker(text)
        if level is None and not is_list and not m.list_item and _is_bold_heading(el, text):
            level = BOLD_HEADING_LEVEL
        if level is not None:
            body_text = m.rest if m.number else text
            enclosing = headings.enter(level, clean_text(body_text))
            builder.add(body_text, "heading", heading_path=enclosing, number=m.number)
            continue
        kind: BlockKind = "list_item" if is_list or m.list_item else "paragraph"
        builder.add(m.rest, kind, heading_path=headings.path, number=m.number, marker=m.marker)
    if not builder.blocks:
        raise NoTextError("the DOCX body has no text", source=source)

    title = created = modified = None
    if "docProps/core.xml" in names:
        try:
            core = document.core_properties
            title = clean_text(core.title or "") or None
            created, modified = _as_date(core.created), _as_date(core.modified)
        except Exception:  # a damaged core.xml only costs us the metadata
            title = created = modified = None
    if title is None:
        title = next((b.text for b in builder.blocks[:5] if b.kind == "heading"), None)
    doc_text = builder.text()
    found = find_publication_date(doc_text)
    published: _dt.date | None
    published_from: str | None
    if found:
        published, published_from = found[0], "text"
    elif modified or created:
        published, published_from = modified or created, "metadata"
    else:
        published, published_from = None, None
    metadata = Metadata(
        source=source,
        format="docx",
        title=title,
        published=published,
        published_from=published_from,
        created=created,
        modified=modified,
    )
    return builder.build(metadata)

"""HTML reader, built on the standard library's ``html.parser``.

Nothing is fetched, loaded or executed: the parser only sees the bytes given. Only visible
text is kept: ``script``, ``style``, ``noscript``, ``template``, ``head``, ``nav``, ``aside``,
``form``, ``button``, ``select``, ``svg``, ``iframe``, ``object`` and elements marked
``hidden``, ``aria-hidden="true"`` or ``display: none`` are skipped, and so are cookie and
consent banners outside ``main``/``article`` (an ``id``, ``class`` or ``aria-label`` that
names cookies or consent) and ``header``
and ``footer`` page banners (but not a ``header``/``footer`` inside ``article`` or ``main``,
which holds the article's own title or notes).

Blocks: ``h1``-``h6`` are headings (their level gives the heading path), ``li`` list items,
``td``/``th`` table cells, and ``p``, ``div``, ``dt``, ``dd``, ``blockquote``, ``pre`` and
other block elements paragraphs; two ``<br>`` in a row also end a paragraph. Elements left
open are closed the way browsers do for ``p``, ``li``, ``dt``/``dd``, table cells and rows, and
``head``. Nesting is tracked on an explicit stack (no recursion); deeper than
``limits.max_html_depth`` raises :class:`~guidance_audit.errors.TooLargeError`.
"""
from __future__ import annotations

import datetime as _dt
import re
import time
from html.parser import HTMLParser

from ..dates import find_publication_date, parse_date
from ..errors import NoTextError, TooLargeError, UnreadableFileError
from ..limits import DEFAULT_LIMITS, Limits
from ..models import BlockKind, Document, Metadata
from ._build import HeadingTracker, TextBuilder, clean_text, split_marker
from .text import decode_bytes, looks_binary

__all__ = ["read_html", "sniff_charset"]

VOID_TAGS = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template head nav aside form button select svg math iframe object "
    "canvas dialog audio video map".split()
)
BANNER_TAGS = frozenset({"header", "footer"})
HEADING_TAGS = {f"h{i}": i for i in range(1, 7)}
BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
# Start tags that close an open <p> (HTML's "close a p element" rule).
P_CLOSERS = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr main menu nav ol p pre section summary "
    "table ul li dd dt".split()
)
_P_SCOPE_BOUNDARIES = frozenset("td th li table caption object button template dd dt".split())
_IMPLIED_END: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # tag: (open tags it closes, tags that stop the search)
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu", "table"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl", "table"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "tbody", "thead", "tfoot"})),
    "tbody": (frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "thead": (frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tfoot": (frozenset({"tbody", "thead", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist"})),
}
_KIND_OF: dict[str, BlockKind] = {"li": "list_item", "td": "table_cell", "th": "table_cell"}
#: Cookie and consent banners ("cookie-banner", "govuk-cookie-banner", "cookie-law-info-bar",
#: aria-label="Cookies on this site"): outside the page's main content, they are furniture.
_CONSENT_BANNER = re.compile(r"cookie|\bconsent[-_ ]?(?:banner|bar|notice|popup|modal)|\bgdpr", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)

# Date metadata, best first. Keys are lower-cased meta name/property values.
_PUBLISHED_KEYS = (
    "article:published_time", "dc.date.issued", "dcterms.issued", "citation_publication_date",
    "citation_date", "publication_date", "pubdate", "publish-date", "date", "dc.date",
    "dcterms.date", "dcterms.created", "dc.date.created", "govuk:first-published-at",
)
_MODIFIED_KEYS = (
    "article:modified_time", "dcterms.modified", "dc.date.modified", "last-modified",
    "govuk:updated-at", "og:updated_time",
)


def sniff_charset(head: bytes) -> str | None:
    """Find the charset an HTML document declares in a ``<meta>`` tag in its first 4 KB."""
    m = _CHARSET_RE.search(head[:4096])
    return m.group(1).decode("ascii", "replace").lower() if m else None


class _VisibleTextParser(HTMLParser):
    """Collects visible text as blocks, with an explicit element stack."""

    def __init__(self, builder: TextBuilder, limits: Limits, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self.limits = limits
        self.source = source
        self.headings = HeadingTracker()
        self.stack: list[str] = []
        self.skip_at: int | None = None  # stack index of the outermost skipped element
        self.buffer: list[str] = []
        self.pending_br = False
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.first_h1: str | None = None
        self.meta: dict[str, str] = {}
        self.time_datetime: str | None = None
        self.tables = 0
        self.table_pos: list[list[int]] = []  # [table, row, column] of each open table
        self.deadline = time.monotonic() + limits.max_seconds
        self.calls = 0

    def _tick(self) -> None:
        """Check the time every 256 parser callbacks."""
        self.calls += 1
        if not self.calls & 255 and time.monotonic() > self.deadline:
            raise TooLargeError(f"parsing the HTML took longer than {self.limits.max_seconds:g} seconds",
                                source=self.source)

    # -- stack -------------------------------------------------------------------------------
    def _push(self, tag: str, skip: bool) -> None:
        self.stack.append(tag)
        if len(self.stack) > self.limits.max_html_depth:
            raise TooLargeError(
                f"HTML elements are nested more than {self.limits.max_html_depth} deep",
                source=self.source,
            )
        if skip and self.skip_at is None:
            self.skip_at = len(self.stack) - 1

    def _pop_to(self, index: int) -> None:
        """Close every element from ``index`` up (``index`` included)."""
        del self.stack[index:]
        if self.skip_at is not None and self.skip_at >= index:
            self.skip_at = None

    def _last_index(self, names: frozenset[str], stop: frozenset[str]) -> int | None:
        for i in range(len(self.stack) - 1, -1, -1):
            tag = self.stack[i]
            if tag in names:
                return i
            if tag in stop:
                return None
        return None

    def _close_implied(self, tag: str) -> None:
        if "head" in self.stack and (tag == "body" or tag in BLOCK_TAGS):
            self._pop_to(self.stack.index("head"))
        if tag in P_CLOSERS:
            i = self._last_index(frozenset({"p"}), _P_SCOPE_BOUNDARIES)
            if i is not None:
                self._flush()
                self._pop_to(i)
        implied = _IMPLIED_END.get(tag)
        if implied:
            i = self._last_index(*implied)
            if i is not None:
                self._flush()
                self._pop_to(i)

    # -- text ------------------------------------------------------------------------------
    def _skipping(self) -> bool:
        return self.skip_at is not None

    def _flush(self) -> None:
        """Emit the buffered text as one block of the kind its innermost container gives."""
        self.pending_br = False
        if not self.buffer:
            return
        text = clean_text("".join(self.buffer))
        self.buffer = []
        if not text:
            return
        kind: BlockKind = "paragraph"
        level = 0
        for tag in reversed(self.stack):
            if tag in HEADING_TAGS:
                kind, level = "heading", HEADING_TAGS[tag]
                break
            if tag in _KIND_OF:
                kind = _KIND_OF[tag]
                break
        if kind == "heading":
            number = split_marker(text)
            if number.number:
                text = number.rest
            enclosing = self.headings.enter(level, text)
            self.builder.add(text, "heading", heading_path=enclosing, number=number.number, clean=False)
            if level == 1 and self.first_h1 is None:
                self.first_h1 = text
            return
        marker = split_marker(text)
        if marker.marker and kind != "table_cell":
            if marker.list_item and kind == "paragraph":
                kind = "list_item"
            self.builder.add(
                marker.rest, kind, heading_path=self.headings.path,
                number=marker.number, marker=marker.marker,
            )
        else:
            cell = tuple(self.table_pos[-1]) if kind == "table_cell" and self.table_pos else None
            self.builder.add(text, kind, heading_path=self.headings.path, clean=False,
                             cell=cell)  # type: ignore[arg-type]

    # -- parser callbacks ------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tick()
        if self.title_parts is not None:  # a <title> left open ends at the next tag
            self._end_title()
        if tag == "meta":
            self._meta(attrs)
            return
        if tag == "title" and self.title is None and "svg" not in self.stack:
            self.title_parts = []
        if tag == "br":
            if not self._skipping():
                if self.pending_br:
                    self._flush()
                else:
                    self.buffer.append(" ")
                    self.pending_br = True
            return
        if tag == "time" and self.time_datetime is None and not self._skipping():
            self.time_datetime = dict(attrs).get("datetime")
        self._close_implied(tag)
        if tag in VOID_TAGS:
            if tag in BLOCK_TAGS:
                self._flush()
            return
        if tag in BLOCK_TAGS:
            self._flush()
        self._push(tag, self._hides(tag, attrs))
        if tag == "table":
            self.tables += 1
            self.table_pos.append([self.tables, -1, -1])
        elif self.table_pos and tag == "tr":
            self.table_pos[-1][1] += 1
            self.table_pos[-1][2] = -1
        elif self.table_pos and tag in ("td", "th"):
            pos = self.table_pos[-1]
            if pos[1] < 0:
                pos[1] = 0
            pos[2] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <div/> and the like: treat as an element that opens and closes at once.
        if tag in VOID_TAGS or tag == "meta":
            self.handle_starttag(tag, attrs)
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        self._tick()
        if self.title_parts is not None:
            self._end_title()
        if tag not in self.stack:
            return
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "table" and self.table_pos:
            self.table_pos.pop()
        i = len(self.stack) - 1 - self.stack[::-1].index(tag)
        self._pop_to(i)

    def handle_data(self, data: str) -> None:
        self._tick()
        if self.title_parts is not None:
            self.title_parts.append(data)
            return
        if self._skipping():
            return
        if data.strip():
            self.pending_br = False
        self.buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    # -- helpers ---------------------------------------------------------------------------
    def _end_title(self) -> None:
        self.title = clean_text("".join(self.title_parts or [])) or None
        self.title_parts = None

    def _hides(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in SKIP_TAGS:
            return True
        if tag in BANNER_TAGS and "article" not in self.stack and "main" not in self.stack:
            return True
        for name, value in attrs:
            if name == "hidden":
                return True
            if name == "aria-hidden" and (value or "").strip().lower() == "true":
                return True
            if name == "style" and value and _HIDDEN_STYLE.search(value):
                return True
            if name in ("id", "class", "aria-label", "role") and value and _CONSENT_BANNER.search(value) \
                    and "main" not in self.stack and "article" not in self.stack:
                return True  # a cookie or consent banner is page furniture, not the page's text
        return False

    def _meta(self, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        key = (a.get("name") or a.get("property") or a.get("itemprop") or "").strip().lower()
        content = a.get("content", "").strip()
        if key and content and key not in self.meta and len(self.meta) < MAX_META:
            self.meta[key] = content[:MAX_META_CHARS]


def _meta_date(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if key in meta and parse_date(meta[key]):
            return meta[key]
    return None


def _date_metadata(parser: _VisibleTextParser) -> tuple[_dt.date | None, _dt.date | None]:
    """Return ``(published, modified)`` from ``<meta>`` tags and the first ``<time datetime>``.

    Published: the known publication keys in order, then any other key naming a date that is
    not a modification, review or expiry date, then the first ``<time datetime>``.
    """
    published = _meta_date(parser.meta, _PUBLISHED_KEYS)
    if published is None:
        for key, value in parser.meta.items():
            if ("date" in key or "published" in key) and not any(
                w in key for w in ("modif", "updat", "revis", "review", "expir")
            ) and parse_date(value):
                published = value
                break
    if published is None and parser.time_datetime:
        published = parser.time_datetime
    modified = _meta_date(parser.meta, _MODIFIED_KEYS)
    return (parse_date(published) if published else None, parse_date(modified) if modified else None)


_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")

#: Most attributes kept on one element, and most characters of one start tag read for them: the
#: parser builds a list of every attribute of a tag, so one tag with millions of attributes
#: would need many times the file's size in memory. The rest of an over-long tag is dropped.
MAX_ATTRIBUTES = 64
MAX_TAG_CHARS = 16_384
#: Most ``<meta>`` entries kept, and most characters of each.
MAX_META = 1_000
MAX_META_CHARS = 2_000
_TAG_NAME = re.compile(r"<([A-Za-z][^\s/>]*)")
_ATTRIBUTE = re.compile(r"""\s*([^\s/>"'=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")


def _bound_attributes(text: str) -> str:
    """``text`` with every start tag longer than :data:`MAX_TAG_CHARS` cut down to its name and
    its first :data:`MAX_ATTRIBUTES` attributes (one pass, linear in the text: after a tag the
    scan goes on from its ``>``, as the parser does)."""
    if len(text) <= MAX_TAG_CHARS:
        return text
    out: list[str] = []
    kept = pos = 0
    while True:
        m = _TAG_NAME.search(text, pos)
        if m is None:
            break
        end = text.find(">", m.end())
        if end < 0:
            break
        if end - m.start() > MAX_TAG_CHARS:
            body = text[m.end():m.start() + MAX_TAG_CHARS]
            attrs: list[str] = []
            at = 0
            while len(attrs) < MAX_ATTRIBUTES:
                a = _ATTRIBUTE.match(body, at)
                if a is None or a.end() == at:
                    break
                if a.end() >= len(body) and a.group(2) and a.group(2)[:1] in "\"'" and (
                        len(a.group(2)) < 2 or a.group(2)[-1] != a.group(2)[0]):
                    break  # a value cut short by the limit
                attrs.append(a.group())
                at = a.end()
            out.append(text[kept:m.end()])
            out.append("".join(attrs))
            kept = end
        pos = end + 1
    if not out:
        return text
    out.append(text[kept:])
    return "".join(out)


def _drop_unterminated_markup(text: str) -> str:
    """Drop a tag, comment or declaration that the end of the file interrupts.

    HTML5 parsers drop such a tag. Python's ``html.parser`` (before 3.13.4) instead reads the
    rest of the file as text, scanning it to the end once for every ``<`` in it: hours for a few
    hundred KB of ``<a <a <a ...``.
    """
    m = _TAG_OPEN.search(text, text.rfind(">") + 1)
    return text[:m.start()] if m else text


_TITLE_SUFFIX = re.compile(r"\s+[-|\u2013\u2014]\s+GOV\.UK$")


def read_html(data: bytes, source: str, limits: Limits | None = None) -> Document:
    """Read an HTML document's bytes.

    Args:
        data: the content.
        source: its name.
        limits: resource limits (``max_html_depth``, ``max_chars``).

    Returns:
        The document. ``published`` is a date phrase in the visible text when there is one
        ("last updated ..."), else the page's date metadata.

    Raises:
        NoTextError: no visible text.
        TooLargeError: nesting or text beyond the limits.
        UnreadableFileError: content the parser cannot handle.
    """
    limits = limits or DEFAULT_LIMITS
    if not data.strip():
        raise NoTextError("the file is empty", source=source)
    text, encoding = decode_bytes(data, sniff_charset(data))
    if looks_binary(text):
        raise UnreadableFileError("the file holds binary data, not HTML", source=source)
    builder = TextBuilder(max_chars=limits.max_chars, source=source)
    parser = _VisibleTextParser(builder, limits, source)
    try:
        parser.feed(_bound_attributes(_drop_unterminated_markup(text)))
        parser.close()
    except (AssertionError, ValueError) as exc:  # malformed markup the parser gives up on
        raise UnreadableFileError(f"cannot parse the HTML: {exc}", source=source) from exc
    if not builder.blocks:
        raise NoTextError("the HTML has no visible text", source=source)
    doc_text = builder.text()
    title = parser.title or parser.first_h1
    if title:
        title = _TITLE_SUFFIX.sub("", title)
    meta_published, meta_modified = _date_metadata(parser)
    found = find_publication_date(doc_text)
    published: _dt.date | None
    published_from: str | None
    if found:
        published, published_from = found[0], "text"
    elif meta_published or meta_modified:
        published, published_from = meta_published or meta_modified, "metadata"
    else:
        published, published_from = None, None
    metadata = Metadata(
        source=source,
        format="html",
        title=title,
        published=published,
        published_from=published_from,
        created=meta_published,
        modified=meta_modified,
        extra=(("encoding", encoding),),
    )
    return builder.build(metadata)

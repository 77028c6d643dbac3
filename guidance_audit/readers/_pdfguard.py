"""Keeping pdfminer within :class:`~guidance_audit.limits.Limits` while it reads one PDF.

pdfminer does its work in long loops we cannot see into, so the PDF reader hands it objects
that check the limits from inside those loops and raise
:class:`~guidance_audit.errors.TooLargeError`:

* :class:`GuardedDocument` checks every stream before pdfminer decompresses it: a FlateDecode
  stream is first inflated in chunks and thrown away, so one whose output would take the
  document past ``limits.max_pdf_stream_bytes`` is refused without that memory ever being
  allocated (a "zip bomb" in a content stream, form or font). Streams of encrypted PDFs are
  counted after decoding only, since decrypting them twice would double pdfminer's slowest step.
  It also checks the deadline every 1024 object look-ups and refuses an object that is only a
  reference to another when the references go round in a cycle or chain on past
  :data:`MAX_REF_CHAIN` (pdfminer's ``resolve1`` would follow them forever).
* :class:`GuardedInterpreter` checks the deadline every 4096 operators of a content stream
  (it counts the look-ups of ``do_*`` methods, which pdfminer makes for every operator) and
  refuses a page that saves more than :data:`MAX_SAVED_STATES` graphics states without restoring
  them (each ``q`` keeps a copy of the state: ``q q q ...`` compressed to a few KB would take
  gigabytes).
* :class:`GuardedAggregator` counts the characters drawn on a page (``limits.max_page_chars``:
  pdfminer keeps an object per character) and checks the deadline every 1024 characters.
* :class:`GuardedLAParams` checks the deadline once per text line while pdfminer groups a page's
  lines into boxes, which costs cubic time when many lines overlap; a page with more than
  ``limits.max_page_lines`` lines is refused. A page with more than :data:`FLOW_MAX_LINES` lines
  has its boxes ordered top to bottom, left to right (pdfminer's ``boxes_flow=None``) instead
  of by pdfminer's hierarchical grouping, whose memory grows with the square of the boxes.
  (pdfminer reads ``line_margin`` once per line in that loop and ``boxes_flow`` just before
  grouping boxes; those reads are where the checks happen.)
"""
from __future__ import annotations

import time
import zlib
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFObjRef, PDFStream

from ..errors import TooLargeError, UnreadableFileError
from ..limits import Limits

__all__ = ["Budget", "GuardedDocument", "GuardedInterpreter", "GuardedAggregator", "GuardedLAParams",
           "FLOW_MAX_LINES", "MAX_SAVED_STATES"]

FLOW_MAX_LINES = 1000
MAX_SAVED_STATES = 50_000
MAX_REF_CHAIN = 64  # longest chain of objects that are only references to the next one
_CHUNK = 1 << 20


class Budget:
    """What reading one PDF may still cost: time, characters and lines of the current page,
    and bytes of decompressed streams.

    Args:
        limits: the limits.
        source: the document's name, for error messages.
        started: ``time.monotonic()`` when reading began.
    """

    def __init__(self, limits: Limits, source: str, started: float | None = None) -> None:
        self.limits = limits
        self.source = source
        self.deadline = (time.monotonic() if started is None else started) + limits.max_seconds
        self.max_page_chars = limits.max_page_chars
        self.page = 0
        self.page_chars = 0
        self.page_lines = 0
        self.inflated = 0
        self.operators = 0
        self.lookups = 0

    def start_page(self, number: int) -> None:
        """Reset the per-page counts before page ``number`` is read (and check the time)."""
        self.check_time()
        self.page = number
        self.page_chars = 0
        self.page_lines = 0

    def check_time(self) -> None:
        """Raise :class:`TooLargeError` once the deadline has passed."""
        if time.monotonic() > self.deadline:
            where = f"stopped at page {self.page}" if self.page else "stopped before the first page"
            raise TooLargeError(
                f"reading the PDF took longer than {self.limits.max_seconds:g} seconds ({where})",
                source=self.source,
            )

    def _too_much_inflated(self) -> TooLargeError:
        return TooLargeError(
            f"the PDF's streams decompress to more than {self.limits.max_pdf_stream_bytes:,} bytes "
            "(a decompression bomb?)",
            source=self.source,
        )

    def precheck_stream(self, stream: PDFStream) -> None:
        """Inflate a FlateDecode stream in chunks, keeping nothing, and refuse it if its output
        would take the document past ``max_pdf_stream_bytes``."""
        if stream.decipher or stream.rawdata is None:
            return
        try:
            filters = stream.get_filters()
        except Exception:  # pdfminer reports damaged filter entries itself when it decodes
            return
        if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
            return
        room = self.limits.max_pdf_stream_bytes - self.inflated
        inflater = zlib.decompressobj()
        data = stream.rawdata
        size = 0
        try:
            while data:
                size += len(inflater.decompress(data, _CHUNK))
                if size > room:
                    raise self._too_much_inflated()
                data = inflater.unconsumed_tail
        except zlib.error:
            return  # corrupt data: pdfminer recovers what it can, and that is counted after

    def count_decoded(self, size: int) -> None:
        """Count a decoded stream's size against ``max_pdf_stream_bytes``."""
        self.inflated += size
        if self.inflated > self.limits.max_pdf_stream_bytes:
            raise self._too_much_inflated()


class GuardedDocument(PDFDocument):
    """A :class:`PDFDocument` whose streams are checked against a :class:`Budget` when they are
    decoded."""

    def __init__(self, parser: Any, password: str, budget: Budget) -> None:
        self.budget = budget
        super().__init__(parser, password=password)

    def getobj(self, objid: int) -> object:
        self.budget.lookups += 1
        if not self.budget.lookups & 1023:
            self.budget.check_time()
        obj = super().getobj(objid)
        if isinstance(obj, PDFObjRef):
            obj = self._follow(objid, obj)
        if isinstance(obj, PDFStream) and "get_data" not in obj.__dict__:
            _guard_stream(obj, self.budget)
        return obj

    def _follow(self, objid: int, ref: PDFObjRef) -> object:
        """Resolve an object that is itself a reference to another (``6 0 obj 7 0 R endobj``),
        refusing a cycle (``7 0 obj 6 0 R``) or a chain longer than :data:`MAX_REF_CHAIN`, on
        which pdfminer's ``resolve1`` would loop forever."""
        seen = {objid}
        obj: object = ref
        while isinstance(obj, PDFObjRef):
            if obj.objid in seen or len(seen) > MAX_REF_CHAIN:
                raise UnreadableFileError(
                    f"object {objid} of the PDF is a reference that leads back to itself "
                    "(a reference cycle): the file is damaged or malicious", source=self.budget.source)
            seen.add(obj.objid)
            obj = super().getobj(obj.objid)  # type: ignore[arg-type]
        return obj


def _guard_stream(stream: PDFStream, budget: Budget) -> None:
    decode = stream.get_data

    def get_data() -> bytes:
        if stream.data is None:
            budget.precheck_stream(stream)
            data = decode()
            budget.count_decoded(len(data))
            return data
        return decode()

    stream.get_data = get_data  # type: ignore[method-assign]


class GuardedInterpreter(PDFPageInterpreter):
    """A page interpreter that checks the budget of its device (a :class:`GuardedAggregator`)
    while it runs a content stream."""

    def __getattribute__(self, name: str) -> Any:
        if name[:3] == "do_":  # pdfminer looks up the method of every operator it runs
            budget = object.__getattribute__(self, "device").budget
            budget.operators += 1
            if not budget.operators & 4095:
                budget.check_time()
        return object.__getattribute__(self, name)

    def do_q(self) -> None:
        if len(self.gstack) >= MAX_SAVED_STATES:
            b = self.device.budget  # type: ignore[attr-defined]
            raise TooLargeError(f"page {b.page} of the PDF saves more than {MAX_SAVED_STATES:,} graphics "
                                "states without restoring them", source=b.source)
        super().do_q()


class GuardedAggregator(PDFPageAggregator):
    """A page aggregator that counts the characters of the current page against the budget."""

    def __init__(self, resources: Any, laparams: LAParams, budget: Budget) -> None:
        super().__init__(resources, laparams=laparams)
        self.budget = budget

    def render_char(self, matrix: Any, font: Any, fontsize: float, scaling: float, rise: float, cid: int,
                    ncs: Any, graphicstate: Any) -> float:
        # pdfminer calls this once per character: the arguments are spelt out (no packing into
        # a tuple and a dict) and the base method is called directly (no super()).
        b = self.budget
        chars = b.page_chars = b.page_chars + 1
        if chars > b.max_page_chars:
            raise TooLargeError(
                f"page {b.page} of the PDF draws more than {b.limits.max_page_chars:,} characters",
                source=b.source,
            )
        if not chars & 1023:
            b.check_time()
        return _render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)


_render_char = PDFPageAggregator.render_char


class GuardedLAParams(LAParams):
    """pdfminer's default layout parameters, checking the budget while lines are grouped."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        super().__init__()

    @property  # type: ignore[override]
    def line_margin(self) -> float:
        b = self.budget
        b.page_lines += 1
        if b.page_lines > b.limits.max_page_lines:
            raise TooLargeError(f"page {b.page} of the PDF has more than {b.limits.max_page_lines:,} text lines",
                                source=b.source)
        if not b.page_lines & 63:
            b.check_time()
        return self._line_margin

    @line_margin.setter
    def line_margin(self, value: float) -> None:
        self._line_margin = value

    @property  # type: ignore[override]
    def boxes_flow(self) -> float | None:
        return None if self.budget.page_lines > FLOW_MAX_LINES else self._boxes_flow

    @boxes_flow.setter
    def boxes_flow(self, value: float | None) -> None:
        self._boxes_flow = value

    def __repr__(self) -> str:
        return f"<GuardedLAParams: line_margin={self._line_margin:.1f}, boxes_flow={self._boxes_flow!r}>"

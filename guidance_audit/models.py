"""The objects users see: documents, blocks, claims, quantities, citations and findings.

Every object that points into a document carries character offsets into ``Document.text`` that
were recorded when the text was extracted, so ``doc.text[x.start:x.end] == x.text`` always holds.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table_cell"]
Framing = Literal["current", "historical", "future", "hypothetical", "quoted", "cited", "question"]
FindingKind = Literal[
    "outdated",
    "incorrect",
    "outdated-citation",
    "outdated-term",
    "internal-contradiction",
    "omission",
    "supported",
]
Severity = Literal["error", "warning", "info"]

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of layout: a heading, a paragraph, a list item or a table cell.

    Attributes:
        index: position of the block in the document (0-based).
        kind: ``heading``, ``paragraph``, ``list_item`` or ``table_cell``.
        text: the block's text exactly as it appears in ``Document.text``.
        start, end: character span of the block in ``Document.text``.
        page: 1-based page number where the format has pages, else ``None``.
        heading_path: the headings this block sits under, outermost first.
        number: a paragraph number printed before the block ("3.1", "4.", "(a)"), kept out of
            ``text`` so claims never start with it.
        cell: for a table cell, ``(table, row, column)``: the table's number in the document
            and the cell's 0-based row and column, so its row and column headers can be found.
    """

    index: int
    kind: BlockKind
    text: str
    start: int
    end: int
    page: int | None = None
    heading_path: tuple[str, ...] = ()
    number: str | None = None
    cell: tuple[int, int, int] | None = None

    def __repr__(self) -> str:
        snippet = self.text if len(self.text) <= 50 else self.text[:47] + "..."
        page = f" p{self.page}" if self.page else ""
        return f"<Block {self.index} {self.kind}{page} [{self.start}:{self.end}] {snippet!r}>"


@dataclass(frozen=True, slots=True)
class Metadata:
    """What is known about a document besides its text.

    ``published`` is the document's own date and ``published_from`` says where it was found:
    ``"metadata"`` (file properties), ``"text"`` (a phrase such as "last updated 3 March 2021"),
    ``"argument"`` (given by the caller) or ``None`` when unknown.
    """

    source: str
    format: str
    title: str | None = None
    published: _dt.date | None = None
    published_from: str | None = None
    pages: int | None = None
    created: _dt.date | None = None
    modified: _dt.date | None = None
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A guidance document's extracted text, its layout blocks and its metadata."""

    text: str
    blocks: tuple[Block, ...]
    metadata: Metadata

    @property
    def source(self) -> str:
        return self.metadata.source

    def block_at(self, offset: int) -> Block | None:
        """Return the block whose span contains ``offset``, or ``None``."""
        lo, hi = 0, len(self.blocks) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            b = self.blocks[mid]
            if offset < b.start:
                hi = mid - 1
            elif offset >= b.end:
                lo = mid + 1
            else:
                return b
        return None

    def __repr__(self) -> str:
        return (
            f"<Document {self.metadata.source!r} {self.metadata.format} "
            f"blocks={len(self.blocks)} chars={len(self.text)}>"
        )


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity stated in a claim, normalised so statements can be compared.

    Durations are in months (a year is 12 months, a week 7/30.4375 of a month); money is in
    pounds sterling; percentages in percent; counts as numbers; dates in ``date`` with the
    precision the text gave (``day``, ``month`` or ``year``).
    """

    kind: Literal["duration", "money", "date", "percent", "count"]
    value: float
    text: str
    start: int
    end: int
    unit: str = ""
    date: _dt.date | None = None
    precision: str | None = None

    def describe(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"<Quantity {self.kind} {self.value:g}{self.unit} {self.text!r}>"


ContextKind = Literal["previous", "lead-in", "question", "letter", "row-header", "column-header", "heading", "title"]


@dataclass(frozen=True, slots=True)
class ContextLayer:
    """One piece of text a reader uses to understand a statement besides the statement itself.

    Attributes:
        kind: ``previous`` (an earlier sentence of the same paragraph or list), ``lead-in`` (the
            sentence introducing the list the statement is in, "You can apply if:"),
            ``question`` (the FAQ question it answers), ``letter`` (a reader's letter or long
            question marked "Q." that the statement answers: like a heading, it supplies only
            the subject), ``row-header`` and ``column-header`` (for a table cell), ``heading``
            (a heading it sits under) or ``title``.
        text: the layer's text.
        start, end: its span in ``Document.text`` (``None`` for the title when it is only in the
            file's properties).
    """

    kind: ContextKind
    text: str
    start: int | None = None
    end: int | None = None

    def describe(self) -> str:
        snippet = self.text if len(self.text) <= 70 else self.text[:67] + "..."
        return f"{self.kind} '{snippet}'"


@dataclass(frozen=True, slots=True)
class ClaimContext:
    """What surrounds a statement, nearest first: the layers a reader takes its subject from,
    the section framing that applies to it, and the cohort its section is addressed to.

    Attributes:
        layers: the context layers, nearest first (earlier sentences, lead-in, question,
            table headers, headings from the innermost out, the title).
        section_framing: ``historical`` when the statement sits in a section about the past
            (headed "History", "Before 9 July 2012"), ``background`` under "Background" (past
            tense statements there are history), ``cited`` in a list of references
            ("References", "Further reading"), else ``None``.
        section_reason: the heading or scope sentence that decided ``section_framing``.
        scope: a sentence of the page or section that says whom it is for ("This section is
            for people who applied before 9 July 2012"), if any.
        scope_date: the date in that sentence, if any.
        genre: the document's genre (see :mod:`guidance_audit.genre`), when known: in the
            minutes of a meeting, what a participant said is the meeting's own content.
        entry_date: the date of the dated entry the statement is in, when its nearest dated
            heading is one ("#3 Sam (Moderator) 20 June 2012, 19:15", "Update, 3 February
            2025"): a forum post or a page's update speaks as of its own date.
    """

    layers: tuple[ContextLayer, ...] = ()
    section_framing: str | None = None
    section_reason: str | None = None
    scope: str | None = None
    scope_date: _dt.date | None = None
    genre: str | None = None
    entry_date: _dt.date | None = None

    def of_kind(self, *kinds: str) -> tuple[ContextLayer, ...]:
        return tuple(layer for layer in self.layers if layer.kind in kinds)


EMPTY_CONTEXT = ClaimContext()


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence-level statement of the document, with what the segmenter learned about it.

    Attributes:
        text, start, end: the statement and its span in ``Document.text``.
        block: index of the block it belongs to; ``page`` its page.
        quantities: durations, money, dates, percentages and counts it states.
        modality: ``must``, ``should``, ``may``, ``can``, ``will`` or ``None``.
        negated: whether the main statement is negated ("cannot", "never", "not").
        framing: ``current`` (asserted as true now), ``historical``, ``future``,
            ``hypothetical``, ``quoted``, ``cited`` (an entry in a list of references, which
            names a publication without saying it is current) or ``question`` (a question asserts
            nothing; its answer does). Only current claims can be
            outdated or incorrect.
        framing_reason: the words or the section that decided a framing other than current.
        context: what surrounds the statement (see :class:`ClaimContext`).
        quotes: spans (document offsets) of the text inside quotation marks.
        clauses: ``(start, end, negated)`` of each clause (split at punctuation), document
            offsets; a bracketed aside is its own clause and never negates the sentence.
        negated_quantities: the starts of the quantities a negation in their own clause governs
            ("cannot settle after two years" denies the two years).
        negation_marks: document offsets of the negating words outside bracketed asides.
        condition_end: document offset of the end of a condition the sentence starts with
            ("Where the victim's status cannot be verified, ..."), or ``None``.
        later_quantities: the starts of the quantities of a later clause that tells a change to
            come ("a couple currently needs £62,500; after 11 April that will rise to
            £88,500"): the sentence asserts its first part, and these are set aside.
        reported_at: document offset where the report of someone's speech begins, in a quoted
            statement that reports speech ("A spokesperson for the UK Border Agency said ..."):
            the words before it are the document's own. ``None`` otherwise.
    """

    text: str
    start: int
    end: int
    block: int
    page: int | None = None
    quantities: tuple[Quantity, ...] = ()
    modality: str | None = None
    negated: bool = False
    framing: Framing = "current"
    heading_path: tuple[str, ...] = ()
    framing_reason: str | None = None
    context: ClaimContext = EMPTY_CONTEXT
    quotes: tuple[tuple[int, int], ...] = ()
    clauses: tuple[tuple[int, int, bool], ...] = ()
    negated_quantities: frozenset[int] = frozenset()
    negation_marks: tuple[int, ...] = ()
    condition_end: int | None = None
    later_quantities: frozenset[int] = frozenset()
    reported_at: int | None = None

    @property
    def asserted(self) -> bool:
        return self.framing == "current"

    @property
    def asserted_quantities(self) -> tuple[Quantity, ...]:
        """The quantities the statement asserts (all but those of a later clause about a change
        to come)."""
        if not self.later_quantities:
            return self.quantities
        return tuple(q for q in self.quantities if q.start not in self.later_quantities)

    def __repr__(self) -> str:
        snippet = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        extra = f" {self.framing}" if self.framing != "current" else ""
        neg = " negated" if self.negated else ""
        return f"<Claim [{self.start}:{self.end}]{extra}{neg} {snippet!r}>"


@dataclass(frozen=True, slots=True)
class Citation:
    """A reference to the authority behind a fact value."""

    title: str
    provision: str | None = None
    date: _dt.date | None = None
    url: str | None = None

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "provision": self.provision,
            "date": self.date.isoformat() if self.date else None,
            "url": self.url,
        }

    def __str__(self) -> str:
        parts = [self.title]
        if self.provision:
            parts.append(self.provision)
        if self.date:
            parts.append(self.date.isoformat())
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Location:
    """Where a quote is: page (1-based or None), block index and character span."""

    page: int | None
    block: int | None
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"page": self.page, "block": self.block, "start": self.start, "end": self.end}

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.block is not None:
            parts.append(f"para {self.block + 1}")
        parts.append(f"chars {self.start}-{self.end}")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Related:
    """Another passage a finding points to (the other half of a contradiction)."""

    quote: str
    location: Location

    def to_dict(self) -> dict:
        return {"quote": self.quote, "location": self.location.to_dict()}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A corrected statement: the quote with only the stated quantity replaced by the current value.

    Attributes:
        text: the whole corrected statement.
        start, end: the span of ``Document.text`` to replace (the stated quantity only).
        replacement: the text to put there (the current value).
        citation: the authority for the current value, if the finding has one.
    """

    text: str
    start: int
    end: int
    replacement: str
    citation: Citation | None = None

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "replacement": self.replacement,
                "citation": self.citation.to_dict() if self.citation else None}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem (or, when asked for, one supported statement) found in a document.

    ``quote`` is exactly ``doc.text[location.start:location.end]``.
    """

    kind: FindingKind
    severity: Severity
    rule: str
    message: str
    quote: str
    location: Location
    stated: str | None = None
    expected: str | None = None
    true_between: tuple[_dt.date | None, _dt.date | None] | None = None
    wrong_at_publication: bool | None = None
    citations: tuple[Citation, ...] = ()
    related: tuple[Related, ...] = ()
    confidence: str = "high"
    changed_on: _dt.date | None = None
    #: Where the statement's subject came from when it is not in the quote itself
    #: ("heading 'Meeting the financial requirement'").
    context: tuple[str, ...] = ()
    #: How the statement was read (``current`` for every error and warning on a statement) and why.
    framing: str | None = None
    framing_reason: str | None = None
    #: For a statement of an old rule addressed to the people still under it: who they are.
    cohort: str | None = None
    #: For an omission: what would have counted as addressing the topic, and the near-misses seen.
    evidence: tuple[str, ...] = ()
    #: The statement corrected by replacing only its stated quantity, when that is enough.
    suggestion: Suggestion | None = None

    @property
    def fingerprint(self) -> str:
        """A stable identifier: the rule, the normalised quote and the kind.

        It does not depend on offsets, so it survives edits elsewhere in the document.
        """
        norm = " ".join(self.quote.lower().split())
        related = "|".join(" ".join(r.quote.lower().split()) for r in self.related)
        raw = f"{self.kind}\x00{self.rule}\x00{norm}\x00{related}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def to_dict(self) -> dict:
        tb = None
        if self.true_between is not None:
            lo, hi = self.true_between
            tb = {"from": lo.isoformat() if lo else None, "to": hi.isoformat() if hi else None}
        return {
            "kind": self.kind,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "quote": self.quote,
            "location": self.location.to_dict(),
            "stated": self.stated,
            "expected": self.expected,
            "true_between": tb,
            "wrong_at_publication": self.wrong_at_publication,
            "citations": [c.to_dict() for c in self.citations],
            "related": [r.to_dict() for r in self.related],
            "confidence": self.confidence,
            "fingerprint": self.fingerprint,
            "context": list(self.context),
            "framing": self.framing,
            "framing_reason": self.framing_reason,
            "cohort": self.cohort,
            "evidence": list(self.evidence),
            "suggestion": self.suggestion.to_dict() if self.suggestion else None,
        }

    def __str__(self) -> str:
        """The message with where the passage is, worded as in the reports:
        ``... (page 3, paragraph 12, characters 1234-1302)``; ``(whole document)`` for an omission."""
        loc = self.location
        if not self.quote and loc.start == loc.end == 0:
            return f"{self.message} (whole document)"
        parts = [f"page {loc.page}"] if loc.page is not None else []
        if loc.block is not None:
            parts.append(f"paragraph {loc.block + 1}")
        parts.append(f"characters {loc.start}-{loc.end}")
        return f"{self.message} ({', '.join(parts)})"

    def __repr__(self) -> str:
        snippet = self.quote if len(self.quote) <= 50 else self.quote[:47] + "..."
        return f"<Finding {self.kind} {self.severity} {self.rule} {self.location.describe()} {snippet!r}>"

"""Score the audit against a labelled corpus (``corpora/`` in the source tree).

A corpus directory holds ``docs/`` (one guidance document per file) and ``labels/`` (one YAML file
per document, same stem) saying which findings a careful reviewer expects and which statements
must not be flagged::

    document: police-briefing-2020.pdf
    published: 2020-04-23                  # the date the document states
    profile: police_victims_insecure_status   # optional
    omissions: labelled                    # optional; "unlabelled": the labeller did not judge
                                           # what the document leaves out (omission findings
                                           # are then not scored)
    expected:
      - quote: "can apply for indefinite leave to remain after just two years"
        kinds: [outdated]                  # the kinds accepted for this statement
        wrong_at_publication: true         # optional
        fact: partner.settlement_period    # optional hint
      - quote: "we will never pass a victim's details"
        kinds: [internal-contradiction]
        related: "must refer the victim's details to Immigration Enforcement"
      - omission: "destitution concession"  # a topic the document never addresses
        topic_id: topic.destitution_concession   # optional: the finding's rule must name it
        kinds: [omission]
    must_not_flag:
      - quote: "Before 9 July 2012, spouses could settle after two years"
        reason: historical framing

Quotes are located in the document's extracted text case-insensitively and with whitespace
normalised; a quote that is missing, or found more than once, is an error in the labels and
raises :class:`ValueError`. A finding matches a label when its span overlaps the label's quote and
its kind is one the label accepts; for contradictions either half of the finding may overlap
either half of the label. Each finding and each label is matched at most once (a maximum
matching). A further finding on a matched statement, of a kind its label accepts but from another
rule (the statement is wrong in two ways: an old figure and an old paragraph, or two old names),
is neither a match nor a false positive.
Other unmatched findings are false positives, unmatched labels are misses, and a false
positive that overlaps a must-not-flag statement is also a must-not-flag violation. Findings of
kind ``supported``, findings of severity ``info`` and, in a document labelled ``omissions:
unlabelled``, omission findings are ignored.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

__all__ = [
    "DocumentLabels", "DocumentResult", "Evaluation", "ExpectedFinding", "FalsePositive",
    "KindScore", "Match", "Miss", "MustNotFlag", "evaluate_corpus", "format_evaluation",
    "load_labels", "locate", "score_document",
]

#: The kinds a label may accept, in the order reports list them.
KINDS: tuple[str, ...] = (
    "outdated", "incorrect", "outdated-citation", "outdated-term", "internal-contradiction",
    "omission",
)
CONTRADICTION = "internal-contradiction"
OMISSION = "omission"

_LABEL_KEYS = {"document", "published", "profile", "expected", "must_not_flag", "notes", "omissions"}
_EXPECTED_KEYS = {"quote", "omission", "kinds", "related", "wrong_at_publication", "fact",
                  "topic_id", "note", "occurrence"}
_MNF_KEYS = {"quote", "reason"}
# Words too common to tell one omission topic from another.
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or that the their them "
    "they this to what when where which who whom with without about under over than then there "
    "these those other such basis what".split()
)
_QUOTE_CHARS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u00a0": " ", "\u202f": " ",
})


# ------------------------------------------------------------------------------------- labels

@dataclass(frozen=True)
class ExpectedFinding:
    """A finding a reviewer expects: a quoted statement, or an omitted topic.

    Attributes:
        kinds: the finding kinds accepted for this statement (the first is its main kind).
        quote: a distinctive substring of the statement; ``None`` for omissions.
        related: for contradictions, the other statement.
        omission: for omissions, a short description of the missing topic.
        topic_id: for omissions, the id of the required topic; when given, the finding's
            ``rule`` must name it, otherwise the finding's message must share a word with
            ``omission``.
        wrong_at_publication: whether the statement was already wrong when published.
        fact: an optional hint naming the fact the statement is about.
        occurrence: for a quote the document prints more than once (a table cell "B1" in two
            rows), which printing is meant, counting from 1 in document order; ``None`` when
            the quote must occur once.
    """

    kinds: tuple[str, ...]
    quote: str | None = None
    related: str | None = None
    omission: str | None = None
    topic_id: str | None = None
    wrong_at_publication: bool | None = None
    fact: str | None = None
    occurrence: int | None = None

    @property
    def kind(self) -> str:
        return self.kinds[0]

    @property
    def is_omission(self) -> bool:
        return self.omission is not None

    @property
    def text(self) -> str:
        """The quote, or the omitted topic."""
        return self.quote if self.quote is not None else (self.omission or "")


@dataclass(frozen=True)
class MustNotFlag:
    """A statement no finding may point at, with the reason (history, quotation, correct...)."""

    quote: str
    reason: str = ""


@dataclass(frozen=True)
class DocumentLabels:
    """The labels of one corpus document, as read from its YAML file."""

    source: str
    document: str
    published: _dt.date | None
    profile: str | None
    expected: tuple[ExpectedFinding, ...]
    must_not_flag: tuple[MustNotFlag, ...]
    #: whether the labeller judged what the document leaves out; when false (``omissions:
    #: unlabelled``) omission findings are neither matched nor counted as false positives
    omissions_labelled: bool = True


def _label_error(source: str, message: str) -> ValueError:
    return ValueError(f"{source}: {message}")


def _parse_date(value: Any, source: str) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise _label_error(source, f"published must be an ISO date (YYYY-MM-DD), not {value!r}")


def _nonempty_str(value: Any, what: str, source: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _label_error(source, f"{what} must be a non-empty string, not {value!r}")
    return value


def _parse_expected(entry: Any, index: int, source: str) -> ExpectedFinding:
    where = f"expected[{index}]"
    if not isinstance(entry, dict):
        raise _label_error(source, f"{where} must be a mapping")
    unknown = set(entry) - _EXPECTED_KEYS
    if unknown:
        raise _label_error(source, f"{where}: unknown key(s) {sorted(unknown)}")
    kinds = entry.get("kinds")
    if isinstance(kinds, str):
        kinds = [kinds]
    if not kinds or not isinstance(kinds, list):
        raise _label_error(source, f"{where}: kinds must be a non-empty list")
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise _label_error(source, f"{where}: unknown kind(s) {bad}; expected any of {list(KINDS)}")
    has_quote, has_omission = "quote" in entry, "omission" in entry
    if has_quote == has_omission:
        raise _label_error(source, f"{where}: give exactly one of quote or omission")
    if has_omission and list(kinds) != [OMISSION]:
        raise _label_error(source, f"{where}: an omission label must have kinds [omission]")
    if has_quote and OMISSION in kinds:
        raise _label_error(source, f"{where}: a quoted statement cannot be an omission")
    wap = entry.get("wrong_at_publication")
    if wap is not None and not isinstance(wap, bool):
        raise _label_error(source, f"{where}: wrong_at_publication must be true or false")
    related = entry.get("related")
    if related is not None:
        related = _nonempty_str(related, f"{where}: related", source)
    occurrence = entry.get("occurrence")
    if occurrence is not None and (not has_quote or isinstance(occurrence, bool)
                                   or not isinstance(occurrence, int) or occurrence < 1):
        raise _label_error(source, f"{where}: occurrence must be a whole number from 1, with a quote")
    return ExpectedFinding(
        kinds=tuple(kinds),
        quote=_nonempty_str(entry["quote"], f"{where}: quote", source) if has_quote else None,
        related=related,
        omission=_nonempty_str(entry["omission"], f"{where}: omission", source)
        if has_omission else None,
        topic_id=entry.get("topic_id"),
        wrong_at_publication=wap,
        fact=entry.get("fact"),
        occurrence=occurrence,
    )


def load_labels(path: str | os.PathLike) -> DocumentLabels:
    """Read and validate one label file.

    Args:
        path: the YAML file.

    Returns:
        The document's labels.

    Raises:
        ValueError: naming the file, when the YAML is malformed or breaks the label format.
    """
    path = Path(path)
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _label_error(source, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise _label_error(source, "a label file must be a mapping")
    unknown = set(data) - _LABEL_KEYS
    if unknown:
        raise _label_error(source, f"unknown key(s) {sorted(unknown)}")
    document = _nonempty_str(data.get("document"), "document", source)
    expected = data.get("expected") or []
    mnf = data.get("must_not_flag") or []
    if not isinstance(expected, list) or not isinstance(mnf, list):
        raise _label_error(source, "expected and must_not_flag must be lists")
    omissions = data.get("omissions", "labelled")
    if omissions not in ("labelled", "unlabelled"):
        raise _label_error(source, f"omissions must be 'labelled' or 'unlabelled', not {omissions!r}")
    if omissions == "unlabelled" and any("omission" in e for e in expected if isinstance(e, dict)):
        raise _label_error(source, "a document with omissions: unlabelled cannot have omission labels")
    must_not_flag = []
    for i, entry in enumerate(mnf):
        if not isinstance(entry, dict) or set(entry) - _MNF_KEYS:
            raise _label_error(source, f"must_not_flag[{i}] must be a mapping of quote and reason")
        must_not_flag.append(MustNotFlag(
            quote=_nonempty_str(entry.get("quote"), f"must_not_flag[{i}]: quote", source),
            reason=str(entry.get("reason") or "")))
    return DocumentLabels(
        source=source,
        document=document,
        published=_parse_date(data.get("published"), source),
        profile=data.get("profile"),
        expected=tuple(_parse_expected(e, i, source) for i, e in enumerate(expected)),
        must_not_flag=tuple(must_not_flag),
        omissions_labelled=omissions == "labelled",
    )


# ----------------------------------------------------------------------------------- locating

def _normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Lower-case ``text``, straighten quotes and dashes, collapse whitespace runs to one space,
    and return it with, for each character kept, its offset in the original."""
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for i, ch in enumerate(text.translate(_QUOTE_CHARS)):
        if ch.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(i - 1)
            pending_space = False
        chars.append(ch.lower())
        offsets.append(i)
    return "".join(chars), offsets


def _normalise(text: str) -> str:
    return _normalise_with_map(text)[0]


class _Locator:
    """Finds quotes in one document's text (normalised once)."""

    def __init__(self, text: str):
        self.text = text
        self.norm, self.offsets = _normalise_with_map(text)

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        needle = _normalise(quote)
        if not needle:
            return []
        spans, at = [], self.norm.find(needle)
        while at >= 0:
            start = self.offsets[at]
            end = self.offsets[at + len(needle) - 1] + 1
            spans.append((start, end))
            at = self.norm.find(needle, at + 1)
        return spans

    def find_one(self, quote: str, source: str, occurrence: int | None = None) -> tuple[int, int]:
        spans = self.find_all(quote)
        if not spans:
            raise ValueError(f"{source}: quote not found in the document text: {quote!r}")
        if occurrence is not None:
            if len(spans) < 2 or occurrence > len(spans):
                raise ValueError(f"{source}: quote occurs {len(spans)} time(s), so occurrence "
                                 f"{occurrence} is wrong: {quote!r}")
            return spans[occurrence - 1]
        if len(spans) > 1:
            raise ValueError(f"{source}: quote occurs {len(spans)} times in the document text; "
                             f"make it distinctive: {quote!r}")
        return spans[0]


def locate(text: str, quote: str) -> list[tuple[int, int]]:
    """Every span of ``quote`` in ``text``, ignoring case and differences in whitespace, quote
    marks and dashes. Spans are offsets into ``text`` (``text[start:end]`` is the matched text).
    """
    return _Locator(text).find_all(quote)


# ------------------------------------------------------------------------------------ results

@dataclass(frozen=True)
class Match:
    """A finding matched to an expected label."""

    document: str
    kind: str
    quote: str
    label: ExpectedFinding
    page: int | None = None
    start: int | None = None
    end: int | None = None
    wrong_at_publication: bool | None = None
    #: another labelled use of the same old name, found by a finding already matched (its
    #: related passages): it counts for recall, not again for precision
    shared: bool = False


@dataclass(frozen=True)
class Miss:
    """An expected finding the audit did not report."""

    document: str
    kinds: tuple[str, ...]
    quote: str
    related: str | None = None
    omission: bool = False
    page: int | None = None
    start: int | None = None
    end: int | None = None

    @property
    def kind(self) -> str:
        return self.kinds[0]


@dataclass(frozen=True)
class FalsePositive:
    """A finding no label accounts for; ``must_not_flag`` holds the statement it wrongly flags."""

    document: str
    kind: str
    rule: str
    quote: str
    message: str = ""
    page: int | None = None
    start: int | None = None
    end: int | None = None
    must_not_flag: MustNotFlag | None = None


@dataclass
class DocumentResult:
    """How the audit of one document compares with its labels."""

    document: str
    labels: str
    published_expected: _dt.date | None
    published_found: _dt.date | None
    matches: list[Match] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    false_positives: list[FalsePositive] = field(default_factory=list)
    #: Further findings on a statement already matched, of a kind its label accepts but another
    #: kind or rule ("under paragraph 276B" after "14 years" was found outdated; "Tier 4" after
    #: "Tier 2" in one sentence): right, but not counted.
    also_right: list[Match] = field(default_factory=list)
    kind_checked: int = 0
    kind_accepted: int = 0
    must_not_flag_count: int = 0
    error: str | None = None

    @property
    def tp(self) -> int:
        return len(self.matches)

    @property
    def shared(self) -> int:
        return sum(m.shared for m in self.matches)

    @property
    def fp(self) -> int:
        return len(self.false_positives)

    @property
    def fn(self) -> int:
        return len(self.misses)

    @property
    def published_ok(self) -> bool:
        return self.published_found == self.published_expected

    @property
    def must_not_flag_violations(self) -> list[FalsePositive]:
        return [f for f in self.false_positives if f.must_not_flag is not None]


class _Scores:
    """Precision, recall and F1 from ``tp``, ``fp`` and ``fn`` counts."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        # Findings that are right, not labels found: one finding for an old name used in three
        # labelled places is one right finding.
        return _precision(self.tp - getattr(self, "shared", 0), self.fp)

    @property
    def recall(self) -> float:
        return _recall(self.tp, self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass(frozen=True)
class KindScore(_Scores):
    """True positives, false positives and misses of one kind, with the derived scores."""

    kind: str
    tp: int
    fp: int
    fn: int
    shared: int = 0



def _precision(tp: int, fp: int) -> float:
    # No findings at all makes no false claims: precision 1.0 (recall then shows the cost).
    return tp / (tp + fp) if tp + fp else 1.0


def _recall(tp: int, fn: int) -> float:
    return tp / (tp + fn) if tp + fn else 1.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation(_Scores):
    """The corpus-wide scores, built from per-document results by :func:`evaluate_corpus`.

    Attributes:
        documents: one result per document, in file-name order.
        tp, fp, fn, precision, recall, f1: overall counts and scores. ``tp`` counts labels found;
            ``shared`` of them were found by a finding already matched to another label (an old
            name's finding lists every use), so precision counts ``tp - shared`` right findings.
        per_kind: the same per finding kind (a match counts for the finding's kind, a miss for the
            label's main kind).
        kind_accuracy: of the findings whose span overlaps an expected statement, the share whose
            kind that statement accepts (``None`` when no finding overlapped one).
        kind_accuracy_n: how many findings that share is taken over.
        publication_date_accuracy: the share of documents whose date was read correctly.
        wrong_at_publication_accuracy: of matches whose label says whether the statement was
            already wrong when published, the share where the finding agrees (``None`` if none).
        must_not_flag_violations: false positives that flag a must-not-flag statement.
        misses, false_positives: every miss and false positive, in document order.
    """

    documents: list[DocumentResult]
    tp: int = 0
    fp: int = 0
    fn: int = 0
    shared: int = 0
    per_kind: dict[str, KindScore] = field(default_factory=dict)
    kind_accuracy: float | None = None
    kind_accuracy_n: int = 0
    publication_date_accuracy: float = 0.0
    wrong_at_publication_accuracy: float | None = None
    wrong_at_publication_n: int = 0
    must_not_flag_total: int = 0
    must_not_flag_violations: list[FalsePositive] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    false_positives: list[FalsePositive] = field(default_factory=list)


    @property
    def expected_total(self) -> int:
        return self.tp + self.fn

    @classmethod
    def from_results(cls, results: Sequence[DocumentResult]) -> "Evaluation":
        """Sum per-document results into corpus-wide scores."""
        ev = cls(documents=list(results))
        counts = {k: [0, 0, 0, 0] for k in KINDS}
        wap_checked = wap_right = 0
        for r in ev.documents:
            ev.tp += r.tp
            ev.shared += r.shared
            ev.fp += r.fp
            ev.fn += r.fn
            for m in r.matches:
                counts.setdefault(m.kind, [0, 0, 0, 0])[0] += 1
                counts[m.kind][3] += m.shared
                if m.label.wrong_at_publication is not None:
                    wap_checked += 1
                    wap_right += m.wrong_at_publication == m.label.wrong_at_publication
            for f in r.false_positives:
                counts.setdefault(f.kind, [0, 0, 0, 0])[1] += 1
            for miss in r.misses:
                counts.setdefault(miss.kind, [0, 0, 0, 0])[2] += 1
            ev.kind_accuracy_n += r.kind_checked
            ev.must_not_flag_total += r.must_not_flag_count
            ev.misses.extend(r.misses)
            ev.false_positives.extend(r.false_positives)
            ev.must_not_flag_violations.extend(r.must_not_flag_violations)
        ev.per_kind = {k: KindScore(k, *counts[k]) for k in counts}
        accepted = sum(r.kind_accepted for r in ev.documents)
        ev.kind_accuracy = accepted / ev.kind_accuracy_n if ev.kind_accuracy_n else None
        dated = [r for r in ev.documents if r.published_expected is not None]
        ev.publication_date_accuracy = (
            sum(r.published_ok for r in dated) / len(dated) if dated else 1.0)
        ev.wrong_at_publication_n = wap_checked
        ev.wrong_at_publication_accuracy = wap_right / wap_checked if wap_checked else None
        return ev

    def to_dict(self) -> dict:
        """A JSON-ready summary (scores, counts, misses and false positives)."""
        def loc(x: Any) -> dict:
            return {"page": x.page, "start": x.start, "end": x.end}

        return {
            "documents": len(self.documents),
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "shared": self.shared,
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "per_kind": {k: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": s.precision,
                             "recall": s.recall, "f1": s.f1} for k, s in self.per_kind.items()},
            "kind_accuracy": self.kind_accuracy,
            "publication_date_accuracy": self.publication_date_accuracy,
            "wrong_at_publication_accuracy": self.wrong_at_publication_accuracy,
            "must_not_flag_violations": len(self.must_not_flag_violations),
            "misses": [{"document": m.document, "kinds": list(m.kinds), "quote": m.quote,
                        "location": loc(m)} for m in self.misses],
            "false_positives": [{"document": f.document, "kind": f.kind, "rule": f.rule,
                                 "quote": f.quote, "location": loc(f),
                                 "must_not_flag": f.must_not_flag.quote if f.must_not_flag else None}
                                for f in self.false_positives],
            "errors": {r.document: r.error for r in self.documents if r.error},
        }


# ------------------------------------------------------------------------------------ scoring

def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _any_overlap(xs: Iterable[tuple[int, int]], ys: Iterable[tuple[int, int]]) -> bool:
    ys = list(ys)
    return any(_overlaps(x, y) for x in xs for y in ys)


#: Kinds whose finding lists its other places as related passages (see check.group_repeated_names)
_GROUPED_KINDS = ("outdated-term", "outdated-citation", "outdated", "incorrect")


def _finding_spans(finding: Any, *, with_related: bool) -> list[tuple[int, int]]:
    spans = []
    loc = getattr(finding, "location", None)
    if loc is not None and loc.end > loc.start:
        spans.append((loc.start, loc.end))
    if with_related:
        for rel in getattr(finding, "related", ()) or ():
            rloc = getattr(rel, "location", None)
            if rloc is not None and rloc.end > rloc.start:
                spans.append((rloc.start, rloc.end))
    return spans


def _same_id(rule: str, topic_id: str) -> bool:
    def norm(s: str) -> str:
        s = s.strip().lower().replace("-", "_")
        return s[len("topic."):] if s.startswith("topic.") else s

    a, b = norm(rule), norm(topic_id)
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower())
            if len(w) > 3 and w not in _STOPWORDS}


def _omission_score(finding: Any, label: ExpectedFinding) -> int:
    """How well an omission finding fits an omission label (0: not at all)."""
    rule = getattr(finding, "rule", "") or ""
    if label.topic_id:
        return 100 if _same_id(rule, label.topic_id) else 0
    haystack = _words(f"{getattr(finding, 'message', '')} {rule.replace('.', ' ').replace('_', ' ')}")
    return len(_words(label.omission or "") & haystack)


def _max_matching(n_findings: int, candidates: dict[int, list[int]]) -> dict[int, int]:
    """Maximum bipartite matching (Kuhn's augmenting paths); returns label -> finding.

    ``candidates[f]`` lists the labels finding ``f`` may match, best first, so ties go to the
    better pair while the number of matches is still maximal.
    """
    owner: dict[int, int] = {}

    def augment(f: int, seen: set[int]) -> bool:
        for label in candidates.get(f, ()):
            if label in seen:
                continue
            seen.add(label)
            if label not in owner or augment(owner[label], seen):
                owner[label] = f
                return True
        return False

    for f in range(n_findings):
        augment(f, set())
    return owner


def _page_at(document: Any, offset: int | None) -> int | None:
    if document is None or offset is None:
        return None
    block_at = getattr(document, "block_at", None)
    block = block_at(offset) if block_at else None
    return getattr(block, "page", None)


def score_document(labels: DocumentLabels, text: str, findings: Iterable[Any], *,
                   published: _dt.date | None = None, document: Any = None) -> DocumentResult:
    """Compare one document's findings with its labels.

    Args:
        labels: the document's labels.
        text: the document's extracted text (the text findings' offsets point into).
        findings: the audit's findings (``supported`` ones are ignored).
        published: the date the audit read from the document.
        document: the :class:`~guidance_audit.Document`, used only to give misses a page.

    Returns:
        The matches, misses and false positives of this document.

    Raises:
        ValueError: when a label quote is missing from ``text`` or occurs in it more than once.
    """
    locator = _Locator(text)
    source = labels.source
    label_spans: list[list[tuple[int, int]]] = []
    quote_spans: list[tuple[int, int] | None] = []
    for label in labels.expected:
        spans: list[tuple[int, int]] = []
        if label.quote is not None:
            spans.append(locator.find_one(label.quote, source, label.occurrence))
        quote_spans.append(spans[0] if spans else None)
        if label.related is not None:
            spans.append(locator.find_one(label.related, source))
        label_spans.append(spans)
    mnf_spans = [(m, locator.find_one(m.quote, source)) for m in labels.must_not_flag]

    # Only errors and warnings are claims about the document: supported statements and info notes
    # (a statement true for a transitional cohort) are not.
    found = [f for f in findings if getattr(f, "kind", None) != "supported"
             and getattr(f, "severity", "warning") != "info"
             and (labels.omissions_labelled or getattr(f, "kind", None) != OMISSION)]
    candidates: dict[int, list[int]] = {}
    for i, finding in enumerate(found):
        scored = []
        for j, label in enumerate(labels.expected):
            if finding.kind not in label.kinds:
                continue
            if label.is_omission:
                score = _omission_score(finding, label)
                if score:
                    scored.append((-score, j))
                continue
            contradiction = finding.kind == CONTRADICTION
            # an old name's finding lists its later uses as related passages: any may match
            mine = _finding_spans(finding, with_related=contradiction or finding.kind in _GROUPED_KINDS)
            theirs = label_spans[j] if contradiction else label_spans[j][:1]
            if _any_overlap(mine, theirs):
                # Prefer the label whose own quote the finding's main span overlaps.
                direct = _any_overlap(_finding_spans(finding, with_related=False),
                                      label_spans[j][:1])
                scored.append((0 if direct else 1, j))
        candidates[i] = [j for _, j in sorted(scored)]
    owner = _max_matching(len(found), candidates)
    matched_findings = {f: label for label, f in owner.items()}
    # An old name's finding names every place the document uses it: each labelled use among them
    # is found, not only the one the finding was matched to.
    more_labels: dict[int, list[int]] = {}
    for i in matched_findings:
        finding = found[i]
        if finding.kind not in _GROUPED_KINDS or not getattr(finding, "related", ()):
            continue
        mine = _finding_spans(finding, with_related=True)
        for j, label in enumerate(labels.expected):
            if j not in owner and finding.kind in label.kinds and not label.is_omission \
                    and _any_overlap(mine, label_spans[j][:1]):
                owner[j] = i
                more_labels.setdefault(i, []).append(j)

    result = DocumentResult(document=labels.document, labels=source,
                            published_expected=labels.published, published_found=published,
                            must_not_flag_count=len(labels.must_not_flag))
    for i, finding in enumerate(found):
        loc = getattr(finding, "location", None)
        page, start, end = (loc.page, loc.start, loc.end) if loc is not None else (None, None, None)
        if finding.kind != OMISSION:
            main = _finding_spans(finding, with_related=False)
            overlapping = [lab for lab, spans in zip(labels.expected, quote_spans)
                           if spans is not None and _any_overlap(main, [spans])]
            if finding.kind == CONTRADICTION:
                overlapping += [lab for lab, spans in zip(labels.expected, label_spans)
                                if lab not in overlapping and CONTRADICTION in lab.kinds
                                and _any_overlap(_finding_spans(finding, with_related=True), spans)]
            if overlapping:
                result.kind_checked += 1
                result.kind_accepted += any(finding.kind in lab.kinds for lab in overlapping)
        if i in matched_findings:
            for j in [matched_findings[i], *more_labels.get(i, [])]:
                result.matches.append(Match(
                    document=labels.document, kind=finding.kind, quote=finding.quote, label=labels.expected[j],
                    page=page, start=start, end=end,
                    wrong_at_publication=getattr(finding, "wrong_at_publication", None),
                    shared=j != matched_findings[i]))
            continue
        if finding.kind not in (OMISSION, CONTRADICTION):
            main = _finding_spans(finding, with_related=False)
            taken = next((labels.expected[j] for j in owner
                          if (span_j := quote_spans[j]) is not None and _any_overlap(main, [span_j])
                          and finding.kind in labels.expected[j].kinds
                          and _also_right(finding, found[owner[j]])), None)
            if taken is not None:
                result.also_right.append(Match(
                    document=labels.document, kind=finding.kind, quote=finding.quote, label=taken,
                    page=page, start=start, end=end,
                    wrong_at_publication=getattr(finding, "wrong_at_publication", None)))
                continue
        violated = None
        if finding.kind != OMISSION:
            spans = _finding_spans(finding, with_related=True)
            violated = next((m for m, span in mnf_spans if _any_overlap(spans, [span])), None)
        result.false_positives.append(FalsePositive(
            document=labels.document, kind=finding.kind, rule=getattr(finding, "rule", ""),
            quote=finding.quote, message=getattr(finding, "message", ""), page=page, start=start,
            end=end, must_not_flag=violated))
    for j, label in enumerate(labels.expected):
        if j in owner:
            continue
        span = quote_spans[j]
        result.misses.append(Miss(
            document=labels.document, kinds=label.kinds, quote=label.text, related=label.related,
            omission=label.is_omission,
            page=_page_at(document, span[0]) if span else None,
            start=span[0] if span else None, end=span[1] if span else None))
    return result


def _also_right(extra: Any, matched: Any) -> bool:
    """Whether a further finding on a matched statement says something else about it: another
    kind, or another old name or provision (each name is its own span). Two value findings of
    one kind on one statement are one right reading and one misreading."""
    if extra.kind != matched.kind:
        return True
    names = ("outdated-term", "outdated-citation")
    return (extra.kind in names and getattr(extra, "rule", None) != getattr(matched, "rule", None)
            and not _any_overlap(_finding_spans(extra, with_related=False),
                                 _finding_spans(matched, with_related=False)))


# --------------------------------------------------------------------------------- the corpus

def _corpus_pairs(root: Path) -> list[tuple[DocumentLabels, Path]]:
    labels_dir, docs_dir = root / "labels", root / "docs"
    if not labels_dir.is_dir() or not docs_dir.is_dir():
        raise ValueError(f"{root}: a corpus needs labels/ and docs/ directories")
    docs = {p.name: p for p in sorted(docs_dir.iterdir())
            if p.is_file() and not p.name.startswith(".")}
    pairs = []
    labelled = set()
    for path in sorted(labels_dir.glob("*.yaml")):
        labels = load_labels(path)
        if labels.document not in docs:
            raise ValueError(f"{path}: document {labels.document!r} is not in {docs_dir}")
        if Path(labels.document).stem != path.stem:
            raise ValueError(f"{path}: a label file must have its document's stem "
                             f"({Path(labels.document).stem}.yaml)")
        labelled.add(labels.document)
        pairs.append((labels, docs[labels.document]))
    unlabelled = sorted(set(docs) - labelled)
    if unlabelled:
        raise ValueError(f"{docs_dir}: document(s) without a label file in {labels_dir}: "
                         + ", ".join(unlabelled))
    return pairs


def evaluate_corpus(path: str | os.PathLike = "corpora", *, auditor: Any = None,
                    as_of: Any = None) -> Evaluation:
    """Audit every document of a labelled corpus and score the findings against the labels.

    Args:
        path: the corpus directory, holding ``docs/`` and ``labels/``.
        auditor: anything with ``audit(path)`` returning an
            :class:`~guidance_audit.AuditReport` (default: a new :class:`~guidance_audit.Auditor`).
        as_of: the date the rules are taken at, passed to the auditor when given.

    Returns:
        The :class:`Evaluation`.

    Raises:
        ValueError: when a label file is malformed, names a missing document, or quotes text that
            is not (or not uniquely) in its document; or when a document has no label file.
    """
    root = Path(path)
    pairs = _corpus_pairs(root)
    if auditor is None:
        from .auditor import Auditor
        auditor = Auditor()
    results = []
    for labels, doc_path in pairs:
        try:
            report = (auditor.audit(doc_path, as_of=as_of) if as_of is not None
                      else auditor.audit(doc_path))
        except Exception as exc:  # a crash is scored as a document with no findings
            results.append(_failed(labels, f"{type(exc).__name__}: {exc}"))
            continue
        document = getattr(report, "document", None)
        if document is None:
            errors = "; ".join(getattr(e, "message", str(e)) for e in getattr(report, "errors", ()))
            results.append(_failed(labels, errors or "the document could not be read"))
            continue
        results.append(score_document(labels, document.text, report.findings,
                                      published=getattr(report, "published", None),
                                      document=document))
    return Evaluation.from_results(results)


#: The sections of a corpus, in the order they are reported: ``designed`` is the corpus folder
#: itself (documents written together with the recognition rules); the others are subfolders
#: (``realistic``: documents in the styles of real pages; ``former-blind`` to ``former-blind-8``:
#: earlier blind sections, each measured untuned and then opened for tuning; ``blind``:
#: written and labelled by people who never saw the recognition rules, and never used to tune
#: them).
SECTIONS = ("designed", "realistic", "former-blind", "former-blind-2", "former-blind-3", "former-blind-4",
            "former-blind-5", "former-blind-6", "former-blind-7", "former-blind-8", "blind")


def corpus_sections(path: str | os.PathLike = "corpora") -> dict[str, Path]:
    """The sections present under a corpus folder: name -> folder holding ``docs/`` and
    ``labels/``. A folder that is itself a plain corpus is one section, ``designed``."""
    root = Path(path)
    found: dict[str, Path] = {}
    if (root / "docs").is_dir() and (root / "labels").is_dir():
        found["designed"] = root
    for name in SECTIONS[1:]:
        sub = root / name
        if (sub / "docs").is_dir() and (sub / "labels").is_dir() and any((sub / "labels").glob("*.yaml")):
            found[name] = sub
    if not found:
        raise ValueError(f"{root}: a corpus needs labels/ and docs/ directories")
    return found


@dataclass
class SectionedEvaluation:
    """The evaluation of each corpus section and of all of them together.

    Attributes:
        sections: section name -> its :class:`Evaluation`, in :data:`SECTIONS` order.
        overall: every document of every section scored together.
    """

    sections: dict[str, Evaluation]
    overall: Evaluation

    def to_dict(self) -> dict:
        return {"sections": {k: v.to_dict() for k, v in self.sections.items()},
                "overall": self.overall.to_dict()}


def evaluate_sections(path: str | os.PathLike = "corpora", *, auditor: Any = None,
                      as_of: Any = None) -> SectionedEvaluation:
    """:func:`evaluate_corpus` for each section of a corpus folder, and overall."""
    if auditor is None:
        from .auditor import Auditor
        auditor = Auditor()
    sections = {name: evaluate_corpus(folder, auditor=auditor, as_of=as_of)
                for name, folder in corpus_sections(path).items()}
    overall = Evaluation.from_results([r for ev in sections.values() for r in ev.documents])
    return SectionedEvaluation(sections, overall)


def format_sections(sev: SectionedEvaluation, *, details: Iterable[str] = ()) -> str:
    """One line per section and overall (documents, labelled statements, TP/FP/FN, precision,
    recall, F1, omission precision and recall, must-not-flag violations, kind and
    wrong-at-publication accuracy), then the full report of each section named in ``details``."""
    head = (f"{'section':<11}{'docs':>5}{'exp':>5}{'mnf':>5}{'TP':>5}{'FP':>5}{'FN':>5}{'prec':>7}"
            f"{'recall':>7}{'F1':>7}{'om.P':>7}{'om.R':>7}{'MNF!':>6}{'kind':>7}{'wap':>7}")
    lines = ["Corpus evaluation by section", "", head]
    rows = list(sev.sections.items()) + [("overall", sev.overall)]
    for name, ev in rows:
        om = ev.per_kind.get(OMISSION)
        lines.append(
            f"{name:<11}{len(ev.documents):>5}{ev.expected_total:>5}{ev.must_not_flag_total:>5}"
            f"{ev.tp:>5}{ev.fp:>5}{ev.fn:>5}{_fmt(ev.precision):>7}{_fmt(ev.recall):>7}{_fmt(ev.f1):>7}"
            f"{_fmt(om.precision if om and (om.tp + om.fp) else None):>7}"
            f"{_fmt(om.recall if om and (om.tp + om.fn) else None):>7}"
            f"{len(ev.must_not_flag_violations):>6}{_fmt(ev.kind_accuracy):>7}"
            f"{_fmt(ev.wrong_at_publication_accuracy):>7}")
    lines += ["", "exp: expected findings; mnf: must-not-flag statements; om.: omissions; "
              "MNF!: must-not-flag statements flagged; kind, wap: kind and wrong-at-publication "
              "accuracy on matched findings"]
    for name in details:
        if name in sev.sections:
            lines += ["", f"== {name} ==", "", format_evaluation(sev.sections[name]).rstrip("\n")]
    return "\n".join(lines) + "\n"


def _failed(labels: DocumentLabels, error: str) -> DocumentResult:
    result = DocumentResult(document=labels.document, labels=labels.source,
                            published_expected=labels.published, published_found=None,
                            must_not_flag_count=len(labels.must_not_flag), error=error)
    result.misses = [Miss(document=labels.document, kinds=lab.kinds, quote=lab.text,
                          related=lab.related, omission=lab.is_omission)
                     for lab in labels.expected]
    return result


# --------------------------------------------------------------------------------- formatting

def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _where(x: Any) -> str:
    parts = []
    if x.page is not None:
        parts.append(f"p.{x.page}")
    if x.start is not None and x.end is not None and x.end > x.start:
        parts.append(f"chars {x.start}-{x.end}")
    return " ".join(parts) or "-"


def _clip(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_evaluation(ev: Evaluation) -> str:
    """A plain-text report: scores per kind and overall, the other accuracies, then every miss
    and false positive with its location."""
    lines = [
        f"Corpus evaluation: {len(ev.documents)} documents, {ev.expected_total} expected findings, "
        f"{ev.must_not_flag_total} must-not-flag statements",
        "",
        f"{'kind':<24}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>9}{'F1':>8}",
    ]
    for kind in KINDS + tuple(k for k in ev.per_kind if k not in KINDS):
        s = ev.per_kind.get(kind)
        if s is None:
            continue
        lines.append(f"{kind:<24}{s.tp:>5}{s.fp:>5}{s.fn:>5}{_fmt(s.precision):>11}"
                     f"{_fmt(s.recall):>9}{_fmt(s.f1):>8}")
    lines.append(f"{'overall':<24}{ev.tp:>5}{ev.fp:>5}{ev.fn:>5}{_fmt(ev.precision):>11}"
                 f"{_fmt(ev.recall):>9}{_fmt(ev.f1):>8}")
    dated = [r for r in ev.documents if r.published_expected is not None]
    lines += [
        "",
        f"kind accuracy:                  {_fmt(ev.kind_accuracy)} "
        f"({ev.kind_accuracy_n} findings on labelled statements)",
        f"publication-date accuracy:      {_fmt(ev.publication_date_accuracy)} "
        f"({sum(r.published_ok for r in dated)} of {len(dated)} documents)",
        f"wrong-at-publication accuracy:  {_fmt(ev.wrong_at_publication_accuracy)} "
        f"({ev.wrong_at_publication_n} matched findings with a label)",
        f"must-not-flag violations:       {len(ev.must_not_flag_violations)} "
        f"(of {ev.must_not_flag_total} statements)",
    ]
    wrong_dates = [r for r in dated if not r.published_ok]
    if wrong_dates:
        lines += ["", f"Publication dates read wrongly ({len(wrong_dates)}):"]
        lines += [f"  {r.document}: expected {r.published_expected}, read {r.published_found}"
                  for r in wrong_dates]
    errors = [r for r in ev.documents if r.error]
    if errors:
        lines += ["", f"Documents that could not be audited ({len(errors)}):"]
        lines += [f"  {r.document}: {r.error}" for r in errors]
    lines += ["", f"Misses ({len(ev.misses)}):"]
    for m in ev.misses:
        what = f"[omission] {m.quote}" if m.omission else f'"{_clip(m.quote)}"'
        lines.append(f"  {m.document}  {_where(m)}  {'/'.join(m.kinds)}  {what}")
    lines += ["", f"False positives ({len(ev.false_positives)}):"]
    for f in ev.false_positives:
        flag = (f"  MUST NOT FLAG ({f.must_not_flag.reason or 'labelled'})"
                if f.must_not_flag else "")
        what = _clip(f.message) if f.kind == OMISSION else f'"{_clip(f.quote)}"'
        lines.append(f"  {f.document}  {_where(f)}  {f.kind} [{f.rule}]  {what}{flag}")
    return "\n".join(lines) + "\n"

"""Split a document into claims with spaCy and describe each claim.

The default pipeline is ``spacy.blank("en")`` with tokenizer exceptions for the abbreviations of
guidance prose ("para.", "s.", "No.") and a rule-based sentence splitter, so it needs no model
download. A user's own pipeline can be passed to :class:`guidance_audit.Auditor`; if it has no
sentence boundaries, ours is added.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Iterable, Iterator

import numpy
import spacy
from spacy.attrs import ORTH as ORTH_ATTR
from spacy.attrs import DEP, SENT_START, SPACY
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.util import compile_infix_regex
from spacy.tokens import Doc

from .genre import detect_genre
from .models import EMPTY_CONTEXT, Block, Claim, ClaimContext, ContextLayer, Document, Quantity
from .quantities import parse_quantities, resolve_yearless

ABBREVIATIONS = (
    "para.", "Para.", "paras.", "Paras.", "s.", "ss.", "e.g.", "E.g.", "i.e.", "I.e.", "No.", "no.",
    "Nos.", "cf.", "approx.", "Sch.", "sch.", "reg.", "regs.", "art.", "Art.", "arts.", "c.", "v.",
    "vs.", "pp.", "p.", "Cm.", "cl.", "ch.", "Ch.", "subs.", "Ltd.", "Co.", "St.", "Rev.", "Gov.",
    "Govt.", "Dept.", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Insp.", "Sgt.", "Supt.", "DC.", "PC.",
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.",
)
SENTENCE_COMPONENT = "guidance_sentences"
_OPENERS = set("\"'“‘([•-–—£€$")
_CLOSERS = set("\"'”’)]")


@Language.component(SENTENCE_COMPONENT)
def guidance_sentences(doc: Doc) -> Doc:
    """Mark sentence starts for guidance prose: full stops, question and exclamation marks
    followed by a capital, a digit or an opening quote; never after a listed abbreviation or an
    initial ("J. Smith"); semicolons do not end a sentence."""
    n = len(doc)
    if n == 0:
        return doc
    starts = _sentence_starts(doc)
    if starts is not None:
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]  # thinc's Ints2d is a numpy array
        return doc
    doc[0].is_sent_start = True
    after_end = False
    for i in range(1, n):
        tok = doc[i]
        prev = doc[i - 1]
        text = prev.text
        if text in (".", "!", "?", "...", "…") or (text.endswith(("!", "?")) and len(text) > 1) or (
                len(text) == 2 and text[0].isupper() and text[1] == "." and i >= 2 and doc[i - 2].text.lower() in _LABELS):
            if text == "." and (not prev.whitespace_ and not tok.text[0] in _CLOSERS):
                after_end = False  # "E-DVILR.1.3", "s.29": a full stop inside a reference
            elif text == "." and i >= 2 and _is_initial(doc[i - 2].text):
                after_end = False
            else:
                after_end = True
        elif text and text[0] in _CLOSERS and after_end:
            pass  # a closing quote or bracket after the full stop still belongs to the sentence
        elif prev.is_space and "\n\n" in text:
            after_end = True
        elif not prev.is_space:
            after_end = False
        first = tok.text[0]
        if after_end and first in _CLOSERS and not prev.whitespace_:
            tok.is_sent_start = False  # a closing quote glued to the full stop
            continue
        if after_end and (first.isupper() or first.isdigit() or first in _OPENERS) and not tok.is_space:
            tok.is_sent_start = True
            after_end = False
        else:
            tok.is_sent_start = False
    return doc


#: Words a capital letter labels ("Annex A", "Option B", "Part C"): the full stop after such a
#: letter can end a sentence, unlike one after an initial ("J. Smith").
_LABELS = frozenset({"annex", "appendix", "schedule", "part", "section", "table", "figure", "chart", "option",
                     "plan", "category", "class", "grade", "box", "step", "stage", "phase", "type", "form",
                     "model", "group", "zone", "band", "level", "exhibit", "attachment", "enclosure", "list"})


def _is_initial(text: str) -> bool:
    return len(text) == 1 and text.isupper()


# The rules above, applied without a Token object per token: only the few tokens that can end a
# sentence are visited, and the boundaries are written in one call. Each distinct token text is
# classified once (the classes of the loop above, as bits).
_END, _DOT, _INITIAL, _CLOSER, _PARA, _SPACE, _STARTER, _LETTER_DOT = 1, 2, 4, 8, 16, 32, 64, 128
_CLASSES: dict[int, int] = {}


def _token_class(text: str) -> int:
    c = 0
    if text in (".", "!", "?", "...", "\u2026") or (text.endswith(("!", "?")) and len(text) > 1):
        c |= _END | (_DOT if text == "." else 0)
    if _is_initial(text):
        c |= _INITIAL
    if len(text) == 2 and text[0].isupper() and text[1] == ".":
        c |= _LETTER_DOT  # "A." (one token): ends a sentence only as a label's letter ("Annex A.")
    first = text[:1]
    if first and first in _CLOSERS:
        c |= _CLOSER
    if text.isspace():
        c |= _SPACE | (_PARA if "\n\n" in text else 0)
    elif first and (first.isupper() or first.isdigit() or first in _OPENERS):
        c |= _STARTER
    return c


def _sentence_starts(doc: Doc) -> numpy.ndarray | None:
    """``SENT_START`` values (1 or -1) of every token, as :func:`guidance_sentences` defines them
    (``None`` for a parsed Doc, whose boundaries come from its parse)."""
    arr = doc.to_array([ORTH_ATTR, SPACY, DEP])
    if arr[:, 2].any():
        return None
    orths = arr[:, 0].tolist()
    get = _CLASSES.get
    classes: list[int] = [get(orth) for orth in orths]  # type: ignore[misc]  # the Nones are filled below
    if None in classes:
        strings = doc.vocab.strings
        for k, c in enumerate(classes):
            if c is None:
                classes[k] = _CLASSES[orths[k]] = _token_class(strings[orths[k]])
    n = len(classes)
    starts = numpy.full(n, -1, dtype=numpy.int64)
    starts[0] = 1
    # A sentence can only start right after an end mark or a paragraph break (possibly with
    # closing quotes, brackets and spaces between).
    spaced: list[int] = []
    candidates = [j for j in range(n - 1) if classes[j] & (_END | _PARA) or (
        classes[j] & _LETTER_DOT and j >= 1 and doc.vocab.strings[orths[j - 1]].lower() in _LABELS)]
    for j in candidates:
        if classes[j] & _DOT and j >= 1 and classes[j - 1] & _INITIAL:
            continue  # "J. Smith": the full stop after an initial ends nothing
        if not spaced:
            spaced = arr[:, 1].tolist()
        if classes[j] & _DOT and not spaced[j] and not classes[j + 1] & _CLOSER:
            continue  # "E-DVILR.1.3", "s.29": a full stop inside a reference ends nothing
        i = j + 1
        while i < n:
            c = classes[i]
            if not (c & _CLOSER and not spaced[i - 1]):
                if c & _STARTER:
                    starts[i] = 1
                    break
            i += 1
            if i >= n:
                break
            p = classes[i - 1]
            if p & (_END | _PARA):
                break  # a boundary of its own, visited as a candidate
            if not (p & (_CLOSER | _SPACE)):
                break
    return starts.astype(numpy.uint64)


_LETTER_DOT_DIGIT = r"(?<=[A-Za-z])\.(?=\d)"


class _WithLetterDotDigit:
    """The pipeline's infix finder plus a split of "." between a letter and a digit.

    Chaining a small pattern onto the compiled one avoids recompiling spaCy's whole infix regex
    for every Auditor. ``pattern`` is the combined pattern, which is what spaCy serialises.
    """

    _extra = re.compile(_LETTER_DOT_DIGIT)

    def __init__(self, base: Any):
        self.base = base
        self.pattern = f"{base.__self__.pattern}|{_LETTER_DOT_DIGIT}"

    def finditer(self, text: str) -> list[re.Match]:
        found = list(self.base(text))
        extra = [m for m in self._extra.finditer(text)
                 if not any(f.start() < m.end() and m.start() < f.end() for f in found)]
        return sorted(found + extra, key=lambda m: m.start()) if extra else found


#: A full stop after a paragraph number that ends in a capital letter ("paragraph 289A.",
#: "section 3C."): spaCy keeps it on the token, as it would for "U.S.", so the number is missed.
_NUMBER_LETTER_DOT = r"(?<=[0-9][A-Z])\.$"


class _WithNumberLetterDot:
    """The pipeline's suffix search plus a split of the full stop after "289A"."""

    _extra = re.compile(_NUMBER_LETTER_DOT)

    def __init__(self, base: Any):
        self.base = base
        self.pattern = f"{base.__self__.pattern}|{_NUMBER_LETTER_DOT}"

    def search(self, text: str) -> re.Match | None:
        return self._extra.search(text) or self.base(text)


def _has_letter_dot_digit(nlp: Language) -> bool:
    finder = nlp.tokenizer.infix_finditer  # type: ignore[union-attr]
    return _LETTER_DOT_DIGIT in getattr(getattr(finder, "__self__", None), "pattern", "")


def build_pipeline() -> Language:
    """The default pipeline: a blank English tokenizer with guidance abbreviations and our
    sentence splitter. Installs with spaCy alone; nothing is downloaded."""
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": _TOKENIZER}}})
    prepare_pipeline(nlp)  # finds the tokenizer ready: adds the sentence splitter
    return nlp


_TOKENIZER = "guidance_audit.Tokenizer.v1"


@spacy.registry.tokenizers(_TOKENIZER)
def _create_tokenizer() -> Any:
    """spaCy's tokenizer for the language with what :func:`prepare_pipeline` adds, built at once:
    each change to a built tokenizer's rules or patterns reloads all its ~1,400 special cases
    (speed only: the tokenizer is the same)."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_prefix_regex, compile_suffix_regex

    def factory(nlp: Language) -> Tokenizer:
        d = nlp.Defaults
        rules = dict(d.tokenizer_exceptions or {})
        for abbr in ABBREVIATIONS:
            rules[abbr] = [{ORTH: abbr}]
        prefix: Any = compile_prefix_regex(d.prefixes).search if d.prefixes else None
        suffix: Any = compile_suffix_regex(d.suffixes).search if d.suffixes else None
        infix: Any
        if suffix is not None:
            suffix = _WithNumberLetterDot(suffix).search
        if d.infixes:
            infix = _WithLetterDotDigit(compile_infix_regex(d.infixes).finditer).finditer
        else:
            infix = compile_infix_regex([_LETTER_DOT_DIGIT]).finditer
        return Tokenizer(nlp.vocab, rules=rules, prefix_search=prefix, suffix_search=suffix, infix_finditer=infix,
                         token_match=d.token_match, url_match=d.url_match)

    return factory


def prepare_pipeline(nlp: Language) -> Language:
    """Add our abbreviations and, when the pipeline sets no sentence boundaries, our splitter."""
    for abbr in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])  # type: ignore[union-attr]
    if not _has_letter_dot_digit(nlp):
        base = nlp.tokenizer.infix_finditer  # type: ignore[union-attr]
        if base is None or not hasattr(getattr(base, "__self__", None), "pattern"):
            infixes = list(nlp.Defaults.infixes or []) + [_LETTER_DOT_DIGIT]
            nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
        else:
            nlp.tokenizer.infix_finditer = _WithLetterDotDigit(base).finditer  # type: ignore[union-attr]
    suffix = nlp.tokenizer.suffix_search  # type: ignore[union-attr]
    if suffix is not None and _NUMBER_LETTER_DOT not in getattr(getattr(suffix, "__self__", None), "pattern", ""):
        if hasattr(getattr(suffix, "__self__", None), "pattern"):
            nlp.tokenizer.suffix_search = _WithNumberLetterDot(suffix).search  # type: ignore[union-attr]
    has_sentences = any(name in nlp.pipe_names for name in ("parser", "senter", "sentencizer", SENTENCE_COMPONENT))
    if not has_sentences:
        nlp.add_pipe(SENTENCE_COMPONENT, first=True)
    return nlp


# --------------------------------------------------------------------------------------------
# Describing a claim

_MODALS = [
    (re.compile(r"\b(?:must|shall|need(?:s)? to|ha(?:ve|s) to|(?:is|are) required to|mustn't)\b", re.I), "must"),
    (re.compile(r"\b(?:should|ought to|shouldn't)\b", re.I), "should"),
    (re.compile(r"\b(?:may|might)\b", re.I), "may"),
    (re.compile(r"\b(?:can|could|cannot|can't|couldn't)\b", re.I), "can"),
    (re.compile(r"\b(?:will|won't|would|wouldn't)\b", re.I), "will"),
]
_NEGATION = re.compile(
    r"\b(?:not|never|cannot|no one|nobody|nothing|neither|nor|under no circumstances|at no (?:time|point)|"
    r"no risk|no longer|none|no (?:information|details|data|personal data|personal information|records?|referral|referrals|"
    r"victims?|witness(?:es)?|survivors?|callers?))\b|n't\b",
    re.I,
)
_NOT_NEGATION = re.compile(
    r"\bnot only\b|\bwhether or not\b|\bif not\b|"
    # who a rule is for, not a denial of it: "couples with one child who is not British need £22,400"
    r"\b(?:who|that)\s+(?:is|are|was|were)\s+not\s+(?:British|settled|a British citizen|British citizens)\b|"
    r"\b(?:who|that)\s+(?:isn't|aren't|isn’t|aren’t)\s+(?:British|settled|a British citizen|British citizens)\b",
    re.I)

_QUOTE_PAIRS = (("\u201c", "\u201d"), ("\u2018", "\u2019"), ('"', '"'))
_REPORTED = re.compile(
    r"\b(?:said|stated|claimed|argued|wrote|suggested|asserted|alleged|told\s+\w+|reported)\b(?:\s+that)?|"
    # what a document says, with its words quoted ("Its manual tells investigators to "notify
    # ..."", "The force's statement says that it "will never pass ...""
    r"\b(?:says|states|tells\s+\w+\s+to|instructs\s+\w+\s+to|directs\s+\w+\s+to)\s+(?:that\s+)?(?=[^.]*[\"\u201c\u2018])",
    re.I,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:propos(?:al|als|ed|es)|consultation|white paper|under consideration|plans? to|planned|"
    # "you would need £62,500 in savings" is advice on the rule as it is, not a proposal
    r"(?<!\byou )would (?:need|have|be|mean|require|become|only|face|move|rise|fall|increase|change)|"
    r"if (?:the )?(?:government|proposals?|plans?|changes?|rules? (?:were|are) (?:changed|amended))|"
    # "A threshold of £38,700 would exclude ...": a figure under discussion, not the rule
    r"(?:threshold|figure|level|rate|requirement|increase|rise|cap|minimum)\s+of\s+(?:around\s+|about\s+)?£?[\d,.]+\w*\s+would|"
    r"suppose|hypothetical(?:ly)?|in theory)\b",
    re.I,
)
_HISTORICAL = re.compile(
    r"\b(?:previously|formerly|used to|in the past|historically|no longer|"
    # "at the time of writing" is the document's own present
    r"at (?:that|the) time(?!\s+of\s+(?:writing|publication|going to press|this (?:guide|leaflet|briefing|update|note)))|back then|"
    r"under the (?:old|previous|former|earlier) (?:rules?|regime|system|arrangements?)|the old rules|"
    r"was (?:abolished|replaced|renamed|withdrawn|closed|superseded|scrapped)|"
    r"were (?:abolished|replaced|renamed|withdrawn|closed|superseded|scrapped)|"
    r"has (?:since )?been (?:abolished|replaced|renamed|withdrawn|closed|superseded|scrapped|discontinued)|"
    r"(?:has|have) (?:now |since |long )?gone(?=\s*(?:[.,;:!)\u2013\u2014]|$|and\b|for good\b))|"
    r"(?:is|are) (?:now )?gone(?=\s*(?:[.,;:!)]|$))|"
    r"no longer exists?|"
    r"before (?:the )?(?:change|changes|reform|reforms)|"
    r"until (?:it|they) (?:was|were))\b",
    re.I,
)
_DATE_CUE = re.compile(
    r"\b(before|prior to|until|till|up to|up until|between|in|during|by|from|since|on or after|after|"
    r"with effect from|starting|as of|as from|on)\s+(?:(?:early|late|mid|around|about|spring|summer|autumn|"
    r"winter|the end of|the start of|the beginning of)[\s-]+)?$", re.I)
_PAST_VERB = re.compile(
    r"\b(?:was|were|had|could|did|used to|took|gave|lasted|became|ended|began|introduced|launched|went|"
    r"created|established|set up|announced|renamed|merged|opened|abolished|brought in|changed|rose|"
    r"increased|fell|raised|lowered|cut|extended|published|replaced|came into (?:force|effect)|"
    r"took effect|started|stopped|closed|ran|required|allowed|applied|meant|needed|covered|"
    r"restricted|removed|scrapped|withdrew|withdrawn|reduced|doubled|moved|came|arrived|entered|got|lost|"
    r"held|left|joined|lived|worked|studied|married|applied|helped|supported|assisted|advised|received|"
    r"refused|accepted|decided|agreed|asked|granted|issued|found|made)\b", re.I)
# A change told in the simple past, with no date: "they introduced a minimum income threshold".
_CHANGE_PAST = re.compile(
    r"\b(?:introduced|brought in|abolished|scrapped|replaced|launched|raised|increased|extended|lowered|"
    r"reduced|cut|doubled|tightened|relaxed|closed|withdrew|renamed|merged)\b", re.I)
#: A regular past tense after its subject ("the Home Office funded a pilot", "Earlier guidance
#: named the UK Border Agency"): an -ed word not after a form of "be" or "have" (a passive or
#: perfect) nor used as an adjective before a noun phrase the rule knows ("settled persons").
_AFTER_AUXILIARY = (r"(?<![Ii]s )(?<!are )(?<!be )(?<!been )(?<!being )(?<!was )(?<!were )(?<!has )(?<!have )"
                    r"(?<!had )(?<!get )(?<!gets )(?<!got )(?<!not )(?<!never )")
_REGULAR_PAST = re.compile(
    _AFTER_AUXILIARY + r"(?<!the )(?<!a )(?<!an )\b(?!(?:settled|skilled|married|unmarried|"
    r"qualified|registered|accredited|approved|authorised|authorized|licensed|detained|sponsored|"
    r"limited|based|called|named|related|required|needed|interested|concerned|worried|protected|"
    r"regulated|funded|listed|specified|dated|updated|signed|indefinite|exceed|proceed|succeed|need|"
    r"feed|speed|seed|deed|bleed|breed|embed|shed|bed|red|wed|hundred|sacred|kindred|naked|wicked)\b)"
    r"[a-z]{2,}(?:ed)\b")
_PAST_WORD = re.compile(_AFTER_AUXILIARY + r"\b(?:paid|told|sent|kept|brought|said|spent|wrote|ran|saw|met|led|sold|won|"
                        r"built|taught|thought|sought|bought|fought|meant|heard|understood|stood|chose|"
                        r"drew|grew|knew|threw|rose|fell|spoke|broke|woke)\b", re.I)


def _past_tense(plain: str) -> re.Match | None:
    """The first past-tense verb of a sentence: a listed one, or (in a sentence with no present
    verb: "has rights under the 2015 Code, including the right to be kept informed") a regular
    -ed form after its subject or another common past form."""
    listed = _PAST_VERB.search(plain)
    if listed or _PRESENT_VERB.search(plain):
        return listed
    return _PAST_WORD.search(plain) or _REGULAR_PAST.search(plain)


_FUTURE_VERB = re.compile(r"\b(?:will|shall|is (?:due|set|expected) to|are (?:due|set|expected) to|is going to)\b", re.I)
_COHORT_VERB = re.compile(
    r"\b(?:applied|apply|application was made|admitted|were granted|was granted|granted|entered|arrived|came to the UK|"
    r"came in|came here|come in|come here|joined (?:their|her|his|a) (?:partner|spouse|husband|wife)|"
    r"held|lodged|submitted|claimed asylum|moved to the UK|moved here|moved to (?:Britain|England|Scotland|Wales)|"
    r"(?:were|was) (?:living|resident) in the UK|lived in the UK|started living|began living|made (?:a|an|their|your) (?:claim|application)|started|began|"
    r"first (?:applied|granted|came|entered|arrived|sponsored)|(?:were|was|been) sponsored|sponsored|were given|was given|had leave|"
    r"got (?:leave|a visa|their visa|her visa|his visa|permission|status|settled status|pre-settled status|ILR))"
    r"(?:\s+[\w()'’-]+){0,7}\s*$", re.I)
_NOW = re.compile(r"\b(?:now|currently|today|at present|presently|still|these days|from now on)\b", re.I)
_PARENTHETICAL = re.compile(r"\([^()]*\)")


def without_asides(text: str) -> str:
    """The text with bracketed asides blanked out (same length, so offsets still hold):
    "(even if that permission is no longer valid)" neither negates nor dates the sentence."""
    return _PARENTHETICAL.sub(lambda m: " " * len(m.group(0)), text)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of text inside quotation marks (curly or straight double quotes, curly
    single quotes and straight single quotes used as quotes, not apostrophes)."""
    spans: list[tuple[int, int]] = []
    for open_q, close_q in _QUOTE_PAIRS:
        i = 0
        while True:
            a = text.find(open_q, i)
            if a < 0:
                break
            if open_q == "\u2018" or open_q == close_q:
                if a > 0 and text[a - 1].isalnum():
                    i = a + 1
                    continue
            b = text.find(close_q, a + 1)
            while b >= 0 and close_q == "\u2019" and b + 1 < len(text) and text[b + 1].isalpha():
                b = text.find(close_q, b + 1)  # an apostrophe inside the quote
            if b < 0:
                break
            spans.append((a + 1, b))
            i = b + 1
    for m in re.finditer(r"(?:(?<=^)|(?<=[\s(\[]))'([^'\n]{2,}?)'(?=[\s.,;:!?)\]]|$)", text):
        spans.append((m.start(1), m.end(1)))
    return sorted(spans)


def inside_quotes(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of the quote spans."""
    return any(a <= start and end <= b for a, b in spans)


def detect_modality(text: str) -> str | None:
    """The strongest modal verb in the statement: must, should, may, can or will."""
    best: tuple[int, str] | None = None
    for pattern, label in _MODALS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), label)
    return best[1] if best else None


def detect_negation(text: str) -> bool:
    """Whether the statement is negated ("cannot", "never", "will not", "no risk"); a bracketed
    aside does not count."""
    cleaned = _NOT_NEGATION.sub(" ", without_asides(text))
    return bool(_NEGATION.search(cleaned))


def detect_framing(text: str, quantities: Iterable[Quantity], reference: _dt.date,
                   context: ClaimContext = EMPTY_CONTEXT) -> str:
    """How the statement is framed: ``current``, ``historical``, ``future``, ``hypothetical`` or
    ``quoted`` (see :func:`explain_framing` for the reason as well)."""
    return explain_framing(text, quantities, reference, context)[0]


#: Where a sentence moves on to a second statement of its own (", and that the government had
#: announced ...", "; but ...").
_NEXT_STATEMENT = re.compile(r",\s+(?:and|but)\s+(?:that|also|then|the|a|an|its|their|this|these|ministers?|"
                             r"officials?)\b|;\s+(?:and\s+|but\s+)?", re.I)


def _in_a_later_clause(plain: str, at: int, quantities: Iterable[Quantity]) -> bool:
    """Whether the cue at ``at`` follows a break into a second statement that comes after every
    amount and period of the sentence: a proposal told after the rule does not frame the rule."""
    breaks = [b.start() for b in _NEXT_STATEMENT.finditer(plain, 0, at)]
    stated = [q.end for q in quantities if q.kind in ("money", "duration", "count", "percent")]
    return bool(breaks and stated and max(stated) <= breaks[-1])


#: The titles that name a person speaking ("Dr Hanley said the ...", "Cllr Byrne noted that ...").
_HONORIFICS = "Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Professor|Inspector|Superintendent|Sergeant"


@dataclass(frozen=True, slots=True)
class Framing:
    """How a statement is framed, why, and where the report of someone's speech begins in it
    (``reported_at``, relative to the statement, when the statement reports what someone said:
    the words before it are the document's own)."""

    framing: str
    reason: str | None
    reported_at: int | None = None


def explain_framing(text: str, quantities: Iterable[Quantity], reference: _dt.date,
                    context: ClaimContext = EMPTY_CONTEXT) -> tuple[str, str | None]:
    """How the statement is framed and why: ``(framing, reason)`` of :func:`frame_statement`."""
    f = frame_statement(text, quantities, reference, context)
    return f.framing, f.reason


def frame_statement(text: str, quantities: Iterable[Quantity], reference: _dt.date,
                    context: ClaimContext = EMPTY_CONTEXT) -> Framing:
    """How the statement is framed and why.

    Args:
        text: the statement.
        quantities: its quantities (offsets relative to ``text``); dates decide past and future.
        reference: the date the statement speaks from (the document's date, else today).
        context: the statement's context; a section about the past ("History", "Before
            9 July 2012") frames its statements as historical.

    Returns:
        a :class:`Framing`: its reason quotes the words or names the section that decided a
        framing other than ``current`` (``None`` for current statements); for reported speech,
        where the report begins.
    """
    quantities = list(quantities)
    spans = quote_spans(text)
    minuted = _MINUTED.match(text) if context.genre == "meeting-record" else None
    if minuted and not spans:
        # Minutes tell what each participant said, in the past tense of reported speech: "Dr
        # Quayle reported that the concession now lasted six months" is the meeting's statement
        # that it lasts six months. What was said is read as if said now (a pluperfect or a
        # date still tells history: "reminded members that it had been twelve months until 2003").
        said = text[minuted.end():]
        if not _PLUPERFECT_THEN.search(said):  # ("recalled that in 2010 the council had written to ...")
            said = _backshifted(said)
        return replace(frame_statement(said, parse_quantities(said), reference, replace(context, genre=None)),
                       reported_at=None)
    letters = sum(map(str.isalpha, text)) or 1
    quoted_letters = sum(sum(map(str.isalpha, text[a:b])) for a, b in spans)
    if quoted_letters / letters >= 0.6:
        return Framing("quoted", "the statement is mostly inside quotation marks")
    reported = _REPORTED.search(text)
    tail = _TAIL_CLAUSE.search(text)
    if reported and tail and reported.start() > tail.start() and all(a > tail.start() for a, _ in spans):
        # "The sponsor has to earn at least £18,600, which is why some clients have been told by
        # their partner that they are "costing him money"": the report is in a later clause
        reported = None
    if spans and reported:
        return Framing("quoted", f"reported speech ('{reported.group(0).strip()}') with a quotation", reported.start())
    lead = _LEADING_CONDITION.match(text)
    m = re.search(_NOT_THE_AUTHOR + r"\b(?:said|stated|claimed|argued|wrote|told \w+) that\b|"
                  + _NOT_THE_AUTHOR + r"\b(?:says|claims|tells \w+|told \w+|said|stated) (?:that |he |she |they |it |I |we )|"
                  # what someone said ("he said the income requirement would go straight to ...");
                  # what a document says may be relied on ("the guidance says the threshold is ...")
                  + _NOT_THE_AUTHOR + r"\b(?:he|she|they|minister|ministers|Secretary|spokesperson|spokesman|spokeswoman|"
                  r"(?:" + _HONORIFICS + r")\.?\s+[A-Z][\w'’-]+)\s+"
                  r"(?:said|stated|claimed|argued) (?:the|a|an|this|these|there|its|his|her|their) ",
                  text, re.I)
    if m and not (lead and m.start() < lead.end()) and not _in_a_later_clause(text, m.start(), quantities):
        # (what a caller says in a leading condition is not the statement: "Where the caller
        # says she has no visa, add the marker ..."; nor what someone said in a later clause:
        # "The threshold is currently £38,700, and the White Paper of May 2025 said it would rise")
        return Framing("quoted", f"reported speech ('{m.group(0)}')", m.start())
    m = re.search(r"\b(?:my|her|his|your|their|our)\s+(?:husband|wife|partner|ex-partner|ex|boyfriend|girlfriend|"
                  r"employer|landlord|sponsor|family|friends?|solicitor|uncle|aunt|aunty|auntie|mother|father|mum|dad|"
                  r"brother|sister|cousin|parents|in-laws|mother-in-law|father-in-law|neighbour|colleague|boss)\s+"
                  r"(?:says|said|claims|claimed|told me|tells me|keeps saying|kept saying|keeps telling|kept telling|"
                  r"insists|insisted|has told me|thinks|thought|believes|believed)\b", text, re.I)
    if m:
        return Framing("quoted", f"reported speech ('{m.group(0)}')", m.start())
    # Hearsay ("Some people say she can get ILR after two years, others say it's five now")
    m = re.search(r"\b(?:some|other|many|most|a lot of)\s+(?:people|folk|posters|members)\s+(?:say|said|reckon|reckoned|"
                  r"think|thought|claim|claimed|told me|tell me|keep saying)\b|\bpeople\s+(?:say|keep saying|are saying)\b|"
                  r"\bothers\s+(?:say|said|reckon|claim)\b", text, re.I)
    if m:
        return Framing("quoted", f"hearsay ('{m.group(0)}')")
    # A review reporting what it was told ("Officers told us they often ask for a passport")
    m = re.search(r"\b(?:told|tell|tells|informed|assured)\s+(?:us|me|the (?:panel|review|inspectors?|researchers?|committee|"
                  r"court|magistrates|jury|tribunal|hearing|inquiry))\b|"
                  # an inspector or reviewer saying what a document says ("It still tells officers to ...")
                  r"^\W*(?:it|the (?:force's )?(?:procedure|policy|guidance|document|leaflet|page|form|letter|manual))\s+"
                  r"(?:still\s+|also\s+|only\s+)?(?:tells|says|states|instructs|asks|directs|advises|cites|quotes|mentions|"
                  r"relies on|refers (?:\w+\s+)?to)\b|"
                  # another of the body's documents ("An intranet page for call handlers still
                  # describes the Destitute Domestic Violence concession", "Its manual, revised in
                  # 2023, tells investigators to ...")
                  r"^\W*(?:an?|its|their|one|the force's|the)\s+(?:[\w'’-]+\s+){0,3}?(?:procedure|policy|guidance|"
                  r"document|leaflet|page|form|letter|manual|website|script|handbook|poster|briefing|toolkit|flowchart)"
                  r"(?:\s+(?:for|on|used by)(?:\s+[\w'’-]+){1,4}?)?(?:,[^,]{1,50},)?\s+"
                  r"(?:still|also|only|now)\s+(?:tells|says|states|instructs|asks|directs|advises|cites|quotes|mentions|"
                  r"describes|names|uses|relies on|refers (?:\w+\s+)?to)\b", text, re.I)
    if m:
        return Framing("quoted", f"reported speech ('{m.group(0)}')", m.start())
    if context.section_framing == "cited":
        return Framing("cited", context.section_reason)
    if _QUESTION.search(text):
        return Framing("question", "a question asserts nothing (its answer does)")
    plain = without_asides(text)
    m = _ANNOUNCED.search(plain)
    if m:
        return Framing("future", f"an announced change ('{m.group(0)}')")
    m = _HYPOTHETICAL.search(plain)
    if m is not None and _advice_would_need(plain, m):
        m = None  # "A couple relying on savings alone would need £62,500": the rule as it applies to them
    if m and _in_a_later_clause(plain, m.start(), quantities):
        m = None  # "... currently had to show £18,600, and that the government had announced this would rise"
    if m and not (m.group(0).lower().startswith("would") and _WORKED_EXAMPLE.search(plain)):
        return Framing("hypothetical", f"'{m.group(0)}'")
    if (re.match(r"\s*(?:if|were|suppose)\b", plain, re.I) and re.search(r"\bwould\b", plain, re.I)
            and not _ADVICE_WOULD.search(plain)):
        return Framing("hypothetical", "a conditional with 'would'")
    m = _HISTORICAL.search(plain)
    while m and (_STATUS_LAPSED.match(plain, m.start()) or (lead and m.start() < lead.end())):
        # "If a follow-up check shows that a tenant no longer has permission, we must ...": a
        # person's lapsed status, or a cue inside the leading condition, is no history of a rule
        m = _HISTORICAL.search(plain, m.end())
    if m and not (_OLD_RULES.fullmatch(m.group(0)) and _STILL_UNDER.search(plain)):
        # ("Victims who came in under the old rules continue to rely on paragraph 289A": a
        # cohort still under them, not history)
        return Framing("historical", f"'{m.group(0)}'")
    m = _RARE_REMNANT.search(plain)
    if m:
        return Framing("historical", f"an old rule said to survive only in rare cases ('{m.group(0)}')")
    m = _BEFORE_THEN.search(plain)
    clause = re.split(r",\s+(?:and|but|so|although|though|while)\b|;", plain[m.end():], maxsplit=1)[0] if m else ""
    if m and _PAST_VERB.search(clause) and not _NOW.search(clause) and not _FUTURE_VERB.search(clause):
        # "Before that date the probationary period was two years, and some clients are still on
        # that route": the clause that names the old rule tells history
        return Framing("historical", f"'{m.group(0)}' with the past tense")
    for q in quantities:
        if q.kind != "date" or q.date is None or plain[q.start:q.end].strip() == "":
            continue
        cue_m = _DATE_CUE.search(text[max(0, q.start - 30):q.start])
        cue = cue_m.group(1).lower() if cue_m else ""
        end_of_period = _period_end(q)
        if cue_m and _cohort_clause(text[max(0, q.start - 80):q.start - len(cue_m.group(0))]):
            continue  # "partners who first applied before 11 April 2024": a cohort, not history
        if cue_m and _DESCRIBED_BY_DATE.search(text[max(0, q.start - 60):q.start - len(cue_m.group(0))]):
            continue  # "the Victims' Code, which was published in October 2015": names the edition
        if _REPORTING_PERIOD.search(text[max(0, q.start - 40):q.start]):
            continue  # "In the twelve months to March 2023 the force shared ...": practice reported up to now
        if cue in ("before", "prior to", "until", "till", "up to", "up until") and q.date <= reference:
            return Framing("historical", f"'{cue} {q.text}'")
        if cue == "between" and end_of_period < reference:
            return Framing("historical", f"'between ... {q.text}'")
        # the date's own part of the sentence: "in 2010 the council had written to ...; he hoped
        # things had improved since" (what follows the semicolon is another statement)
        a, b = plain.rfind(";", 0, q.start) + 1, (plain.find(";", q.end) + 1 or len(plain) + 1) - 1
        if not all(a <= o.start and o.end <= b for o in quantities):
            a, b = 0, len(plain)
        own = plain[a:b]
        past = _past_tense(own)
        turn = _LATER_CLAUSE.search(plain, q.end, b)
        if past and turn and a + past.start() >= turn.start() and _IS_ARE.search(plain, a, turn.start()):
            # "For certificates assigned from 4 April 2024 the general figure is £38,700, and going
            # rates were lifted ...": the date's own clause is in the present
            past = None
        if (cue in ("in", "during", "by", "on", "from", "after", "") and end_of_period < reference
                and past and not _FUTURE_VERB.search(own) and not _NOW.search(own)
                and not _present_rule(own) and not _PERFECT.search(own)):
            return Framing("historical", f"the past tense ('{past.group(0)}') with a past date ('{q.text}')")
        if q.date > reference and (cue in ("from", "on or after", "with effect from", "starting", "as of", "as from")
                                   or (cue in ("in", "by", "after", "on") and _FUTURE_VERB.search(plain))):
            return Framing("future", f"a date after the document's own ('{q.text}')")
    m = _COMPARED_WITH_CHANGE.search(plain)
    if m and _PERFECT.search(plain) and not _FUTURE_VERB.search(plain):
        # "It has been £18,600 since July 2012, so this is an increase of more than half": the
        # figure the change replaces
        return Framing("historical", f"the figure before a change ('{m.group(0).strip()}')")
    m = _PAST_COPULA.match(plain)
    if m and _all_past(plain):
        return Framing("historical", f"the value before, told in the past ('{m.group(0).strip()}')")
    change = _CHANGE_PAST.search(plain)
    if (change and not _PRESENT_RULE.search(plain) and not _NOW.search(plain) and not _FUTURE_VERB.search(plain)
            and not re.search(r"\b(?:has|have|had) been\b", plain, re.I)):
        return Framing("historical", f"a change told in the past tense ('{change.group(0)}')")
    if context.section_framing == "historical":
        return Framing("historical", context.section_reason)
    for layer in context.of_kind("row-header", "column-header"):
        if _past_period(layer.text, reference):
            # a table row for a period that had ended ("December 2020 to April 2023 | £25,600")
            return Framing("historical", f"in the table row for a past period ('{layer.text}')")
    previous = context.of_kind("previous")[:1]
    all_past = _all_past(plain)
    if all_past and _NARRATIVE_SUBJECT.match(plain):
        return Framing("historical", f"a past event told in the past tense ('{all_past}')")
    if (previous and (_CARRIES_ON.match(plain) or all_past) and (_PAST_VERB.search(plain) or _SET_PAST.search(plain))
            and not _NOW.search(plain)
            and not _present_rule(plain) and not _FUTURE_VERB.search(plain)):
        before = previous[0].text
        framing, why = explain_framing(before, parse_quantities(before), reference)
        if framing == "historical":
            return Framing("historical", f"it carries on the history told in the sentence before ({why})")
    if previous and _verbless(plain):
        # "I got my ILR in 2010 after just two years on a spouse visa. No income figure, no
        # English test.": a fragment with no verb of its own goes on with the sentence before
        before = previous[0].text
        framing, why = explain_framing(before, parse_quantities(before), reference)
        if framing == "historical":
            return Framing("historical", f"a fragment carrying on the history told in the sentence before ({why})")
    if context.section_framing == "background":
        past = _PAST_VERB.search(plain)
        turn = _LATER_CLAUSE.search(plain)
        if past and turn and past.start() >= turn.start() and _IS_ARE.search(plain, 0, turn.start()):
            past = None  # "... the general figure is £38,700, and going rates were lifted ..."
        if past and not _NOW.search(plain) and not _present_rule(plain) and not _PERFECT.search(plain):
            return Framing("historical", f"{context.section_reason}, in the past tense ('{past.group(0)}')")
    return Framing("current", None)


#: A participant's words reported in minutes ("Mr Okafor said", "The Chair noted that", "She
#: reported that", "Marcus reminded members that"): a person or a role, not a document or body.
_MINUTED = re.compile(
    r"^\W*(?:(?:" + _HONORIFICS + r"|Mx|Chief Inspector|Sgt|DS|DI|DCI|DC|PC|Supt|Prof|Sister|Father|Rev)"
    r"\.?\s+(?:[A-Z][\w'’-]+\s+){0,2}?[A-Z][\w'’-]+|"
    r"(?:He|She|They)|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|"
    r"[Tt]he\s+(?:[\w-]+\s+){0,5}?(?:Chair|Chairman|Chairwoman|Vice-Chair|Commissioner|Officer|Superintendent|"
    r"Inspector|Manager|Lead|Coordinator|Co-ordinator|[Rr]epresentative|[Aa]dviser|[Aa]dvisor|Director|Head|Clerk|"
    r"Secretary|[Cc]aseworker|[Ss]olicitor)|"
    # the paper before the meeting ("The report stated that partners ... must complete ...")
    r"[Tt]he\s+(?:[\w-]+\s+){0,2}?(?:report|paper|policy|briefing note))"
    r",?\s+(?:(?:also|further|then|again)\s+)?"
    r"(?:said|reported|replied|explained|confirmed|noted|advised|added|stated|clarified|recalled|commented|"
    r"observed|pointed out|set out|"
    r"(?:told|informed|reminded|assured|updated)\s+(?:the\s+)?(?:meeting|members|group|panel|committee|board|forum|"
    r"partnership|sub-group))(?:\s+that)?\s+(?=\S)")
#: Reported speech's past tense, undone: what a participant "said was" they said "is".
_BACKSHIFT = {"was": "is", "were": "are", "had": "has", "could": "can", "would": "will", "remained": "remains",
              "lasted": "lasts", "covered": "covers", "gave": "gives", "needed": "needs", "required": "requires",
              "allowed": "allows", "meant": "means", "included": "includes", "did": "does", "stood": "stands"}
_BACKSHIFT_RE = re.compile(r"\b(?:" + "|".join(_BACKSHIFT) + r")\b", re.I)


#: Where a sentence goes on to a clause of its own, and a present copula.
_LATER_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas|although)\b")
_IS_ARE = re.compile(r"\b(?:is|are)\b", re.I)
#: A pluperfect beside a year: what was done then, history whatever the reporting verb.
_PLUPERFECT_THEN = re.compile(r"\b(?:in|by|during|since|from)\s+(?:\w+\s+)?(?:19|20)\d\d\b[^.;]{0,80}?\bhad\s+(?:been\s+)?\w+(?:ed|en|t)\b|"
                              r"\bhad\s+(?:been\s+)?\w+(?:ed|en|t)\b[^.;]{0,60}?\b(?:in|by|during)\s+(?:\w+\s+)?(?:19|20)\d\d\b", re.I)


def _backshifted(text: str) -> str:
    """What was reported in the past tense, in the present ("remained valid" -> "remains valid";
    "had been renamed" -> "has been renamed"; a date or "until 2003" still tells history)."""
    def swap(m: re.Match) -> str:
        word = _BACKSHIFT[m.group(0).lower()]
        return word.capitalize() if m.group(0)[0].isupper() else word
    return _BACKSHIFT_RE.sub(swap, text)


_OLD_RULES = re.compile(r"under the (?:old|previous|former|earlier) (?:rules?|regime|system|arrangements?)|the old rules", re.I)
_STILL_UNDER = re.compile(r"\b(?:continue|continues|still|remain|remains|keep|keeps)\b", re.I)
#: A later clause that comments on the statement before it ("..., which is why ...").
_TAIL_CLAUSE = re.compile(r",\s+(?:which is why|which means|and that is why|that is why|so|because|which)\b", re.I)
#: A figure compared with the change that replaces it ("..., so this is an increase of more than half").
_COMPARED_WITH_CHANGE = re.compile(r"\b(?:so|which means|meaning)\s+(?:this|that|it)\s+is\s+(?:an?\s+)?(?:\w+\s+)?"
                                   r"(?:increase|rise|jump|cut|reduction|drop|fall)\b", re.I)
#: A short sentence giving what the figure used to be ("It was £38,700.", "The fee was £1,048").
_PAST_COPULA = re.compile(r"^\W*(?:it|this|that|the (?:figure|threshold|amount|fee|rate|level|limit|minimum|"
                          r"requirement|charge|surcharge|penalty|maximum|cap|salary|income))\s+(?:was|were|used to be)\b", re.I)
#: The rule worked through for an example ("So a couple with three children would need £27,200").
_WORKED_EXAMPLE = re.compile(r"^\W*so\b|\bsay\b|\bfor (?:example|instance)\b|\be\.g\.", re.I)
#: Advice on the rule as it is, put as a condition ("If you have no income at all, you would need
#: £62,500 in cash savings"): not a supposition about a different rule.
_ADVICE_WOULD = re.compile(r"\b(?:you|they|she|he|couples?|the couple|your partner)\s+would\s+(?:need|have to|be required to|"
                           r"then need|still need)\b", re.I)
#: A person who "no longer has permission" (or leave, a visa, the right to ...): their status
#: lapsed, which says nothing about a rule being past.
_STATUS_LAPSED = re.compile(r"no longer\s+(?:has|have|holds?|hold|had)\s+(?:any\s+|a\s+|the\s+|valid\s+|their\s+|her\s+|his\s+)*"
                            r"(?:permission|leave|visa|status|right|immigration status)\b", re.I)
#: Advice on what someone would need under the rule as it is ("A couple relying on savings
#: alone would need £62,500", "an applicant with no income would need ..."), not a proposal.
_PERSON_WOULD_NEED = re.compile(r"\b(?:a|an|the|each|any)\s+(?:couple|applicant|sponsor|family|partner|person|spouse|"
                                r"worker|student|employer|household)\b(?:\s+[\w,-]+){0,6}?\s+would\s+(?:need|have)\b", re.I)


def _advice_would_need(plain: str, cue: re.Match) -> bool:
    """Whether a hypothetical cue ("would need") is advice to someone under the rule as it is."""
    advice = _PERSON_WOULD_NEED.search(plain[:cue.end()])
    return advice is not None and advice.end() == cue.end()


#: A condition the sentence starts with, up to its comma.
#: (after a step's label: "Step D. Where the victim's status cannot be verified, ...")
_LEADING_CONDITION = re.compile(r"^\W*(?:(?:step|stage|action|part)\s+[\w.]{1,4}[.:)]\s+|[\w]{1,3}[.)]\s+)?"
                                r"(?:where|if|when|whenever|once|unless|for (?:every|each|any|all)\b)[^,;]{0,160},",
                                re.I)
#: A reporting period up to a date ("in the twelve months to March 2023", "in the year ending
#: 31 March"): figures for it describe the present practice, not history.
_REPORTING_PERIOD = re.compile(r"\b(?:months?|years?|period|quarter|weeks?)\s+(?:to|ending|up to)\s+(?:the\s+end\s+of\s+)?$", re.I)
#: A date that describes what is named ("the Code, which was published in October 2015, sets
#: out ..."): the sentence is about the thing now, not about its publication.
_DESCRIBED_BY_DATE = re.compile(r"(?:\b(?:which|that)\s+(?:was|were)\s+|,\s*|\b)(?:first\s+|last\s+)?"
                                r"(?:published|issued|revised|updated|amended|laid|dated)\s*$", re.I)
#: "Caseworkers are unlikely to see any case to which the 12-month period still applies": the
#: old rule is named as a remnant, not stated as the rule.
_RARE_REMNANT = re.compile(r"\b(?:unlikely to (?:see|meet|come across|find)|very few|hardly any|almost no)\b"
                           r"[^.;]{0,70}?\b(?:still appl(?:y|ies)|remain|remains|are left|is left)\b", re.I)
#: What comes before a cohort's verb when it defines a cohort ("partners who applied ...", "if
#: you entered ...", "anyone granted ...").
_COHORT_LEAD = re.compile(r"\b(?:who|whose|which|that|if|where|when|once|unless|provided|anyone|those|everyone|"
                          r"people|applicants|persons?)\b[^.;:]*$", re.I)


def _cohort_clause(before: str) -> bool:
    """Whether the words before a date define the cohort the statement is about ("partners who
    first applied before", "applications lodged before"), rather than tell what someone did on
    that date ("Liberty and Southall Black Sisters lodged a super-complaint on")."""
    m = _COHORT_VERB.search(before)
    if m is None:
        return False
    told = re.match(r"[\w()'’-]+\s+(?:a|an|the|their|its)\s+", m.group(0), re.I)
    return not told or bool(_COHORT_LEAD.search(before[:m.start()]))


#: Reported speech is someone else's: "I have told her that ..." is the author's own statement.
_NOT_THE_AUTHOR = r"(?<!\bI )(?<!\bwe )(?<!\bI have )(?<!\bwe have )(?<!\bI've )(?<!\bwe've )"
#: What the asker came across, before an FAQ question ("I read online about the DDV concession.
#: Does it still exist?"); not what the asker states ("My husband has a Tier 2 visa. Can I ...?")
_ASKER = re.compile(r"^\W*(?:I|we)\s+(?:have\s+|'ve\s+)?(?:read|heard|saw|seen|was told|were told|been told|"
                    r"found|came across|come across|keep hearing)\b", re.I)
#: "The government has announced that the surcharge will rise to £1,035 a year": what is to come.
_ANNOUNCED = re.compile(
    r"\b(?:has|have|had)\s+(?:now\s+)?announced\s+(?:that\s+)?[^.;]{0,60}?\bwill\b|"
    # "Once the change is made, the maximum ... will be £45,000"
    # "Tier 4, which is due to start next year": a scheme not yet begun
    r"\b(?:is|are)\s+(?:due|expected|set)\s+to\s+(?:start|begin|open|launch|come into (?:force|effect)|take effect|"
    r"be introduced|be launched)\b|"
    r"^\W*(?:once|when|after)\s+(?:the|these|this)\s+(?:new\s+)?(?:change|changes|increase|increases|rise|rises|"
    r"new rules?|regulations?|new law|new penalties|new fines|reform|reforms)\s+"
    r"(?:is|are|comes?|takes?|goes|go)\b[^.;]{0,100}?\bwill\b", re.I)
#: A time named by reference to a date told before ("Before then, the probationary period was
#: two years", "Before that date the rule was in section DVILR"): with the past tense, history.
_BEFORE_THEN = re.compile(
    r"^\W*(?:before|until|up to|prior to|till)\s+(?:then|that|this|(?:that|this|the|those|these)\s+"
    r"(?:date|day|time|point|change|changes|reform|reforms|year|month))\b|"
    # "Before the concession, some refuges could get help from the Sojourner Project"
    r"^\W*(?:before|until|prior to)\s+(?:the|that|this|its)\s+(?:[\w'’-]+\s+){0,2}?(?:concession|scheme|route|"
    r"rules?|act|law|protocol|code|policy|system|appendix|introduction|creation|launch|pilot|service|agency)\b|"
    # "People given leave before that date had a probationary period of 2 years"
    r"^\W*(?:[\w'’-]+\s+){0,3}?(?:given|granted|admitted|who applied|who were given|who were granted)\s+(?:leave\s+)?"
    r"(?:before|prior to)\s+(?:then|that date|this date|that time|the change)\b", re.I)
#: Someone's story ("Our first step was an application under the DDV concession", "She was
#: granted three months' leave"): told in the past tense, it reports what happened then.
_NARRATIVE_SUBJECT = re.compile(r"^\W*(?:[\w'’,()-]+\s+){0,8}?(?:we|she|he|I|our|my|Mrs|Mr|Ms|Miss)\b", re.I)
_PRESENT_VERB = re.compile(r"\b(?<!\bto )(?:do|does|don't|doesn't|has|have|am|isn't|aren't|gets?|lets?|means?|says?|"
                           r"remains?|continues?|stays?)\b", re.I)


def _all_past(plain: str) -> str | None:
    """The past verb of a sentence told wholly in the past tense (no present, future or
    perfect verb), or ``None``."""
    past = _PAST_VERB.search(plain)
    if past is None or _PRESENT_RULE.search(plain) or _PRESENT_VERB.search(plain) or _NOW.search(plain) \
            or _FUTURE_VERB.search(plain) or _PERFECT.search(plain):
        return None
    return past.group(0)


#: Any verb a fragment might still have: auxiliaries and modals, or a word ending "-ed".
_SOME_VERB = re.compile(r"\b(?:is|are|am|was|were|be|been|being|has|have|had|do|does|did|can|could|will|would|shall|"
                        r"should|may|might|must|need|needs|gets?|got|applies|costs|lasts|means|[a-z]+ed)\b|n't\b", re.I)


_FRAGMENT_START = re.compile(r"^\W*(?:no|not|nothing|none|never|without|just|only|plus|and|or|but|even|all|both|"
                             r"neither)\b", re.I)


def _verbless(plain: str) -> bool:
    """Whether a sentence is a fragment with no verb ("No income figure, no English test.");
    it must start like one, so an instruction ("Contact the UK Border Agency.") is not."""
    return bool(_FRAGMENT_START.match(plain)) and not (
        _SOME_VERB.search(plain) or _PAST_VERB.search(plain) or _NOW.search(plain) or _PRESENT_VERB.search(plain))


#: A statement that refers back to the sentence before ("It set the requirement at £18,600.")
_CARRIES_ON = re.compile(r"^\W*(?:it|this|that|these|those|they|the (?:change|changes|rules?|statement|reform|"
                         r"reforms|new rules?|requirement))\b", re.I)
_SET_PAST = re.compile(r"^\W*\w+(?:\s+\w+)?\s+(?:set|fixed|put)\b", re.I)  # "It set ...", "The change set ..."
# "may have been given" is a past possibility, not a present perfect
_PERFECT = re.compile(r"\b(?<!may )(?<!might )(?<!could )(?<!would )(?<!must )(?<!should )"
                      r"(?:have|has)\s+(?:(?:also|not|never|just|already|always|long|recently)\s+)?"
                      r"(?:had|been|needed|required|applied|covered|allowed)\b|\bsince\b", re.I)
_PRESENT_RULE = re.compile(
    r"\b(?:is|are|must|can|cannot|can't|may|need to|needs to|has to|have to|will|should|applies|"
    r"lasts|costs|requires)\b", re.I)


def _present_rule(text: str) -> bool:
    """Whether the sentence also states something in the present ("In 2012 the rule changed
    and partners now must wait five years"): then a past date does not make it history."""
    return bool(_PRESENT_RULE.search(text)) and not re.search(r"\b(?:was|were|had)\b", text, re.I)


def _period_end(q: Quantity) -> _dt.date:
    assert q.date is not None
    if q.precision == "year":
        return _dt.date(q.date.year, 12, 31)
    if q.precision == "month":
        nxt = _dt.date(q.date.year + (q.date.month == 12), q.date.month % 12 + 1, 1)
        return nxt - _dt.timedelta(days=1)
    return q.date


#: A condition starts a clause of its own: a negation of the main clause does not reach into it
#: ("this will not normally count against you | as long as it happened more than ten years
#: before", "you cannot apply | unless you have lived here for five years").
_CONDITION = r"\b(?:as long as|so long as|provided that|providing that|unless|only if|if)\b"
_CLAUSE_SPLIT = re.compile(r"[,;:()]|" + _CONDITION, re.I)
_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:and|but|or|while|whereas|although)\b|" + _CONDITION, re.I)


def clause_spans(text: str) -> tuple[tuple[int, int, bool], ...]:
    """``(start, end, negated)`` of the clauses of ``text``, split at punctuation. A clause in
    brackets is its own clause."""
    out = []
    a = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() > a:
            out.append((a, m.start(), detect_negation(text[a:m.start()])))
        a = m.end()
    if a < len(text):
        out.append((a, len(text), detect_negation(text[a:])))
    return tuple(out)


def negated_before(text: str, q_start: int) -> bool:
    """Whether a negation governs the quantity starting at ``q_start`` (relative to ``text``):
    it stands in the same clause, before it. "A spouse cannot settle after two years" denies the
    two years; "the visa lasts six months and cannot be extended" does not deny the six months."""
    before = without_asides(text[:q_start])
    breaks = list(_CLAUSE_BREAK.finditer(before))
    # "cannot work 30 hours one week and 10 the next": a conjunction right before the number
    # joins a second object to the same verb, so the clause runs on from before it
    while breaks and _SECOND_OBJECT.fullmatch(before[breaks[-1].start():]):
        breaks.pop()
    clause = _RELATIVE_NEGATION.sub(" ", before[breaks[-1].end():] if breaks else before)
    return bool(_NEGATION.search(_NOT_NEGATION.sub(" ", clause)))


#: A conjunction and at most two words before a number, none of them a subject or a verb's
#: helper ("and 10", "or more than 20"): the number is a second object of the verb before.
_SECOND_OBJECT = re.compile(
    r"(?:and|or)(?:\s+(?!(?:you|they|we|it|he|she|this|that|there|I|is|are|was|were|can|must|will)\b)[\w'-]+){0,2}\s*",
    re.I)


#: A negation inside a relative clause that describes the subject ("A landlord who does not
#: carry out the checks can be fined up to £3,000"): the main verb after it is not negated.
_RELATIVE_NEGATION = re.compile(
    r"\b(?:who|that|which)\s+(?:does|do|did|has|have|had|is|are|was|were)\s*(?:not|n't)\b[^,;]*?"
    r"(?=\b(?:can|could|will|may|must|might|faces?|risks?|is liable|are liable)\b)", re.I)


_COHORT_CLAUSE = re.compile(
    r"\b(?:who|if (?:you|they|your partner|the applicant|the person)|people|those|partners|applicants|anyone|"
    r"migrants|someone|spouses|workers|students)\b[^.;]{0,80}?\b(?:applied|were granted|was granted|"
    r"granted|entered|arrived|came|held|lodged|submitted|claimed|made|started|began|were given|was given|had)\b"
    r"[^.;]{0,60}?\b(?:before|on or before|prior to)\s+(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|"
    r"July|August|September|October|November|December)?\s*\d{4}", re.I)


def cohort_of(text: str) -> tuple[str, _dt.date] | None:
    """The cohort a sentence addresses ("partners who first applied before 11 April 2024"):
    the phrase and the last day of the cohort, or ``None``."""
    m = _COHORT_CLAUSE.search(text)
    if m is None:
        return None
    day = scope_date_of(m.group(0))
    return (m.group(0), day) if day is not None else None


#: What a study, inspection or complaint found or was about ("The investigation found that ...",
#: "a super-complaint about police passing victims' details to the Home Office").
_FINDINGS = re.compile(
    r"\b(?:report|review|investigation|inspection|inspectorate|inspectors|super-complaint|complaint|research|"
    r"survey|study|evaluation|inquiry|HMICFRS|IOPC|FOI request|freedom of information request)\b[^.;]{0,60}?"
    r"\b(?:found|finds|concluded|concludes|showed|shows|revealed|reveals|highlighted|raised concerns?|"
    r"(?:was|is) about|about|into|on how|looked at|look at|examined|rejected|accepted|recommended|"
    r"decided against|agreed to)\b", re.I)


def reports_findings(text: str) -> bool:
    """Whether a statement tells what a study, inspection or complaint found or was about, rather
    than what its own document says to do."""
    return bool(_FINDINGS.search(text))


def _current_then_change(text: str, local: tuple[Quantity, ...], reference: _dt.date,
                         context: ClaimContext) -> int | None:
    """Where a sentence framed as to come (or proposed) asserts the rule now in its first part
    and tells the change in a later one ("To qualify on savings alone, a couple currently needs
    £62,500; after 11 April that will rise to £88,500"): the offset the later part starts at,
    else ``None``."""
    for b in _NEXT_STATEMENT.finditer(text):
        head = [q for q in local if q.end <= b.start()]
        if not any(q.kind in ("money", "duration") for q in head):
            continue
        if explain_framing(text[:b.start()], head, reference, context)[0] != "current":
            return None
        tail = text[b.end():]
        tail_framing = explain_framing(tail, resolve_yearless(tail, parse_quantities(tail), reference), reference,
                                       context)[0]
        return b.end() if tail_framing in ("future", "hypothetical") else None
    return None


#: What introduces words the reader is to say or read out: "You may read out the following general
#: information:", "Say:", "Suggested wording:", "Key messages:".
_SCRIPT_LEAD = re.compile(
    r"(?:^|[.!?]\s+)\W*(?:(?:you|call handlers?|officers?|staff|the call handler|the officer)\s+(?:may|should|must|can|will|need to)\s+)?"
    r"(?:read(?:\s+out|\s+aloud)?|say|tell\s+(?:the\s+)?(?:caller|victim|survivor|them|him|her)|use)\b[^.]{0,100}:\s*$|"
    r"\b(?:suggested|standard|approved|agreed)\s+(?:wording|words|script|message|messages|lines?)\b[^.]{0,60}:\s*$|"
    r"(?:^|[.!?]\s+)\W*(?:key messages?|script|what to say)\s*:\s*$", re.I)
_QUOTE_MARK = re.compile("[\"\u201c\u201d]")


def _scripted(text: str, context: ClaimContext) -> bool:
    """Whether a statement in quotation marks is a line of a script the document gives its
    readers (the nearest lead-in or sentence before it, past earlier quoted lines, introduces
    words to say or read out)."""
    if text.lstrip()[:1] not in ('"', "\u201c"):
        return False
    if any(layer.kind == "lead-in" and _SCRIPT_LEAD.search(layer.text) for layer in context.layers):
        return True
    for layer in context.layers:
        if layer.kind not in ("previous", "lead-in"):
            return False
        if _SCRIPT_LEAD.search(layer.text):
            return True
        if layer.text.lstrip()[:1] not in ('"', "\u201c"):
            return False  # an earlier line of the same script carries on; anything else ends it
    return False


def _inside_a_long_quotation(block: Block, start: int, end: int) -> bool:
    """Whether the statement lies inside a quotation of its block that is longer than the
    statement ('"For too long a fine of fifteen thousand pounds has been treated ... We are
    changing that," the minister said.')."""
    a, b = start - block.start, end - block.start
    return any(qa <= a + 1 and b - 1 <= qb and (qb - qa) > (b - a) + 2 for qa, qb in _block_quotes(block.text))


@lru_cache(maxsize=64)
def _block_quotes(text: str) -> tuple[tuple[int, int], ...]:
    """The quotation spans of a block's text, found once for all the statements of the block."""
    return tuple(quote_spans(text))


def describe_claim(text: str, start: int, end: int, block: Block, reference: _dt.date,
                   context: ClaimContext = EMPTY_CONTEXT) -> Claim:
    """Build a :class:`Claim` for ``text`` found at ``[start, end)`` of the document: its
    quantities, modality, negation (of the sentence, of each clause and of each quantity),
    quotation spans, context and framing, all computed here once."""
    local = resolve_yearless(text, parse_quantities(text), reference)
    if context.scope_date is None:
        cohort = cohort_of(text)
        if cohort is not None:
            context = replace(context, scope=cohort[0], scope_date=cohort[1])
    scripted = _scripted(text, context)
    # a line of a script the document gives its readers to say ("You may read out the following:
    # "... under the domestic violence rule (DVILR) ..."") is the document's own words
    framed = frame_statement(_QUOTE_MARK.sub(" ", text) if scripted else text, local, reference, context)
    framing, reason = framed.framing, framed.reason
    later: frozenset[int] = frozenset()
    if framing in ("future", "hypothetical"):
        cut = _current_then_change(text, local, reference, context)
        if cut is not None:  # "... currently needs £62,500; after 11 April that will rise to £88,500"
            framing, reason = "current", None
            later = frozenset(q.start + start for q in local if q.start >= cut)
    if framing == "current" and block.cell is not None:
        ended = _ended_period_header(context, reference)
        if ended is not None:  # a "before" column: "Up to 3 April" | "£20,960"
            framing, reason = "historical", f"in the table under {ended!r}, a period closed by a date or the old state"
    if framing != "quoted" and not scripted and _inside_a_long_quotation(block, start, end):
        framing, reason = "quoted", "inside a quotation that runs over several sentences"
    if block.kind == "heading" and _QUESTION.search(block.text) and framing != "question":
        framing, reason = "question", "part of a question heading (the answer below asserts)"
    elif (framing == "current" and block.text.rstrip().endswith("?") and len(block.text) <= 400
          and _ASKER.match(text)):
        # "My husband says the police will tell the UK Border Agency about me. Is that true?"
        framing, reason = "question", "the asker's premise, part of the question (the answer below asserts)"
    elif framing == "current" and _ASKED.match(block.text) and start - block.start < _answer_starts(block.text):
        # "Q. ... I am British and earn about £27,500. ... Does it go up with children?"
        framing, reason = "question", "the reader's letter, part of the question (the answer below asserts)"
    negated = detect_negation(text)
    lead = _LEADING_CONDITION.match(text)
    return Claim(
        text=text,
        start=start,
        end=end,
        block=block.index,
        page=block.page,
        quantities=tuple(_shift(q, start) for q in local),
        modality=detect_modality(text),
        negated=negated,
        framing=framing,  # type: ignore[arg-type]
        heading_path=block.heading_path,
        framing_reason=reason,
        context=context,
        quotes=() if scripted else tuple((a + start, b + start) for a, b in quote_spans(text)),
        clauses=tuple((a + start, b + start, n) for a, b, n in clause_spans(text)),
        negated_quantities=frozenset(q.start + start for q in local
                                     if negated and negated_before(text, q.start)),
        negation_marks=tuple(m.start() + start for m in _NEGATION.finditer(_NOT_NEGATION.sub(
            lambda x: " " * len(x.group(0)), without_asides(text)))) if negated else (),
        condition_end=start + lead.end() if lead else None,
        later_quantities=later,
        # (only while the statement is still read as the report: a later decision, a long
        # quotation or a question, replaces it)
        reported_at=(start + framed.reported_at if framed.reported_at is not None
                     and (framing, reason) == (framed.framing, framed.reason) else None),
    )


#: a table header naming a period by its end ("Up to 3 April", "Fee until 3 October", "Before
#: 4 April 2024") or as the old one ("Old rules", "Previous figure", "Before")
_UNTIL_HEADER = re.compile(r"^(?:[A-Za-z]+\s+){0,2}?(?:up to|until|till|before|prior to|pre-?)\s*(?=\d)", re.I)
_OLD_HEADER = re.compile(r"^(?:before|then|old|previous|former|earlier)\b(?!\s+(?:you|your|the applicant|applying)\b)"
                         r"(?:\s+(?:rules?|figures?|rates?|fees?|thresholds?|requirements?|amounts?|system|position))?$", re.I)


def _ended_period_header(context: ClaimContext, reference: _dt.date) -> str | None:
    """The column or row header of a table cell that names a period closed by a date ("Up to 3
    April", "Fee until 3 October") or the old state ("Previous rules"), or ``None``: the cells
    under it tell what applied then, not what applies now."""
    for layer in context.layers:
        if layer.kind not in ("column-header", "row-header"):
            continue
        text = layer.text.strip().rstrip(":")
        if len(text) > 60:
            continue
        if _OLD_HEADER.match(text):
            return text
        m = _UNTIL_HEADER.match(text)
        if m is None:
            continue
        # a period closed by a date, whether or not the date had passed when the document was
        # written: "Fee until 3 October" | "£2,404" says what the fee was up to then
        if any(q.kind == "date" and q.date is not None
               for q in resolve_yearless(text, parse_quantities(text), reference)):
            return text
    return None


_ANSWER_MARK = re.compile(r"\?\s*(?:A\s*\d*\s*[.:)]|Answer\s*[.:])\s", re.I)


def _answer_starts(block_text: str) -> int:
    """Where the answer starts in a block that begins with a marked question ("Q. ...? A. ..."):
    after its "A.", or the end of the block when the answer is a block of its own."""
    m = _ANSWER_MARK.search(block_text)
    return m.start() + 1 if m else len(block_text)


def _shift(q: Quantity, offset: int) -> Quantity:
    return Quantity(q.kind, q.value, q.text, q.start + offset, q.end + offset, q.unit, q.date, q.precision)


def sentence_spans(sdoc: Doc, text: str | None = None, *,
                   figures: bool = False) -> Iterator[tuple[int, int, int, int]]:
    """Yield ``(char_start, char_end, token_start, token_end)`` of each sentence, with
    surrounding whitespace trimmed.

    Args:
        sdoc: the processed ``Doc``.
        text: ``sdoc.text`` when the caller has it (``Doc.text`` is rebuilt token by token).
        figures: also yield sentences with no letters but a digit (a table cell "£26,200").
    """
    if text is None:
        text = sdoc.text
    for sent in sdoc.sents:
        a, b = sent.start_char, sent.end_char
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b and (any(c.isalpha() for c in text[a:b]) or (figures and any(c.isdigit() for c in text[a:b]))):
            yield a, b, sent.start, sent.end


def claims_of_block(sdoc: Doc, block: Block, reference: _dt.date) -> list[Claim]:
    """The claims of one block, given the block's processed spaCy ``Doc``."""
    text = _doc_text(sdoc, block)
    out = []
    for a, b, _, _ in sentence_spans(sdoc, text, figures=block.kind == "table_cell"):
        out.append(describe_claim(text[a:b], block.start + a, block.start + b, block, reference))
    return out


def outline_claims(sdoc: Doc, block: Block) -> list[Claim]:
    """The claims of one block with their text and place only: quantities, modality, negation
    and framing are left at their defaults. :func:`describe_claim` on the same text and span
    gives the full claim; auditing describes only the claims the fact base recognises."""
    text = _doc_text(sdoc, block)
    index, page, path, start = block.index, block.page, block.heading_path, block.start
    return [Claim(text[a:b], start + a, start + b, index, page, heading_path=path)
            for a, b, _, _ in sentence_spans(sdoc, text, figures=block.kind == "table_cell")]


def _doc_text(sdoc: Doc, block: Block) -> str:
    """The text of ``sdoc``, the block's own Doc: the block's text, unless their lengths differ."""
    size = sdoc[-1].idx + len(sdoc[-1].text_with_ws) if len(sdoc) else 0
    return block.text if len(block.text) == size else sdoc.text


def reference_date(document: Document, today: _dt.date | None = None) -> _dt.date:
    """The date a document speaks from: its publication date, else today."""
    return document.metadata.published or today or _dt.date.today()


def extract_claims(nlp: Language, document: Document, *, reference: _dt.date | None = None,
                   batch_size: int = 256, genre: str | None = None) -> list[Claim]:
    """Segment every block of ``document`` into claims.

    Args:
        nlp: a prepared pipeline (see :func:`build_pipeline`).
        document: the document.
        reference: the date statements speak from (default: the publication date, else today).
        batch_size: blocks per ``nlp.pipe`` batch.
        genre: the document's genre, when the caller knows it (default: detected).
    """
    ref = reference or reference_date(document)
    claims: list[Claim] = []
    tracker = ContextTracker(document.metadata.title, genre if genre is not None else detect_genre(document).name)
    for block, sdoc in zip(document.blocks, nlp.pipe((b.text for b in document.blocks), batch_size=batch_size)):
        text = _doc_text(sdoc, block)
        previous: list[ContextLayer] = []
        for a, b, _, _ in sentence_spans(sdoc, text, figures=block.kind == "table_cell"):
            context = tracker.context_for(block, previous[::-1])
            claim = describe_claim(text[a:b], block.start + a, block.start + b, block, ref, context)
            claims.append(claim)
            previous.append(sentence_layer(claim))
        tracker.record(block)
    return claims


# --------------------------------------------------------------------------------------------
# Context: what surrounds a statement


_HISTORY_HEADING = re.compile(
    r"^\W*(?:(?:a\s+)?(?:brief\s+|short\s+|little\s+|bit\s+of\s+|quick\s+)?history\b|some\s+history\b|"
    r"historical\b|timeline\b|"
    # a glossary of names no longer used ("Old and new names", "Terms you may still hear")
    r"(?:old|former|earlier|outdated|previous)\s+(?:and\s+(?:new|current)\s+)?(?:names?|terms?|terminology)\b|"
    r"(?:terms?|names?|words?)\s+(?:you\s+)?(?:may|might)\s+(?:still\s+)?(?:hear|see|come\s+across)\b|"
    r"(?:version|document|revision|change|amendment)s?\s+(?:history|log|record)\b|"
    r"previous\s+(?:rules?|arrangements?|versions?|schemes?)|"
    r"(?:the\s+)?(?:old|former|earlier|past|legacy)\s+(?:rules?|arrangements?|system|scheme|regime|routes?)|"
    r"(?:rules?\s+)?(?:before|prior\s+to|until|pre-?)\s*(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|"
    r"july|august|september|october|november|december)?\s*\d{4}\b)", re.I)
#: A list of the documents a text relies on: each entry names a publication by its title and
#: date, it does not say the publication is current.
_REFERENCES_HEADING = re.compile(
    r"^\W*(?:references?|sources?|bibliography|further\s+reading|works\s+cited|"
    r"(?:related|supporting|key|associated|linked)\s+(?:documents?|guidance|policies|publications|legislation)|"
    r"documents?\s+referred\s+to|legislation\s+and\s+guidance|relevant\s+legislation\s+and\s+guidance)\s*:?\s*$",
    re.I)
# Sections about change tell history in the past tense and the present state in the present
# ("What changed for survivors this year": "we help them apply for ...").
_BACKGROUND_HEADING = re.compile(
    r"^\W*(?:background|context|introduction\s+and\s+background|where\s+we\s+started|"
    r"how\s+(?:the|this|these)\s+(?:rules?|system|scheme|route|concession|law)\s+(?:has\s+|have\s+)?(?:changed|developed|evolved)|"
    r"what\s+(?:has\s+|have\s+)?changed|changes\s+(?:to|since|over|in)\b|"
    # "How the rule began", "Where the rule came from", "Origins of the requirement"
    r"how\s+(?:it|the|this)\s*(?:[\w-]+\s+){0,2}?(?:began|started|came\s+about|came\s+in|was\s+introduced)|"
    r"where\s+(?:it|the|this)\s*(?:[\w-]+\s+){0,2}?came\s+from|(?:the\s+)?origins?\b)", re.I)
_SCOPE = re.compile(
    r"\b(?:this|the\s+following|these)\s+(?:section|page|part|guidance|information|chapter|guide|leaflet|note|"
    r"factsheet|advice|annex|appendix)s?\s+(?:is|are|applies|apply|covers?|relates?)\s+(?:only\s+)?(?:for|to)\b", re.I)
_SCOPE_DATE = re.compile(
    r"\b(?:before|on\s+or\s+before|prior\s+to|until|up\s+to)\s+((?:\d{1,2}\s+)?(?:january|february|march|april|may|"
    r"june|july|august|september|october|november|december)\s+\d{4}|\d{4})", re.I)
_QUESTION = re.compile(r"\?\s*$")
#: A reader's letter or a question marked as one ("Q. My fiancee lives in Kerala ... does it go
#: up when we have children?"), however long: it governs the answers after it until the next.
_ASKED = re.compile(r"^\s*(?:Q\s*\d*\s*[.:)]|Question\s*\d*\s*[.:])\s+\S[^\n]*\?", re.I)
#: A question whose subject is a person named in an earlier question ("When can he apply?").
_PRONOUN_QUESTION = re.compile(r"\b(?:he|she|him|her|his|they|them|their|we|us|our)\b", re.I)
_LEAD_IN = re.compile(r":\s*$")


def scope_date_of(text: str) -> _dt.date | None:
    """The last day of a cohort named in ``text`` ("applied before 9 July 2012" -> 8 July 2012;
    "on or before 8 July 2012" -> 8 July 2012), or ``None``."""
    m = _SCOPE_DATE.search(text)
    if not m:
        return None
    q = next((q for q in parse_quantities(m.group(1)) if q.kind == "date" and q.date), None)
    if q is None or q.date is None:
        return None
    inclusive = bool(re.match(r"on\s+or\s+before|until|up\s+to", m.group(0), re.I))
    day = _period_end(q) if inclusive else q.date
    return day if inclusive else day - _dt.timedelta(days=1)


#: A full date in a heading ("20 June 2012"), and the words that make a dated heading a scope or
#: a period rather than an entry ("Before 9 July 2012", "Changes from 4 April 2024").
_FULL_DATE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:january|february|march|april|may|june|july|august|"
                        r"september|october|november|december)\s+\d{4}\b", re.I)
_NOT_AN_ENTRY = re.compile(r"\b(?:before|after|until|since|from|prior|between|to|changes?|rules?|"
                           r"applications?|applied|history|background)\b", re.I)


#: A table header naming a period: "December 2020 to April 2023", "2012 - 2024", "Until 10 April 2024".
_PERIOD_HEADER = re.compile(r"^\W*(?:(?:until|up to|before|to)\s+\S.*|.+?\s+(?:to|until|-|\u2013|\u2014)\s+\S.*)$", re.I)


@lru_cache(maxsize=4096)
def _past_period(text: str, reference: _dt.date) -> bool:
    """Whether a table header names a period that ended before ``reference``."""
    if len(text) > 60 or not _PERIOD_HEADER.match(text):
        return False
    dates = [q for q in parse_quantities(text) if q.kind == "date" and q.date is not None]
    if not dates or (len(dates) < 2 and not re.match(r"^\W*(?:until|up to|before|to)\b", text, re.I)):
        return False
    return _period_end(dates[-1]) < reference


@lru_cache(maxsize=4096)
def entry_date_of(text: str) -> _dt.date | None:
    """The date of a dated entry's heading ("#2 Settled_Sam (Moderator) 15 March 2011, 08:42",
    "Update 3 February 2025"), or ``None`` for any other heading."""
    if len(text) > 100 or _NOT_AN_ENTRY.search(text):
        return None
    m = _FULL_DATE.search(text)
    if not m:
        return None
    q = next((q for q in parse_quantities(m.group(0)) if q.kind == "date" and q.date), None)
    return q.date if q is not None and q.precision == "day" else None


def sentence_layer(claim: Claim) -> ContextLayer:
    """An earlier sentence as context for the next: the question it answers when it asks one."""
    kind: Any = "question" if _QUESTION.search(claim.text) else "previous"
    return ContextLayer(kind, claim.text, claim.start, claim.end)


class ContextTracker:
    """Follows a document block by block and says, for each block, which earlier blocks a
    reader takes a statement's subject from, and which section framing and scope apply.

    It keeps only the blocks that can serve as context later (headings, lead-ins, questions,
    table header cells and scope sentences), so memory does not grow with the document.

    Args:
        title: the document's title (from its properties or first heading), if any.
        genre: the document's genre, if known (it changes how minuted speech is read).
    """

    def __init__(self, title: str | None = None, genre: str | None = None):
        self.title = ContextLayer("title", title) if title else None
        self.genre = genre
        self._headings: dict[str, ContextLayer] = {}
        self._lead_in: tuple[ContextLayer, int] | None = None  # layer, block index it governs from
        self._question: tuple[ContextLayer, int] | None = None  # layer, blocks left
        # The question headings of the current FAQ section, oldest first: a later question that
        # says "he" or "we" takes its subject from them ("My husband is coming to join me ..." /
        # "When can he apply to stay permanently?").
        self._faq: list[ContextLayer] = []
        self._cells: dict[tuple[int, int, int], ContextLayer] = {}
        self._scopes: list[tuple[tuple[str, ...], str, _dt.date | None]] = []  # heading path, text, date
        self._previous_kind: str | None = None
        self._asked_at: int | None = None  # block index of a marked question ("Q. ...?")
        self._entry: tuple[_dt.date, tuple[str, ...], int] | None = None  # a dated header line: date, headings, start

    def _script_line(self, block: Block) -> bool:
        """Whether ``block`` is a quoted paragraph under a lead-in that introduces words to say."""
        return (block.kind == "paragraph" and self._lead_in is not None
                and block.text.lstrip()[:1] in ('"', "\u201c") and bool(_SCRIPT_LEAD.search(self._lead_in[0].text)))

    def layers_for(self, block: Block) -> tuple[ContextLayer, ...]:
        """The context layers of ``block`` from outside it, nearest first."""
        out: list[ContextLayer] = []
        if self._lead_in is not None and (block.kind == "list_item" or self._script_line(block)):
            out.append(self._lead_in[0])
        if self._question is not None and block.kind != "heading" and not _QUESTION.search(block.text):
            # (a paragraph that asks a question of its own does not answer the one before)
            out.append(self._question[0])
            if _PRONOUN_QUESTION.search(self._question[0].text):
                out.extend(q for q in reversed(self._faq[-3:]) if q.text != self._question[0].text)
        if block.cell is not None:
            table, row, col = block.cell
            if col > 0 and (table, row, 0) in self._cells:
                out.append(dataclass_replace(self._cells[(table, row, 0)], kind="row-header"))
            if row > 0 and (table, 0, col) in self._cells:
                out.append(dataclass_replace(self._cells[(table, 0, col)], kind="column-header"))
        path = block.heading_path if block.kind != "heading" else block.heading_path[:-1]
        seen = {layer.text for layer in out}
        for text in reversed(path):
            if text in seen:
                continue
            layer = self._headings.get(text)
            out.append(layer if layer is not None else ContextLayer("heading", text))
        if self.title is not None and not (path and path[0] == self.title.text):
            out.append(self.title)
        return tuple(out)

    def section_of(self, block: Block) -> tuple[str | None, str | None, str | None, _dt.date | None]:
        """``(framing, reason, scope, scope_date)`` for a block: the innermost heading about the
        past decides the framing; the innermost scope sentence that covers the block its scope."""
        framing = reason = None
        path = block.heading_path if block.kind != "heading" else block.heading_path[:-1]
        for text in reversed(path):
            if _HISTORY_HEADING.search(text):
                framing, reason = "historical", f"under the heading '{text}'"
                break
            if _BACKGROUND_HEADING.search(text):
                framing, reason = "background", f"under the heading '{text}'"
                break
            if _REFERENCES_HEADING.search(text):
                framing, reason = "cited", f"in the list of references under '{text}'"
                break
        scope = scope_date = None
        for spath, text, day in reversed(self._scopes):
            if path[:len(spath)] == spath:
                scope, scope_date = text, day
                break
        if scope is None:
            for text in reversed(path):
                day = scope_date_of(text) if _HISTORY_HEADING.search(text) else None
                if day is not None:
                    scope, scope_date = f"the heading '{text}'", day
                    break
        return framing, reason, scope, scope_date

    def entry_date_of_block(self, block: Block) -> _dt.date | None:
        """The date of the dated entry ``block`` is in: its innermost dated heading, or a later
        dated header line read as a paragraph under the same headings."""
        path = block.heading_path if block.kind != "heading" else block.heading_path[:-1]
        day, at = None, -1
        for text in reversed(path):
            d = entry_date_of(text)
            if d is not None:
                layer = self._headings.get(text)
                day, at = d, (layer.start if layer is not None and layer.start is not None else -1)
                break
        if self._entry is not None and self._entry[1] == block.heading_path and self._entry[2] > at:
            day = self._entry[0]
        return day

    def context_for(self, block: Block, previous: Iterable[ContextLayer] = ()) -> ClaimContext:
        """The :class:`ClaimContext` of a statement of ``block`` (``previous``: the earlier
        sentences of the same block, nearest first)."""
        framing, reason, scope, scope_date = self.section_of(block)
        entry = self.entry_date_of_block(block)
        return ClaimContext(layers=tuple(previous) + self.layers_for(block), section_framing=framing,
                            section_reason=reason, scope=scope, scope_date=scope_date, genre=self.genre,
                            entry_date=entry)

    def record(self, block: Block) -> None:
        """Take note of ``block`` after its statements were handled: it may be context for the
        blocks after it."""
        text = block.text.strip()
        layer = ContextLayer("heading", text, block.start, block.end)
        if block.kind == "heading" and self._signs_question(block, text):
            self._headings[text] = layer  # "Vinod, Brackley" under a reader's question keeps it
        elif block.kind == "heading":
            self._headings[text] = layer
            self._lead_in = None
            self._asked_at = None
            self._question = (dataclass_replace(layer, kind="question"), 10**9) if _QUESTION.search(text) else None
            if self._question is not None:
                self._faq = [*self._faq[-3:], self._question[0]]
            else:
                self._faq = []
        else:
            if self._question is not None and block.kind != "list_item":
                left = self._question[1] - 1
                self._question = (self._question[0], left) if left > 0 else None
            if block.kind == "list_item" or self._script_line(block):
                pass  # a list keeps its lead-in, and so do the quoted lines of a script
            elif _LEAD_IN.search(text):
                self._lead_in = (ContextLayer("lead-in", text, block.start, block.end), block.index)
            else:
                self._lead_in = None
            if block.kind == "paragraph" and _ASKED.match(text):
                # a long letter tells the subject, not the words of the claim: it is no "question"
                asked = ContextLayer("question" if len(text) < 200 else "letter", text, block.start, block.end)
                self._question = (asked, 10**9)
                self._asked_at = block.index
            elif block.kind == "paragraph" and _QUESTION.search(text) and len(text) < 200:
                self._question = (ContextLayer("question", text, block.start, block.end), 3)
                self._asked_at = None
        if block.cell is not None and (block.cell[1] == 0 or block.cell[2] == 0):
            self._cells[block.cell] = ContextLayer("column-header", text, block.start, block.end)
        if block.kind != "heading" and _SCOPE.search(text):
            path = block.heading_path
            self._scopes.append((path, text, scope_date_of(text)))
        if block.kind == "paragraph" and not text.endswith((".", "?", "!", ":")):
            day = entry_date_of(text)
            if day is not None:  # a post's header read as a paragraph ("#8 kestrel (Member) 25 April 2024, 18:03")
                self._entry = (day, block.heading_path, block.start)
        self._previous_kind = block.kind

    def _signs_question(self, block: Block, text: str) -> bool:
        """Whether a heading is only the signature under a marked question (a short line right
        after it, not itself a question or a lead-in)."""
        return (self._asked_at is not None and block.index == self._asked_at + 1 and len(text) <= 60
                and not _QUESTION.search(text) and not _LEAD_IN.search(text))


def dataclass_replace(layer: ContextLayer, **changes: Any) -> ContextLayer:
    from dataclasses import replace

    return replace(layer, **changes)

"""Find which facts, names, provisions and stances each claim talks about.

One :class:`spacy.matcher.PhraseMatcher` holds every phrase of the fact base (built once per
:class:`FactIndex`), so a claim is compared only with the facts whose phrases it contains:
matching cost grows with the text, not with the size of the fact base. Phrases match on spaCy's
``NORM`` attribute (lower case, quote and apostrophe variants unified). Recognition phrases also
match their simple inflections ("settle" matches "settles", "settled", "settling").
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from rapidfuzz import fuzz
from spacy.attrs import IDX, LENGTH, NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from . import _fuzzy_filter
from .factbase import Fact, FactBase, Stance
from .models import Claim, ContextLayer
from .patterns import pack_search

_FUZZY_MIN_LEN = 12
_FUZZY_SCORE = 90.0
_FUZZY_SCAN_WORDS = 48  # up to this many distinct first words, look for each in the text


@dataclass(frozen=True, slots=True)
class Hit:
    """A phrase of the fact base found in a claim (offsets into the document text)."""

    owner: str
    role: str
    start: int
    end: int
    text: str


@dataclass
class ClaimHits:
    """Everything the fact base recognised in one claim."""

    claim: Claim
    hits: list[Hit] = field(default_factory=list)

    def roles(self) -> set[tuple[str, str]]:
        """The (owner, role) pairs recognised, for use as context by other statements."""
        return {(h.owner, h.role) for h in self.hits if h.role not in ("alias", "successor")
                and not h.role.startswith("covers:")}

    def by_owner(self) -> dict[str, list[Hit]]:
        out: dict[str, list[Hit]] = defaultdict(list)
        for h in self.hits:
            out[h.owner].append(h)
        return out


def _inflections(phrase: str) -> set[str]:
    words = phrase.split()
    if not words or not words[-1].isalpha() or len(words[-1]) < 3 or words[-1].isupper():
        return {phrase}
    last, head = words[-1], " ".join(words[:-1])
    forms = {last, last + "s", last + "es", last + "ed", last + "d", last + "ing"}
    if last.endswith("e"):
        forms.add(last[:-1] + "ing")
    if last.endswith("y"):
        forms |= {last[:-1] + "ies", last[:-1] + "ied"}
    if last.endswith("s"):
        forms.add(last + "es")
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", last, re.I):
        forms |= {last + last[-1] + "ed", last + last[-1] + "ing"}  # refer -> referred, ban -> banned
    return {f"{head} {f}".strip() for f in forms}


class FactIndex:
    """Every phrase of a fact base, compiled once for one pipeline.

    Args:
        nlp: the pipeline whose tokenizer splits documents (phrases are tokenized the same way).
        factbase: the facts, stances and profiles to index.
    """

    def __init__(self, nlp: Language, factbase: FactBase):
        self.factbase = factbase
        self._roles: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._fuzzy: list[tuple[str, str, str]] = []
        for fact in factbase:
            self._add_fact(fact)
        for stance in factbase.stances:
            self._add_stance(stance)
        # Sorted, so that hits (and every choice made from them) do not depend on hash seeds.
        self._ordered: dict[str, tuple[tuple[str, str], ...]] = {k: tuple(sorted(v)) for k, v in self._roles.items()}
        del self._roles  # built; only the sorted copy is read from now on
        keys = sorted(self._ordered)
        # The phrases' tokens (as NORM hashes) in a trie that finds exactly what spaCy's
        # PhraseMatcher over the same phrases finds, in the same order; the tokenized phrases
        # come from the on-disk cache when this code has tokenized them before with the same
        # tokenizer (tokenizing them makes ~10,000 lexemes, most of a fresh process's start).
        self._trie = _phrase_trie(keys, _phrase_norms(nlp, keys), self._ordered)
        self._vocab = nlp.vocab

    def _add(self, phrase: str, owner: str, role: str, inflect: bool = False) -> None:
        for form in (_inflections(phrase) if inflect else {phrase}):
            self._roles[form].add((owner, role))

    def _add_fact(self, fact: Fact) -> None:
        for gi, group in enumerate(fact.recognise_all):
            for phrase in group:
                self._add(phrase, fact.id, f"all:{gi}", inflect=True)
        for gi, group in enumerate(fact.recognise_subject):
            for phrase in group:
                self._add(phrase, fact.id, f"subject:{gi}", inflect=True)
        for phrase in fact.recognise_names:
            self._add(phrase, fact.id, "name", inflect=True)
        for gi, group in enumerate(fact.covers):
            for phrase in group:
                self._add(phrase, fact.id, f"covers:{gi}", inflect=True)
        for phrase in fact.recognise_none:
            self._add(phrase, fact.id, "none", inflect=True)
        for phrase in fact.aliases:
            self._add(phrase, fact.id, "alias")
            if len(phrase) >= _FUZZY_MIN_LEN and " " in phrase and not any(c.isdigit() for c in phrase):
                self._fuzzy.append((phrase, fact.id, phrase.lower()))
        for phrase in fact.successor_aliases:
            self._add(phrase, fact.id, "successor")
        for gi, group in enumerate(fact.requires):
            for phrase in group:
                self._add(phrase, fact.id, f"requires:{gi}", inflect=True)

    def _add_stance(self, stance: Stance) -> None:
        for role, phrases in (("object", stance.object), ("target", stance.target), ("act", stance.act)):
            for phrase in phrases:
                self._add(phrase, stance.id, role, inflect=(role == "act"))

    def hits_for(self, sdoc: Doc, claims: list[Claim], block_start: int) -> list[ClaimHits]:
        """Assign every phrase found in a block to the claims of that block.

        Args:
            sdoc: the block's processed ``Doc`` (the text of the block only).
            claims: the block's claims, in order, with document offsets.
            block_start: the block's offset in the document text.
        """
        out = [ClaimHits(c) for c in claims]
        if not claims:
            return out
        norms = sdoc.to_array(NORM).tolist() if len(sdoc) else []
        matches = _trie_matches(self._trie, norms)
        if matches:
            # Offsets come from one array rather than a Span per match; the matched text is cut
            # from its claim's text, which is the Doc's text at the same place.
            offsets = sdoc.to_array([IDX, LENGTH]).tolist()
            starts = [c.start for c in claims]
            ordered = all(x.end <= y.start for x, y in zip(claims, claims[1:]))
            for roles, s, e in matches:
                a = block_start + offsets[s][0]
                b = block_start + offsets[e - 1][0] + offsets[e - 1][1]
                target = _sorted_claim_at(out, starts, a, b) if ordered else _claim_at(out, a, b)
                if target is None:
                    continue
                claim = target.claim
                text = claim.text[a - claim.start:b - claim.start]
                for owner, role in roles:
                    target.hits.append(Hit(owner, role, a, b, text))
        if self._fuzzy:
            self._fuzzy_hits(out)
        return out

    def _fuzzy_hits(self, out: list[ClaimHits]) -> None:
        """Catch misspelt long names ("UK Boarder Agency") the exact matcher missed."""
        picked = self._fuzzy_candidates(out)
        if not picked:
            return
        firsts = self._fuzzy_firsts
        assert firsts is not None
        candidates = [(*self._fuzzy[k], firsts[k]) for k in picked]
        for ch in out:
            text = ch.claim.text
            low = text.lower()
            found = {h.owner for h in ch.hits if h.role == "alias"}
            for phrase, owner, phrase_low, first in candidates:
                if owner in found or phrase_low in low:
                    continue
                if len(first) > 2 and first not in low:
                    continue
                if not _fuzzy_filter.may_match(phrase_low, low, _FUZZY_SCORE):
                    continue  # speed: certainly below the score (an exact test, see _fuzzy_filter)
                res = fuzz.partial_ratio_alignment(phrase_low, low, score_cutoff=_FUZZY_SCORE)
                if res is None:
                    continue
                a, b = _widen_to_words(text, res.dest_start, res.dest_end)
                if abs((b - a) - len(phrase)) > 3 or len(text[a:b].split()) != len(phrase.split()):
                    continue  # a misspelling, not a different phrase that shares most letters
                ch.hits.append(Hit(owner, "alias", ch.claim.start + a, ch.claim.start + b, text[a:b]))
                found.add(owner)


    # A fuzzy phrase is only tried on a statement containing its first word (when that word is
    # longer than two letters). Which first words a block's statements contain is looked up per
    # distinct word of the block, so the cost does not grow with the number of fuzzy phrases.
    _fuzzy_index: tuple[list[int], dict[str, list[int]], tuple[int, ...], int] | None = None
    _fuzzy_words: dict[str, tuple[str, ...]] | None = None
    _fuzzy_plain: set[str] | None = None
    _fuzzy_firsts: list[str] | None = None  # each fuzzy phrase's first word (speed)

    def _fuzzy_candidates(self, out: list[ClaimHits]) -> list[int]:
        """Indices into the fuzzy phrases of those that may match a statement of ``out``, in order."""
        index = self._fuzzy_index
        if index is None or index[3] != len(self._fuzzy):
            always: list[int] = []
            by_first: dict[str, list[int]] = defaultdict(list)
            for k, (_, _, phrase_low) in enumerate(self._fuzzy):
                first = phrase_low.split()[0]
                if len(first) > 2:
                    by_first[first].append(k)
                else:
                    always.append(k)
            index = self._fuzzy_index = (always, dict(by_first), tuple(sorted({len(f) for f in by_first})),
                                         len(self._fuzzy))
            self._fuzzy_words, self._fuzzy_plain = {}, set()
            self._fuzzy_firsts = [phrase_low.split()[0] for _, _, phrase_low in self._fuzzy]
        always, by_first, lengths, _ = index
        low = " ".join(ch.claim.text.lower() for ch in out)
        firsts: set[str] = set()
        if len(by_first) <= _FUZZY_SCAN_WORDS:
            firsts.update(f for f in by_first if f in low)
        else:
            found, plain = self._fuzzy_words, self._fuzzy_plain
            assert found is not None and plain is not None
            if len(plain) > 500_000:
                plain.clear()
            # A first word has no spaces, so it occurs in a statement only inside one of its words;
            # most words are known to hold none.
            for word in set(low.split()) - plain:
                inside = found.get(word)
                if inside is None:
                    inside = tuple({word[i:i + n] for n in lengths for i in range(len(word) - n + 1)
                                    if word[i:i + n] in by_first})
                    if not inside:
                        plain.add(word)
                        continue
                    if len(found) < 100_000:
                        found[word] = inside
                firsts.update(inside)
        if not firsts:
            return always
        return sorted(always + [k for f in firsts for k in by_first[f]])


# ------------------------------------------------------------------------------------------
# The phrase trie. A node is ``(children, ends)``: ``children`` maps the NORM hash of the next
# token to a node, ``ends`` holds the roles of the phrases that end at the node, in the order in
# which spaCy's PhraseMatcher reports phrases ending at the same token (the iteration order of
# its terminal hash map, read from a PhraseMatcher when the phrases are tokenized).

_Node = tuple[dict[int, "_Node"], list[tuple[tuple[str, str], ...]]]
_Norms = tuple[list[tuple[int, ...]], dict[int, list[int]]]


def _tokenizer_fingerprint(nlp: Language) -> str | None:
    """What the NORMs of a phrase's tokens depend on, or ``None`` when it cannot be told
    (a tokenizer function whose pattern is not known)."""
    tok = nlp.tokenizer
    parts = [nlp.lang or "", type(tok).__module__, type(tok).__qualname__]
    for attr in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        fn = getattr(tok, attr, None)
        if fn is None:
            parts.append(f"{attr}=None")
            continue
        owner = getattr(fn, "__self__", None)
        pattern = getattr(owner, "pattern", None)
        if not isinstance(pattern, str):
            return None
        parts.append(f"{attr}={type(owner).__qualname__}:{getattr(owner, 'flags', '')}:{pattern}")
    rules = getattr(tok, "rules", None)
    if rules is None:
        return None
    parts.append(repr(rules))
    parts.append(repr(getattr(tok, "faster_heuristics", None)))
    norm = _stable(getattr(nlp.vocab, "lex_attr_getters", {}).get(NORM))  # the only lexical attribute matched on
    if norm is None:
        return None
    parts.append(norm)
    import hashlib

    parts.append(hashlib.sha256(nlp.vocab.lookups.to_bytes()).hexdigest())
    return "\0".join(parts)


def _stable(value: object) -> str | None:
    """A text for ``value`` that is the same in every process (no addresses, sets sorted), or
    ``None`` when there is none (an object of an unknown kind)."""
    import functools
    import types

    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    if isinstance(value, functools.partial):
        parts = [_stable(value.func), _stable(value.args), _stable(value.keywords)]
        return None if None in parts else f"partial({', '.join(parts)})"  # type: ignore[arg-type]
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
        module, name = getattr(value, "__module__", None), getattr(value, "__qualname__", "")
        return None if not module or "<" in name else f"{module}.{name}"
    if isinstance(value, dict):
        pairs: list[str] = []
        for k, v in value.items():
            ks, vs = _stable(k), _stable(v)
            if ks is None or vs is None:
                return None
            pairs.append(f"{ks}: {vs}")
        return "{" + ", ".join(sorted(pairs)) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        texts: list[str] = []
        for v in value:
            vs = _stable(v)
            if vs is None:
                return None
            texts.append(vs)
        if isinstance(value, (set, frozenset)):
            texts.sort()
        return f"{type(value).__name__}[{', '.join(texts)}]"
    return None


def _phrase_norms(nlp: Language, keys: list[str]) -> _Norms:
    """Each phrase's tokens as NORM hashes, and for phrases that share their tokens with an
    earlier one, the order in which the PhraseMatcher reports them (indices into ``keys``)."""
    from . import _cache

    fingerprint = _tokenizer_fingerprint(nlp)
    name = None
    if fingerprint is not None:
        name = _cache.key("phrases", fingerprint, "\0".join(keys))
        cached = _cache.load(name, lambda v: isinstance(v, tuple) and len(v) == 2 and len(v[0]) == len(keys))
        if cached is not None:
            return cached
    norms: list[tuple[int, ...]] = []
    docs: list[Doc] = []
    for start in range(0, len(keys), 1000):
        chunk = keys[start:start + 1000]
        for pattern in nlp.tokenizer.pipe(chunk):  # type: ignore[union-attr]
            norms.append(tuple(pattern.to_array(NORM).tolist()) if len(pattern) else ())
            docs.append(pattern)
    shared: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for i, n in enumerate(norms):
        if n:
            shared[n].append(i)
    # The order of phrases that end at the same node of the PhraseMatcher's trie depends only on
    # which phrases end there and in which order they were added: a matcher of just those
    # phrases, added in the same order, reports them in the same order.
    groups = [same for same in shared.values() if len(same) > 1]
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")
    for i in sorted(i for same in groups for i in same):
        matcher.add(keys[i], [docs[i]])
    index = {key: i for i, key in enumerate(keys)}
    order: dict[int, list[int]] = {}
    for same in groups:
        doc = docs[same[0]]
        order[same[0]] = [index[nlp.vocab.strings[m]] for m, s, e in matcher(doc) if s == 0 and e == len(doc)]
        if sorted(order[same[0]]) != same:
            raise AssertionError("the phrase matcher reports phrases the trie cannot reproduce")
    result = (norms, order)
    if name is not None:
        _cache.store(name, result)
    return result


def _phrase_trie(keys: list[str], found: _Norms, roles: dict[str, tuple[tuple[str, str], ...]]) -> _Node:
    norms, order = found
    root: _Node = ({}, [])
    for i, seq in enumerate(norms):
        if not seq:
            continue  # the PhraseMatcher ignores an empty pattern
        node = root
        for norm in seq:
            child = node[0].get(norm)
            if child is None:
                child = node[0][norm] = ({}, [])
            node = child
        if not node[1]:
            node[1].extend(roles[keys[k]] for k in order.get(i, (i,)))
    return root


def _trie_matches(root: _Node, norms: list[int]) -> list[tuple[tuple[tuple[str, str], ...], int, int]]:
    """``(roles, start, end)`` of every phrase in a Doc whose token NORMs are ``norms``, in the
    order of ``PhraseMatcher.__call__``: by start, then by end, then in its order for one span."""
    first = root[0]
    out: list[tuple[tuple[tuple[str, str], ...], int, int]] = []
    n = len(norms)
    for s in [i for i, t in enumerate(norms) if t in first]:
        node = first[norms[s]]
        e = s + 1
        while True:
            for roles in node[1]:
                out.append((roles, s, e))
            if e >= n:
                break
            child = node[0].get(norms[e])
            if child is None:
                break
            node = child
            e += 1
    return out


def _widen_to_words(text: str, a: int, b: int) -> tuple[int, int]:
    while a > 0 and text[a - 1].isalnum():
        a -= 1
    while b < len(text) and text[b].isalnum():
        b += 1
    return a, b


def _sorted_claim_at(out: list[ClaimHits], starts: list[int], a: int, b: int) -> ClaimHits | None:
    """:func:`_claim_at` for claims in order that do not overlap (``starts``: their starts)."""
    i = bisect_right(starts, a) - 1
    if i >= 0 and b <= out[i].claim.end:
        return out[i]
    return None


def _claim_at(out: list[ClaimHits], a: int, b: int) -> ClaimHits | None:
    for ch in out:
        if ch.claim.start <= a and b <= ch.claim.end:
            return ch
    return None


Context = frozenset[tuple[str, str]] | set[tuple[str, str]]
#: A context layer with the (owner, role) pairs of the fact base found in its text.
Layer = tuple[ContextLayer, frozenset[tuple[str, str]] | set[tuple[str, str]]]

# Layers whose text the statement completes ("You can apply if:" / "you have lived here for
# 5 years"; "How long before my wife can settle?" / "After five years."): they may supply the
# claim's words as well as its subject.
_COMPLETING = frozenset({"lead-in", "question", "row-header", "column-header"})
_HEADERS = frozenset({"row-header", "column-header"})
# Layers whose strong names stand for the whole fact: the statement under them is about it.
_NAMING = frozenset({"lead-in", "question", "row-header", "column-header", "previous"})
# Layers from which a fact without subject groups may take its one missing group.
_LEGACY = frozenset({"heading", "title"}) | _COMPLETING
_ANAPHOR = re.compile(
    # a fronted phrase may come first ("For one child who isn't British or settled, it's £22,400")
    # or run straight into "it is" ("For lodgers it is £80")
    r"^\W*(?:to\s+(?:get|use|apply\s+for|qualify\s+for|claim|access|keep)\s+(?:it|this|that|them)\b|"  # "To get it you must ..."
    r"(?:(?:for|with|in|on|at|from|after|under)\b[^,.;]{0,60}?(?:,\s*|\s+(?=it\s+(?:is|was|will\s+be|would\s+be)\b|it['’]s\b)))?(?:this|that|these|those|it(?!\s+(?:\w+\s+)?(?:takes?|took|is\s+(?:important|worth|best|likely|"
    r"possible|a good idea|advisable)))|they|such|the (?:same|figure|amount|threshold|requirement|rate|"
    r"limit|period|fee|charge|sum|level|income|salary|minimum|maximum|rule|route|visa|wait|scheme|check|"
    r"checks|concession|duty|test|policy|protocol|code|penalty|penalties|answer|short answer|answer to that)\b))",
    re.I)


def opens_with_pronoun(text: str) -> bool:
    """Whether a sentence refers back by its opening words ("It gives ...", "To get it you must ...",
    "This rises to ...")."""
    return _ANAPHOR.match(text) is not None


#: A statement about a person named before ("My wife's first visa runs out soon. What happens
#: next? After her first 30 months she can apply for settlement"): "she" and "her" refer back.
_PERSON_PRONOUN = re.compile(r"^\W*(?:[\w'’-]+\s+){0,3}?(?:she|he|her|him|his)\b", re.I)
#: "The surcharge is £400 a year" after a sentence about "the immigration health surcharge": a
#: definite description whose noun the previous sentence used refers back to it.
_DEFINITE = re.compile(r"^\W*(?:the|this|that|these|those)\s+([a-z][a-z-]{3,})\s+(?:is|are|was|were|has|have|had|will|"
                       r"would|can|could|must|may|should|lasts?|costs?|appl(?:y|ies)|gives?|means?|rises?|covers?|"
                       r"runs?|starts?|ends?|includes?|requires?)\b", re.I)  # "The surcharge is", not "The partner route"


def _refers_back(text: str, layers: "Sequence[Layer]") -> bool:
    m = _DEFINITE.match(text)
    if m is None or not layers or layers[0][0].kind != "previous":
        return False
    noun = m.group(1).lower().rstrip("s")
    return re.search(r"\b" + re.escape(noun) + r"s?\b", layers[0][0].text, re.I) is not None


#: Advice to pass on a statement ("Victims should be told that spouses ... can settle after two
#: years", "Explain to survivors that ..."): the people told are not what the statement is
#: about, so their words ("victims") do not rule a fact out.
_TOLD_THAT = re.compile(
    r"^\W*(?:(?:[\w'’-]+\s+){0,5}?(?:should|must|will|can|may|need to|needs to)\s+(?:always\s+)?(?:be\s+)?"
    r"(?:told|tell|explain|explained|advised|advise|reassured|reassure|informed|inform|reminded|remind|made aware)"
    r"|(?:tell|explain to|advise|reassure|remind|inform|make sure)\b)(?:\s+[\w'’-]+){0,4}?\s+that\b", re.I)


#: An aside that closes a sentence and adds something to its subject (", including your time on
#: the Graduate route."): what it names is part of the total, not what the sentence is about.
_TRAILING_ASIDE = re.compile(r",\s+(?:including|as well as|on top of)\b[^,;:]*[.!]?\s*$", re.I)


def _trailing_aside(claim: Claim) -> int:
    """The document offset where a closing "including ..." aside starts, or 0 when there is none."""
    m = _TRAILING_ASIDE.search(claim.text)
    return claim.start + m.start() if m else 0


@dataclass(frozen=True, slots=True)
class Recognition:
    """Why a statement was read as being about a fact: the hits in the statement itself and
    the context layers that supplied the rest (empty when the statement says it all)."""

    hits: tuple[Hit, ...]
    sources: tuple[ContextLayer, ...] = ()


def _supplier(owner: str, role: str, layers: "Sequence[Layer]", allowed: frozenset[str] | None) -> int | None:
    for i, (layer, roles) in enumerate(layers):
        if (allowed is None or layer.kind in allowed) and (owner, role) in roles:
            if (owner, "none") in roles and layer.kind not in ("heading", "title"):
                continue  # this layer is about something else; a farther one may still supply it
            return i
    return None


def _self_sufficient(fact: Fact, roles: set[str]) -> bool:
    """Whether the statement's own words hold every group of the fact ("The concession gives up
    to four months' leave" names the concession itself, whatever the sentence before was about)."""
    return all((_ALL_ROLES[g] if g < len(_ALL_ROLES) else f"all:{g}") in roles for g in range(len(fact.recognise_all))) \
        and all((_SUBJECT_ROLES[g] if g < len(_SUBJECT_ROLES) else f"subject:{g}") in roles
                for g in range(len(fact.recognise_subject)))


def _recognise(fact: Fact, roles: set[str], layers: "Sequence[Layer]", anaphoric: bool,
               first_heading: int | None = None, cell: bool | None = None) -> tuple[int, ...] | None:
    """The indices of the layers that complete the fact's recognition for a statement whose own
    roles are ``roles`` (``()`` when the statement is enough), or ``None``. ``first_heading``:
    ``_first_heading(layers)`` when the caller has it; ``cell``: whether a layer is a table
    header, when the caller has it (speed)."""
    if "name" in roles:
        return ()
    owner = fact.id
    if anaphoric and layers and layers[0][0].kind == "previous" and (owner, "none") in layers[0][1] \
            and not _self_sufficient(fact, roles):
        return None  # "It gives three months' leave ...": "it" is what the last sentence was about
    used: list[int] = []
    i: int | None
    name, none = (owner, "name"), (owner, "none")
    for i, (layer, lroles) in enumerate(layers):
        kind = layer.kind
        if kind == "previous" and not (anaphoric or roles):
            continue  # an earlier sentence's name carries on only into a statement that refers back
        if kind == "heading" and first_heading is None:
            first_heading = _first_heading(layers)
        if kind in _NAMING or (kind == "heading" and i == first_heading):
            if name in lroles and none not in lroles:
                return (i,)
    claim_layers = _CLAIM_LAYERS[anaphoric]
    for g in range(len(fact.recognise_subject)):
        role = _SUBJECT_ROLES[g] if g < len(_SUBJECT_ROLES) else f"subject:{g}"
        if role in roles:
            continue
        i = _supplier(owner, role, layers, None)
        if i is None:
            return None
        used.append(i)
    missing = [g for g in range(len(fact.recognise_all))
               if (_ALL_ROLES[g] if g < len(_ALL_ROLES) else f"all:{g}") not in roles]
    legacy = not fact.recognise_subject and len(fact.recognise_all) >= 2 and len(missing) == 1
    for g in missing:
        role = _ALL_ROLES[g] if g < len(_ALL_ROLES) else f"all:{g}"
        i = _supplier(owner, role, layers, _LEGACY_CLAIM_LAYERS[anaphoric] if legacy else claim_layers)
        if i is None:
            # A table cell reads its table's caption too: "£2,885" in the row "Settlement (indefinite
            # leave to remain)" of the table under the heading "Application fees".
            if cell is None:
                cell = any(layer.kind in _HEADERS for layer, _ in layers)
            if cell:
                if first_heading is None:
                    first_heading = _first_heading(layers)
                if first_heading >= 0 and (owner, role) in layers[first_heading][1] \
                        and none not in layers[first_heading][1]:
                    i = first_heading
        if i is None:
            return None
        used.append(i)
    if missing and len(missing) == len(fact.recognise_all) and not fact.recognise_subject \
            and not any(layers[i][0].kind in _COMPLETING or (anaphoric and i == 0 and layers[0][0].kind == "previous")
                        for i in used):
        return None  # a statement with none of the fact's words needs a lead-in, question or header,
        # or must refer back to the sentence just before ("It gives six months of leave.")
    return tuple(sorted(set(used)))


#: Where a sentence goes on to another clause (recognition runs before the claim is described).
_NEXT_CLAUSE = re.compile(r",\s+(?:so|but|and|which|because|while|although|though|whereas|after which)\b|;|"
                          r"\s(?=before (?:you|they|she|he|the partner|your partner) can\b)|"
                          r"\s(?=and (?:can|may|will) (?:then )?apply\b)", re.I)


def _outside_patterns(hits: list[Hit], patterns: tuple[str, ...], claim: Claim) -> list[Hit]:
    """The hits without the ``none`` phrases that lie inside a match of one of the fact's
    ``patterns``: in "ILR in as little as 30 months" the duration is tied to settlement, so the
    grant length "30 months" does not rule the settlement period out; nor do ``none`` phrases in
    other clauses of the sentence. A ``none`` phrase elsewhere in the matched clause ("Skilled
    workers can get ILR in as little as ...") still does."""
    spans = [(claim.start + m.start(), claim.start + m.end())
             for p in patterns for m in [pack_search(p, claim.text)] if m is not None]
    if not spans:
        return hits
    # the clauses the matches lie in: a none phrase in another clause ("..., so a victim close to
    # that point should ...") is about something else the sentence goes on to say
    cuts = [claim.start] + [claim.start + m.start() for m in _NEXT_CLAUSE.finditer(claim.text)] + [claim.end]
    clauses = [(ca, cb) for ca, cb in zip(cuts, cuts[1:]) if any(ca < b and a < cb for a, b in spans)]
    return [h for h in hits if not (h.role == "none" and (
        any(a <= h.start and h.end <= b for a, b in spans)
        or not any(ca <= h.start and h.end <= cb for ca, cb in clauses)))]


#: A clause that turns to something else: "..., but there is a special rule for people whose
#: marriage has broken down because of domestic violence".
_TURN = re.compile(r",\s+(?:but|whereas|while|although|though)\b|;|"
                   # a second statement with a subject of its own (", and that the domestic violence rule ...")
                   r",\s+and\s+(?:that|there|your|their|its|his|her|the|a|an)\b|"
                   # a purpose ("..., so that it matches the general Skilled Worker figure")
                   r",\s+so\s+that\b", re.I)
_FIGURE = re.compile(r"[£$€\d]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                     r"forty|fifty|sixty|hundred|half)\b", re.I)


def _outside_own_clauses(hits: list[Hit], claim: Claim) -> list[Hit]:
    """The hits without the ``none`` phrases that lie in a clause the sentence turns to ("...,
    but ...") when every word of the fact found in the statement lies in the clauses before it:
    "Spouses must complete two years in the UK before they can settle, but there is a special
    rule for people whose marriage has broken down because of domestic violence" states the
    settlement period; the exception it goes on to name does not rule that out."""
    turns = [claim.start + m.start() for m in _TURN.finditer(claim.text)]
    if not turns:
        return hits
    own = [h for h in hits if h.role != "none"]
    if not own:
        return hits
    first_turn = next((t for t in turns if t >= max(h.end for h in own)), None)
    if first_turn is None or _FIGURE.search(claim.text[first_turn - claim.start:]):
        return hits  # "..., but only the amount above £16,000 counts": the turn states a figure of its own
    return [h for h in hits if not (h.role == "none" and h.start >= first_turn)]


# Speed: the role names and layer sets _recognise uses, made once.
_SUBJECT_ROLES = tuple(f"subject:{g}" for g in range(32))
_ALL_ROLES = tuple(f"all:{g}" for g in range(32))
_CLAIM_LAYERS = {False: frozenset(_COMPLETING), True: frozenset(_COMPLETING | {"previous"})}
_LEGACY_CLAIM_LAYERS = {a: _LEGACY | layers for a, layers in _CLAIM_LAYERS.items()}


def _about_an_exclusion(owner: str, lroles: "frozenset[tuple[str, str]] | set[tuple[str, str]]") -> bool:
    """Whether a layer names only what the fact excludes (a ``none`` phrase and none of its other
    words): "The Graduate route" above a sentence on bringing family, but not "English language
    and settlement" above one on English."""
    return (owner, "none") in lroles and not any(o == owner and r != "none" for o, r in lroles)


def _may_complete(fact: Fact, roles: set[str], offered: "set[tuple[str, str]]") -> bool:
    """Whether ``_recognise`` can return anything but ``None`` for a statement with ``roles`` whose
    layers offer, all together, the (owner, role) pairs ``offered``: the fact's name must be in
    the statement or a layer, or each of its groups in the statement or some layer. (Speed: about
    nine in ten facts a statement meets, through its layers, fail this at the first group.)"""
    owner = fact.id
    if "name" in roles or (owner, "name") in offered:
        return True
    return all(role in roles or (owner, role) in offered
               for role in _group_roles(len(fact.recognise_subject), len(fact.recognise_all)))


@functools.lru_cache(maxsize=256)
def _group_roles(subjects: int, groups: int) -> tuple[str, ...]:
    """The role names of a fact's ``subject`` and ``all`` groups, as ``_recognise`` spells them."""
    return tuple(_SUBJECT_ROLES[g] if g < len(_SUBJECT_ROLES) else f"subject:{g}" for g in range(subjects)) \
        + tuple(_ALL_ROLES[g] if g < len(_ALL_ROLES) else f"all:{g}" for g in range(groups))


def _first_heading(layers: "Sequence[Layer]") -> int:
    return next((i for i, (layer, _) in enumerate(layers) if layer.kind == "heading"), -1)


def recognised_facts(ch: ClaimHits, factbase: FactBase, context: Context = frozenset(),
                     layers: "Sequence[Layer] | None" = None) -> dict[str, Recognition]:
    """The value, statistic and position facts a statement is about.

    A fact is recognised when one of its strong ``names`` is in the statement (or in a lead-in,
    question, table header or the nearest heading above it); or when every ``all`` group is in
    the statement and every ``subject`` group is in the statement or its context. Lead-ins,
    FAQ questions and table headers may also supply ``all`` groups (the statement completes
    them), and so may the previous sentence when the statement refers back to it ("This rises
    to ..."). A fact with no ``subject`` groups may take one missing ``all`` group from any
    layer (a salary figure under the heading "Skilled Worker salary"). No ``none`` phrase may
    be in the statement or in a layer that supplied a group.

    Args:
        ch: the statement's hits.
        factbase: the facts.
        context: (owner, role) pairs of the heading and title above, for callers without layers.
        layers: the statement's context layers with their (owner, role) pairs, nearest first.

    Returns:
        Fact id -> the :class:`Recognition`.
    """
    if layers is None:
        layers = [(ContextLayer("heading", ""), context)] if context else []
    out: dict[str, Recognition] = {}
    by_owner = ch.by_owner()
    owners = set(by_owner)
    every = _has_groupless(factbase)
    for _, lroles in layers:
        owners.update(_layer_owners(lroles)[0 if every else 1])
    anaphoric = bool(_ANAPHOR.match(ch.claim.text) or _PERSON_PRONOUN.match(ch.claim.text)
                     or _refers_back(ch.claim.text, layers))
    told = _TOLD_THAT.match(ch.claim.text)
    told_until = ch.claim.start + told.end() if told else 0
    under_header = {o for layer, lroles in layers if layer.kind in _COMPLETING for o, _ in lroles}
    if anaphoric and layers and layers[0][0].kind == "previous":
        # "The scheme also applies in Wales": the position is the one the last sentence was about
        under_header |= {o for o, r in layers[0][1] if r != "none"}
    first_heading: int | None = None
    cell: bool | None = None
    aside: int | None = None
    offered: set[tuple[str, str]] | None = None
    for owner in sorted(owners):  # sorted: the order of findings must not depend on hash seeds
        fact = factbase.facts.get(owner)
        if fact is None or fact.kind not in ("value", "statistic", "position"):
            continue
        hits = by_owner.get(owner, [])
        if hits:  # (speed: most owners are a layer's, with no hit in the statement to filter)
            if told_until:  # "Victims should be told that ...": the addressee is not the subject
                hits = [h for h in hits if not (h.role == "none" and h.end <= told_until)]
            if fact.recognise_patterns and any(h.role == "none" for h in hits):
                hits = _outside_patterns(hits, fact.recognise_patterns, ch.claim)
            if any(h.role == "none" for h in hits):
                hits = _outside_own_clauses(hits, ch.claim)
            if aside is None:
                aside = _trailing_aside(ch.claim)
            if aside:  # "It lasts up to four years in total, including your time on the Graduate route"
                hits = [h for h in hits if h.role == "none" or h.start < aside]
        roles = {h.role for h in hits}
        if "none" in roles:
            continue
        if not roles and fact.kind != "value" and fact.kind != "statistic" and owner not in under_header:
            continue  # a position is read from the statement's own words, or a cell under its header
        if first_heading is None:
            first_heading = _first_heading(layers)  # speed: once per statement, not per fact
        if cell is None:
            cell = any(layer.kind in _HEADERS for layer, _ in layers)  # speed: once per statement
        if offered is None:
            offered = set().union(*(lroles for _, lroles in layers))  # speed: once per statement
        if not _may_complete(fact, roles, offered):
            continue  # speed: what _recognise would find (None) without its pass over the layers
        used = _recognise(fact, roles, layers, anaphoric, first_heading, cell)
        if used is None:
            continue
        if any((owner, "none") in layers[i][1] for i in used if layers[i][0].kind not in ("heading", "title")):
            continue
        if used and any(_about_an_exclusion(owner, layers[i][1]) for i in range(min(used))
                        if layers[i][0].kind in ("heading", "question")):
            continue  # the subject from the page's title, but a nearer heading ("The Graduate route") is about what the fact excludes
        if any((owner, "none") in lroles for layer, lroles in layers if layer.kind in ("row-header", "column-header")):
            continue  # "Sponsor receives Carer's Allowance or PIP | No fixed figure": the row is about them
        out[owner] = Recognition(tuple(hits), tuple(layers[i][0] for i in used))
    return out


# Speed: the owners of an immutable layer's roles (a heading's, met by every statement under
# it), kept by identity with the role set itself so that the identity cannot be reused.
_OWNERS_OF: dict[int, tuple[frozenset[tuple[str, str]], tuple[frozenset[str], frozenset[str]]]] = {}

#: The roles without which a layer alone cannot complete a fact that has groups: its name or
#: its first group (``_recognise`` needs every group, and the first is one of these two).
_KEY_ROLES = frozenset({"name", "subject:0", "all:0"})


def _layer_owners(lroles: "frozenset[tuple[str, str]] | set[tuple[str, str]]") -> "tuple[frozenset[str], frozenset[str]]":
    """The owners a layer names, and those of them it names by a key role (speed: a statement
    with no words of a fact can be about it only through a key role of some layer, unless the
    fact has no groups at all; see ``_has_groupless``)."""
    if type(lroles) is not frozenset:
        return _owners_and_keys(lroles)
    entry = _OWNERS_OF.get(id(lroles))
    if entry is None or entry[0] is not lroles:
        if len(_OWNERS_OF) > 4096:
            _OWNERS_OF.clear()
        entry = _OWNERS_OF[id(lroles)] = (lroles, _owners_and_keys(lroles))
    return entry[1]


def _owners_and_keys(lroles: "frozenset[tuple[str, str]] | set[tuple[str, str]]") -> "tuple[frozenset[str], frozenset[str]]":
    return (frozenset(o for o, r in lroles if not r.startswith("requires:")),
            frozenset(o for o, r in lroles if r in _KEY_ROLES))


# Speed: whether a fact base has a value, statistic or position fact with no groups (which any
# layer naming it completes), kept by identity like _OWNERS_OF.
_GROUPLESS: dict[int, tuple[FactBase, bool]] = {}


def _has_groupless(factbase: FactBase) -> bool:
    entry = _GROUPLESS.get(id(factbase))
    if entry is None or entry[0] is not factbase:
        if len(_GROUPLESS) > 64:
            _GROUPLESS.clear()
        entry = _GROUPLESS[id(factbase)] = (factbase, any(
            f.kind in ("value", "statistic", "position") and not f.recognise_subject and not f.recognise_all
            for f in factbase.facts.values()))
    return entry[1]


def named_terms(ch: ClaimHits, factbase: FactBase, context: Context = frozenset()) -> dict[str, list[Hit]]:
    """The terms and provisions a claim names, with the alias hits (longest, non-overlapping)."""
    out: dict[str, list[Hit]] = {}
    if not any(h.role == "alias" for h in ch.hits):
        return out  # a term is only named through one of its aliases
    for owner, hits in ch.by_owner().items():
        fact = factbase.facts.get(owner)
        if fact is None or fact.kind not in ("term", "provision"):
            continue
        roles = {h.role for h in hits}
        requires = len(fact.requires)
        if requires and not all(f"requires:{g}" in roles or (owner, f"requires:{g}") in context
                                for g in range(requires)):
            continue
        aliases = _longest([h for h in hits if h.role == "alias"])
        if aliases:
            out[owner] = aliases
    return out


def _longest(hits: list[Hit]) -> list[Hit]:
    chosen: list[Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if chosen and h.start < chosen[-1].end:
            continue
        chosen.append(h)
    return chosen

"""Find which facts, names, provisions and stances each claim talks about.

One :class:`spacy.matcher.PhraseMatcher` holds every phrase of the fact base (built once per
:class:`FactIndex`), so a claim is compared only with the facts whose phrases it contains:
matching cost grows with the text, not with the size of the fact base. Phrases match on spaCy's
``NORM`` attribute (lower case, quote and apostrophe variants unified). Recognition phrases also
match their simple inflections ("settle" matches "settles", "settled", "settling").
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .factbase import Fact, FactBase, Stance
from .models import Claim

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
        """The (owner, role) pairs recognised, for use as context by the claims below a heading."""
        return {(h.owner, h.role) for h in self.hits if h.role.startswith(("all:", "requires:"))}

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
    return {f"{head} {f}".strip() for f in forms}


class FactIndex:
    """Every phrase of a fact base, compiled once for one pipeline.

    Args:
        nlp: the pipeline whose tokenizer splits documents (phrases are tokenized the same way).
        factbase: the facts, stances and profiles to index.
    """

    def __init__(self, nlp: Language, factbase: FactBase):
        self.factbase = factbase
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self._roles: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._fuzzy: list[tuple[str, str, str]] = []
        for fact in factbase:
            self._add_fact(fact)
        for stance in factbase.stances:
            self._add_stance(stance)
        keys = list(self._roles)
        for start in range(0, len(keys), 1000):
            chunk = keys[start:start + 1000]
            for key, pattern in zip(chunk, nlp.tokenizer.pipe(chunk)):  # type: ignore[union-attr]
                self.matcher.add(key, [pattern])
        self._vocab = nlp.vocab

    def _add(self, phrase: str, owner: str, role: str, inflect: bool = False) -> None:
        for form in (_inflections(phrase) if inflect else {phrase}):
            self._roles[form].add((owner, role))

    def _add_fact(self, fact: Fact) -> None:
        for gi, group in enumerate(fact.recognise_all):
            for phrase in group:
                self._add(phrase, fact.id, f"all:{gi}", inflect=True)
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
        strings = self._vocab.strings
        matches = self.matcher(sdoc)
        if matches:
            # Offsets come from one array rather than a Span per match; the matched text is cut
            # from its claim's text, which is the Doc's text at the same place.
            offsets = sdoc.to_array([IDX, LENGTH]).tolist()
            starts = [c.start for c in claims]
            ordered = all(x.end <= y.start for x, y in zip(claims, claims[1:]))
            for match_id, s, e in matches:
                a = block_start + offsets[s][0]
                b = block_start + offsets[e - 1][0] + offsets[e - 1][1]
                target = _sorted_claim_at(out, starts, a, b) if ordered else _claim_at(out, a, b)
                if target is None:
                    continue
                claim = target.claim
                text = claim.text[a - claim.start:b - claim.start]
                for owner, role in self._roles[strings[match_id]]:
                    target.hits.append(Hit(owner, role, a, b, text))
        if self._fuzzy:
            self._fuzzy_hits(out)
        return out

    def _fuzzy_hits(self, out: list[ClaimHits]) -> None:
        """Catch misspelt long names ("UK Boarder Agency") the exact matcher missed."""
        candidates = [self._fuzzy[k] for k in self._fuzzy_candidates(out)]
        if not candidates:
            return
        for ch in out:
            text = ch.claim.text
            low = text.lower()
            found = {h.owner for h in ch.hits if h.role == "alias"}
            for phrase, owner, phrase_low in candidates:
                if owner in found or phrase_low in low:
                    continue
                first = phrase_low.split()[0]
                if len(first) > 2 and first not in low:
                    continue
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


def _groups_met(owner: str, n_groups: int, prefix: str, roles: set[str], context: Context) -> bool:
    """Every group is present in the claim, or all but one are and the section heading or the
    document title supplies the missing one (a salary figure under "Skilled Worker salary")."""
    missing = [g for g in range(n_groups) if f"{prefix}{g}" not in roles]
    if not missing:
        return True
    if len(missing) > 1 or n_groups < 2:
        return False
    return (owner, f"{prefix}{missing[0]}") in context


def recognised_facts(ch: ClaimHits, factbase: FactBase, context: Context = frozenset()) -> dict[str, list[Hit]]:
    """The value, statistic and position facts a claim is about: every ``all`` group of the fact
    is present (one may come from the heading or title above the claim) and no ``none`` phrase is.

    Returns:
        Fact id -> the hits that recognised it.
    """
    out: dict[str, list[Hit]] = {}
    for owner, hits in ch.by_owner().items():
        fact = factbase.facts.get(owner)
        if fact is None or fact.kind not in ("value", "statistic", "position"):
            continue
        roles = {h.role for h in hits}
        if "none" in roles or not any(r.startswith("all:") for r in roles):
            continue
        if _groups_met(owner, len(fact.recognise_all), "all:", roles, context):
            out[owner] = hits
    return out


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

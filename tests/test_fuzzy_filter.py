"""The pigeonhole pre-test of misspelt names (``_fuzzy_filter``) never turns away a text that
rapidfuzz would accept, so the fuzzy hits are those of the matcher without it."""
import random
import sys
from pathlib import Path

import pytest
from rapidfuzz import fuzz

import guidance_audit as ga
from guidance_audit import _fuzzy_filter, segment
from guidance_audit.readers import document_from_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


def _documents() -> list[Path]:
    return sorted(p for p in (ROOT / "corpora").glob("*/docs/*") if p.suffix in (".txt", ".html", ".docx", ".pdf"))


def _texts() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.inputs import guidance_text

    return [guidance_text(40_000, seed=s, varied=v)[0] for s, v in ((5, True), (6, False))]


def test_fuzzy_hits_with_the_pretest_are_the_hits_without_it(auditor, monkeypatch):
    docs = [ga.read_document(p) for p in _documents()] + [document_from_text(t) for t in _texts()]

    def fuzzy_hits() -> list:
        out = []
        for doc in docs:
            for block, sdoc in zip(doc.blocks, auditor.nlp.pipe(b.text for b in doc.blocks)):
                chs = auditor.index.hits_for(sdoc, segment.outline_claims(sdoc, block), block.start)
                out.append([(h.owner, h.start, h.end, h.text) for ch in chs for h in ch.hits])
        return out

    fast = fuzzy_hits()
    with monkeypatch.context() as m:
        m.setattr(_fuzzy_filter, "may_match", lambda phrase, text, cutoff: True)
        slow = fuzzy_hits()
    assert fast == slow
    assert sum(len(x) for x in fast) > 100


def _misspell(rng: random.Random, phrase: str, edits: int) -> str:
    s = list(phrase)
    for _ in range(edits):
        op = rng.choice("sid")
        i = rng.randrange(len(s) + (op == "i"))
        if op == "s" and i < len(s):
            s[i] = rng.choice("abcdefghijklmnopqrstuvwxyz ")
        elif op == "i":
            s.insert(i, rng.choice("abcdefghijklmnopqrstuvwxyz "))
        elif s:
            del s[min(i, len(s) - 1)]
    return "".join(s)


def test_the_fuzzy_pretest_never_rejects_a_text_rapidfuzz_accepts(auditor):
    rng = random.Random(17)
    phrases = [low for _, _, low in auditor.index._fuzzy]
    assert phrases
    filler = "officers should record the report and refer the victim to support services "
    checked = accepted = 0
    for _ in range(6000):
        phrase = rng.choice(phrases)
        variant = _misspell(rng, phrase, rng.randint(0, 4))
        cut = rng.randrange(len(filler))
        text = rng.choice([filler[:cut] + variant + filler[cut:], variant + filler[:cut], filler[cut:] + variant,
                           variant[1:] + " " + filler[:cut], filler[:cut] + variant[:-1]])
        for cutoff in (90.0, 85.0, 95.0):
            found = fuzz.partial_ratio_alignment(phrase, text, score_cutoff=cutoff) is not None
            checked += 1
            accepted += found
            if found:
                assert _fuzzy_filter.may_match(phrase, text, cutoff), (phrase, text, cutoff)
    assert accepted > checked // 10


def test_the_fuzzy_pretest_rejects_most_unrelated_text(auditor):
    phrases = [low for _, _, low in auditor.index._fuzzy]
    text = "officers should record the report in full and tell the victim who is dealing with it"
    assert sum(not _fuzzy_filter.may_match(p, text, 90.0) for p in phrases) > len(phrases) // 2

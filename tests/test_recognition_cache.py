"""The speed-ups of recognition and fuzzy matching give exactly what the direct computations give:
memoised recognition (``_recognition_cache``) against ``match._recognise`` called every time, and
the pigeonhole pre-test of fuzzy names (``_fuzzy_filter``) against rapidfuzz itself."""
import random
import sys
from pathlib import Path

import pytest
from rapidfuzz import fuzz

import guidance_audit as ga
from guidance_audit import _fuzzy_filter, _recognition_cache, match, segment
from guidance_audit.readers import document_from_text

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-21"


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


def _documents() -> list[Path]:
    return sorted(p for p in (ROOT / "corpora").glob("*/docs/*") if p.suffix in (".txt", ".html", ".docx", ".pdf"))


def _texts() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.inputs import guidance_text

    return [guidance_text(40_000, seed=s, varied=v)[0] for s, v in ((5, True), (6, False))]


def test_memoised_recognition_finds_what_direct_recognition_finds(auditor, monkeypatch):
    docs = [ga.read_document(p) for p in _documents()] + [document_from_text(t) for t in _texts()]
    fast = [auditor.audit_document(d, as_of=AS_OF) for d in docs]
    with monkeypatch.context() as m:
        m.setattr(match, "_recognise", match._recognise.uncached)
        m.setattr(match, "_first_heading", match._first_heading.uncached)
        slow = [auditor.audit_document(d, as_of=AS_OF) for d in docs]
    assert [r.findings for r in fast] == [r.findings for r in slow]
    assert sum(len(r.findings) for r in fast) > 50


def test_recognised_facts_with_mutable_layer_roles_is_direct(auditor):
    """Callers may pass layers whose roles are plain sets (not hashable): nothing is memoised."""
    doc = document_from_text("Spouses\n\nThey can settle after two years.\n")
    sdoc = auditor.nlp(doc.blocks[1].text)
    claims = segment.outline_claims(sdoc, doc.blocks[1])
    ch = auditor.index.hits_for(sdoc, claims, doc.blocks[1].start)[0]
    heading = ga.ContextLayer("heading", "Spouses", 0, 7)
    roles = {("partner.settlement_period", "subject:0")}
    direct = match.recognised_facts(ch, auditor.factbase, layers=[(heading, roles)])
    frozen = match.recognised_facts(ch, auditor.factbase, layers=[(heading, frozenset(roles))])
    assert direct == frozen
    _recognition_cache.clear()


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

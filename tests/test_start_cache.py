"""The start-up cache (parsed packs, tokenized phrases) and the phrase trie: they may only save
time, never change a result."""
import os
import stat

import pytest
from spacy.matcher import PhraseMatcher

import guidance_audit as ga
from guidance_audit import _cache, match
from guidance_audit.segment import build_pipeline


@pytest.fixture
def cache_at(monkeypatch, tmp_path):
    def use(setting):
        monkeypatch.setenv("GUIDANCE_AUDIT_CACHE", str(setting))
        monkeypatch.setattr(_cache, "_folder", False)
        return setting
    yield use
    monkeypatch.setattr(_cache, "_folder", False)


def _facts(fb):
    return {k: repr(v) for k, v in fb.facts.items()}, repr(fb.stances), repr(fb.profiles), fb.sha256


def test_cached_packs_are_the_packs_read_again(cache_at, tmp_path):
    cache_at("off")
    uncached = ga.load_factbase()
    where = cache_at(tmp_path / "cache")
    first = ga.load_factbase()  # stores
    assert any(p.name.startswith("pack-") for p in where.iterdir())
    second = ga.load_factbase()  # loads
    assert _facts(uncached) == _facts(first) == _facts(second)
    assert second.facts == uncached.facts


def test_damaged_or_foreign_entries_are_ignored(cache_at, tmp_path):
    where = cache_at(tmp_path / "cache")
    expected = _facts(ga.load_factbase())
    for entry in where.iterdir():
        entry.write_bytes(b"not a pickle")
    assert _facts(ga.load_factbase()) == expected
    for entry in where.iterdir():
        entry.write_bytes(__import__("pickle").dumps({"something": "else"}))
    assert _facts(ga.load_factbase()) == expected


def test_an_unusable_folder_only_means_the_work_is_done(cache_at, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    cache_at(blocked / "cache")  # below a file: cannot be made
    assert _cache.folder() is None
    fb = ga.load_factbase()
    assert len(fb) > 0
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)  # writable by others: never read
    cache_at(shared)
    assert _cache.folder() is None
    assert _facts(ga.load_factbase()) == _facts(fb)


def test_a_pack_with_problems_is_not_cached(cache_at, tmp_path):
    where = cache_at(tmp_path / "cache")
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\nfacts:\n  - id: x\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ga.FactBaseError):
            ga.load_factbase(extra=[bad])
    names = {p.name for p in where.iterdir()}
    assert all(_cache.key("pack", str(bad), bad.read_text()) + ".pickle" != n for n in names)


def test_the_trie_finds_what_the_phrase_matcher_finds(cache_at, tmp_path):
    cache_at(tmp_path / "cache")
    nlp = build_pipeline()
    fb = ga.load_factbase()
    built = match.FactIndex(nlp, fb)  # tokenizes the phrases and stores them
    loaded = match.FactIndex(build_pipeline(), fb)  # from the cache
    assert loaded._trie == built._trie
    keys = sorted(built._ordered)
    pm = PhraseMatcher(nlp.vocab, attr="NORM")
    for key, doc in zip(keys, nlp.tokenizer.pipe(keys)):
        pm.add(key, [doc])
    texts = [" ".join(keys[i:i + 25]) for i in range(0, len(keys), 25)]
    texts += [k.upper() + " and " + k.title() for k in keys[::11]]
    texts += ["People on a spouse visa can apply for indefinite leave to remain after two years.",
              "Contact the UK Border Agency or the Home Office; no recourse to public funds applies."]
    found = 0
    for doc in nlp.pipe(texts):
        expected = [(built._ordered[nlp.vocab.strings[m]], s, e) for m, s, e in pm(doc)]
        norms = doc.to_array("NORM").tolist() if len(doc) else []
        assert match._trie_matches(built._trie, norms) == expected
        found += len(expected)
    assert found > len(keys)


def test_the_tokenizer_fingerprint_is_the_same_for_the_same_pipeline():
    a, b = build_pipeline(), build_pipeline()
    assert match._tokenizer_fingerprint(a) == match._tokenizer_fingerprint(b) is not None
    a.tokenizer.add_special_case("zzq.", [{65: "zzq."}])  # ORTH
    assert match._tokenizer_fingerprint(a) != match._tokenizer_fingerprint(b)

"""Every message reads as prose a lawyer would sign: no bare lists of alternative values, no
"We: never (...)" fragments, no words capitalised mid-sentence because they began the document's
sentence or a fact's title. Checked on the wording helpers and on every finding the designed and
realistic corpora give (the blind section is never read for tuning, so it is left out here too)."""
import re
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit import wording

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
SUFFIXES = {".txt", ".pdf", ".docx", ".html"}
UNIT = r"(?:hours?|days?|weeks?|months?|years?)"
AMOUNT = rf"(?:\d+(?:\.\d+)?\s{UNIT}|£\d[\d,]*|\d+%)"
BARE_LIST = re.compile(rf"(?<![\w,.£]){AMOUNT}(?:, {AMOUNT})+(?![\w%])")
FRAGMENT = re.compile(r"^[\w' ]+: (?:never|must|should|may|can|will|does) \(|\w: never \(")
NUMBER_WORDS = ("One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Eighteen Twenty Thirty "
                "Whether Which What Who How We Officers Staff Under").split()
# after a lower-case word, a number or a colon, so that names such as "BBC Two" are not counted
MID_CAPITAL = re.compile(r"(?<=[a-z0-9,;:)])\s+(" + "|".join(NUMBER_WORDS) + r")\b")


def problems(text: str) -> list[str]:
    """What is wrong with a message, in words (empty when it reads as prose)."""
    out = []
    if BARE_LIST.search(text):
        out.append(f"a bare list of values: {BARE_LIST.search(text).group(0)!r}")
    if FRAGMENT.search(text):
        out.append("a 'who: modality (topic)' fragment")
    m = MID_CAPITAL.search(text)
    if m:
        out.append(f"{m.group(1)!r} capitalised mid-sentence")
    if not text[:1].isupper() or not text.rstrip().endswith((".", ".)", "?")):
        out.append("does not start with a capital and end with a full stop")
    if text.count("(") != text.count(")"):
        out.append("unbalanced brackets")
    if "  " in text or " ." in text or " ," in text or ".." in text.replace("...", ""):
        out.append("stray spacing or punctuation")
    return out


@pytest.mark.parametrize("raw, expected", [
    ("Since 9 July 2012 it has been 33 months, 30 months (HC 194, paras D-ECP.1.1 (33 months) and D-LTRP.1.1 (30 months)).",
     "Since 9 July 2012 it has been 33 months or 30 months according to the case (HC 194, paras D-ECP.1.1 (33 months) "
     "and D-LTRP.1.1 (30 months))."),
    ("States Three months for length of leave, which agrees.", "States three months for length of leave, which agrees."),
    ("Describes Whether EU, EEA and Swiss citizens can work as it was until 2020.",
     "Describes whether EU, EEA and Swiss citizens can work as it was until 2020."),
    ("The document rules it out in one place and says Officers should do it in another; both cannot hold.",
     "The document rules it out in one place and says officers should do it in another; both cannot hold."),
    ("Names 'destitution domestic violence concession (DDVC' (DDV concession), which no longer applies.",
     "Names 'destitution domestic violence concession' (DDV concession), which no longer applies."),
    ("States five-year for qualifying period, which agrees.", "States five years for qualifying period, which agrees."),
    ("The old rule still applies to a transitional group: Under Part 8 para A280, people kept it.",
     "The old rule still applies to a transitional group: under Part 8 para A280, people kept it."),
    # left alone: amounts with thousands separators, proper nouns, acronyms, sentence starts
    ("States £18,600 for X (£18,600 from 9 July 2012; £29,000 from 11 April 2024). It was outdated.",
     "States £18,600 for X (£18,600 from 9 July 2012; £29,000 from 11 April 2024). It was outdated."),
    ("Names 'UK Border Agency', replaced by UK Visas and Immigration: since 2013 Border Force.",
     "Names 'UK Border Agency', replaced by UK Visas and Immigration: since 2013 Border Force."),
    ("Published by BBC Two, Victoria Derbyshire programme.", "Published by BBC Two, Victoria Derbyshire programme."),
    ("States Ten years for X.", "States ten years for X."),
])
def test_message_wording(raw, expected):
    assert wording.message(raw) == expected
    assert not problems(expected)


@pytest.mark.parametrize("actor, denied, modality, sentence", [
    ("We", True, None, "Passing details to immigration enforcement is something we will never do."),
    ("Officers", False, "must", "Passing details to immigration enforcement is something officers must do."),
    (None, True, None, "Passing details to immigration enforcement is ruled out without exception."),
    (None, False, "should", "Passing details to immigration enforcement is expected."),
])
def test_positions_are_described_in_sentences(actor, denied, modality, sentence):
    assert wording.describe_position(actor, denied, modality, "passing details to immigration enforcement") == sentence


@pytest.fixture(scope="module")
def corpus_findings():
    auditor = ga.Auditor(include_supported=True)
    out = []
    for section in ("docs", "realistic"):
        for path in sorted((CORPORA / section).iterdir()):
            if path.suffix in SUFFIXES:
                out += [(path.name, f) for f in auditor.audit_safely(path, as_of="2026-11-21").findings]
    assert len(out) > 100
    return out


def test_every_corpus_message_reads_as_prose(corpus_findings):
    bad = {f"{name}: {f.rule}: {'; '.join(problems(f.message))}: {f.message[:160]}"
           for name, f in corpus_findings if problems(f.message)}
    assert not bad, "\n".join(sorted(bad))


def test_contradictions_describe_both_positions_in_sentences(corpus_findings):
    stances = [f for _, f in corpus_findings if f.kind == "internal-contradiction" and f.rule.startswith("stance.")]
    assert stances
    for f in stances:
        for side in (f.stated, f.expected):
            assert side and not FRAGMENT.search(side) and side.endswith(".") and side[:1].isupper(), side


def test_a_value_with_alternatives_is_offered_as_alternatives(corpus_findings):
    lists = [f for _, f in corpus_findings if f.rule == "partner.grant_length" and f.kind == "outdated"]
    assert lists, "the corpus no longer has an outdated partner grant length"
    for f in lists:
        assert "33 months or 30 months according to the case" in f.message
        assert f.expected == "33 months or 30 months"

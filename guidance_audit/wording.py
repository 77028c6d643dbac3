"""How findings are worded: each message reads as sentences a lawyer would sign.

:mod:`guidance_audit.check` builds messages from fact titles, fact-pack values and the words of
the document; this module puts those pieces into prose:

* a value that is a list of alternatives ("33 months, 30 months") reads "33 months or 30 months
  according to the case";
* a word taken from the start of a document's sentence or a fact's title ("Three months",
  "Whether", "Officers") is not capitalised in the middle of a sentence;
* a position is described as a sentence ("Passing ... is something officers must do."), never
  as a fragment such as "We: never (...)";
* an adjectival quantity ("a five-year route") is stated as a period ("five years"), and a quoted
  term cut inside its brackets ("concession (DDVC") loses the unclosed bracket.
"""
from __future__ import annotations

import dataclasses
import re

from .models import Finding

_UNIT = r"(?:hours?|days?|weeks?|months?|years?)"
_AMOUNT = rf"(?:\d+(?:\.\d+)?\s{_UNIT}|£\d[\d,]*(?:\.\d\d)?|\d+(?:\.\d+)?%)"
_ALTERNATIVES = re.compile(rf"(?<![\w,.£]){_AMOUNT}(?:, {_AMOUNT})+(?![\w%])")

#: Capitalised only because they began a sentence or a title: lower-cased mid-sentence.
_ORDINARY = frozenset("""
a an the one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
whether which what who whom how when where why
we our us they officers officer staff police constable constables caseworkers caseworker
under in for from since until after before if where unless within during
length number qualifying general maximum minimum share age publication lifting fee immediate
""".split())
_WORD_AFTER = re.compile(r"(?<=[^\s.!?:;\"'“‘(])(\s+)([A-Z][a-z]+)\b")
_AFTER_COLON = re.compile(r"(:\s+)([A-Z][a-z]+)\b")


def alternatives(text: str, condition: str = " according to the case") -> str:
    """``"33 months, 30 months"`` -> ``"33 months or 30 months according to the case"`` (the
    condition is left out when ``condition`` is empty); other text is returned unchanged."""
    def join(m: re.Match) -> str:
        items = m.group(0).split(", ")
        return (", ".join(items[:-1]) + " or " + items[-1]) + condition

    return _ALTERNATIVES.sub(join, text)


def mid_sentence(text: str) -> str:
    """A title or phrase as it reads mid-sentence: "Qualifying period" -> "qualifying period",
    "Whether EU citizens ..." -> "whether EU citizens ..."; proper nouns and acronyms
    ("Skilled Worker salary", "UK Border Agency", "Tier 4") are left alone."""
    words = text.split()
    if not words:
        return text
    first = words[0]
    if first.isupper() and len(first) > 1:
        return text
    if first.lower() in _ORDINARY and first[:1].isupper() and first[1:].islower():
        return text[:1].lower() + text[1:]
    if len(words) > 1 and words[1][:1].isupper():
        return text  # "Skilled Worker", "Shortage Occupation List"
    if len(words) > 1 and re.match(r"\d", words[1]):
        return text  # "Tier 4", "Part 9"
    return text[:1].lower() + text[1:] if first[1:].islower() else text


_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)$")


def _lower_ordinary(m: re.Match) -> str:
    word = m.group(2)
    if word.lower() not in _ORDINARY:
        return m.group(0)
    before = m.string[:m.start()]
    prev = before.split()[-1] if before.split() else ""
    head = before[: len(before) - len(prev)] if prev else before
    if prev[:1].isupper() and (prev.isupper() or not _SENTENCE_START.search(head)):
        return m.group(0)  # part of a name: "BBC Two", "Channel Four"
    return m.group(1) + word.lower()


def describe_position(actor: str | None, denied: bool, modality: str | None, topic: str) -> str:
    """A position on a stance topic as one sentence: "Passing a victim's details to immigration
    enforcement is something we will never do." / "... is something officers must do." """
    subject = topic[:1].upper() + topic[1:]
    who = mid_sentence(actor) if actor else None
    if denied:
        return f"{subject} is something {who} will never do." if who else f"{subject} is ruled out without exception."
    if who:
        verb = {"must": "must do", "should": "should do", "may": "may do", "can": "can do", "will": "will do"}
        return f"{subject} is something {who} {verb.get(modality or '', 'do')}."
    return f"{subject} is " + {"must": "required", "should": "expected", "will": "what will happen",
                               "may": "allowed", "can": "allowed"}.get(modality or "", "what happens") + "."


_ADJECTIVAL = re.compile(r"\b(States )(?:an? )?([\w.]+)-(hour|day|week|month|year)s?( for )")
_SINGULAR = {"one", "1", "a", "an"}


def _period(m: re.Match) -> str:
    n, unit = m.group(2), m.group(3)
    return f"{m.group(1)}{n} {unit}{'' if n.lower() in _SINGULAR else 's'}{m.group(4)}"


_QUOTED = re.compile(r"'([^']+)'")


def _close_quoted(m: re.Match) -> str:
    term = m.group(1)
    if term.count("(") > term.count(")"):
        term = term[: term.rfind("(")].rstrip()
    return f"'{term}'"


def message(text: str) -> str:
    """A finding's message in prose (see the module's description)."""
    text = alternatives(text)
    text = _ADJECTIVAL.sub(_period, text)
    text = _QUOTED.sub(_close_quoted, text)
    text = _WORD_AFTER.sub(_lower_ordinary, text)
    text = _AFTER_COLON.sub(_lower_ordinary, text)
    return text


def polish(finding: Finding) -> Finding:
    """The finding with its message, and a value list in ``expected``, worded as prose."""
    expected = alternatives(finding.expected, "") if finding.expected else finding.expected
    new = message(finding.message)
    if new == finding.message and expected == finding.expected:
        return finding
    return dataclasses.replace(finding, message=new, expected=expected)

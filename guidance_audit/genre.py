"""What kind of document it is: guidance for officers, information for the public, a press
release, a review... decided from the title, headings, opening, structure and metadata.

Omission findings are only fair for the kind of document a profile describes (a press release is
not police guidance), so the genre is decided before omissions are checked, with the evidence
kept so that a reviewer can see why. Each cue is a regular expression with a weight; the genre
with the highest total wins when it clears a threshold, otherwise the genre is ``unknown``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Document

#: Every genre, in the order they are reported.
GENRES = (
    "officer-guidance",        # guidance, policy or procedure for police officers or staff
    "practitioner-guidance",   # guidance for advisers, support workers, council or charity staff
    "caseworker-guidance",     # Home Office guidance for its own caseworkers
    "public-information",      # information for the public or applicants ("you can apply if")
    "press-release",           # a press or news release by the organisation itself
    "news",                    # a news item by a publisher about others
    "opinion",                 # an opinion piece, comment or blog post
    "consultation",            # a consultation seeking views
    "review",                  # a review, inspection, scrutiny or research report
    "application-form",        # an application form or its notes
    "meeting-record",          # minutes or a transcript of a meeting, hearing or broadcast
    "unknown",
)

_MIN_SCORE = 3


@dataclass(frozen=True, slots=True)
class Genre:
    """The genre of a document and why.

    Attributes:
        name: one of :data:`GENRES`.
        evidence: the cues found, as ``"where: 'words'"`` strings, strongest first.
        source: ``detected`` or ``argument`` (stated by the caller).
    """

    name: str
    evidence: tuple[str, ...] = ()
    source: str = "detected"

    def to_dict(self) -> dict:
        return {"name": self.name, "evidence": list(self.evidence), "source": self.source}


# (genre, weight, pattern, where): where is "title", "opening" (title, headings and first 1,500
# characters) or "text" (anywhere).
_CUES: tuple[tuple[str, int, str, str], ...] = (
    ("review", 6, r"\b(?:review|inspection|scrutiny|evaluation|inquiry|audit report|annual report|research)\b", "title"),
    ("opinion", 6, r"\b(?:opinion|comment|blog|viewpoint|why (?:we|the police|forces) must|it(?:'s| is) time)\b", "title"),
    ("consultation", 6, r"\bconsultation\b", "title"),
    # An explicit statement of audience is the strongest cue of all.
    ("practitioner-guidance", 6, r"\b(?:is|are) (?:written )?for\b[^.]{0,120}\b(?:workers|practitioners|professionals|"
                                 r"advisers|staff|IDVAs?|social workers) (?:supporting|working with|who support|who work with)", "opening"),
    ("practitioner-guidance", 5, r"\b(?:briefing|guidance|note|guide|toolkit) for (?:IDVAs?|advisers|practitioners|"
                                 r"support workers|refuge|frontline|professionals|caseworkers at|social workers)", "opening"),
    ("press-release", 5, r"\b(?:press|news|media) release\b|\bfor immediate release\b|\bnotes to editors\b", "text"),
    ("press-release", 3, r"\b(?:commissioner|chief constable|minister|spokesperson)\s+(?:said|says|added)\b", "text"),
    ("press-release", 2, r"\b(?:welcomes?|announces?|launch(?:es)?|funds?|pledges?|unveils?)\b", "title"),
    ("news", 4, r"\b(?:gazette|herald|chronicle|echo|courier|news desk|reporter|correspondent)\b", "opening"),
    ("news", 2, r"\bby (?:our|a) (?:reporter|correspondent)\b|\bbreaking\b", "opening"),
    ("opinion", 4, r"\b(?:opinion|comment(?:ary)?|op-ed|viewpoint|blog post|guest post|column)\b", "opening"),
    ("opinion", 2, r"\b(?:I|we) (?:believe|think|argue)\b|\bin my view\b|\bit is time\b", "text"),
    ("consultation", 5, r"\bconsultation (?:document|paper|response)?\b[^.]{0,60}\b(?:views|respond|responses|questions)\b", "text"),
    ("consultation", 3, r"\b(?:we are|we're) (?:seeking|asking for) (?:your )?views\b|\bclosing date for responses\b", "text"),
    ("review", 4, r"\b(?:inspection|inspectorate|scrutiny (?:panel|review|report)|review of|thematic review|"
                  r"evaluation report|research report|terms of reference)\b", "opening"),
    ("review", 2, r"\b(?:we found|our findings|findings|recommendations?|methodology|the panel)\b", "text"),
    # a record of what was said ("MINUTES of the meeting held at ...", "Present: ...", a
    # broadcast transcript): what speakers said there is reported, not the record's own guidance
    ("meeting-record", 7, r"\bminutes of (?:the|a|an) (?:\w+\s+){0,3}?meeting\b|\b(?:meeting|panel|committee|board|council) "
                          r"minutes\b|\btranscript\b|^\s*minutes\b", "opening"),
    ("meeting-record", 6, r"\bminutes\b|\btranscript\b", "title"),  # "Scrutiny Panel - Minutes - 9 October 2019"
    ("meeting-record", 3, r"(?:^|\n)\s*(?:present|apologies(?: for absence)?|in attendance|action points?)\s*:", "text"),
    ("application-form", 5, r"\bapplication form\b|\bcomplete (?:this|the) form\b|\btick (?:the|one|all) box", "opening"),
    ("caseworker-guidance", 5, r"\bcaseworkers?\b|\bdecision[- ]makers?\b", "opening"),
    ("caseworker-guidance", 2, r"\bversion (?:history|\d+(?:\.\d+)?)\b|\brelated content\b|\bpublished for home office staff\b", "text"),
    ("officer-guidance", 4, r"\b(?:officers?|staff|call handlers?|investigators?) (?:must|should|will|are expected to|need to)\b", "text"),
    ("officer-guidance", 4, r"\b(?:policy|procedure|standard operating procedure|guidance|briefing|instruction)\b[^.]{0,80}"
                            r"\b(?:officers?|staff|constabulary|police)\b|\b(?:force|police) (?:policy|procedure|guidance)\b", "opening"),
    # the kinds of instruction forces give their own staff ("Aide-memoire PPU/AM/11", "Call handler
    # briefing note 03/19", "Operational Guidance OG-112") and who they are addressed to ("For:
    # call handlers, dispatchers", "To: All response and neighbourhood sergeants", "Applies to all
    # police officers, PCSOs ...")
    ("officer-guidance", 5, r"\baide[- ]m[eé]moire\b|\boperational guidance\b|\bstanding orders?\b|"
                            r"\b(?:call handler|call handlers'?|control room|contact management|custody) "
                            r"(?:briefing|procedure|guidance|instructions?|script)\b", "opening"),
    ("officer-guidance", 5, r"(?:^|\n)\s*(?:for|to|audience|circulation|distribution)\s*:\s*(?:all\s+)?"
                            r"(?:(?:police|response|neighbourhood|and|duty|frontline|uniformed|custody|PPU|BCU|"
                            r"investigating)\s+){0,4}(?:officers|sergeants|call handlers|PCSOs|dispatchers|"
                            r"detectives|constables|inspectors)\b|"
                            r"\bapplies to (?:all )?(?:police )?(?:officers|sergeants|call handlers|PCSOs)\b|"
                            r"\bfor (?:all )?(?:police )?officers and (?:police )?staff\b", "opening"),
    ("officer-guidance", 2, r"\b(?:this (?:policy|procedure) applies to|applies to all (?:officers|staff)|owner:|"
                            r"review date|next review)\b", "text"),
    ("practitioner-guidance", 4, r"\b(?:practitioners?|professionals|frontline (?:workers?|staff)|support workers?|"
                                 r"advisers?|caseworkers at|IDVAs?|for (?:staff|workers) (?:who|supporting))\b", "opening"),
    # a refuge's own procedures ("This procedure tells refuge workers and the referrals team ...")
    ("practitioner-guidance", 5, r"\b(?:refuge|intake|outreach|referrals?) (?:workers?|staff|team|teams)\b", "opening"),
    # a safeguarding board's or partnership's procedure for every agency
    ("practitioner-guidance", 4, r"\bmulti-agency (?:procedure|guidance|protocol|practice)\b|"
                                 r"\b(?:all|its) partner agencies\b|\bsafeguarding (?:adults )?(?:board|partnership)\b", "opening"),
    ("practitioner-guidance", 2, r"\b(?:practice (?:note|guidance|briefing)|briefing for|guidance for (?:staff|practitioners))\b", "text"),
    ("public-information", 3, r"\b(?:you can apply|you must|you'll need|you will need|if you are|you may be able to|"
                              r"what you need|how to apply|your (?:partner|visa|application))\b", "text"),
    ("public-information", 2, r"\b(?:frequently asked questions|FAQs?|eligibility|how long you can stay|"
                              r"a guide for|information for (?:victims|survivors|the public|applicants))\b", "opening"),
)
_COMPILED = tuple((g, w, re.compile(p, re.I), where) for g, w, p, where in _CUES)


def _you_share(text: str) -> float:
    words = re.findall(r"[A-Za-z']+", text[:20000])
    if not words:
        return 0.0
    return sum(w.lower() in ("you", "your", "you're", "you'll") for w in words) / len(words)


def detect_genre(document: Document) -> Genre:
    """The document's genre from its title, headings, opening, structure and metadata."""
    title = document.metadata.title or ""
    headings = " | ".join(b.text for b in document.blocks if b.kind == "heading")[:2000]
    opening = f"{title}\n{headings}\n{document.text[:1500]}"
    scopes = {"title": title, "opening": opening, "text": document.text[:60000]}
    score: dict[str, int] = {}
    evidence: dict[str, list[tuple[int, str]]] = {}
    for genre, weight, pattern, where in _COMPILED:
        m = pattern.search(scopes[where])
        if m is None:
            continue
        score[genre] = score.get(genre, 0) + weight
        evidence.setdefault(genre, []).append((weight, f"{where}: '{m.group(0).strip()[:60]}'"))
    share = _you_share(document.text)
    if share >= 0.025:
        score["public-information"] = score.get("public-information", 0) + 3
        evidence.setdefault("public-information", []).append(
            (3, f"structure: addresses the reader as 'you' ({share:.1%} of words)"))
    if not score:
        return Genre("unknown", ("no cue of any genre in the title, headings or opening",))
    best = max(score, key=lambda g: (score[g], -GENRES.index(g)))
    if score[best] < _MIN_SCORE:
        return Genre("unknown", tuple(e for _, e in sorted(evidence[best], reverse=True))
                     + (f"score {score[best]} is below {_MIN_SCORE}",))
    ranked = sorted(evidence[best], reverse=True)
    others = sorted(((s, g) for g, s in score.items() if g != best), reverse=True)[:2]
    tail = tuple(f"also considered {g} (score {s})" for s, g in others)
    return Genre(best, tuple(e for _, e in ranked) + (f"score {score[best]}",) + tail)


_EXTRACT = re.compile(
    r"\b(?:extract|excerpt)s? (?:from|of)\b|\bthis is (?:an? )?(?:extract|excerpt|part)\b|\(continued\)|"
    r"\bcontinued from\b|\bpart \d+ of \d+\b|\bsection \d+ of \d+\b|\bannex [a-z0-9]+ (?:to|of)\b", re.I)
_MIN_WORDS = 250


@dataclass(frozen=True, slots=True)
class Completeness:
    """Whether a document is complete enough for its omissions to be judged, and why not."""

    complete: bool
    reason: str | None = None


def completeness(document: Document) -> Completeness:
    """A document too short to cover its topics, or one that reads as an extract or a single
    section of a longer document, cannot be faulted for what it leaves out."""
    words = len(re.findall(r"\w+", document.text))
    if words < _MIN_WORDS:
        return Completeness(False, f"it has only {words} words")
    opening = f"{document.metadata.title or ''}\n{document.text[:800]}"
    m = _EXTRACT.search(opening)
    if m:
        return Completeness(False, f"it reads as part of a longer document ('{m.group(0)}')")
    first = next((b for b in document.blocks if b.number), None)
    if first is not None and first.number and re.match(r"^\(?\d+", first.number):
        lead = int(re.match(r"^\(?(\d+)", first.number).group(1))  # type: ignore[union-attr]
        if lead > 2 and first.index < 5:
            return Completeness(False, f"its numbering starts at {first.number}, so it reads as one section")
    return Completeness(True)

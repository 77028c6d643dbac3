"""Decide what each recognised statement means against the fact base, and produce findings.

Every check is a small function from what the match stage recognised to a list of findings.
Verdicts are taken at the audit date (``as_of``) and also at the document's publication date, so
a finding says whether the statement was already wrong when the document was published.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .factbase import Fact, FactBase, FactValue, Profile, Requirement, Stance
from .match import ClaimHits, Hit, Recognition
from .models import Citation, Claim, Finding, FindingKind, Location, Quantity, Related, Severity
from .patterns import pack_finditer, pack_search  # pack patterns run with a timeout (issue 15)
from .quantities import describe_quantity, same_quantity
from . import wording

_NEAR_CHARS = 120
_ACT_TO_TARGET = 100
_PAST_MARKER = re.compile(
    r"\b(?:former(?:ly)?|previous(?:ly)?|old|the then|defunct|abolished|replaced|replacing|replaces|replace|"
    r"renamed|superseded|supersedes|took over from|takes over from|successor to|unlike|(?:still|which|that|it|they|also) (?:referred|refers) to|"
    r"references? to|mentioned|mentions|out of date|outdated|lost its|"
    r"predecessor|was known as|were known as|known until|closed|scrapped|no longer|which replaced|"
    r"took the place of|takes the place of|taken the place of|closure|abolition|demise|"
    r"in place of|instead of|now called|now known as|now the|succeeded|used to be|prior to|"
    # "The OISC has a new name", "... changed its name to ..."
    r"(?:has|have|gets|get|got|was given|were given) a new name|chang(?:ed|es|ing) (?:its|their) names?)\b",
    re.I,
)
_NOT_RELIED_ON_BEFORE = re.compile(
    r"\b(?:not|never|no longer|n't)\s+(?:\w+\s+){0,2}(?:ask\w*\s+(?:[\w'’-]+\s+){0,3}?for|accept\w*|request\w*|rel(?:y|ies|ied)\s+on|"
    r"use|using|require\w*|demand\w*|insist\w*\s+on)\s+(?:(?:a|an|the|their|any|your)\s+)?(?:\w+\s+)?$", re.I)
_NOT_RELIED_ON_AFTER = re.compile(
    r"\w*\s+(?:are|is|have|has|were|was|will|can|should)\s+(?:not|no longer|never)\b", re.I)
_PAST_AFTER = re.compile(
    r"\w*\s+(?:were|was|had|have been|has been|expired|ended|stopped|ceased|closed)\b", re.I)
_CONDITIONAL = re.compile(r"\b(?:unless|except|other than|only (?:where|if|when)|save where|apart from|"
                          r"routinely|as a matter of (?:course|routine)|on a routine basis|for the sole purpose|solely|"
                          r"purely|(?:only|just|simply) to (?:find out|establish|check|confirm)|automatically|as standard|by default|"
                          r"(?:simply |just |only |solely |merely )?because (?:you|they|he|she|someone|a victim|the victim|"
                          r"victims|people)\b)", re.I)
_CATEGORICAL_DENIAL = re.compile(
    r"\b(?:never|no risk|under no circumstances|at no (?:time|point)|will not|won't|do not|does not|"
    r"cannot|can't|not be|(?:is|are) not|isn't|aren't|must not|mustn't|should not|shouldn't|shall not|"
    r"no (?:information|details|data|personal data|personal information))\b", re.I)
_ACTOR = re.compile(r"\b(we|officers?|police|the force|our force|this force|staff|the officer|call handlers?|the police|"
                    r"our staff|the PPU|the unit|the team|(?:custody )?sergeants?|investigating officers?|the OIC|"
                    r"partner agenc(?:y|ies)|(?<!Border )agency|agencies|board partners|practitioners|caseworkers|"
                    r"(?:the |our )?(?:duty|key|support|refuge|intake) workers?)\b", re.I)
#: The past tense of passing details on ("the force shared ...", "officers referred ...").
_SHARED_PAST = "shared|passed|referred|reported|disclosed|notified|forwarded|sent"
#: What the police did ("the force shared information about 11 victims with Immigration
#: Enforcement"): a report of the act, which a denial elsewhere cannot stand beside.
_DID = re.compile(r"\b(?:" + _SHARED_PAST + r"|"
                  # a procedure in the present ("the liaison officer then passes the details to ...")
                  r"shares|passes|refers|discloses|notifies|forwards|sends|contacts|rings|calls|phones|emails|"
                  r"checks|submits)\b", re.I)


@dataclass(frozen=True)
class Context:
    """The dates and options a document is audited with."""

    as_of: _dt.date
    published: _dt.date | None
    include_supported: bool = False


@dataclass
class Statement:
    """A claim's stated value of a fact, kept for the contradiction check."""

    fact: Fact
    claim: Claim
    quantity: Quantity


@dataclass
class Said:
    """A claim that states one dated version of a position fact (``None``: more than one)."""

    fact: Fact
    claim: Claim
    value: FactValue | None


@dataclass
class Position:
    """A claim's position on a stance topic: who, does what, affirmed or denied, how strongly."""

    stance: Stance
    claim: Claim
    actor: str | None
    denied: bool
    categorical: bool
    modality: str | None
    #: for a denial told in the present perfect from a date ("Since 2019 the force has not shared
    #: ..."), that date; for a past act the document reports ("between April 2020 and January 2021
    #: the force made 38 status enquiries to the Home Office"), the last day it reports on
    since: _dt.date | None = None
    done_by: _dt.date | None = None


@dataclass
class Collected:
    """What the per-claim checks leave for the document-level checks."""

    statements: list[Statement] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    said: list[Said] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Helpers


#: Proper adjectives that keep their capital mid-sentence ("English level required of ...").
_PROPER = frozenset({"English", "British", "Irish", "Welsh", "Scottish", "European", "Commonwealth"})


def _lower(title: str) -> str:
    """A title as it reads mid-sentence: "Qualifying period" -> "qualifying period", proper
    nouns and acronyms ("British", "UK", "Skilled Worker") left alone."""
    words = title.split()
    if not words or words[0].isupper() or words[0] in _PROPER or (len(words) > 1 and words[1][:1].isupper()):
        return title  # "UK Border Agency", "Skilled Worker salary"
    return title[:1].lower() + title[1:]


def _fmt(d: _dt.date | None) -> str:
    return f"{d.day} {d.strftime('%B %Y')}" if d else "an unknown date"


def _location(claim: Claim, start: int | None = None, end: int | None = None) -> Location:
    return Location(page=claim.page, block=claim.block, start=claim.start if start is None else start,
                    end=claim.end if end is None else end)


def _severity(fact: Fact, normal: Severity) -> Severity:
    if fact.confidence == "low" and normal == "error":
        return "warning"
    return normal


def _confidence_note(fact: Fact) -> str:
    if fact.confidence != "low":
        return ""
    why = f" ({fact.note})" if fact.note else ""
    return f" The fact behind this finding has low confidence{why}, so it is reported as a warning only."


def _matches(q: Quantity, value: FactValue) -> bool:
    return any(same_quantity(q, v) for v in value.quantities)


def _current_text(fact: Fact, on: _dt.date) -> str | None:
    now = fact.values_in_force(on)
    return " or ".join(v.text for v in now) if now else None


def _negated_before(claim: Claim, q: Quantity) -> bool:
    """Whether a negation governs the quantity (decided when the claim was described)."""
    return q.start in claim.negated_quantities


_TAKES = re.compile(r"\b(?:takes?|took|taking|wait(?:ed|ing)? for a decision)\s+(?:\w+\s+){0,2}$", re.I)


def _how_long_it_takes(claim: Claim, q: Quantity) -> bool:
    """A duration that says how long something takes ("a decision can take up to six months")
    is a processing time, not the value of a rule."""
    return (q.kind == "duration"
            and bool(_TAKES.search(claim.text[max(0, q.start - claim.start - 30):q.start - claim.start]))
            and bool(_PROCESSING.search(claim.text)))


_DURING = re.compile(r"\bduring\s+(?:the|those|these|that|this|her|his|your|their)\s+(?:first\s+|last\s+)?$", re.I)
_LENGTH_ADJECTIVE = re.compile(r"-(?:day|week|month|year)$", re.I)  # "six-month"


def _during(claim: Claim, q: Quantity) -> bool:
    """A period something happens in ("Then you put in the ILR application during the 3
    months") refers to a period already named; it is not the value of a rule. (A period named
    by its length, "during the six-month concession period", still states it.)"""
    if q.kind != "duration" or _LENGTH_ADJECTIVE.search(q.text):
        return False
    at = q.start - claim.start
    return bool(_DURING.search(claim.text[max(0, at - 30):at]))


#: What follows a time still to go ("is two years from qualifying", "three months short of
#: settlement", "a year away from applying").
_TIME_LEFT = re.compile(r"^\s*(?:away\s+from|short\s+of|from|off|left\s+(?:before|until|to))\s+(?:[\w-]+\s+){0,3}?"
                        r"(?:qualifying|being\s+eligible|eligibility|settlement|settling|applying|reaching|completing|"
                        r"finishing|the\s+end|ILR|indefinite\s+leave)\b|"
                        r"^\s*(?:to\s+go|left|remaining)\b", re.I)


def _time_left(claim: Claim, q: Quantity) -> bool:
    """A duration still to go before someone qualifies ("a young man who is two years from
    qualifying for long residence") is not the length a rule sets."""
    return q.kind == "duration" and bool(_TIME_LEFT.match(claim.text[q.end - claim.start:q.end - claim.start + 40]))


_PER_HOUR = re.compile(r"^\s*(?:an|per|a|each|/)\s*(?:hour|hr)\b|^\s*hourly\b", re.I)


def _per_hour(claim: Claim, q: Quantity) -> bool:
    """An hourly amount ("or £10.10 an hour if that is higher") is not the annual figure of a
    salary or income rule: it is set aside, and the rest of the statement is still checked."""
    return q.kind == "money" and bool(_PER_HOUR.match(claim.text[q.end - claim.start:q.end - claim.start + 12]))


_PROCESSING = re.compile(r"\b(?:decisions?|decided|process(?:ed|ing)?|hear back|response|reply|appointment|"
                         r"backlog|queue|turnaround|service standard)\b", re.I)


def _inside_quotes(claim: Claim, start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in claim.quotes)


def _near(q: Quantity, hits: "list[Hit] | tuple[Hit, ...]") -> int:
    return min((min(abs(q.start - h.end), abs(h.start - q.end)) for h in hits), default=0)


def _about(rec: Recognition, extra: str | None = None) -> dict:
    """The fields every finding on a recognised statement carries: where its subject came from
    and how the statement was read."""
    return dict(context=tuple(layer.describe() for layer in rec.sources), framing="current",
                framing_reason=extra)


# --------------------------------------------------------------------------------------------
# Values and statistics


#: An adviser's or reviewer's view reported as theirs ("The committee reported in June 2025 and
#: advised against £38,700"): a figure it advised on is not the rule. (A position fact may be
#: about the recommendation itself, "The review recommended a protocol", so only values skip it.)
_BODY_VIEW = re.compile(
    r"^\W*(?:(?:the|a|an|its|their|this|that|some|many|several|other|most)\s+(?:[\w'’-]+\s+){0,3}?)?"
    r"(?:committee|MAC|review|reviewers?|report|others|critics|"
    r"inspectorate|inspectors?|commissioner|panel|charity|charities|study|research|researchers|survey|"
    r"watchdog|campaigners?|ombudsman)\b(?:\s+[\w,'’-]+){0,5}?\s+(?:recommended|recommends|advised|advises|"
    r"suggested|suggests|proposed|proposes|concluded|concludes|called for|calls for|urged|urges|warned|warns|"
    r"argued|argues)\b", re.I)


def _survey_answer(claim: Claim) -> bool:
    """A figure that reports what respondents said ("80% of police forces said they shared
    victims' details"): the reported speech is the statistic itself, not a quotation."""
    return (claim.framing == "quoted" and (claim.framing_reason or "").startswith("reported speech")
            and not claim.quotes)


_COUNTED_NOUN = re.compile(r"\s+([a-z]+s)\b")


def _counted(fact: Fact) -> frozenset[str]:
    """The nouns a count fact counts, as its recognition phrases write them ("12 rights")."""
    phrases = [p for group in (*fact.recognise_all, *fact.recognise_subject) for p in group]
    return frozenset(m.group(1) for p in phrases if (m := re.match(r"\d+\s+([a-z]+s)\b", p.lower())))


def _counts_something_else(claim: Claim, q: Quantity, fact: Fact) -> bool:
    """Whether a count is of other things than the fact counts ("audited 300 cases against the
    Code" is no number of the Code's rights): the plural noun right after the number is not one
    the fact's own phrases count."""
    if q.kind != "count":
        return False
    nouns = _counted(fact)
    m = _COUNTED_NOUN.match(claim.text, q.end - claim.start)
    return bool(nouns and m and m.group(1) not in nouns)


#: Figures that show how something varies ("if you work 22 hours one week and 14 the next"):
#: an illustration, not the rule's value.
_ONE_THEN_NEXT = re.compile(r"\b\d[\d,.]*\s+(?:[\w-]+\s+)?(?:in\s+)?one\s+(?:week|month|day|year|term)\s+and\s+"
                            r"\d[\d,.]*\s+(?:[\w-]+\s+)?(?:in\s+)?the\s+(?:next|following|other)\b", re.I)


#: A clause with a subject of its own (", and long residence takes ten", ", but ...", "; ...").
_OWN_CLAUSE = re.compile(r";|,\s+(?:but|whereas|while)\b|,\s+and\s+(?!(?:a|an|the|its|their|then|up|for|from|\d))(?=[a-z]+\s+[a-z]+)",
                         re.I)


def _before_its_clause(claim: Claim, q: Quantity, hits: "tuple[Hit, ...] | list[Hit]") -> bool:
    """Whether the words that name the fact (its name, subject or first group) all lie in a later
    clause with a subject of its own than the figure: "Today most people on work routes qualify after five years, and long residence takes
    ten" gives the five years to work routes, not to long residence."""
    own = [h for h in hits if h.role in ("name", "all:0") or h.role.startswith("subject:")]
    if not own:
        return False
    first = min(h.start for h in own) - claim.start
    return any(q.end - claim.start <= m.start() < first for m in _OWN_CLAUSE.finditer(claim.text))


def _one_then_the_next(claim: Claim, q: Quantity) -> bool:
    at = q.start - claim.start
    return any(m.start() <= at < m.end() for m in _ONE_THEN_NEXT.finditer(claim.text))


def check_value(claim: Claim, fact: Fact, rec: Recognition, ctx: Context, collected: Collected) -> list[Finding]:
    """Compare the quantity a claim states with the dated values of a value or statistic fact."""
    if claim.framing == "historical" and fact.kind == "value":
        return _dated_history(claim, fact, rec, ctx)
    if not (claim.asserted or (fact.kind == "statistic" and (claim.framing == "historical" or _survey_answer(claim)))):
        return []  # a published figure is about the past: "between May 2020 and 2022, 2,656 ..."
    if fact.kind == "value" and _BODY_VIEW.search(claim.text):  # "Some campaigners have called for £18,600"
        return []
    hits = rec.hits
    hourly = "hour" in fact.title.lower()
    qs = [q for q in claim.asserted_quantities if q.kind == fact.quantity and (not hits or _near(q, hits) <= _NEAR_CHARS)
          and not _negated_before(claim, q) and not _how_long_it_takes(claim, q) and not _during(claim, q)
          and not _time_left(claim, q) and not _one_then_the_next(claim, q) and not _before_its_clause(claim, q, hits)
          and (hourly or not _per_hour(claim, q)) and not _counts_something_else(claim, q, fact)]
    if not qs:
        return []
    about = _about(rec)
    in_force = fact.values_in_force(ctx.as_of)
    for q in qs:
        matched = next((v for v in in_force if _matches(q, v)), None)
        if matched is not None:
            collected.statements.append(Statement(fact, claim, q))
            out = _effective_date(claim, fact, q, matched, ctx, about)
            return out + _supported(claim, fact, q, ctx, about)  # (dropped later unless asked for)
    for q in qs:
        past = [v for v in fact.values if _matches(q, v) and v.end is not None and v.end < ctx.as_of]
        if past and fact.kind == "value":
            cohort = _cohort_of(claim, past[-1])
            if cohort is not None:
                return [_for_cohort(claim, fact, f"States {q.text} for {_lower(fact.title)}", q.text,
                                    past[-1], cohort, about)]
            collected.statements.append(Statement(fact, claim, q))
            late = _dated_after(claim, q, past[-1])
            if late is not None:
                return [_for_a_later_date(claim, fact, q, past[-1], late, ctx, about)]
            first = _outdated(claim, fact, q, past[-1], ctx, about)
            others = _more_outdated_figures(claim, fact, q, qs, ctx)
            if not others:
                return [first]
            # "£80 for a first offence, or £500 if you have been fined before": each figure is
            # a statement of its own, quoted by its own clause
            return [_in_its_clause(claim, first, q)] + [
                _in_its_clause(claim, _outdated(claim, fact, o, v, ctx, about), o) for o, v in others]
    ahead = [(q, v) for q in qs for v in fact.values if _matches(q, v)]
    if ahead:
        # agrees with an announced value not yet in force: ignored before its date, unless the
        # statement gives that date wrongly ("cut to 18 months for applications made on or
        # after 1 January 2026" when the change applies from 1 January 2027)
        return _effective_date(claim, fact, *ahead[0], ctx, about)
    if _before_the_known_history(fact, ctx):
        return []  # "£600 a month" in 2009: perhaps a value from before the first one recorded
    qs = [q for q in qs if not _out_of_scale(q, fact)]
    if not qs:
        return []
    q = min(qs, key=lambda q: _near(q, hits))
    collected.statements.append(Statement(fact, claim, q))
    return [_incorrect(claim, fact, q, ctx, about)]


def _out_of_scale(q: Quantity, fact: Fact) -> bool:
    """Whether a duration is of another order than every version of the fact ("a BRP card in
    the post a week or so later" beside a settlement period of years): not a wrong value of the
    rule but a statement about something else. Money and counts are compared as they are."""
    if q.kind != "duration":
        return False
    known = [v.value for value in fact.values for v in value.quantities if v.kind == "duration" and v.value > 0]
    return bool(known) and (q.value * 10 < min(known) or q.value > 10 * max(known))


#: A change told with the value it brought ("was raised to", "rose to", "was set at").
_CHANGED_TO = re.compile(r"\b(?:(?:was|were|had been)\s+(?:raised|increased|reduced|cut|lowered|set|fixed|put up|extended|"
                         r"shortened|doubled|halved|changed)|rose|fell|went up|went down|jumped|climbed|dropped)\s+"
                         r"(?:to|at)\s+$", re.I)
#: The same told with a noun ("The increase to £26,200 took effect on 6 April 2023").
_CHANGE_TO_NOUN = re.compile(r"\b(?:the|an?|this|that)\s+(?:[\w-]+\s+)?(?:increase|rise|cut|reduction|change|drop)\s+to\s+$", re.I)
#: What a change did on the date after the value ("took effect on", "came into force on").
_TOOK_EFFECT = re.compile(r"^\s*(?:took effect|came into (?:force|effect)|applied|started|began|was introduced)\s+(?:on|from|in)\s+$", re.I)
#: The date such a change is told for ("... in 2025", "In April 2024 ...", "on 9 July 2012").
_TOLD_FOR = re.compile(r"(?:^|\b)(?:in|on|from)\s+(?:the\s+)?(?:summer\s+of\s+|spring\s+of\s+|autumn\s+of\s+|"
                       r"winter\s+of\s+|early\s+|late\s+|mid-?)?$", re.I)


def _dated_history(claim: Claim, fact: Fact, rec: Recognition, ctx: Context) -> list[Finding]:
    """History told wrongly: "The minimum income requirement was raised to £38,700 in 2025"
    names a value and the time it came in. The statement is checked against the values recorded
    for that time; a value that never applied then is wrong history, not an old rule."""
    if fact.confidence == "low":
        return []
    text, hits = claim.text, rec.hits
    for q in claim.asserted_quantities:
        if q.kind != fact.quantity or (hits and _near(q, hits) > _NEAR_CHARS):
            continue
        a = q.start - claim.start
        lead = text[max(0, a - 40):a]
        if not (_CHANGED_TO.search(lead) or _CHANGE_TO_NOUN.search(lead)):
            continue
        # A date just after another value of the fact is that value's ("£18,600 from July 2012
        # until it was raised to £29,000": July 2012 is £18,600's).
        dates = [d for d in claim.asserted_quantities if d.kind == "date" and d.date is not None
                 and (0 <= d.start - q.end <= 12 or 0 <= q.start - d.end <= 80
                      or (0 <= d.start - q.end <= 30 and _TOOK_EFFECT.search(text[q.end - claim.start:d.start - claim.start])))
                 and not any(o.kind == fact.quantity and o.start != q.start and 0 <= d.start - o.end <= 12
                             for o in claim.asserted_quantities)
                 and _TOLD_FOR.search(text[max(0, d.start - claim.start - 25):d.start - claim.start])]
        if len(dates) != 1:
            continue
        d = dates[0]
        first, last = _period_of(d)
        told = [v for v in fact.values if _matches(q, v) and not (v.status == "announced" and v.start
                                                                 and v.start > ctx.as_of)]
        if any(v.in_force(first) or v.in_force(last) or (v.start and first <= v.start <= last) for v in told):
            return []
        then = [v for v in fact.values if v.status != "announced" and (v.in_force(first) or v.in_force(last))]
        if not then or any(v.start is None for v in then):
            return []  # nothing recorded for that time (or only a value whose start is unknown)
        was = then[-1]
        ever = [v for v in told if v.start is not None]
        tail = (f"{q.text} applied from {_fmt(ever[0].start)}" + (f" to {_fmt(ever[0].end)}" if ever[0].end else "")
                if ever else f"{q.text} never applied")
        msg = (f"Says {_lower(fact.title)} became {q.text} in {d.text}, but in {d.text} it was {was.text} "
               f"(from {_fmt(was.start)}); {tail}.")
        return [Finding(
            kind="incorrect", severity=_severity(fact, "warning"), rule=f"{fact.id}.history", message=msg + _confidence_note(fact),
            quote=text, location=_location(claim), stated=q.text, expected=was.text, true_between=(was.start, was.end),
            wrong_at_publication=True if ctx.published else None, citations=_dedupe(tuple(was.citations)),
            confidence=fact.confidence, **{**_about(rec), "framing": "historical", "framing_reason": claim.framing_reason},
        )]
    return []


def _period_of(d: Quantity) -> tuple[_dt.date, _dt.date]:
    """The first and last day of the day, month or year a date names."""
    assert d.date is not None
    if d.precision == "year":
        return _dt.date(d.date.year, 1, 1), _dt.date(d.date.year, 12, 31)
    if d.precision == "month":
        nxt = _dt.date(d.date.year + (d.date.month == 12), d.date.month % 12 + 1, 1)
        return _dt.date(d.date.year, d.date.month, 1), nxt - _dt.timedelta(days=1)
    return d.date, d.date


def _cohort_of(claim: Claim, value: FactValue) -> str | None:
    """Who the statement is addressed to, when that is the cohort still under ``value`` after
    it ended: the page, section or sentence names people who applied (or were granted leave)
    while it was in force, or one of the value's ``cohort`` phrases. ``None`` otherwise."""
    if not (value.transitional or value.cohort):
        return None
    scope_date = claim.context.scope_date
    if scope_date is not None and value.in_force(scope_date):
        return claim.context.scope
    still_on = _STILL_ON.search(claim.text)
    if still_on and value.transitional:
        return still_on.group(0)  # "has only applied to people who were already on it before that date"
    if value.cohort:
        own = claim.text.lower()
        layers = [] if scope_date is not None else [
            layer.text.lower() for layer in claim.context.layers
            if layer.kind in ("lead-in", "question", "heading", "previous", "row-header", "column-header")]
        for phrase in value.cohort:
            if phrase.lower() in own:
                return phrase
            # Around the statement only a dated phrase ("first applied before 11 April 2024")
            # names the cohort: a heading's bare "transitional" may be another cohort's, and a
            # page scoped to another cohort lends none of its words to this rule's.
            if any(ch.isdigit() for ch in phrase) and any(phrase.lower() in t for t in layers):
                return phrase
    return None


_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"


#: People still on the old rule, named by the sentence ("people who were already on it", "those
#: still under the old rules").
_STILL_ON = re.compile(r"\b(?:people|those|applicants|partners|spouses|clients|anyone|migrants|victims|students|workers)"
                       r"\s+(?:who\s+(?:were|are|was|is|had been|have been)\s+)?(?:already|still)\s+(?:on|under|in)\s+"
                       r"(?:it|that route|this route|the (?:old|previous|earlier|former|same|\w+-year) (?:route|rules?|system))\b|"
                       # "People who were already in the UK on a spouse visa before that date"
                       r"\b(?:already|still)\s+(?:in the UK\s+|here\s+)?(?:on|under|with)\s+(?:a|an|the|their|that)\s+"
                       r"(?:[\w-]+\s+){0,2}?(?:visa|route|rules?|leave|permission)\s+(?:before|prior to|granted before)\s+"
                       r"(?:that date|then|this date|the change|\d{1,2} \w+ \d{4}|\w+ \d{4}|\d{1,2} " + _MONTHS + r"\b)", re.I)


def _for_cohort(claim: Claim, fact: Fact, said: str, stated: str | None, value: FactValue, cohort: str,
                about: dict) -> Finding:
    """The info note for a statement of an old value (or version of a position) addressed to
    the cohort still under it. ``said`` begins the message ("States £18,600 for ...")."""
    who = (value.transitional or cohort).rstrip(".")
    msg = (f"{said}: the general rule changed on "
           f"{_fmt(value.end + _dt.timedelta(days=1) if value.end else None)}, but this statement is "
           f"addressed to people still under the old rule ({cohort}), for whom it holds: {who}.")
    return Finding(
        kind="supported", severity="info", rule=fact.id, message=msg, quote=claim.text,
        location=_location(claim), stated=stated, expected=value.text, true_between=(value.start, value.end),
        wrong_at_publication=False, citations=value.citations, confidence=fact.confidence,
        cohort=who, **{**about, "framing_reason": f"addressed to a transitional cohort ({cohort})"},
    )


_FROM_CUE = re.compile(r"\b(?:from|since|on or after|with effect from|as of|as from|starting|effective)\s+(?:the\s+)?$", re.I)


def _effective_date(claim: Claim, fact: Fact, q: Quantity, value: FactValue, ctx: Context,
                    about: dict) -> list[Finding]:
    """A statement that gives the date a value took effect ("£41,700 from 4 April 2024"): the
    date is checked against the value's own start (and the date its instrument was laid)."""
    if value.start is None or fact.kind != "value":
        return []
    for d in claim.asserted_quantities:
        if d.kind != "date" or d.date is None or abs(d.start - q.start) > 80:
            continue
        before = claim.text[max(0, d.start - claim.start - 25):d.start - claim.start]
        if not _FROM_CUE.search(before) or (_OTHER_EVENT.search(before) and not _APPLICATIONS_FROM.search(
                claim.text[max(0, d.start - claim.start - 45):d.start - claim.start])):
            continue  # (not "if your leave expires on or after 1 May 2017": the date of another event)
        known = [value.start] + [c.date for c in value.citations if c.date]
        if any(_same_period(d, k) for k in known):
            return []
        if fact.confidence == "low":
            return []
        if value.start > ctx.as_of:  # an announced change, dated wrongly
            msg = (f"Says {_lower(fact.title)} will be {value.text} from {d.text}, but that change applies from "
                   f"{_fmt(value.start)}.")
        else:
            msg = (f"Says {_lower(fact.title)} has been {value.text} from {d.text}, but that value took effect on "
                   f"{_fmt(value.start)}.")
        return [Finding(
            kind="incorrect", severity="warning", rule=f"{fact.id}.effective-date", message=msg,
            quote=claim.text, location=_location(claim), stated=d.text, expected=_fmt(value.start),
            true_between=(value.start, value.end), wrong_at_publication=True if ctx.published else None,
            citations=value.citations, confidence=fact.confidence, **about,
        )]
    return []


_OTHER_EVENT = re.compile(r"\b(?:expires?|expired|ends?|ended|runs? out|ran out|arrived?|entered|enters?|applied|apply|"
                          r"applies|granted|born|made|submitted|started|starts?|began|begins?)\s+(?:on or after|after|from|"
                          r"since|on)\s+(?:the\s+)?$", re.I)
#: How the rules give the date a change applies from: "for applications made on or after ...".
_APPLICATIONS_FROM = re.compile(r"\bapplications?\s+(?:made|submitted|lodged|received)\s+(?:on or after|from)\s+(?:the\s+)?$",
                                re.I)
_AFTER_CUE = re.compile(r"\b(?:from|since|on or after|after|with effect from|as of|as from|starting|effective)\s+(?:the\s+)?$", re.I)


def _before_the_known_history(fact: Fact, ctx: Context) -> bool:
    """Whether the document speaks from a time the fact's history may not cover: its first
    recorded value has no known start, and the document was published before that value ended.
    A figure matching no version may then be an earlier one nobody recorded, so it is not
    called wrong."""
    if ctx.published is None or not fact.values:
        return False
    first = min(fact.values, key=lambda v: (v.start is not None, v.start or _dt.date.min))
    return first.start is None and first.end is not None and ctx.published <= first.end


def _dated_after(claim: Claim, q: Quantity, value: FactValue) -> tuple[Quantity, str] | None:
    """A date the statement gives for an old value ("£18,600 after 11 April 2024") that falls
    after the value ended, with the word that gives it ("after"): the statement was wrong for
    that date, not merely out of date."""
    if value.end is None:
        return None
    for d in claim.asserted_quantities:
        if d.kind != "date" or d.date is None or abs(d.start - q.start) > 80 or d.date <= value.end:
            continue
        if d.precision != "day" and d.date.year <= value.end.year:
            continue  # "from April 2024" might still be the old value's last days
        cue = _AFTER_CUE.search(claim.text[max(0, d.start - claim.start - 25):d.start - claim.start])
        if cue:
            return d, cue.group(0).strip()
    return None


def _for_a_later_date(claim: Claim, fact: Fact, q: Quantity, value: FactValue, dated: tuple[Quantity, str],
                      ctx: Context, about: dict) -> Finding:
    d, cue = dated
    nxt = next((v for v in fact.values if v.start is not None and value.end is not None and v.start > value.end), None)
    msg = (f"States {q.text} as the {_lower(fact.title)} {cue} "
           f"{d.text}, but that value applied only until {_fmt(value.end)}"
           + (f"; from {_fmt(nxt.start)} it was {nxt.text}." if nxt is not None and nxt.start else "."))
    return Finding(
        kind="incorrect", severity=_severity(fact, "error"), rule=fact.id, message=msg + _confidence_note(fact),
        quote=claim.text, location=_location(claim), stated=q.text, expected=nxt.text if nxt is not None else None,
        true_between=(value.start, value.end), wrong_at_publication=True if ctx.published else None,
        citations=_dedupe(tuple(nxt.citations if nxt is not None else value.citations)),
        confidence=fact.confidence, **about,
    )


def _same_period(d: Quantity, day: _dt.date) -> bool:
    assert d.date is not None
    if d.precision == "year":
        return d.date.year == day.year
    if d.precision == "month":
        return (d.date.year, d.date.month) == (day.year, day.month)
    return d.date == day


#: A value that took effect this soon after a document was published had been announced (rules
#: are laid weeks or months before they apply): stating it then was not wrong.
_ANNOUNCED_AHEAD = _dt.timedelta(days=183)


def _wrong_at(fact: Fact, q: Quantity, published: _dt.date | None) -> bool | None:
    if published is None:
        return None
    if any(_matches(q, v) for v in fact.values_in_force(published)):
        return False
    return not any(_matches(q, v) and v.start is not None and published < v.start <= published + _ANNOUNCED_AHEAD
                   for v in fact.values)


def _supported(claim: Claim, fact: Fact, q: Quantity, ctx: Context, about: dict) -> list[Finding]:
    value = next(v for v in fact.values_in_force(ctx.as_of) if _matches(q, v))
    return [Finding(
        kind="supported", severity="info", rule=fact.id,
        message=f"States {q.text} for {_lower(fact.title)}, which agrees with the rule in force on {_fmt(ctx.as_of)}.",
        quote=claim.text, location=_location(claim), stated=q.text, expected=value.text,
        true_between=(value.start, value.end), wrong_at_publication=_wrong_at(fact, q, ctx.published),
        citations=value.citations, confidence=fact.confidence, **about,
    )]


#: Where a statement turns to another figure's own case (", or £500 if you have been fined before").
_FIGURE_CLAUSE = re.compile(r",\s+or\b")


def _clause_of(claim: Claim, q: Quantity) -> tuple[int, int]:
    """The document span of the clause of ``claim`` that holds ``q``."""
    at = q.start - claim.start
    cuts = [m.start() for m in _FIGURE_CLAUSE.finditer(claim.text)]
    a = max((c for c in cuts if c < at), default=0)
    b = min((c for c in cuts if c >= q.end - claim.start), default=len(claim.text))
    text = claim.text[a:b]
    lead = len(text) - len(text.lstrip(" ,;"))
    tail = len(text.rstrip(" ,;."))
    return claim.start + a + lead, claim.start + a + tail


def _more_outdated_figures(claim: Claim, fact: Fact, q: Quantity, qs: list[Quantity],
                           ctx: Context) -> list[tuple[Quantity, FactValue]]:
    """Other figures of the statement, each in a clause of its own, that state another primary
    figure of an outdated value."""
    span = _clause_of(claim, q)
    out: list[tuple[Quantity, FactValue]] = []
    seen = {q.text}
    for o in qs:
        if o.text in seen or _clause_of(claim, o) == span:
            continue
        for v in fact.values:
            if v.end is not None and v.end < ctx.as_of and any(same_quantity(o, p) for p in v.quantities[:v.primary]):
                out.append((o, v))
                seen.add(o.text)
                break
    return out


def _in_its_clause(claim: Claim, finding: Finding, q: Quantity) -> Finding:
    a, b = _clause_of(claim, q)
    return replace(finding, quote=claim.text[a - claim.start:b - claim.start], location=_location(claim, a, b))


def _outdated(claim: Claim, fact: Fact, q: Quantity, value: FactValue, ctx: Context, about: dict) -> Finding:
    successor = fact.successor_of(value)
    expected = _current_text(fact, ctx.as_of)
    wrong = _wrong_at(fact, q, ctx.published)
    since = successor.start if successor else (value.end + _dt.timedelta(days=1) if value.end else None)
    span = f"from {_fmt(value.start)} " if value.start else ""
    msg = (f"States {q.text} for {_lower(fact.title)}: that was the rule {span}until {_fmt(value.end)}, "
           f"but since {_fmt(since)} it has been {expected or 'different'}")
    if successor and successor.citations:
        c = successor.citations[0]
        msg += f" ({c.title}{', ' + c.provision if c.provision else ''})"
    msg += "." + _since_publication(wrong, ctx.published, value.transitional, "rule")
    citations = tuple(successor.citations if successor else ()) + tuple(c for c in value.citations)
    return Finding(
        kind="outdated", severity=_severity(fact, "error"), rule=fact.id, message=msg + _confidence_note(fact),
        quote=claim.text, location=_location(claim), stated=q.text, expected=expected,
        true_between=(value.start, value.end), wrong_at_publication=wrong, citations=_dedupe(citations),
        confidence=fact.confidence, changed_on=since, **about,
    )


def _since_publication(wrong: bool | None, published: _dt.date | None, transitional: str | None,
                       noun: str) -> str:
    """The sentences saying whether a superseded statement was already wrong when published,
    and who is still under the old rule."""
    out = ""
    if wrong is True:
        out += f" It was already outdated when the document was published ({_fmt(published)})."
    elif wrong is False:
        out += f" It was correct when the document was published ({_fmt(published)}) and became outdated later."
    if transitional:
        out += f" The old {noun} still applies to a transitional group: {transitional.rstrip('.')}."
    return out


def _incorrect(claim: Claim, fact: Fact, q: Quantity, ctx: Context, about: dict) -> Finding:
    expected = _current_text(fact, ctx.as_of)
    history = "; ".join(_value_span(v) for v in fact.values if v.status == "in-force")
    noun = "figure" if fact.kind == "statistic" else "rule"
    msg = (f"States {q.text} for {_lower(fact.title)}, which matches no version of the {noun}"
           f" ({history}).")
    if fact.publisher:
        msg += f" Published by {fact.publisher}."
    now = fact.values_in_force(ctx.as_of)
    citations = tuple(c for v in (now or fact.values[-1:]) for c in v.citations)
    return Finding(
        kind="incorrect", severity=_severity(fact, "error"), rule=fact.id, message=msg + _confidence_note(fact),
        quote=claim.text, location=_location(claim), stated=q.text, expected=expected,
        true_between=None, wrong_at_publication=True if ctx.published else None,
        citations=_dedupe(citations), confidence=fact.confidence, **about,
    )


def _value_span(v: FactValue) -> str:
    if v.start and v.end:
        return f"{v.text} from {_fmt(v.start)} to {_fmt(v.end)}"
    if v.start:
        return f"{v.text} from {_fmt(v.start)}"
    if v.end:
        return f"{v.text} until {_fmt(v.end)}"
    return v.text


def _dedupe(citations: tuple[Citation, ...]) -> tuple[Citation, ...]:
    out: list[Citation] = []
    for c in citations:
        if c not in out:
            out.append(c)
    return tuple(out)


# --------------------------------------------------------------------------------------------
# Positions and official findings


#: A pack pattern that itself states the negative ("not a public fund", "\\bno\\b firewall") is
#: matched as it stands.
_STATES_NEGATIVE = re.compile(r"not|never|n't|\\bno\\b|\bno\b|non|cannot|ineligible|exclud", re.I)
_PUNCT_CLAUSE = re.compile(r"[,;:()]")


def _says(pattern: str, claim: Claim) -> bool:
    """Whether a clause of the claim that is not negated matches ``pattern``.

    "partners of students and workers are not covered" does not say that they are covered.
    """
    text = claim.text
    if _STATES_NEGATIVE.search(pattern):
        if pack_search(pattern, text) is not None:
            return True  # the pattern states the negative itself
        return _says_of_antecedent(pattern, claim)
    for m in pack_finditer(pattern, text):
        a, b = claim.start + m.start(), claim.start + m.end()
        negated = [n for (ca, cb, n) in claim.clauses if ca < b and a < cb]
        if not negated or not any(negated):
            return True
    return _says_as_a_condition(pattern, claim)


#: A lead-in that lists what one must meet ("You can apply if:", "To qualify you must:",
#: "The requirements are:").
_CONDITIONS_LEAD = re.compile(
    r"\b(?:can|may|could|will be able to)\s+(?:[\w'’-]+\s+){0,3}?(?:apply|qualify|get|use|be eligible|stay|settle)\b"
    r"[^:]{0,60}\bif\b[^:]{0,40}:\s*$|\b(?:must|need to|needs to|have to|has to|will need to)\b[^:]{0,60}:\s*$|"
    r"\b(?:requirements?|conditions|criteria)\b[^:]{0,40}:\s*$", re.I)
_AS_A_CONDITION = "You must show that "


def _says_as_a_condition(pattern: str, claim: Claim) -> bool:
    """Whether a list item under a lead-in of conditions ("You can apply if:" / "your
    relationship with your partner broke down during that probationary period") says what the
    pattern describes once read as the requirement it is."""
    if not any(layer.kind == "lead-in" and _CONDITIONS_LEAD.search(layer.text) for layer in claim.context.layers):
        return False
    if claim.negated:
        return False
    joined = _AS_A_CONDITION + claim.text
    return any(x.end() > len(_AS_A_CONDITION) for x in pack_finditer(pattern, joined))


#: A statement whose subject is a pronoun or "these <people>" standing for the sentence before
#: ("Survivors whose partner is a worker or student are in the hardest position. They cannot use
#: the concession").
_PRONOUN_SUBJECT = re.compile(r"^\W*(?:they|she|he|these|those)(?:\s+(?:survivors|women|victims|people|partners|families|"
                              r"clients|applicants))?\s+(?!who\b|that\b)", re.I)


def _says_of_antecedent(pattern: str, claim: Claim) -> bool:
    """Whether a pattern that states a negative matches once the statement's pronoun subject is
    read as the sentence before it; the match must reach into the statement itself."""
    previous = claim.context.of_kind("previous")[:1]
    m = _PRONOUN_SUBJECT.match(claim.text)
    if not previous or not m:
        return False
    prefix = previous[0].text.rstrip(" .!?") + ", "
    joined = prefix + claim.text[m.end():]
    return any(x.end() > len(prefix) and x.start() < len(prefix) for x in pack_finditer(pattern, joined))


_DENIED = re.compile(r"\b(?:not true|untrue|false|a myth|misconception|wrongly|mistakenly|incorrectly)\b", re.I)


def _asserts(pattern: str, claim: Claim) -> bool:
    """Whether the claim asserts what an ``incorrect_if`` pattern describes: the pattern matches
    in a clause that is not negated, and the sentence does not call it untrue ("It is not true
    that a firewall is in place")."""
    if _DENIED.search(claim.text):
        return False
    if _STATES_NEGATIVE.search(pattern):
        return pack_search(pattern, claim.text) is not None  # the pattern states the negative itself
    for m in pack_finditer(pattern, claim.text):
        a, b = claim.start + m.start(), claim.start + m.end()
        clause_start = max((ca for ca, cb, _ in claim.clauses if ca <= a), default=claim.start)
        if not any(clause_start <= n < b for n in claim.negation_marks):
            return True
    return False


def check_position(claim: Claim, fact: Fact, rec: Recognition, ctx: Context,
                   collected: "Collected | None" = None) -> list[Finding]:
    """Compare a claim with the statements that express each dated version of a position."""
    planned = claim.framing == "future" and any(v.dropped for v in fact.values)
    if claim.framing not in ("current", "historical") and not planned:
        return []  # (a plan is told in the future tense: "is due to rise to £38,700 by early 2025")
    text = claim.text
    about = _about(rec)
    for pattern in fact.incorrect_if:
        if _asserts(pattern, claim):
            now = fact.values_in_force(ctx.as_of) or fact.values[-1:]
            return [Finding(
                kind="incorrect", severity=_severity(fact, "error"), rule=fact.id,
                message=f"This misstates {_lower(fact.title)}: {now[0].text}." + _confidence_note(fact),
                quote=claim.text, location=_location(claim), stated=None, expected=now[0].text if now else None,
                wrong_at_publication=True if ctx.published else None,
                citations=_dedupe(tuple(c for v in now for c in v.citations)), confidence=fact.confidence,
                **about,
            )]
    said = [v for v in fact.values if any(_says(p, claim) for p in v.says)]
    if not said:
        return []
    in_force = fact.values_in_force(ctx.as_of)
    current = [v for v in said if v in in_force]
    if not claim.asserted and not current and not planned:
        return []  # history told as history
    for_cohort = not current and any(_cohort_of(claim, v) is not None for v in said
                                     if v.end is not None and v.end < ctx.as_of)
    if collected is not None and claim.asserted and not for_cohort:
        # (a statement addressed to the cohort still under an old version does not contradict
        # one about the rule as it is now)
        collected.said.append(Said(fact, claim, said[-1] if len(said) == 1 else None))
    if current:
        if not ctx.include_supported:
            return []
        v = current[0]
        return [Finding(
            kind="supported", severity="info", rule=fact.id,
            message=f"Agrees with {_lower(fact.title)} as it stands on {_fmt(ctx.as_of)}.",
            quote=claim.text, location=_location(claim), expected=v.text, true_between=(v.start, v.end),
            citations=v.citations, confidence=fact.confidence, **about,
        )]
    past = [v for v in said if v.end is not None and v.end < ctx.as_of]
    if not past:
        return []
    old = past[-1]
    successor = fact.successor_of(old)
    since: _dt.date | None = successor.start if successor else old.end + _dt.timedelta(days=1)  # type: ignore[operator, assignment]
    cohort = _cohort_of(claim, old)
    if cohort is not None:
        return [_for_cohort(claim, fact, f"Describes {_lower(fact.title)} as it was until {_fmt(old.end)}",
                            None, old, cohort, about)]
    wrong = None if ctx.published is None else not old.in_force(ctx.published)
    msg = (f"Describes {_lower(fact.title)} as it was until {_fmt(old.end)}; since {_fmt(since)} "
           f"the position has been: {successor.text if successor else 'different'}.")
    msg += _since_publication(wrong, ctx.published, old.transitional, "position")
    # a plan dropped before the document was written never became the rule: stating it then is wrong
    stale_plan = old.dropped and ctx.published is not None and old.end is not None and old.end < ctx.published
    return [Finding(
        kind="incorrect" if stale_plan else "outdated", severity=_severity(fact, "error"), rule=fact.id,
        message=msg + _confidence_note(fact),
        quote=claim.text, location=_location(claim), expected=successor.text if successor else None,
        true_between=(old.start, old.end), wrong_at_publication=wrong,
        citations=_dedupe(tuple(successor.citations if successor else ()) + old.citations),
        confidence=fact.confidence, changed_on=since, **about,
    )]


# --------------------------------------------------------------------------------------------
# Names and provisions


def _names_successor(successor: Hit, old_names: list[Hit], claim_text: str, offset: int) -> bool:
    """A successor's name counts unless it merely continues the old name's noun phrase
    ("Tier 4 (General) student visa" does not name the Student route), or stands far from the
    old name with nothing saying one became the other ("complete an Immigration Enforcement
    referral form within 24 hours and send it to the UK Border Agency's unit")."""
    for h in old_names:
        if successor.start >= h.end and successor.start - h.end <= 12:
            gap = claim_text[h.end - offset:successor.start - offset]
            if not _LINKS_NAMES.search(gap):
                return False
    near = min(abs(successor.start - h.end) if successor.start >= h.end else abs(h.start - successor.end)
               for h in old_names)
    if near > 40:
        a = min(min(h.start for h in old_names), successor.start) - offset
        b = max(max(h.end for h in old_names), successor.end) - offset
        return bool(_SUCCESSION.search(claim_text[a:b]))
    return True


#: Words that tie an old name to its successor across a sentence ("The UK Border Agency was
#: split in 2013 and its work is now done by UK Visas and Immigration").
_SUCCESSION = re.compile(r"\b(?:now|replaced|replaces|renamed|became|become|succeeded|successor|took over|"
                         r"taken over|part of|split|abolished|merged|formerly|previously|instead|new name|"
                         r"was called|were called|known as|expired|expires|expiry|no longer)\b", re.I)


_LINKS_NAMES = re.compile(r"[,;:\u2013\u2014]|\b(?:now|is|are|was|were|became|replaced|renamed|called|known|or)\b", re.I)


def check_term(claim: Claim, fact: Fact, hits: list[Hit], successors: list[Hit], ctx: Context) -> list[Finding]:
    """Flag a name or provision that no longer exists, unless the sentence marks it as past,
    names its successor, or quotes it."""
    if fact.end is None or fact.end >= ctx.as_of or not hits:
        return []
    changed = _change_date_stated(claim, fact, hits)
    if changed is not None:
        return [changed]
    said_at = _reported_from(claim)
    if (claim.framing != "current" and not (claim.framing == "historical" and _still_in_use(claim, hits))
            and not (claim.framing == "question" and _present_question(claim.text))
            and said_at is None):
        return []
    if said_at is not None:
        hits = [h for h in hits if h.end - claim.start <= said_at]  # the speaker, not what is reported
        if not hits:
            return []
    if any(_names_successor(h, hits, claim.text, claim.start) for h in successors):
        return []
    if _explained_before(claim, fact) and not any(_OBTAIN.search(claim.text[:h.start - claim.start]) for h in hits):
        return []  # told it is old; but "you must apply for a new Tier 4 visa" still sends people to it
    for hit in hits:
        a, b = hit.start - claim.start, hit.end - claim.start
        if _inside_quotes(claim, hit.start, hit.end):
            continue
        before, after = claim.text[:a], claim.text[b:b + 45]
        cond = _after_condition(claim)
        if 0 < cond <= a:
            before = claim.text[cond:a]  # ("If a check shows a tenant no longer has permission, report to ...")
        if _marked_past(before) or (_PAST_MARKER.search(after) and not _IS_NOW.match(after)):
            continue  # but "The UK Border Agency is now the Home Office agency ..." says it exists
        if _only_a_name(claim, hit):
            continue  # a masthead or heading that is only the name asserts nothing
        if _FROM_TO.match(claim.text[:b]) and _FROM_TO_AFTER.match(claim.text[b:]):
            continue  # "From DVILR to Appendix VDA": a heading that names the change
        if _TAG_LIST.search(before):
            continue  # "Tags: domestic violence, indefinite leave to remain": a post's labels
        if _COHORT_UNDER.search(before[-50:]) and _BEFORE_DATE.match(claim.text[b:b + 80]):
            continue  # "Workers sponsored under Tier 2 (General) before 1 December 2020": the old route names the cohort
        if _OLD_PAPERS.search(before[-80:]):
            continue  # "Older letters may refer to the UK Border Agency": the name on old papers
        if _NOT_RELIED_ON_BEFORE.search(before[-60:]) or _NOT_RELIED_ON_AFTER.match(after) or _PAST_AFTER.match(after):
            continue  # "do not ask for a biometric residence permit": the old name is not relied on
        same = [h for h in hits if h.start >= hit.start]
        if len(same) > 1:  # "a biometric residence permit, and the BRP is ...": quote both mentions
            hit = Hit(hit.owner, hit.role, hit.start, same[-1].end,
                      claim.text[hit.start - claim.start:same[-1].end - claim.start])
        return [_term_finding(claim, fact, hit, ctx)]
    return []


def _reported_from(claim: Claim) -> int | None:
    """Where the report of speech begins (an offset into the statement's text), in a statement
    that reports what someone said ("A spokesperson for the UK Border Agency said ...", "When I
    rang the UK Border Agency they said ..."): the words before it name the speaker in the
    document's own words, and a reader meets those names as current. What follows is the
    speaker's, as are words in quotation marks. (Segmentation records it on the claim.)"""
    return None if claim.reported_at is None else claim.reported_at - claim.start


_CHANGE_VERB = re.compile(r"\b(?:replaced|replacing|renamed|abolished|closed|scrapped|superseded|took over from|"
                          r"came to an end|ended)\b", re.I)


#: A verb of change whose subject is the new thing, and the auxiliary that makes it passive.
_REPLACER = re.compile(r"replac|supersed|took over", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|got)\s+(?:\w+\s+)?$", re.I)
#: A clause of its own after the verb (", and before 2012 victims had applied ...").
_NEW_CLAUSE = re.compile(r"[,;]\s*(?:and|but|while|whereas)\b|;")


def _change_date_stated(claim: Claim, fact: Fact, hits: list[Hit]) -> Finding | None:
    """A sentence that dates the change of a name or provision ("The Immigration Salary List,
    which replaced the Shortage Occupation List in 2022"): a stated year other than the year
    it changed is wrong, whatever the sentence's framing."""
    if fact.end is None or not fact.end_exact or fact.confidence == "low" or claim.framing in ("quoted", "question", "cited"):
        return None
    verb = _CHANGE_VERB.search(claim.text)
    if verb is None:
        return None
    changed_on = fact.end + _dt.timedelta(days=1)
    for d in claim.asserted_quantities:
        if d.kind != "date" or d.date is None or d.precision != "year":
            continue
        at = d.start - claim.start
        if not (0 <= at - verb.end() <= 40) or _NEW_CLAUSE.search(claim.text, verb.end(), at):
            continue  # the year that follows the verb of change, in its clause
        active = _REPLACER.match(verb.group(0)) and not _PASSIVE.search(claim.text[:verb.start()])
        # the old name is the verb's subject ("The UK Border Agency was abolished in 2012") or its
        # object ("which replaced the Shortage Occupation List in 2022")
        # (but not its active subject: in "the Sojourner Project, which the DDV concession replaced"
        # the DDV concession is the new thing)
        before = not active and any(h.end - claim.start <= verb.start() and verb.start() - (h.end - claim.start) <= 30
                                    for h in hits)
        after = any(0 <= (h.start - claim.start) - verb.end() <= 6 and h.end - claim.start <= at for h in hits)
        if not (before or after):
            continue
        if d.date.year in (changed_on.year, fact.end.year):
            return None
        msg = (f"Dates the change of '{hits[0].text}' ({fact.title}) to {d.text}, but it changed on "
               f"{_fmt(changed_on)}: it was replaced by {fact.successor}.")
        return Finding(
            kind="incorrect", severity="warning", rule=f"{fact.id}.change-date", message=msg + _confidence_note(fact),
            quote=claim.text, location=_location(claim), stated=d.text, expected=_fmt(changed_on),
            true_between=(fact.start, fact.end), wrong_at_publication=True, citations=fact.citations,
            confidence=fact.confidence, changed_on=changed_on,
        )
    return None


#: "What is the Destitute Domestic Violence Concession (DDVC)?" uses the old name as the name of
#: something that exists now; "What was the DDV concession?" or "What happens to my BRP?" does not.
_PRESENT_QUESTION = re.compile(r"^\W*(?:what|who|how|where|when|which|why)\s+(?:is|are|does|do)\b|"
                               r"^\W*(?:is|are|does|do|can|how\s+do|how\s+can)\b", re.I)
_NOT_PRESENT_QUESTION = re.compile(r"\b(?:was|were|did|had|used to|happens?|happened|replac\w*|instead|"
                                   r"no longer|still|old|former|new|rename\w*|change\w*)\b", re.I)


def _present_question(text: str) -> bool:
    return bool(_PRESENT_QUESTION.search(text)) and not _NOT_PRESENT_QUESTION.search(text)


_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|must|will|can|may|should|has|have|does|do|needs?|applies|apply)\b", re.I)


#: A clause saying that something named earlier still applies ("... was paragraph 289A, and it
#: still applies to a small number of people").
_STILL_APPLIES = re.compile(
    r"\b(?:it|this|that|they|these|which)\s+(?:still|continues? to|remains?)\s+(?:appl(?:y|ies)|in force|in effect|"
    r"in use|valid|relevant|available|be used)\b", re.I)


def _still_in_use(claim: Claim, hits: list[Hit]) -> bool:
    """Whether a sentence that tells history goes on to say the old name or provision still
    applies: that part is a current assertion."""
    m = _STILL_APPLIES.search(claim.text)
    if m is None or "?" in claim.text[m.start():]:
        return False  # "Is that still valid?" asks; it does not say so
    return any(h.end - claim.start <= m.start() for h in hits)


def _marked_past(before: str) -> bool:
    """Whether the words before an old name mark it as past. "old" must stand next to the name
    ("the old Tier 2 route"): "under the old Part 8 rules ... still apply under paragraph 289A"
    does not make paragraph 289A old."""
    for m in _PAST_MARKER.finditer(before):
        word = m.group(0).lower()
        if word in ("now called", "now known as", "now the") and before[m.end():].strip().lower() in ("", "the"):
            continue  # "is now called the UK Border Agency": the name given as the new one
        if word != "old" or len(before) - m.end() <= 25:
            return True
    return False


def _only_a_name(claim: Claim, hit: Hit) -> bool:
    """A masthead, heading or title that names a body asserts nothing about it: the statement is
    the name with at most two other words, or it is the document's first line and has no verb
    ("UK Border Agency - Settlement - Partners")."""
    if claim.text.rstrip().endswith((".", "!", "?", ";")):
        return False  # a sentence, not a name
    if claim.context.of_kind("row-header") and not any(
            _OLD_COLUMN.search(layer.text) for layer in claim.context.of_kind("column-header")):
        return False  # a table cell gives its row's value ("Partner of a British citizen | Appendix FM Section DVILR")
    rest = (claim.text[:hit.start - claim.start] + claim.text[hit.end - claim.start:]).strip(" -|:–—.,()")
    if len(rest.split()) <= 2 and not any(c.isdigit() for c in rest):
        return True
    plain = _BRACKETED.sub(" ", claim.text)  # "[Text-only version of an archived page]" is no sentence
    return claim.block == 0 and len(plain.split()) <= 15 and not _FINITE_VERB.search(plain)


#: A table column of old names or past values ("Old name", "Previously", "Before 2024").
_OLD_COLUMN = re.compile(r"\b(?:old|former|previous(?:ly)?|earlier|was|were|then|before|until|history|historical|"
                         r"replaced|withdrawn|abolished)\b", re.I)
#: The route a cohort came under, then the date that closes it ("sponsored under Tier 2 (General)
#: before 1 December 2020", "granted leave as a Tier 4 student before ...").
_COHORT_UNDER = re.compile(r"\b(?:sponsored|granted(?: leave| permission)?|admitted|came|entered|applied|arrived|held leave)\s+"
                           r"(?:under|on|with|as|through)\s+(?:an?\s+|the\s+)?$", re.I)
_BEFORE_DATE = re.compile(r"[^.;]{0,40}?\b(?:before|prior to|until|up to)\s+(?:\d{1,2}\s+)?[A-Z][a-z]+\s+\d{4}\b")
_OBTAIN = re.compile(r"\b(?:apply for|get|obtain|request|ask for)\s+(?:a|an|the|your)?\s*(?:new|fresh|further)?\s*$", re.I)
_IS_NOW = re.compile(r"\s*(?:is|are)\s+now\s+(?:the|a|an|part|responsible)\b", re.I)
_FROM_TO = re.compile(r"^\W*from\s+(?:the\s+)?[^.]{0,60}$", re.I)
_FROM_TO_AFTER = re.compile(r"^[^.]{0,30}?\s+to\s+(?:the\s+)?[A-Z]")
_OLD_PAPERS = re.compile(
    r"\b(?:older|old|earlier|previous|past)\s+(?:[\w-]+\s+)?(?:letters?|documents?|papers?|forms?|decisions?|correspondence|"
    r"leaflets?|cards?|posts?|threads?|articles?|websites?|web pages?|pages?|guides?|guidance|blogs?)\b[^.]{0,60}$|\b(?:letters?|documents?|papers?|decisions?|correspondence)\s+"
    r"(?:from|sent by|issued by|written by)\s+(?:the\s+)?$", re.I)
_TAG_LIST = re.compile(r"\b(?:tags|tagged|tagged with|categories|category|filed under|topics|keywords)\s*:[^.:]*$", re.I)
_BRACKETED = re.compile(r"\[[^\]]*\]|\([^)]*\)")


def _explained_before(claim: Claim, fact: Fact) -> bool:
    """Whether an earlier sentence of the same paragraph already told the reader that the name
    is old ("Tier 2 (General) was replaced by the Skilled Worker route in 2020. Time under
    Tier 2 counts towards settlement.")."""
    names = [a.lower() for a in fact.aliases]
    successors = [a.lower() for a in fact.successor_aliases]
    for layer in claim.context.of_kind("previous"):
        low = layer.text.lower()
        if not any(n in low for n in names):
            continue
        if any(not re.search(r"\b(?:old|former|previous|earlier)\s+$", low[:i]) for x in successors
               for i in _find_all(low, x)):
            return True  # (not "the old student visa rules", which only share words with the successor)
        if _NAME_REPLACED_OTHER.search(layer.text):
            continue
        # the past marker must be said of the name ("The new UK Border Agency ... brings together
        # the customs work that HMRC used to do": "used to" is about HMRC)
        spots = [i for n in names for i in _find_all(low, n)]
        if any(abs(m.start() - i) <= 60 for m in _PAST_MARKER.finditer(layer.text) for i in spots):
            return True
    return False


def _find_all(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


#: The name is the one that replaced something ("students have come under Tier 4, which replaced
#: the old student visa rules"): the sentence says it is new, not that it is old.
_NAME_REPLACED_OTHER = re.compile(r"\b(?:which|that|and|it|this)\s+(?:replaced|replaces|superseded|took over from)\s+"
                                  r"(?:the\s+)?(?:old|former|previous|earlier)\b", re.I)


_CITATION_WORD = re.compile(r"\b(?:paragraphs?|paras?\.?|rules?|sections?|ss?\.)\s*$", re.I)


def _with_citation_word(claim: Claim, hit: Hit) -> Hit:
    """Quote "paragraph 289A" rather than "289A" when the alias is only the number."""
    m = _CITATION_WORD.search(claim.text[: hit.start - claim.start])
    if m is None:
        return hit
    return Hit(hit.owner, hit.role, claim.start + m.start(), hit.end, claim.text[m.start(): hit.end - claim.start])


def _term_finding(claim: Claim, fact: Fact, hit: Hit, ctx: Context) -> Finding:
    kind: FindingKind = ("outdated-citation" if fact.kind == "provision" else
                         "outdated" if fact.withdrawn else "outdated-term")
    if fact.kind == "provision":
        hit = _with_citation_word(claim, hit)
    since = fact.end + _dt.timedelta(days=1) if fact.end else None
    what = "cites" if fact.kind == "provision" else "relies on" if fact.withdrawn else "names"
    when = (f"since {_fmt(since)} it has been" if fact.end_exact
            else f"by {_fmt(fact.end)} at the latest it had been")
    gone = "which has been withdrawn" if fact.withdrawn else "which no longer applies under that name"
    msg = f"{what.capitalize()} '{hit.text}' ({fact.title}), {gone}: {when} replaced by {fact.successor}"
    msg += "." if fact.end_exact else " (the day of the change is not established)."
    wrong = None
    if ctx.published is not None and fact.end is not None:
        # With only a latest day, a document published before it may or may not have been late.
        wrong = ctx.published > fact.end if fact.end_exact or ctx.published > fact.end else None
        if wrong is not None:
            msg += (f" It was already out of date when the document was published ({_fmt(ctx.published)})." if wrong
                    else f" It was current when the document was published ({_fmt(ctx.published)}).")
    severity = _severity(fact, "warning" if kind == "outdated-term" else "error")
    return Finding(
        kind=kind, severity=severity, rule=fact.id, message=msg + _confidence_note(fact), quote=hit.text,
        location=_location(claim, hit.start, hit.end), stated=hit.text, expected=fact.successor,
        true_between=(fact.start, fact.end if fact.end_exact else None), wrong_at_publication=wrong, citations=fact.citations,
        confidence=fact.confidence, changed_on=since if fact.end_exact else None,
    )


def group_repeated_names(findings: list[Finding], names: frozenset[str] = frozenset()) -> list[Finding]:
    """One finding per old name or provision and document, and per old or wrong figure of a rule:
    its first use, with every later use as a related passage ("UK Border Agency" five times, or
    "£2,404" in a table and again in the text, is one thing to correct, in several places).
    ``names`` are the ids of terms whose findings are ``outdated`` (withdrawn things, however
    they are written: "biometric residence permit (BRP)", then "BRP"). Other findings are kept
    as they are, in their order."""
    first: dict[tuple, int] = {}
    later: dict[tuple, list[Finding]] = {}
    out: list[Finding] = []
    for f in findings:
        if f.kind in ("outdated-term", "outdated-citation") or f.rule in names:
            key: tuple = (f.kind, f.rule)
        elif f.kind in ("outdated", "incorrect") and f.stated:
            key = (f.kind, f.rule, " ".join(f.stated.lower().split()))  # the same old figure again
        else:
            out.append(f)
            continue
        if key in first:
            later[key].append(f)
            continue
        first[key] = len(out)
        later[key] = []
        out.append(f)
    for key, i in first.items():
        more = later[key]
        if not more:
            continue
        f = out[i]
        places = "place" if len(more) == 1 else "places"
        what = "uses it" if len(key) == 2 else "states it"
        out[i] = replace(f, related=f.related + tuple(Related(m.quote, m.location) for m in more),
                         message=f"{f.message} The document {what} in {len(more)} more {places}, listed with this finding.")
    return out


# --------------------------------------------------------------------------------------------
# Positions on stance topics, and contradictions


def position_of(claim: Claim, stance: Stance, hits: list[Hit]) -> Position | None:
    """The claim's position on a stance topic, when it names the object, the target and the act."""
    if _RECOMMENDATION.search(claim.text):
        return None  # (a review's "Recommendation 3: ... no information will be shared" is what should be)
    if not claim.asserted:
        return _past_act(claim, stance, hits)
    if _AUDIT_CHECKS.search(claim.text):
        return None  # "The audit will check that ... no victim was referred to Immigration Enforcement ..."
    text = claim.text
    # ("Pass any Home Office request to the Information Sharing Unit": the Home Office names
    # whose request it is, not whom it is passed to)
    hits = [h for h in hits if not (h.role == "target" and (
        _TARGET_AS_MODIFIER.match(text, h.end - claim.start)
        or _FROM_THE_TARGET.search(text[max(0, h.start - claim.start - 40):h.start - claim.start])))]
    acts = [h for h in hits if h.role == "act"
            and not _WHEN_IT_HAPPENS.search(text[max(0, h.start - claim.start - 30):h.start - claim.start])
            and not _PERSON_TOLD_TO.search(text[max(0, h.start - claim.start - 60):h.start - claim.start])]
    if not acts:
        return None  # "Officers must read it before any contact with the Home Office": when, not what
    if claim.condition_end is not None and any(a.start >= claim.condition_end for a in acts):
        # the act of a leading condition is not the statement's ("If you report a crime, we will
        # not pass your details to the immigration authorities")
        acts = [a for a in acts if a.start >= claim.condition_end]
    reach = min(_ACT_TO_TARGET, stance.act_to_target)
    done_to = any(0 <= t.start - a.end <= reach for a in acts for t in hits if t.role == "target")
    if not done_to and stance.object_required and _asked_of_the_reader(claim, hits):
        # "Never ask about immigration status at first contact": an instruction to the person
        # taking the call; whom they ask is the person in front of them
        hits = list(hits) + [Hit(stance.id, "target", acts[0].end, acts[0].end, "")]
        done_to = True
    if not done_to:
        return None  # the act must be done to the target ("pass ... to Immigration Enforcement")
    nearest = {max((a for a in acts if 0 <= t.start - a.end <= reach), key=lambda a: a.start)
               for t in hits if t.role == "target" and any(0 <= t.start - a.end <= reach for a in acts)}
    if all(_FEARED.search(text[:a.start - claim.start]) for a in nearest):
        return None  # "victims fear that their details will be passed to the Home Office": a fear, not a practice
    roles = {h.role for h in hits}
    targets = [h for h in hits if h.role == "target"]
    actor_m = _ACTOR.search(text)
    # an instruction to the reader ("Do NOT pass caller details to ...", "If the caller says she
    # has overstayed, complete an IE referral and send it to the Home Office inbox")
    told = _told(claim)
    objects = [h for h in hits if h.role == "object"]
    first_act = min(acts, key=lambda a: a.start)
    passive = _passive(claim, first_act)
    if objects and not actor_m and not told and not passive and all(o.end <= first_act.start for o in objects):
        return None  # "A survivor may contact the Home Office herself": the victim is the one acting
    if not actor_m and not passive and _OTHER_BODY.search(text[:first_act.start - claim.start]):
        return None  # "the Trust may pass non-clinical information to the Home Office": not the police
    if "object" not in roles and stance.object_required:
        return None  # "ask the caller whether she is safe to talk": not about her status
    if "object" not in roles:
        # "the officer will notify Immigration Enforcement": the police act on the victim's status
        direct = [a for a in acts for t in targets if 0 <= t.start - a.end <= 25]
        if not (direct and (actor_m or told or _passive(claim, direct[-1]))):
            return None  # ("MARAC minutes are never shared with the Home Office": passive, the police's act)
    # The denial is the act's own ("officers will not pass ..."): a relative clause after it
    # ("... Immigration Enforcement, the part of the Home Office that deals with people who do
    # not have permission") negates something else.
    # (a negation in a leading condition is not the act's: "Where the victim's status cannot be
    # verified, the officer must submit a status enquiry to Immigration Enforcement")
    after_lead = claim.condition_end if claim.condition_end is not None else claim.start
    denied = (any(after_lead <= mark < first_act.end for mark in claim.negation_marks)
              or bool(re.search(r"\bno risk\b", text, re.I)))
    if (not denied and claim.modality is None and not (actor_m and _DID.search(text))
            and not _UNIVERSAL.search(text) and not told):
        return None  # "the complaint is about the sharing of details" describes, it does not decide
    categorical = (denied and not _CONDITIONAL.search(text) and claim.condition_end is None
                   and bool(_CATEGORICAL_DENIAL.search(text)))
    # (an instruction weighs as "should": a qualified denial stands only against sharing that
    # is required without condition)
    since = _denied_since(claim) if denied else None
    return Position(stance, claim, actor_m.group(1) if actor_m else None, denied, categorical,
                    claim.modality or ("should" if told and not denied else None), since=since)


_SINCE = re.compile(r"\bsince\b", re.I)
_PRESENT_PERFECT_DENIAL = re.compile(r"\b(?:has|have)\s+(?:not|never)\b|\b(?:hasn't|haven't)\b", re.I)


def _denied_since(claim: Claim) -> _dt.date | None:
    """The date a denial in the present perfect runs from ("Since 2019 Ashby Fold Police has not
    shared any information ..."), else ``None``."""
    if not _PRESENT_PERFECT_DENIAL.search(claim.text):
        return None
    for q in claim.quantities:
        if q.kind == "date" and q.date is not None and _SINCE.search(
                claim.text[max(0, q.start - claim.start - 12):q.start - claim.start]):
            return q.date
    return None


#: A past act of passing details on, as a report of what was done tells it.
_DONE_BEFORE = re.compile(r"\b(?:made|" + _SHARED_PAST + r"|contacted|submitted)\b", re.I)


def _past_act(claim: Claim, stance: Stance, hits: list[Hit]) -> Position | None:
    """A past act of sharing that the document reports as fact, with its dates ("between April
    2020 and January 2021 the force made thirty-eight status enquiries to the Home Office"): it
    stands only against a denial that covers that time."""
    if claim.framing != "historical" or stance.object_required or claim.negated:
        return None
    text = claim.text
    actor_m = _ACTOR.search(text)
    acts = [h for h in hits if h.role == "act"]
    if actor_m is None or not acts or not _DONE_BEFORE.search(text):
        return None
    if not any(0 <= t.start - a.end <= _ACT_TO_TARGET for a in acts for t in hits if t.role == "target"):
        return None
    dates = [q.date for q in claim.quantities if q.kind == "date" and q.date is not None]
    if not dates:
        return None
    return Position(stance, claim, actor_m.group(1), False, False, None, done_by=max(dates))


#: A person told to do the act themselves ("Never tell the caller to contact the UK Border Agency
#: themselves"): the caller would act, not the police.
_PERSON_TOLD_TO = re.compile(r"\b(?:tell|tells|telling|told|ask|asks|asking|advise|advises|advising|encourage|"
                             r"encourages|urge|urges|direct|directs|expect|expects|require|requires)\s+(?:the\s+)?"
                             r"(?:caller|callers|victim|victims|survivor|survivors|person|people|them|him|her|"
                             r"applicant|client|clients|woman|women|man|men)\s+(?:\w+\s+)?to\s+$", re.I)
#: An act named as the time of something else ("before any contact with", "after a referral to").
_WHEN_IT_HAPPENS = re.compile(r"\b(?:before|after|prior to|until|ahead of|following)\s+(?:any|the|a|an|each|every)\s+$",
                              re.I)


def _after_condition(claim: Claim) -> int:
    """Where the statement proper starts in ``claim.text``: after a leading condition ("If the
    caller says she has overstayed, ..."), else 0."""
    return claim.condition_end - claim.start if claim.condition_end is not None else 0


def _told(claim: Claim) -> re.Match | None:
    """The instruction to the reader the statement gives after any leading condition."""
    return _IMPERATIVE.match(claim.text[_after_condition(claim):])


#: What comes between an act and the object it is about ("ask about their status", "ask for a
#: passport").
_ABOUT_THE_OBJECT = re.compile(r"\s*(?:about|for|after|into)\s+(?:(?:the|their|her|his|a|any)\s+)?")


def _asked_of_the_reader(claim: Claim, hits: list[Hit]) -> bool:
    """Whether the claim tells the reader to ask (or not to ask) about the object directly:
    "Never ask about immigration status", "Do not ask for a passport"."""
    if not _told(claim):
        return False
    acts = [h for h in hits if h.role == "act"]
    objects = [h for h in hits if h.role == "object"]
    return any(0 <= o.start - a.end <= 12
               and _ABOUT_THE_OBJECT.fullmatch(claim.text[a.end - claim.start:o.start - claim.start])
               for a in acts for o in objects)


#: A statement that tells the reader what to do, after any step label or leading condition
#: ("7. If the caller says she has overstayed, complete an IE referral ...", "Do NOT pass ...").
_IMPERATIVE = re.compile(
    r"^\W*(?:(?:step|stage|action)\s+[\w.]{1,4}[.:)]\s+|\d{1,2}(?:\.\d{1,2})*[.)]?\s+|[a-z][.)]\s+)?"
    r"(?:then\s+|always\s+|please\s+)?(?:do\s+not\s+|don't\s+|never\s+)?"
    r"(?:complete|fill in|send|pass|refer|contact|notify|ring|call|phone|check|submit|e-?mail|share|report|"
    r"forward|tell|inform|alert|make|record|confirm|verify|raise|disclose|hand|ask)\b", re.I)
_UNIVERSAL = re.compile(r"\b(?:every|all|always|in every case|in all cases|each|any)\s+(?:(?!or\b|and\b|other\b)[\w-]+\s+){0,2}?(?:victims?|witness(?:es)?|"
                        r"cases?|survivors?|domestic abuse victim|person|people|time)\b|\bin every case\b|\bin all cases\b|"
                        r"\balways\b", re.I)
_OTHER_BODY = re.compile(r"\b(?:the|this|our)\s+(?:trust|hospital|council|school|college|university|"
                         r"employer|landlord|charity|surgery|practice|bank|agency)\b", re.I)
#: A target named as the owner of a thing ("a Home Office request", "Immigration Enforcement
#: letters").
_TARGET_AS_MODIFIER = re.compile(r"\s+(?:requests?|enquir(?:y|ies)|letters?|correspondence|e-?mails?|"
                                 r"decisions?|forms?)\b", re.I)
#: What an audit or dip sample checks: the test it applies, not what anyone does.
_AUDIT_CHECKS = re.compile(r"^\W*(?:the|an?|our|this|each|every)\s+(?:annual\s+|quarterly\s+|monthly\s+)?"
                           r"(?:audit|dip[- ]sample|dip[- ]check|review|inspection)\s+(?:will|would|must|should|also)?\s*"
                           r"(?:check|checks|confirm|confirms|test|tests|examine|examines|look at|looks at)\s+(?:that|whether)\b", re.I)
#: A target named as the source ("Requests from the Home Office for information about a victim
#: must be passed to the Information Sharing Unit": the Home Office asks, nobody tells it).
_FROM_THE_TARGET = re.compile(r"\b(?:requests?|enquir(?:y|ies)|letters?|calls?|e-?mails?|contact|correspondence)\s+"
                              r"(?:received\s+)?from\s+(?:the\s+)?$", re.I)
#: What someone fears or worries will happen ("victims fear that their details will be passed
#: on", "many are afraid they will be reported"): not what anyone does.
_FEARED = re.compile(r"\b(?:fears?|feared|fearing|afraid|scared|frightened|worr(?:y|ies|ied|ying)|anxious|"
                     r"terrified)\s+(?:that\s+|of\s+)?(?:[\w'’-]+\s+){0,8}?(?:will|would|might|may|could|being|be)\b", re.I)
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+|not\s+|never\s+)?$", re.I)


def _passive(claim: Claim, act: Hit) -> bool:
    """Whether the act is in the passive ("are never shared", "is checked with")."""
    at = act.start - claim.start
    return _PASSIVE_BEFORE.search(claim.text[max(0, at - 20):at]) is not None


def check_contradictions(collected: Collected, published: _dt.date | None = None) -> list[Finding]:
    """Two statements of one document that cannot both hold, each reported once with both places.
    ``published``: the document's date, so that a value in force then and its announced
    successor ("The current threshold of £18,600 ..." and "the new £29,000 rule") are not
    taken for a contradiction."""
    return [wording.polish(f) for f in _value_contradictions(collected.statements, published)
            + _version_contradictions(collected.said) + _stance_contradictions(collected.positions)]


def _version_contradictions(said: list[Said]) -> list[Finding]:
    """One document describing two different versions of the same position as current."""
    out = []
    by_fact: dict[str, list[Said]] = {}
    for s in said:
        if s.value is not None:
            by_fact.setdefault(s.fact.id, []).append(s)
    for items in by_fact.values():
        first = items[0]
        other = next((x for x in items[1:] if x.value != first.value), None)
        if other is None:
            continue
        out.append(Finding(
            kind="internal-contradiction", severity="warning", rule=f"{first.fact.id}.consistency",
            message=(f"The document describes {_lower(first.fact.title)} in two ways that cannot both be "
                     f"current: '{first.value.text}' here and '{other.value.text}' elsewhere."),  # type: ignore[union-attr]
            quote=first.claim.text, location=_location(first.claim),
            related=(Related(other.claim.text, _location(other.claim)),), confidence=first.fact.confidence,
        ))
    return out


def _only_accepted(s: Statement) -> bool:
    """Whether the statement's quantity is only one of a fact's ``accept`` alternatives ("5
    years" in a sentence about partner grants mentions the whole route, not a grant): such a
    statement is not wrong, and is no evidence that the document gives another value."""
    values = s.fact.values
    return (not any(same_quantity(s.quantity, q) for v in values for q in v.quantities[: v.primary])
            and any(_matches(s.quantity, v) for v in values))


#: A statement scoped to people by the date they applied or were granted leave ("People who
#: applied on or after 9 July 2012 have to wait five years", "For applications made on or after
#: 11 April 2024, at least £29,000"): it is true for that cohort, and says nothing about others.
_DATED_SCOPE = re.compile(
    r"\b(?:appl(?:y|ies|ied|ying|ications?)|granted|given|arrived|entered|admitted|came|sponsored|married)"
    r"(?:\s+[\w()'’-]+){0,4}?\s+(?:on\s+or\s+after|on\s+or\s+before|before|after|since|from|prior\s+to|until)\s+"
    r"(?:(?:\d{1,2}\s+)?" + _MONTHS + r"\s+\d{4}\b|(?:that|this|the same)\s+(?:date|day)\b)", re.I)


_NEW_APPLICANTS = re.compile(r"\b(?:new|first[- ]time)\s+(?:applicants?|applications?)\b|"
                             r"\bapplications?\s+made\s+(?:on or after|from|before|since)\b", re.I)


def _dated_scope(claim: Claim) -> bool:
    """Whether the statement, or the question or lead-in it completes, names the cohort it is
    for by a date ("applied on or after 9 July 2012"); a page's own scope counts too."""
    if claim.context.scope_date is not None:
        return True
    texts = [claim.text] + [layer.text for layer in claim.context.layers if layer.kind in ("question", "lead-in")]
    return any(_DATED_SCOPE.search(t) or _NEW_APPLICANTS.search(t) for t in texts)


def _then_and_next(fact: Fact, a: Statement, b: Statement, published: _dt.date | None) -> bool:
    """Whether the two statements each hold at the date they speak from: one is the fact's value
    in force then and the other a value that took effect only after it (a change the document
    announces), or they sit in dated entries (forum posts, updates) each true at its own date.
    A statement speaks from its entry's date, else from the document's."""
    da, db = a.claim.context.entry_date or published, b.claim.context.entry_date or published
    if da is None or db is None:
        return False
    def now(q: Quantity, on: _dt.date) -> bool:
        return any(v.in_force(on) and _matches(q, v) for v in fact.values)
    def later(q: Quantity, on: _dt.date) -> bool:
        return any(v.start is not None and v.start > on and _matches(q, v) for v in fact.values)
    qa, qb = a.quantity, b.quantity
    return ((now(qa, da) and later(qb, db)) or (later(qa, da) and now(qb, db))
            or (da != db and now(qa, da) and now(qb, db)))


def _value_contradictions(statements: list[Statement], published: _dt.date | None = None) -> list[Finding]:
    out = []
    by_fact: dict[str, list[Statement]] = {}
    for s in statements:
        # Statements for a named cohort hold for it alone: two cohorts' values are no contradiction.
        if s.claim.asserted and not _only_accepted(s) and not _dated_scope(s.claim):
            by_fact.setdefault(s.fact.id, []).append(s)
    for items in by_fact.values():
        first = items[0]
        for other in items[1:]:
            if other.claim.start == first.claim.start or same_quantity(first.quantity, other.quantity):
                continue
            if any(_matches(first.quantity, v) and _matches(other.quantity, v) for v in first.fact.values):
                continue
            if _then_and_next(first.fact, first, other, published):
                continue  # the value of the day and the announced change
            out.append(Finding(
                kind="internal-contradiction", severity="warning", rule=f"{first.fact.id}.consistency",
                message=(f"The document gives two different values for {_lower(first.fact.title)}: "
                         f"{first.quantity.text} here and {other.quantity.text} elsewhere."),
                quote=first.claim.text, location=_location(first.claim),
                stated=first.quantity.text, expected=None,
                related=(Related(other.claim.text, _location(other.claim)),),
                confidence=first.fact.confidence,
            ))
            break
    return out


def _stance_contradictions(positions: list[Position]) -> list[Finding]:
    out = []
    by_stance: dict[str, list[Position]] = {}
    for p in positions:
        by_stance.setdefault(p.stance.id, []).append(p)
    for items in by_stance.values():
        strength = {"must": 0, "will": 1, "should": 2, "may": 3, "can": 4}
        affirmations = sorted((p for p in items if not p.denied and p.done_by is None),
                              key=lambda p: strength.get(p.modality or "", 5))
        # what the document reports was done, against a denial that covers that time
        done = [p for p in items if p.done_by is not None]
        # A denial without exception stands against any affirmation; a qualified one ("not simply
        # because you have reported a crime", "unless the victim consents") only against sharing
        # in every case or without condition ("The PPU will contact the UK Border Agency to
        # confirm the victim's status"), and one that rules out sharing because of status against
        # sharing on that very ground ("Where a victim's status is uncertain, the officer should
        # send the victim's details to Immigration Enforcement").
        denials = [p for p in items if p.denied and (p.categorical or _CATEGORICAL_DENIAL.search(p.claim.text)
                                                      or p.since is not None)]
        if not denials or not (affirmations or done):
            continue
        used: set[int] = set()
        for d in denials:
            pool = affirmations if d.categorical else [a for a in affirmations if _against_qualified(d, a)]
            if d.since is not None:
                pool = pool + [a for a in done if a.done_by is not None and a.done_by >= d.since]
            pool = [a for a in pool if not _other_victims(d, a)]
            a = next((x for x in pool if x.claim.start not in used), None)
            if a is None:
                continue  # (another, differently qualified denial may still have a partner)
            used.add(a.claim.start)
            first, second = sorted((d, a), key=lambda p: p.claim.start)
            out.append(Finding(
                kind="internal-contradiction", severity="warning", rule=d.stance.id,
                message=_stance_message(d, a), quote=first.claim.text, location=_location(first.claim),
                stated=_describe_position(first), expected=_describe_position(second),
                related=(Related(second.claim.text, _location(second.claim)),),
                citations=d.stance.citations,
            ))
    return out


#: A condition in an affirmation ("where", "if", "with her consent", "in exceptional cases").
_CONDITIONED = re.compile(r"\b(?:if|where|when|whenever|unless|only|except|provided|necessary|proportionate|"
                          r"consents?|consent|exceptional|lawful basis|risk|may|might)\b", re.I)
#: A denial of sharing because of who the victim is ("because the victim is a migrant or because
#: their status is uncertain", "because of their nationality or immigration status").
_STATUS_REASON = re.compile(r"\bbecause\b[^.;]{0,40}?\b(?:status|nationality|migrant|visa|immigration)\b", re.I)
#: An affirmation that shares on the ground of status ("Where a victim's status is uncertain",
#: "Where a victim has been identified as having insecure status").
_STATUS_GROUND = re.compile(r"\b(?:where|if|when|whenever)\b[^.;]{0,60}?\bstatus\b[^.;]{0,30}?\b(?:uncertain|unclear|"
                            r"unknown|insecure|in doubt|irregular|not (?:known|clear|confirmed))\b|"
                            # "If the caller tells you they have no visa or have overstayed", "If an
                            # officer believes a victim may be in the UK without permission"
                            r"\b(?:where|if|when|whenever)\b[^.;]{0,80}?\b(?:no visa|overstay(?:ed|ing)?|without "
                            r"(?:permission|leave|status|a visa)|no (?:permission|leave|status|right to be)|"
                            r"unlawfully|illegally)\b|"
                            r"\b(?:having|has|with|of) (?:an? )?(?:insecure|uncertain|unclear|unknown|irregular) "
                            r"(?:immigration )?status\b", re.I)


#: A review's recommendation ("Recommendation 3: ...", "We recommend that ..."): what should be,
#: not the document's position (its old names are still its own words).
_RECOMMENDATION = re.compile(r"^\W*recommendation\s+\d+[a-z]?\s*[:.\u2013-]|\b(?:we|the (?:panel|review|board|committee|"
                             r"inspectorate|inspectors|report))\s+(?:strongly\s+)?recommends?\b", re.I)


#: The victims a sharing position is about, when it names them: a promise about victims of
#: domestic abuse says nothing about the statutory notification of victims of slavery or
#: trafficking (Modern Slavery Act 2015, s.52), and the reverse.
_VICTIM_GROUPS = (
    ("domestic abuse", re.compile(r"\b(?:domestic (?:abuse|violence)|coercive control|honour[- ]based)\b", re.I)),
    ("slavery or trafficking", re.compile(r"\b(?:slavery|trafficking|trafficked|National Referral Mechanism|NRM|"
                                          r"duty to notify)\b", re.I)),
)


def _victim_groups(p: Position) -> set[str]:
    return {name for name, pattern in _VICTIM_GROUPS if pattern.search(p.claim.text)}


def _other_victims(denial: Position, affirmation: Position) -> bool:
    """Whether the two positions name different groups of victims and none in common. A
    notification of possible victims of slavery or trafficking is a duty of its own, which a
    promise or rule about victims in general does not rule out."""
    a, b = _victim_groups(denial), _victim_groups(affirmation)
    if "slavery or trafficking" in b and "slavery or trafficking" not in a:
        return True
    return bool(a and b and not a & b)


def _against_qualified(denial: Position, affirmation: Position) -> bool:
    """Whether an affirmation stands against a qualified denial (see _stance_contradictions)."""
    text = affirmation.claim.text
    if _UNIVERSAL.search(text):
        return True
    if affirmation.modality in ("must", "will") and not _CONDITIONED.search(text):
        return True
    if _STATUS_REASON.search(denial.claim.text) and _STATUS_GROUND.search(text):
        return True
    # "We will never pass your details to the Home Office because you have reported a crime"
    # against "If the caller tells you they have no visa or have overstayed, complete form CH-27A
    # and send it to Immigration Enforcement": what the report revealed is passed on as a matter
    # of course (sharing only where necessary and proportionate, or that "may" happen, is not)
    main = text[_after_condition(affirmation.claim):]
    firm = _FIRM.search(main)
    return bool(_CRIME_REPORT_REASON.search(denial.claim.text) and _STATUS_GROUND.search(text)
                and ((firm and not _MAY.search(main, 0, firm.start())) or _told(affirmation.claim))
                and not _WEIGHED.search(main))


#: A denial whose ground is the report itself ("because they have reported a crime to us").
_CRIME_REPORT_REASON = re.compile(r"\bbecause\s+(?:you|they|he|she|a victim|the victim|victims|someone|people)\s+"
                                  r"(?:have|has|had)?\s*(?:reported|report|come forward|came forward|contacted us)\b", re.I)
#: Sharing weighed case by case ("where it is necessary and proportionate", "with consent").
_WEIGHED = re.compile(r"\b(?:necessary|proportionate|consents?|exceptional|lawful basis|case[- ]by[- ]case|"
                      r"assess(?:es|ed|ment)?|decid(?:e|es|ed))\b", re.I)
_MAY = re.compile(r"\b(?:may|might|can|could)\b", re.I)
#: A firm act in the main clause ("they will pass ...", "officers must refer ...").
_FIRM = re.compile(r"\b(?:will|must|shall|should|(?:is|are) required to|need to|needs to)\b", re.I)


def _describe_position(p: Position) -> str:
    return wording.describe_position(p.actor, p.denied, p.modality, p.stance.topic)


def _stance_message(deny: Position, affirm: Position) -> str:
    how = {"must": "must", "should": "should", "may": "may", "can": "can", "will": "will"}.get(affirm.modality or "", "does")
    return (f"On {deny.stance.topic}, the document rules it out without exception in one place "
            f"and says {affirm.actor or 'someone'} {how} do it in another; both cannot hold.")


# --------------------------------------------------------------------------------------------
# Omissions


def _phrase_present(text_low: str, phrase: str) -> int:
    return len(re.findall(r"(?<!\w)" + re.escape(phrase.lower()) + r"(?!\w)", text_low))


def _mentions_reach(low: str, phrases: list[str], needed: int) -> bool:
    """Whether the phrases occur at least ``needed`` times in all (counting stops there)."""
    n = 0
    for p in phrases:
        for _ in re.finditer(r"(?<!\w)" + re.escape(p.lower()) + r"(?!\w)", low):
            n += 1
            if n >= needed:
                return True
    return False


#: How far into a document its statement of scope is looked for.
_SCOPE_CHARS = 1200
_NOT_ABOUT = (r"\b(?:does not|doesn't|do not|don't|is not|isn't|are not|aren't)\s+(?:deal with|cover|apply to|"
              r"concern|address|about|for|intended for)\s+(?:the\s+|any\s+)?(?:(?:\w+|,|or|and)\s+){0,3}?")


def _scope_excludes(opening_low: str, phrases: list[str]) -> bool:
    """Whether the document's opening says it is not about what a profile's phrases name."""
    names = "|".join(re.escape(p.lower()) for p in sorted(phrases, key=len, reverse=True))
    return re.search(_NOT_ABOUT + r"(?:" + names + r")(?!\w)", opening_low) is not None


def detect_profiles(text: str, profiles: tuple[Profile, ...], title: str | None = None,
                    genre: str | None = None, headings: Iterable[str] = ()) -> list[Profile]:
    """The profiles a document belongs to.

    A profile applies when the document is of a genre the profile lists (any genre when it lists
    none), every detection group occurs in the document's opening (its title, its headings and
    its first ``within`` characters, or the whole text when ``within`` is not set: a procedure
    whose opening speaks of "victims" and "status" and whose headings say "What every officer
    must do" is about officers), none of its excluding phrases occurs there, and the groups are
    mentioned at least ``min_mentions`` times in the whole text.
    """
    low = text.lower()
    outline = "\n".join(h.lower() for h in headings)
    found = []
    for profile in profiles:
        if profile.genres and genre not in profile.genres:
            continue
        opening = low if profile.detect_within is None else f"{(title or '').lower()}\n{low[:profile.detect_within]}"
        scope = opening if profile.detect_within is None else f"{opening}\n{outline}"
        if not all(any(_phrase_present(scope, p) for p in group) for group in profile.detect_all):
            continue
        if any(_phrase_present(opening, p) for p in profile.detect_none):
            continue  # what the opening says the document is not (a heading may mention the police)
        phrases = [p for group in profile.detect_all for p in group]
        if _scope_excludes(low[:_SCOPE_CHARS], phrases):
            continue  # "This procedure ... does not deal with victims or witnesses"
        if _mentions_reach(low, phrases, profile.detect_min_mentions):
            found.append(profile)
    return found


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def _near_misses(text: str, req: Requirement, limit: int = 3) -> list[str]:
    """Sentences that use a hint word of the topic without addressing it."""
    if not req.hints:
        return []
    # a hint word and its short inflections ("share", "sharing", "checks"), not "checksum"
    hint = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in req.hints) + r")(?:s|es|ed|d|ing|ers?)?\b", re.I)
    out = []
    for m in _SENTENCE.finditer(text):
        sentence = " ".join(m.group(0).split())
        if len(sentence) > 12 and hint.search(sentence):
            out.append(sentence if len(sentence) <= 140 else sentence[:137] + "...")
            if len(out) >= limit:
                break
    return out


#: How many matches of one topic pattern are tried before the topic counts as not addressed.
_COVERAGE_TRIES = 12


def _addresses(req: Requirement, text: str, asserts: Callable[[int, int], bool] | None) -> bool:
    """Whether the text addresses the topic: a pattern matches in a statement the document makes
    itself (and, for a topic in two parts, one of its ``also`` patterns does too). A match in a
    quotation or in a report of what a study or complaint found ("The super-complaint was about
    police passing victims' details to the Home Office") does not say what this document's
    readers are to do."""
    near = _ALSO_NEAR

    def counts(a: int, b: int) -> bool:
        if req.unless:
            start, end = text.rfind(".", 0, a) + 1, text.find(".", b)
            sentence = text[start:end if end >= 0 else len(text)]
            if any(pack_search(p, sentence) is not None for p in req.unless):
                return False
        return not req.also or any(pack_search(p, text[max(0, a - near):b + near]) is not None for p in req.also)
    return _any_own_match(req.patterns, text, asserts, counts if (req.also or req.unless) else None)


#: How far (characters, either side) a topic's second part may stand from its first.
_ALSO_NEAR = 250


def _any_own_match(patterns: tuple[str, ...], text: str, asserts: Callable[[int, int], bool] | None,
                   also: Callable[[int, int], bool] | None = None) -> bool:
    for pattern in patterns:
        for i, m in enumerate(pack_finditer(pattern, text)):
            if i >= _COVERAGE_TRIES:
                break
            if (asserts is None or asserts(m.start(), m.end())) and (also is None or also(m.start(), m.end())):
                return True
    return False


def check_omissions(text: str, profiles: list[Profile], *, published: _dt.date | None = None,
                    complete: bool = True, include_later: bool = True,
                    asserts: Callable[[int, int], bool] | None = None) -> list[Finding]:
    """Topics a detected profile requires that the document never addresses.

    Args:
        text: the document's text.
        profiles: the profiles it belongs to.
        published: its publication date: a topic expected only from a later date is reported as
            a requirement that arose later: still a warning (the audit judges the document as it
            stands today, as it does an outdated value), with a message that says so and
            ``wrong_at_publication`` false; left out when ``include_later`` is false.
        complete: whether the document is complete enough to judge (see
            :func:`guidance_audit.genre.completeness`); when it is not, nothing is reported.
        asserts: whether the statement at ``[start, end)`` of the text is the document's own
            statement (not a quotation or a report of what others found); every match
            counts when it is not given.
    """
    if not complete:
        return []
    out = []
    for profile in profiles:
        for req in profile.requires:
            if _addresses(req, text, asserts):
                continue
            why = f" {req.why}" if req.why else ""
            evidence = [f"would have counted: text matching {' or '.join(repr(p) for p in req.patterns[:4])}"
                        + (" ..." if len(req.patterns) > 4 else "")]
            evidence += [f"near-miss: '{q}'" for q in _near_misses(text, req)]
            later = (published is not None and req.expected_from is not None and published < req.expected_from)
            if later and not include_later:
                continue
            if later:
                msg = (f"This reads as {_lower(profile.title)} and never addresses {req.title}; it was published "
                       f"({_fmt(published)}) before that became expected ({_fmt(req.expected_from)}), so this only "
                       f"matters if the document is still in use.{why}")
            else:
                msg = f"This reads as {_lower(profile.title)}, but it never addresses {req.title}.{why}"
                if published is None and req.expected_from is not None:
                    msg += (f" The document gives no date, and this has been expected only since "
                            f"{_fmt(req.expected_from)}: an older document may not have known of it.")
            out.append(Finding(
                kind="omission", severity="warning", rule=req.id, message=msg,
                wrong_at_publication=None if published is None else not later,
                quote="", location=Location(page=None, block=None, start=0, end=0),
                expected=req.title, citations=req.citations, evidence=tuple(evidence),
            ))
    return out


def check_claim(ch: ClaimHits, factbase: FactBase, ctx: Context, collected: Collected,
                recognised: dict[str, Recognition], terms: dict[str, list[Hit]]) -> list[Finding]:
    """All per-claim checks for one claim."""
    findings: list[Finding] = []
    claim = ch.claim
    for fid, rec in recognised.items():
        fact = factbase.facts[fid]
        if fact.kind == "position":
            findings += check_position(claim, fact, rec, ctx, collected)
        else:
            findings += check_value(claim, fact, rec, ctx, collected)
    findings = _one_value_finding_per_statement(findings, recognised, factbase)
    findings = _one_wrong_rule_per_statement(findings, factbase, claim)
    if not ctx.include_supported:  # (a statement held right for its cohort is always reported)
        findings = [f for f in findings if f.kind != "supported" or f.cohort]
    owners = ch.by_owner()
    # A position's own finding that already names what replaced an old name ("only jobs on the
    # Shortage Occupation List" -> the Immigration Salary List) makes a second finding redundant.
    said = " ".join(f"{f.expected or ''} {f.message}".lower() for f in findings
                    if f.kind in ("outdated", "incorrect") and f.stated is None)
    for fid, hits in _drop_nested_terms(terms).items():
        fact = factbase.facts[fid]
        if said and any(a.lower() in said for a in fact.successor_aliases):
            continue  # the rule's own finding already names what replaced the old name
        findings += check_term(claim, fact, hits, [h for h in owners[fid] if h.role == "successor"], ctx)
    findings += check_provision_subjects(claim, terms, owners, factbase, ctx.published)
    for stance in factbase.stances:
        if stance.id in owners:
            pos = position_of(claim, stance, owners[stance.id])
            if pos is not None:
                collected.positions.append(pos)
    return [wording.polish(f) for f in findings]


def _covered(fact: Fact, hits: list[Hit], exclude: list[Hit]) -> bool:
    """Whether phrases of every ``covers`` group of ``fact`` are among ``hits``, outside the
    ``exclude`` spans (a provision's own name: "Appendix Victim of Domestic Abuse")."""
    if not fact.covers:
        return False
    found = {h.role for h in hits if h.role.startswith("covers:")
             and not any(x.start <= h.start and h.end <= x.end for x in exclude)}
    return all(f"covers:{g}" in found for g in range(len(fact.covers)))


_THERE_IS_NO = re.compile(r"\bthere (?:is|are|was|were) no\b", re.I)


def check_provision_subjects(claim: Claim, terms: dict[str, list[Hit]], owners: dict[str, list[Hit]],
                             factbase: FactBase, published: _dt.date | None = None) -> list[Finding]:
    """A provision cited for a subject it does not cover ("paragraph 297" for a wife's
    settlement, when 297 is about children), reported with what it covers and where the rule on
    the sentence's subject is: a provision of the same kind first (an instrument cited for
    another instrument's change: "HC 556" for the £29,000 of HC 590). Such a citation was wrong
    when written, unless the document is older than the provision."""
    if not (claim.asserted or claim.framing == "historical") or claim.negated or _THERE_IS_NO.search(claim.text):
        return []  # "Those partners cannot settle under Appendix VDA" cites it for what it excludes
    out = []
    names = [h for hits in terms.values() for h in hits]
    for fid, hits in terms.items():
        if not claim.asserted and not _MADE_BY.search(claim.text[max(0, hits[0].start - claim.start - 60):
                                                                 hits[0].start - claim.start]):
            continue  # history names a provision only as what made a change ("The change was made by HC 556")
        fact = factbase.facts[fid]
        if not fact.covers or _covered(fact, owners.get(fid, []), []):
            continue  # its own name may say what it is about ("Appendix Victim of Domestic Abuse")
        others = [factbase.facts[o] for o, ohits in owners.items()
                  if o != fid and o in factbase.facts and factbase.facts[o].covers
                  and _covered(factbase.facts[o], ohits, names)]
        if not others:
            continue  # what the sentence is about is not known: say nothing
        if any(o in terms and o != fid and factbase.facts[o].kind == "provision" for o in terms):
            # "Appendix VDA replaced the old rule, which was in section DVILR for people on the
            # five-year route": with two provisions named, the subject may be the other one's
            continue
        kind = fid.split(".")[0]
        right = next((o for o in others if o.id.split(".")[0] == kind), others[0])
        hit = _with_citation_word(claim, hits[0])
        wrong = None if published is None else (fact.start is None or published >= fact.start)
        out.append(Finding(
            kind="incorrect", severity=_severity(fact, "error"), rule=f"{fid}.subject",
            message=(f"Cites '{hit.text}' for {right.covers_title}, but {fact.title} is about "
                     f"{fact.covers_title}; the rule on {right.covers_title} is in {right.title}."),
            quote=hit.text, location=_location(claim, hit.start, hit.end), stated=hit.text,
            expected=right.title, citations=_dedupe(fact.citations + right.citations),
            confidence=min(fact.confidence, right.confidence, key=("low", "medium", "high").index),
            framing="current", wrong_at_publication=wrong,
        ))
    return out


#: What made a change, told in the past ("The change was made by Statement of Changes HC 556").
_MADE_BY = re.compile(r"\b(?:made|introduced|brought in|implemented|laid|inserted|put in place|enacted)\s+"
                      r"(?:by|in|through|under|with)\s+(?:the\s+)?(?:statement of changes(?: in immigration rules)?\s+)?$",
                      re.I)


def _one_wrong_rule_per_statement(findings: list[Finding], factbase: FactBase, claim: Claim) -> list[Finding]:
    """A sentence that states a rule and its parts ("£18,600 a year, plus £3,800 for the first
    child") is wrong once: of the outdated or incorrect value findings on one statement whose
    facts share a topic and a kind of quantity, the one about the quantity stated first is kept."""
    kept: dict[tuple, Finding] = {}
    out: list[Finding] = []
    for f in findings:
        fact = factbase.facts.get(f.rule)
        if f.kind not in ("outdated", "incorrect") or fact is None or fact.quantity is None or f.stated is None:
            out.append(f)
            continue
        # (a figure quoted by its own clause is its own statement: "£80 for a first offence, or
        # £500 if you have been fined before")
        own = f.quote != claim.text
        key = (fact.topic, fact.quantity, f.location.start if own else None)
        here = claim.text.find(f.stated)
        if key not in kept or (0 <= here < claim.text.find(kept[key].stated or "")):
            kept[key] = f
    return out + list(kept.values())


def _one_value_finding_per_statement(findings: list[Finding], recognised: dict[str, Recognition],
                                     factbase: FactBase) -> list[Finding]:
    """When two facts claim the same stated quantity of one sentence, keep the fact whose phrases
    cover more of the sentence: the sentence states one rule, not two. A figure that is right for
    a fact of another topic that fits the sentence better is not called wrong for this one."""
    best: dict[tuple[str, str | None], Finding] = {}
    out: list[Finding] = []

    def cover(f: Finding) -> int:
        rec = recognised.get(f.rule)
        if rec is None:
            return 0
        # characters covered, not summed lengths: "minimum income requirement" and the "income"
        # inside it cover the same words once
        covered: set[int] = set()
        for h in rec.hits:
            if h.role.startswith(("all:", "subject:", "name")):
                covered.update(range(h.start, h.end))
        return len(covered)

    for f in findings:
        if f.kind not in ("outdated", "incorrect", "supported") or f.stated is None:
            out.append(f)
            continue
        key = (f.kind if f.kind == "supported" else "wrong", f.stated)
        if key not in best or cover(f) > cover(best[key]):
            best[key] = f
    for (kind, stated), f in list(best.items()):
        right = best.get(("supported", stated))
        if (kind == "wrong" and right is not None and cover(right) > cover(f)
                and _topic(factbase, right.rule) != _topic(factbase, f.rule)):
            # "The test costs £50" under "Life in the UK test" on a page about ceremonies: the
            # figure is right for the rule that fits the sentence better; no accusation
            del best[(kind, stated)]
    return out + list(best.values())


def _topic(factbase: FactBase, fid: str) -> str | None:
    fact = factbase.facts.get(fid)
    return fact.topic if fact is not None else None


def _drop_nested_terms(terms: dict[str, list[Hit]]) -> dict[str, list[Hit]]:
    """When one name contains another ("Tier 2 (General)" and "Tier 2"), keep the longer."""
    spans = [(h.start, h.end, fid) for fid, hits in terms.items() for h in hits]
    out: dict[str, list[Hit]] = {}
    for fid, hits in terms.items():
        kept = [h for h in hits if not any(
            s <= h.start and h.end <= e and (e - s) > (h.end - h.start) and f != fid for s, e, f in spans)]
        if kept:
            out[fid] = kept
    return out

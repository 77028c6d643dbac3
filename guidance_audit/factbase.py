"""The fact base: strict loading of YAML fact packs into time-versioned, cited facts.

The YAML is composed into nodes with PyYAML's safe composer and converted by hand, so no tag can
construct a Python object, duplicate keys are caught, and every problem is reported as
``file:line: problem``. The pack format is documented in ``claims/README.md``.
"""
from __future__ import annotations

import builtins
import datetime as _dt
import hashlib
import stat as _stat
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

from .errors import FactBaseError
from .models import Citation, Quantity
from .quantities import parse_value

FACT_KINDS = ("value", "statistic", "position", "term", "provision")
QUANTITY_KINDS = ("duration", "money", "percent", "count")
CONFIDENCES = ("high", "medium", "low")
ENTRY_POINT_GROUP = "guidance_audit.factpacks"

_SAFE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
}
# The C loader composes the same nodes (with line marks) much faster; composing never constructs.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True, slots=True)
class FactValue:
    """One dated value of a fact: what was true from ``start`` to ``end`` (inclusive).

    ``quantities`` holds the accepted statements of the value for quantity facts (the value
    itself first, then ``accept`` alternatives); ``says`` holds regular expressions for
    position facts. ``status`` is ``"in-force"`` or ``"announced"``.
    """

    text: str
    start: _dt.date | None
    end: _dt.date | None
    citations: tuple[Citation, ...]
    quantities: tuple[Quantity, ...] = ()
    says: tuple[str, ...] = ()
    transitional: str | None = None
    status: str = "in-force"
    #: Phrases that mark a statement as addressed to the cohort still under this value after
    #: ``end`` ("applied before 9 July 2012", "first granted before 11 April 2024").
    cohort: tuple[str, ...] = ()
    #: How many of ``quantities`` are the value itself; the rest are ``accept`` alternatives.
    primary: int = 0
    #: A plan that was dropped before it took effect ("the threshold is due to rise to
    #: £38,700"): a document that still states it after ``end`` misstates the position, so the
    #: finding is *incorrect* rather than *outdated*.
    dropped: bool = False

    def in_force(self, on: _dt.date) -> bool:
        """Whether this value applied on ``on``."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True, slots=True)
class Fact:
    """A curated, cited fact. See ``claims/README.md`` for the meaning of each kind."""

    id: str
    kind: str
    title: str
    confidence: str
    reviewed: _dt.date
    source: str
    description: str | None = None
    topic: str | None = None
    note: str | None = None
    quantity: str | None = None
    recognise_all: tuple[tuple[str, ...], ...] = ()
    recognise_none: tuple[str, ...] = ()
    #: Word groups that may be found in the statement's context (heading, question, lead-in,
    #: earlier sentences, table headers, title) instead of the statement itself.
    recognise_subject: tuple[tuple[str, ...], ...] = ()
    #: Strong names that identify the fact on their own, standing in for every group.
    recognise_names: tuple[str, ...] = ()
    #: Regular expressions that identify a statement about the fact on their own, even where a
    #: ``none`` phrase occurs ("ILR in as little as 30 months" ties the duration to settlement).
    recognise_patterns: tuple[str, ...] = ()
    values: tuple[FactValue, ...] = ()
    incorrect_if: tuple[str, ...] = ()
    publisher: str | None = None
    aliases: tuple[str, ...] = ()
    successor: str | None = None
    successor_aliases: tuple[str, ...] = ()
    requires: tuple[tuple[str, ...], ...] = ()
    start: _dt.date | None = None
    end: _dt.date | None = None
    citations: tuple[Citation, ...] = ()
    #: For provisions: what the provision is about (title and word groups), so that a citation
    #: of it for another subject can be reported.
    covers_title: str | None = None
    covers: tuple[tuple[str, ...], ...] = ()
    #: False when ``end`` is only the latest day by which a name or provision had gone
    #: (``until_latest``): the change is certain, its day is not.
    end_exact: bool = True
    #: For terms: the thing was withdrawn rather than renamed (a document no longer issued), so a
    #: statement that relies on it gives outdated advice (``outdated``) rather than an old name.
    withdrawn: bool = False

    def values_in_force(self, on: _dt.date) -> tuple[FactValue, ...]:
        """The values that applied on ``on`` (announced values only once their date arrives)."""
        return tuple(v for v in self.values if v.in_force(on))

    def successor_of(self, value: FactValue) -> FactValue | None:
        """The value that took over when ``value`` ended, if any."""
        if value.end is None:
            return None
        later = [v for v in self.values if v.start is not None and v.start > value.end]
        return min(later, key=lambda v: v.start) if later else None  # type: ignore[arg-type, return-value]

    @property
    def all_citations(self) -> tuple[Citation, ...]:
        seen: list[Citation] = list(self.citations)
        for v in self.values:
            seen.extend(c for c in v.citations if c not in seen)
        return tuple(seen)

    def __repr__(self) -> str:
        return f"<Fact {self.id} {self.kind} {self.confidence} values={len(self.values)}>"


@dataclass(frozen=True, slots=True)
class Stance:
    """A policy topic on which two statements can take opposed positions."""

    id: str
    topic: str
    object: tuple[str, ...]
    target: tuple[str, ...]
    act: tuple[str, ...]
    source: str
    citations: tuple[Citation, ...] = ()
    #: whether a position must name the object (asking "about their immigration status"), not
    #: only the act and the target (asking the caller whether she is safe is no position)
    object_required: bool = False
    #: how many characters may separate the act from its target ("ask the caller"; asking
    #: "the UK Border Agency for advice about a victim's status" asks someone else)
    act_to_target: int = 100


@dataclass(frozen=True, slots=True)
class Requirement:
    """A topic that a guidance profile must address."""

    id: str
    title: str
    patterns: tuple[str, ...]
    citations: tuple[Citation, ...] = ()
    why: str | None = None
    #: The date from which guidance of the profile could be expected to address the topic (the
    #: date of the authority that made it expected); a document published earlier is not faulted.
    expected_from: _dt.date | None = None
    #: Words that show a sentence is near the topic without addressing it (reported as near-misses).
    hints: tuple[str, ...] = ()
    #: A second part the topic needs, when it has two ("what is shared and on what basis"): one of
    #: these must also match in the document's own statements, besides one of ``patterns``.
    also: tuple[str, ...] = ()
    #: What a sentence is about when a match in it does not count for the topic ("a duty under
    #: section 52 of the Modern Slavery Act 2015 to notify the Home Office" is no statement on
    #: sharing victims' details for immigration purposes).
    unless: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    """A kind of guidance document, how to recognise it, and the topics it must cover."""

    id: str
    title: str
    detect_all: tuple[tuple[str, ...], ...]
    detect_min_mentions: int
    requires: tuple[Requirement, ...]
    source: str
    detect_within: int | None = None
    detect_none: tuple[str, ...] = ()
    #: The document genres the profile applies to (see :mod:`guidance_audit.genre`); empty: any.
    genres: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactBase:
    """Every fact, stance and profile loaded, with a version and a content hash."""

    facts: dict[str, Fact]
    stances: tuple[Stance, ...] = ()
    profiles: tuple[Profile, ...] = ()
    sha256: str = ""
    version: str = ""
    sources: tuple[str, ...] = ()
    overridden: tuple[str, ...] = ()
    #: The date up to which the packs' sources were checked: the earliest ``horizon`` any pack
    #: declares (``None`` when none does). Rules may have changed after it.
    horizon: _dt.date | None = None

    def __len__(self) -> int:
        return len(self.facts)

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts.values())

    @cached_property
    def withdrawn_terms(self) -> frozenset[str]:
        """The ids of terms for things withdrawn rather than renamed (``withdrawn: true``)."""
        return frozenset(f.id for f in self if f.kind == "term" and f.withdrawn)

    def get(self, fact_id: str) -> Fact | None:
        return self.facts.get(fact_id)

    def info(self) -> dict:
        """The ``factbase`` section of a report."""
        return {"version": self.version, "sha256": self.sha256, "facts": len(self.facts),
                "overridden": list(self.overridden),
                "horizon": self.horizon.isoformat() if self.horizon else None}

    def stale(self, on: _dt.date, older_than: _dt.timedelta = _dt.timedelta(days=180)) -> list[Fact]:
        """Facts due for review on ``on``: last reviewed more than ``older_than`` before it, or
        of low confidence, or with a value announced for a date that has now arrived (whose
        coming into force should be confirmed). Oldest review first."""
        due = []
        for fact in self.facts.values():
            arrived = any(v.status == "announced" and v.start is not None and v.start <= on for v in fact.values)
            if fact.reviewed < on - older_than or fact.confidence == "low" or arrived:
                due.append(fact)
        return sorted(due, key=lambda f: (f.reviewed, f.id))

    def __repr__(self) -> str:
        return f"<FactBase {len(self.facts)} facts, {len(self.stances)} stances, {len(self.profiles)} profiles, sha256={self.sha256[:12]}>"


# --------------------------------------------------------------------------------------------
# Line-aware, safe YAML


class _Map(dict):
    line: int = 0
    key_lines: dict


class _Seq(list):
    line: int = 0
    item_lines: list


class _Problems:
    def __init__(self, path: str):
        self.path = path
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"{self.path}:{line}: {message}")


def _to_python(node: yaml.Node, problems: _Problems) -> Any:
    line = node.start_mark.line + 1
    if node.tag not in _SAFE_TAGS:
        problems.add(line, f"tag {node.tag!r} is not allowed (only plain YAML types)")
        return None
    if isinstance(node, yaml.MappingNode):
        out = _Map()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.add(key_node.start_mark.line + 1, "merge keys (<<) are not allowed")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.add(key_node.start_mark.line + 1, "mapping keys must be plain strings")
                continue
            key = key_node.value
            if key in out:
                problems.add(key_node.start_mark.line + 1, f"duplicate key {key!r}")
                continue
            out[key] = _to_python(value_node, problems)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = _Seq()
        seq.line, seq.item_lines = line, []
        for item in node.value:
            seq.append(_to_python(item, problems))
            seq.item_lines.append(item.start_mark.line + 1)
        return seq
    return _scalar(node)  # type: ignore[arg-type]  # only scalar nodes are left


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, text = node.tag, node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return text.lower() in ("true", "yes", "on")
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return text
    if tag == "tag:yaml.org,2002:float":
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text
    return text  # strings and timestamps stay text; dates are checked as ISO strings


MAX_PACK_BYTES = 10 * 1024 * 1024
MAX_PACK_DEPTH = 50


def _check_events(text: str, problems: _Problems) -> bool:
    """Refuse aliases and deep nesting before any node is composed.

    An alias is expanded each time it is used, so a few lines of aliases to aliases expand to
    billions of values, and an alias inside its own anchor never ends; the composer recurses once
    per level of nesting (libyaml's overflows the C stack on deeply nested brackets). The parser
    that produces events has neither problem.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent):
            problems.add(line, "aliases (*name) are not allowed; repeat the value")
            return False
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_PACK_DEPTH:
                problems.add(line, f"nested more than {MAX_PACK_DEPTH} levels deep")
                return False
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return True


def _parse_yaml(text: str, problems: _Problems) -> Any:
    try:
        if not _check_events(text, problems):
            return None
        loader = _SAFE_LOADER(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.add(mark.line + 1 if mark else 1, f"YAML error: {exc.problem or exc}")
        return None
    except yaml.YAMLError as exc:
        problems.add(1, f"YAML error: {exc}")
        return None
    if node is None:
        problems.add(1, "the pack is empty")
        return None
    return _to_python(node, problems)


# --------------------------------------------------------------------------------------------
# Validation helpers


class _Reader:
    """Typed access to one mapping, recording problems with line numbers."""

    def __init__(self, data: _Map, problems: _Problems, what: str):
        self.data, self.problems, self.what = data, problems, what

    def line(self, key: str | None = None) -> int:
        if key is not None and key in self.data.key_lines:
            return self.data.key_lines[key]
        return self.data.line

    def check_keys(self, allowed: Iterable[str], required: Iterable[str] = ()) -> None:
        allowed = set(allowed)
        for key in self.data:
            if key not in allowed:
                self.problems.add(self.line(key), f"unknown key {key!r} in {self.what}")
        for key in required:
            if key not in self.data or self.data[key] in (None, ""):
                self.problems.add(self.line(), f"{self.what} is missing {key!r}")

    def str(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key not in ("id",):
            return str(value)
        if not isinstance(value, str):
            self.problems.add(self.line(key), f"{key!r} must be a string")
            return None
        return value.strip()

    def flag(self, key: builtins.str) -> bool:
        """A true/false key (false when absent)."""
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.problems.add(self.line(key), f"{self.what} {key} must be true or false, got {value!r}")
            return False
        return value

    def date(self, key: builtins.str) -> _dt.date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not _ISO_RE.match(value.strip()):
            self.problems.add(self.line(key), f"{key!r} must be an ISO date YYYY-MM-DD, got {value!r}")
            return None
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            self.problems.add(self.line(key), f"{key!r} is not a real date: {value!r}")
            return None

    def strings(self, key: builtins.str) -> tuple[builtins.str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            self.problems.add(self.line(key), f"{key!r} must be a list of strings")
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def groups(self, value: Any, key: builtins.str) -> tuple[tuple[builtins.str, ...], ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(g, list) for g in value):
            self.problems.add(self.line(key), f"{key!r} must be a list of lists of phrases")
            return ()
        out = []
        for g in value:
            if not g or not all(isinstance(p, (str, int)) and not isinstance(p, bool) for p in g):
                self.problems.add(self.line(key), f"{key!r}: every group must be a non-empty list of phrases")
                continue
            out.append(tuple(str(p).strip() for p in g))
        return tuple(out)

    def mapping(self, key: builtins.str) -> _Map | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, _Map):
            self.problems.add(self.line(key), f"{key!r} must be a mapping")
            return None
        return value

    def citations(self, *, required: bool) -> tuple[Citation, ...]:
        raw: list[tuple[Any, int]] = []
        if "citation" in self.data:
            raw.append((self.data["citation"], self.line("citation")))
        if "citations" in self.data:
            seq = self.data["citations"]
            if isinstance(seq, _Seq):
                raw.extend(zip(seq, seq.item_lines))
            else:
                self.problems.add(self.line("citations"), "'citations' must be a list of citations")
        out = []
        for item, line in raw:
            if not isinstance(item, _Map):
                self.problems.add(line, "a citation must be a mapping with title, provision, date, url")
                continue
            r = _Reader(item, self.problems, "citation")
            r.check_keys(("title", "provision", "date", "url"), required=("title",))
            title = r.str("title")
            url = r.str("url")
            if url and not re.match(r"^https?://", url):
                self.problems.add(r.line("url"), f"citation url must start with http:// or https://, got {url!r}")
            if title:
                out.append(Citation(title=title, provision=r.str("provision"), date=r.date("date"), url=url))
        if required and not out and not raw:
            self.problems.add(self.line(), f"{self.what} has no citation")
        return tuple(out)


def _compile_patterns(patterns: tuple[str, ...], reader: _Reader, key: str) -> None:
    from .patterns import pattern_error

    for p in patterns:
        problem = pattern_error(p)  # compiled as the audit runs it (the regex module, with a timeout)
        if problem is not None:
            reader.problems.add(reader.line(key), f"bad regular expression {p!r} in {key!r}: {problem}")


_COMMON = ("id", "kind", "title", "description", "topic", "confidence", "reviewed", "note")
_ALLOWED = {
    "value": _COMMON + ("quantity", "recognise", "values"),
    "statistic": _COMMON + ("quantity", "recognise", "values", "publisher"),
    "position": _COMMON + ("recognise", "values", "incorrect_if"),
    "term": _COMMON + ("aliases", "from", "until", "until_latest", "successor", "successor_aliases", "requires",
                       "citation", "citations", "withdrawn"),
    "provision": _COMMON + ("aliases", "from", "until", "until_latest", "successor", "successor_aliases",
                            "requires", "citation", "citations", "covers"),
}
_VALUE_KEYS = ("value", "accept", "says", "from", "until", "citation", "citations", "transitional",
               "cohort", "status", "note", "dropped")


def _read_value(item: _Map, fact: Fact, kind: str, problems: _Problems) -> FactValue | None:
    r = _Reader(item, problems, f"a value of {fact.id}")
    r.check_keys(_VALUE_KEYS)
    citations = r.citations(required=True)
    start, end = r.date("from"), r.date("until")
    if start and end and end < start:
        problems.add(r.line("until"), f"'until' {end} is before 'from' {start}")
    status = r.str("status") or "in-force"
    if status not in ("in-force", "announced"):
        problems.add(r.line("status"), f"'status' must be in-force or announced, got {status!r}")
    quantities: list[Quantity] = []
    says: tuple[str, ...] = ()
    text = ""
    n_primary = 0
    if kind in ("value", "statistic"):
        raw = item.get("value")
        values = [raw] if not isinstance(raw, list) else list(raw)
        given = len(values)
        values += list(r.strings("accept"))
        if raw is None:
            problems.add(r.line(), f"a value of {fact.id} is missing 'value'")
        for i, v in enumerate(values):
            q = parse_value(str(v))
            if q is None:
                problems.add(r.line("value"), f"cannot read {v!r} as one {fact.quantity}")
            elif fact.quantity and q.kind != fact.quantity:
                problems.add(r.line("value"), f"{v!r} is a {q.kind}, but the fact states a {fact.quantity}")
            else:
                quantities.append(q)
                n_primary += i < given
        text = ", ".join(str(v) for v in ([raw] if not isinstance(raw, list) else raw))
    else:
        says = r.strings("says")
        if not says:
            problems.add(r.line(), f"a value of position {fact.id} needs 'says' patterns")
        _compile_patterns(says, r, "says")
        text = r.str("note") or (says[0] if says else "")
    cohort = r.strings("cohort")
    if cohort and end is None:
        problems.add(r.line("cohort"), f"'cohort' needs 'until': it names who keeps the value after it ended")
    dropped = item.get("dropped", False)
    if not isinstance(dropped, bool):
        problems.add(r.line("dropped"), f"'dropped' must be true or false, got {dropped!r}")
        dropped = False
    if dropped and (end is None or kind != "position"):
        problems.add(r.line("dropped"), "'dropped' is for a position's value with 'until' (a plan that ended)")
    return FactValue(text=text, start=start, end=end, citations=citations, quantities=tuple(quantities),
                     says=says, transitional=r.str("transitional"), status=status, cohort=cohort,
                     primary=n_primary, dropped=dropped)


def _read_fact(item: Any, line: int, path: str, problems: _Problems) -> Fact | None:
    if not isinstance(item, _Map):
        problems.add(line, "each fact must be a mapping")
        return None
    r = _Reader(item, problems, "fact")
    kind = r.str("kind")
    if kind not in FACT_KINDS:
        problems.add(r.line("kind"), f"'kind' must be one of {', '.join(FACT_KINDS)}, got {kind!r}")
        return None
    fid = r.str("id")
    r.what = f"fact {fid or '?'}"
    r.check_keys(_ALLOWED[kind], required=("id", "kind", "title", "confidence", "reviewed"))
    if fid and not _ID_RE.match(fid):
        problems.add(r.line("id"), f"id {fid!r} must be lower-case letters, digits, '.', '_' or '-'")
    confidence = r.str("confidence")
    if confidence and confidence not in CONFIDENCES:
        problems.add(r.line("confidence"), f"'confidence' must be high, medium or low, got {confidence!r}")
    reviewed = r.date("reviewed")
    base: dict[str, Any] = dict(id=fid or "?", kind=kind, title=r.str("title") or "", confidence=confidence or "low",
                reviewed=reviewed or _dt.date.min, source=f"{path}:{r.line()}",
                description=r.str("description"), topic=r.str("topic"), note=r.str("note"))
    if kind in ("term", "provision"):
        aliases = r.strings("aliases")
        if not aliases:
            problems.add(r.line(), f"{r.what} needs 'aliases'")
        end = r.date("until")
        latest = r.date("until_latest")
        if end is not None and latest is not None:
            problems.add(r.line("until_latest"), f"{r.what} has both 'until' and 'until_latest'")
        end_exact = latest is None
        end = end if end is not None else latest
        withdrawn = r.flag("withdrawn")
        covers_title: str | None = None
        covers: tuple[tuple[str, ...], ...] = ()
        raw_covers = r.mapping("covers")
        if raw_covers is not None:
            cr = _Reader(raw_covers, problems, f"covers of {fid}")
            cr.check_keys(("title", "phrases"), required=("title", "phrases"))
            covers_title = cr.str("title")
            covers = cr.groups(raw_covers.get("phrases"), "phrases")
        # A provision still in force may be listed only for what it covers.
        current_ok = kind == "provision" and bool(covers)
        if end is None and not current_ok:
            problems.add(r.line(), f"{r.what} needs 'until' (the last day the name or provision applied)")
        fact = Fact(**base, aliases=aliases, successor=r.str("successor"),
                    successor_aliases=r.strings("successor_aliases"),
                    requires=r.groups(item.get("requires"), "requires"), start=r.date("from"), end=end,
                    citations=r.citations(required=True), covers_title=covers_title, covers=covers,
                    end_exact=end_exact, withdrawn=withdrawn)
        if not fact.successor and end is not None:
            problems.add(r.line(), f"{r.what} needs 'successor' (what replaced it)")
        return fact
    recognise = r.mapping("recognise")
    rec_all: tuple[tuple[str, ...], ...] = ()
    rec_none: tuple[str, ...] = ()
    rec_subject: tuple[tuple[str, ...], ...] = ()
    rec_names: tuple[str, ...] = ()
    rec_patterns: tuple[str, ...] = ()
    if recognise is None:
        problems.add(r.line(), f"{r.what} needs 'recognise'")
    else:
        rr = _Reader(recognise, problems, f"recognise of {fid}")
        rr.check_keys(("all", "subject", "names", "none", "patterns"))
        rec_all = rr.groups(recognise.get("all"), "all")
        rec_subject = rr.groups(recognise.get("subject"), "subject")
        rec_none = rr.strings("none")
        rec_names = rr.strings("names")
        rec_patterns = rr.strings("patterns")
        _compile_patterns(rec_patterns, rr, "patterns")
        if not rec_all and not rec_subject and not rec_names:
            problems.add(rr.line(), f"{rr.what} needs 'all', 'subject' or 'names'")
    quantity = r.str("quantity")
    if kind in ("value", "statistic") and quantity not in QUANTITY_KINDS:
        problems.add(r.line("quantity"), f"'quantity' must be one of {', '.join(QUANTITY_KINDS)}, got {quantity!r}")
    incorrect_if = r.strings("incorrect_if")
    _compile_patterns(incorrect_if, r, "incorrect_if")
    fact = Fact(**base, quantity=quantity, recognise_all=rec_all, recognise_none=rec_none,
                recognise_subject=rec_subject, recognise_names=rec_names, recognise_patterns=rec_patterns,
                incorrect_if=incorrect_if, publisher=r.str("publisher"))
    raw_values = item.get("values")
    if not isinstance(raw_values, _Seq) or not raw_values:
        problems.add(r.line("values"), f"{r.what} needs a non-empty list of 'values'")
        return fact
    values = []
    for v, vline in zip(raw_values, raw_values.item_lines):
        if not isinstance(v, _Map):
            problems.add(vline, "each value must be a mapping")
            continue
        fv = _read_value(v, fact, kind, problems)
        if fv is not None:
            values.append(fv)
    _check_value_order(values, fact, r, problems)
    return replace(fact, values=tuple(values))


def _check_value_order(values: list[FactValue], fact: Fact, r: _Reader, problems: _Problems) -> None:
    dated = [v for v in values if v.status == "in-force"]
    for a, b in zip(dated, dated[1:]):
        if a.start and b.start and b.start < a.start:
            problems.add(r.line("values"), f"values of {fact.id} must be in date order")
        if a.end and b.start and b.start <= a.end:
            problems.add(r.line("values"), f"values of {fact.id} overlap: one ends {a.end}, the next starts {b.start}")


def _read_stance(item: Any, line: int, path: str, problems: _Problems) -> Stance | None:
    if not isinstance(item, _Map):
        problems.add(line, "each stance must be a mapping")
        return None
    r = _Reader(item, problems, "stance")
    r.check_keys(("id", "topic", "object", "target", "act", "object_required", "act_to_target", "citation",
                  "citations", "note"),
                 required=("id", "topic", "object", "target", "act"))
    required = r.flag("object_required")
    gap = item.get("act_to_target", 100)
    if isinstance(gap, bool) or not isinstance(gap, int) or gap < 0:
        problems.add(r.line(), "stance act_to_target must be a whole number of characters")
        gap = 100
    return Stance(id=r.str("id") or "?", topic=r.str("topic") or "", object=r.strings("object"),
                  target=r.strings("target"), act=r.strings("act"), source=f"{path}:{r.line()}",
                  citations=r.citations(required=False), object_required=required,
                  act_to_target=gap)


def _read_profile(item: Any, line: int, path: str, problems: _Problems) -> Profile | None:
    if not isinstance(item, _Map):
        problems.add(line, "each profile must be a mapping")
        return None
    r = _Reader(item, problems, "profile")
    r.check_keys(("id", "title", "detect", "requires", "note", "genres"), required=("id", "title", "detect", "requires"))
    genres = r.strings("genres")
    from .genre import GENRES
    for g in genres:
        if g not in GENRES:
            problems.add(r.line("genres"), f"unknown genre {g!r}; genres are {', '.join(GENRES)}")
    detect = r.mapping("detect")
    d_all: tuple[tuple[str, ...], ...] = ()
    d_none: tuple[str, ...] = ()
    within: int | None = None
    min_mentions = 1
    if detect is not None:
        dr = _Reader(detect, problems, "detect")
        dr.check_keys(("all", "min_mentions", "within", "none"), required=("all",))
        d_all = dr.groups(detect.get("all"), "all")
        d_none = dr.strings("none")
        within = detect.get("within")
        if within is not None and (not isinstance(within, int) or within < 1):
            problems.add(dr.line("within"), "'within' must be a positive number of characters")
            within = None
        mm = detect.get("min_mentions", 1)
        if not isinstance(mm, int) or mm < 1:
            problems.add(dr.line("min_mentions"), "'min_mentions' must be a positive integer")
        else:
            min_mentions = mm
    reqs = []
    raw = item.get("requires")
    if isinstance(raw, _Seq):
        for req, rline in zip(raw, raw.item_lines):
            if not isinstance(req, _Map):
                problems.add(rline, "each required topic must be a mapping")
                continue
            rq = _Reader(req, problems, "required topic")
            rq.check_keys(("id", "title", "patterns", "why", "citation", "citations", "expected_from", "hints", "also", "unless"),
                          required=("id", "title", "patterns"))
            patterns = rq.strings("patterns")
            _compile_patterns(patterns, rq, "patterns")
            also = rq.strings("also")
            _compile_patterns(also, rq, "also")
            unless = rq.strings("unless")
            _compile_patterns(unless, rq, "unless")
            reqs.append(Requirement(id=rq.str("id") or "?", title=rq.str("title") or "", patterns=patterns,
                                    citations=rq.citations(required=True), why=rq.str("why"),
                                    expected_from=rq.date("expected_from"), hints=rq.strings("hints"),
                                    also=also, unless=unless))
    else:
        problems.add(r.line("requires"), "'requires' must be a list of topics")
    return Profile(id=r.str("id") or "?", title=r.str("title") or "", detect_all=d_all,
                   detect_min_mentions=min_mentions, requires=tuple(reqs), source=f"{path}:{r.line()}",
                   detect_within=within, detect_none=d_none, genres=genres)


@dataclass
class _Pack:
    path: str
    horizon: _dt.date | None = None
    facts: list[Fact] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    fact_lines: dict[str, int] = field(default_factory=dict)


def read_pack(text: str, path: str) -> tuple[_Pack, list[str]]:
    """Parse and validate one pack's YAML text.

    Returns:
        The pack's contents and the list of ``file:line: problem`` strings (empty when valid).
    """
    problems = _Problems(path)
    pack = _Pack(path)
    data = _parse_yaml(text, problems)
    if data is None:
        return pack, problems.items
    if not isinstance(data, _Map):
        problems.add(1, "a pack must be a mapping with 'pack' and 'facts', 'stances' or 'profiles'")
        return pack, problems.items
    r = _Reader(data, problems, "pack")
    r.check_keys(("pack", "description", "version", "horizon", "facts", "stances", "profiles"), required=("pack",))
    pack.horizon = r.date("horizon")
    for key, reader, target in (("facts", _read_fact, pack.facts), ("stances", _read_stance, pack.stances),
                                ("profiles", _read_profile, pack.profiles)):
        seq = data.get(key)
        if seq is None:
            continue
        if not isinstance(seq, _Seq):
            problems.add(r.line(key), f"{key!r} must be a list")
            continue
        for item, line in zip(seq, seq.item_lines):
            obj = reader(item, line, path, problems)
            if obj is None:
                continue
            if key == "facts":
                if obj.id in pack.fact_lines:
                    problems.add(line, f"duplicate fact id {obj.id!r} (first at line {pack.fact_lines[obj.id]})")
                    continue
                pack.fact_lines[obj.id] = line
            target.append(obj)  # type: ignore[arg-type]
    return pack, problems.items


# --------------------------------------------------------------------------------------------
# Loading


def _read_pack_cached(text: str, path: str) -> tuple[_Pack, list[str]]:
    """:func:`read_pack`, from the on-disk cache when this pack was read before by this code
    (a fresh process then spends no time parsing YAML and compiling patterns to validate them).
    Only valid packs are stored: a pack with problems is read again, so its problems are reported
    as they always are."""
    from . import _cache

    name = _cache.key("pack", path, text)
    cached = _cache.load(name, lambda v: isinstance(v, _Pack) and v.path == path)
    if cached is not None:
        return cached, []
    pack, found = read_pack(text, path)
    if not found:
        _cache.store(name, pack)
    return pack, found


def bundled_pack_paths() -> list[Path]:
    """Paths of the fact packs shipped with the package, in name order (from a source checkout
    that is not the installed copy, such as tests run from the project's folder beside a strict
    editable install, the checkout's own ``claims/`` folder)."""
    try:
        root = resources.files("guidance_audit.claims")
    except ModuleNotFoundError:
        root = Path(__file__).resolve().parent.parent / "claims"  # type: ignore[assignment]
    return sorted((Path(str(p)) for p in root.iterdir() if str(p).endswith(".yaml")), key=lambda p: p.name)


def _entry_point_paths() -> list[Path]:
    from importlib.metadata import entry_points

    out: list[Path] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        target = ep.load()
        items = target() if callable(target) else target
        for item in [items] if isinstance(items, (str, Path)) else items:
            out.extend(_expand(Path(str(item))))
    return out


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
    return [path]


def load_factbase(extra: Iterable[str | Path] = (), *, bundled: bool = True,
                  entry_points: bool = True) -> FactBase:
    """Load the bundled fact packs, packs shipped by installed packages, and the user's packs.

    Args:
        extra: the user's pack files or directories; a fact whose id is already loaded replaces it
            (the report lists overridden ids).
        bundled: load the packs shipped with guidance_audit.
        entry_points: load packs registered in the ``guidance_audit.factpacks`` entry-point group.

    Returns:
        The fact base.

    Raises:
        FactBaseError: listing every ``file:line: problem`` found in any pack.
    """
    base_paths = bundled_pack_paths() if bundled else []
    if entry_points:
        base_paths += _entry_point_paths()
    user_paths = [p for e in extra for p in _expand(Path(e))]
    return _load(base_paths, user_paths)


def _load(base_paths: list[Path], user_paths: list[Path]) -> FactBase:
    problems: list[str] = []
    facts: dict[str, Fact] = {}
    origin: dict[str, str] = {}
    stances: dict[str, Stance] = {}
    profiles: dict[str, Profile] = {}
    overridden: list[str] = []
    horizons: list[_dt.date] = []
    digest = hashlib.sha256()
    for path in base_paths + user_paths:
        is_user = path in user_paths
        try:
            st = path.stat()
            if not _stat.S_ISREG(st.st_mode):  # a FIFO blocks, /dev/zero never ends
                problems.append(f"{path}:0: a pack must be a regular file (not a pipe, device or folder)")
                continue
            with open(path, "rb") as fh:  # read with a cap: the size can change after stat
                raw = fh.read(MAX_PACK_BYTES + 1)
            if len(raw) > MAX_PACK_BYTES or st.st_size > MAX_PACK_BYTES:
                size = max(len(raw), st.st_size)
                problems.append(f"{path}:0: the pack has {size:,} bytes; packs are limited to {MAX_PACK_BYTES:,}")
                continue
        except OSError as exc:
            problems.append(f"{path}:0: cannot read the pack: {exc.strerror or exc}")
            continue
        digest.update(path.name.encode() + b"\x00" + raw + b"\x00")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"{path}:1: a pack must be UTF-8 text")
            continue
        pack, found = _read_pack_cached(text, str(path))
        problems.extend(found)
        if pack.horizon is not None:
            horizons.append(pack.horizon)
        for fact in pack.facts:
            if fact.id in facts:
                if is_user:
                    overridden.append(fact.id)
                else:
                    problems.append(f"{fact.source}: duplicate fact id {fact.id!r} (also at {origin[fact.id]})")
                    continue
            facts[fact.id] = fact
            origin[fact.id] = fact.source
        for stance in pack.stances:
            stances[stance.id] = stance
        for profile in pack.profiles:
            profiles[profile.id] = profile
    if problems:
        raise FactBaseError(problems)
    sha = digest.hexdigest()
    reviewed = max((f.reviewed for f in facts.values()), default=None)
    version = f"{reviewed.isoformat() if reviewed else 'empty'}+{sha[:8]}"
    return FactBase(facts=facts, stances=tuple(stances.values()), profiles=tuple(profiles.values()),
                    sha256=sha, version=version, sources=tuple(str(p) for p in base_paths + user_paths),
                    overridden=tuple(overridden), horizon=min(horizons) if horizons else None)


def validate_packs(paths: Iterable[str | Path]) -> list[str]:
    """Validate pack files on their own and together with the bundled packs.

    Returns:
        Every problem as ``file:line: problem``; empty when all packs are valid.
    """
    pack_paths = [p for e in paths for p in _expand(Path(e))]
    bundled = {p.resolve() for p in bundled_pack_paths()}
    user = [p for p in pack_paths if p.resolve() not in bundled]
    try:
        _load(bundled_pack_paths() if user else pack_paths, user)
    except FactBaseError as exc:
        return exc.problems
    return []

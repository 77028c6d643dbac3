"""The :class:`Auditor`: reads a document, segments it, matches claims, runs the checks, reports.

Data flows one way: readers → segment → match → check → report. An Auditor builds the spaCy
pipeline, the phrase index and the fact base once and reuses them for every document.
"""
from __future__ import annotations

import bisect
import dataclasses
import datetime as _dt
import itertools
import os
import pickle
import time
from concurrent.futures import Executor
from typing import Iterable, Iterator

from spacy.language import Language

from . import check as _check
from .errors import AuditError, TooLargeError
from .factbase import FactBase, load_factbase
from .genre import GENRES, Completeness, Genre, completeness, detect_genre
from .limits import Limits
from .match import ClaimHits, FactIndex, Layer, named_terms, opens_with_pronoun, recognised_facts
from .models import Block, Claim, ContextLayer, Document, Finding
from .readers import check_pdf_backend, document_from_text, read_document
from .report import AuditReport, ErrorEntry, audit_notes
from . import store as _store
from .store import Store
from .suggest import with_suggestions
from .segment import (ContextTracker, sentence_layer, build_pipeline, claims_of_block, describe_claim, extract_claims,
                      outline_claims, prepare_pipeline, reports_findings)

#: A date argument: a ``datetime.date`` or ``datetime.datetime`` (its date is used), an ISO
#: string ``"2019-01-01"``, or ``None`` (today for ``as_of``; the document's own date for ``published``).
DateLike = _dt.date | str | None


def _to_date(value: DateLike, what: str) -> _dt.date | None:
    """A ``DateLike`` as a date: a ``datetime.date``, a ``datetime.datetime`` (its date), an ISO
    string ``"YYYY-MM-DD"``, or ``None``."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if value is None or isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{what} must be an ISO date YYYY-MM-DD, got {value!r}") from None


class Auditor:
    """Audits guidance documents against a fact base. Build once, audit many documents.

    Args:
        factbase: the facts to audit against (default: the bundled fact base).
        nlp: a spaCy pipeline to use instead of the default ``spacy.blank("en")`` pipeline;
            our abbreviations and, if it sets no sentence boundaries, our sentence splitter are added.
        limits: size and time limits for reading documents.
        include_supported: also report statements that agree with the rule in force.
        profile: audit every document against this profile id instead of detecting profiles.
        genre: the genre of every document (one of :data:`guidance_audit.genre.GENRES`) instead
            of detecting it.
        include_later_requirements: report omissions of topics that became expected only after
            the document was published (as warnings that say so, not wrong at publication);
            false leaves them out.
        pdf_backend: ``"pdfminer"`` (default) or ``"pdfium"`` (faster; needs the ``pdfium`` extra):
            the library that extracts the text of PDFs (same documents, limits and errors).
        store: an audit history file (path or :class:`~guidance_audit.store.Store`) to record
            every audit in; a document already stored with the same content, fact base, date and
            options is not audited again.
    """

    def __init__(self, factbase: FactBase | None = None, *, nlp: Language | None = None,
                 limits: Limits | None = None, include_supported: bool = False, profile: str | None = None,
                 genre: str | None = None, include_later_requirements: bool = True,
                 pdf_backend: str = "pdfminer", store: "Store | str | os.PathLike | None" = None):
        self.pdf_backend = check_pdf_backend(pdf_backend)
        self.factbase = factbase if factbase is not None else load_factbase()
        self.nlp = prepare_pipeline(nlp) if nlp is not None else build_pipeline()
        self.limits = limits or Limits()
        self.include_supported = include_supported
        self.profile = profile
        if genre is not None and genre not in GENRES:
            raise ValueError(f"unknown genre {genre!r}; genres: {', '.join(GENRES)}")
        self.genre = genre
        self.include_later_requirements = include_later_requirements
        if profile is not None and profile not in {p.id for p in self.factbase.profiles}:
            known = ", ".join(p.id for p in self.factbase.profiles) or "none"
            raise ValueError(f"unknown profile {profile!r}; known profiles: {known}")
        self.index = FactIndex(self.nlp, self.factbase)
        self._stance_ids = frozenset(s.id for s in self.factbase.stances)
        # stances whose act may be an instruction with no named target ("Never ask about status")
        self._object_stances = frozenset(s.id for s in self.factbase.stances if s.object_required)
        self._default_nlp = nlp is None
        self.store = None if store is None else _store.run_store(store, self.factbase.info(), _version())

    # ---------------------------------------------------------------------------------------
    # Public API

    def audit(self, path: str | os.PathLike, *, as_of: DateLike = None, published: DateLike = None) -> AuditReport:
        """Read and audit one document.

        Args:
            path: the document (PDF, DOCX, HTML or text; the format is read from the content).
            as_of: the date the rules are taken at (default: today).
            published: the document's date, overriding what the document itself says.

        Raises:
            AuditError: when the document cannot be read (a subclass says why).
        """
        started = time.monotonic()
        digest = _store.file_hash(path) if self.store is not None else None
        stored = self._stored(digest, as_of, published, str(path))
        if stored is not None:
            return stored
        document = read_document(path, limits=self.limits, pdf_backend=self.pdf_backend)
        return self.audit_document(document, as_of=as_of, published=published, _started=started, _digest=digest)

    def audit_text(self, text: str, *, as_of: DateLike = None, published: DateLike = None,
                   source: str = "<text>") -> AuditReport:
        """Audit guidance given as a string."""
        digest = _store.content_hash(text) if self.store is not None else None
        stored = self._stored(digest, as_of, published, source)
        if stored is not None:
            return stored
        document = document_from_text(text, source=source, limits=self.limits)
        return self.audit_document(document, as_of=as_of, published=published, _digest=digest)

    def audit_document(self, document: Document, *, as_of: DateLike = None, published: DateLike = None,
                       _started: float | None = None, _digest: str | None = None) -> AuditReport:
        """Audit an already-read :class:`Document`."""
        as_of_d = _to_date(as_of, "as_of") or _dt.date.today()
        pub = _to_date(published, "published")
        pub_from = "argument" if pub else document.metadata.published_from
        pub = pub or document.metadata.published
        reference = pub or as_of_d
        ctx = _check.Context(as_of=as_of_d, published=pub, include_supported=self.include_supported)
        statements: list | None = [] if self.store is not None else None
        claim_count, findings, (genre, whole, chosen) = self._audit_blocks(document, reference, ctx, _started,
                                                                           statements)
        findings = with_suggestions(findings)
        notes = audit_notes(as_of_d, self.factbase.horizon, pub)
        if chosen and not whole.complete and self.profile is None:
            notes += (f"No omission is reported: the document may be incomplete ({whole.reason}).",)
        findings.sort(key=lambda f: (f.kind == "omission", f.location.start, f.location.end))
        from . import __version__

        report = AuditReport(
            notes=notes, genre=genre.to_dict(),
            source=document.metadata.source, as_of=as_of_d, findings=tuple(findings), document=document,
            title=document.metadata.title, published=pub, published_from=pub_from if pub else None,
            pages=document.metadata.pages, claim_count=claim_count, factbase=self.factbase.info(),
            tool_version=__version__,
        )
        if self.store is not None:
            self.store.record(report, _digest or _store.content_hash(document.text),
                              _store.audit_options(_to_date(published, "published"), self.include_supported,
                                                   self.profile), statements or ())
        return report

    def extract_claims(self, document: Document, *, reference: DateLike = None) -> list[Claim]:
        """Split a document into claims (see :class:`guidance_audit.Claim`)."""
        ref = _to_date(reference, "reference") or document.metadata.published or _dt.date.today()
        self._check_block_lengths(document)
        return extract_claims(self.nlp, document, reference=ref, genre=self._genre(document).name)

    def audit_many(self, paths: Iterable[str | os.PathLike], *, as_of: DateLike = None,
                   published: DateLike = None, n_process: int = 1, executor: Executor | None = None,
                   window: int | None = None) -> Iterator[AuditReport]:
        """Audit many documents, yielding one report per path in input order as soon as it is ready.

        A document that cannot be read, or whose audit fails, yields a report with an ``errors``
        entry; the others are still audited.

        Args:
            paths: documents to audit (any iterable; it is read as the run goes).
            n_process: worker processes to use when no executor is given (1 = in this process).
            executor: any :class:`concurrent.futures.Executor` to run the audits on: threads
                share this Auditor; each worker process builds its own once (forked workers
                inherit it) and sends back reports in a compact form. Each task carries the
                pickled fact base (about 100 KB); on a Dask cluster, :mod:`guidance_audit.dask`
                sends it once per worker instead.
            window: most documents submitted but not yet yielded (default: four per worker), so
                that 10,000 paths never become 10,000 futures at once.
        """
        as_of_s = str(_to_date(as_of, "as_of") or _dt.date.today())
        pub_s = str(_to_date(published, "published")) if published else None
        from . import corpus_run

        if executor is None:
            yield from corpus_run.run_in_workers(self, paths, as_of_s, pub_s, n_process, window)
            return
        yield from corpus_run.run_on_executor(self, paths, as_of_s, pub_s, executor, window)

    def audit_safely(self, path: str | os.PathLike, *, as_of: DateLike = None,
                     published: DateLike = None) -> AuditReport:
        """Like :meth:`audit`, but a document that cannot be read gives a report with an error
        entry instead of an exception."""
        as_of_d = _to_date(as_of, "as_of") or _dt.date.today()
        try:
            return self.audit(path, as_of=as_of_d, published=published)
        except AuditError as exc:
            return _error_report(str(path), as_of_d, exc.code, exc.detail, self)

    # ---------------------------------------------------------------------------------------
    # Internals

    def _stored(self, digest: str | None, as_of: DateLike, published: DateLike, source: str) -> AuditReport | None:
        """The stored report of a document already audited with this content, fact base, date and
        options (it is linked to the current run), or ``None``."""
        if self.store is None or digest is None:
            return None
        as_of_d = _to_date(as_of, "as_of") or _dt.date.today()
        options = _store.audit_options(_to_date(published, "published"), self.include_supported, self.profile)
        found = self.store.find_audit(digest, self.factbase.sha256, as_of_d, options)
        if found is None:
            return None
        self.store.link(found)
        return self.store.load_report(found, source=source, factbase=self.factbase.info(), tool_version=_version())

    def _check_block_lengths(self, document: Document) -> None:
        """Refuse a document with a block longer than the spaCy pipeline accepts (``nlp.max_length``,
        a million characters by default), which would otherwise fail inside spaCy."""
        longest = max((len(b.text) for b in document.blocks), default=0)
        if longest > self.nlp.max_length:
            raise TooLargeError(
                f"a paragraph has {longest:,} characters, more than the {self.nlp.max_length:,} the "
                "sentence splitter accepts (does the text have no paragraph breaks?)",
                source=document.metadata.source,
            )

    def _audit_blocks(self, document: Document, reference: _dt.date, ctx: _check.Context,
                      started: float | None, statements: list | None = None
                      ) -> tuple[int, list[Finding], tuple[Genre, Completeness, list[str]]]:
        claim_count = 0  # the statements themselves are not kept: a long document has tens of thousands
        findings: list[Finding] = []
        collected = _check.Collected()
        fb = self.factbase
        facts = fb.facts
        deadline = (started or time.monotonic()) + self.limits.max_seconds
        self._check_block_lengths(document)
        texts = (b.text for b in document.blocks)
        title = document.metadata.title
        genre = self._genre(document)
        tracker = ContextTracker(title, genre.name)
        carried: list[Layer] = []
        carried_kind = ""
        # (owner, role) pairs found in the text of each layer that can be context for later blocks
        layer_roles: dict[tuple[str, int | None], frozenset[tuple[str, str]]] = {}
        if title:
            layer_roles[("title", None)] = frozenset(self._title_roles(title, reference))
        for i, (block, sdoc) in enumerate(zip(document.blocks, self.nlp.pipe(texts, batch_size=256))):
            if i % 256 == 0 and time.monotonic() > deadline:
                raise TooLargeError(f"auditing took longer than {self.limits.max_seconds:g} s",
                                    source=document.metadata.source)
            block_claims = outline_claims(sdoc, block)
            claim_count += len(block_claims)
            outer: list[Layer] = [(layer, layer_roles.get(_layer_key(layer), set()))
                                  for layer in tracker.layers_for(block)]
            # Heading, title and lead-in phrases, for the names of terms and provisions ("Please
            # bring:" / "your biometric residence permit (BRP)").
            heading_context = set().union(*(r for layer, r in outer if layer.kind in ("heading", "title", "lead-in")))
            completing = any(r and layer.kind in ("lead-in", "question", "row-header", "column-header")
                             for layer, r in outer)
            # The last sentence of the paragraph before carries on into this one ("... the
            # concession. / It gives you three months' permission ..."), and a list item's into the
            # next item of the same list ("The DDV concession gives three months' leave" / "The
            # victim must show they are destitute").
            previous: list[Layer] = list(carried) if block.kind == carried_kind else []
            block_roles: set[tuple[str, str]] = set()
            for ch in self.index.hits_for(sdoc, block_claims, block.start):
                # frozen: match.recognised_facts keeps the owners of a frozen role set, and every later
                # statement of the block meets this one as a layer (speed)
                roles = frozenset(ch.roles())
                block_roles |= roles
                layers: list[Layer] = [*previous[::-1], *outer]
                c = ch.claim
                previous.append((sentence_layer(c), roles))
                if not ch.hits and not (completing or (previous[:-1] and previous[-2][1])):
                    continue
                # Most statements name no fact and take no stance: they cannot give a finding,
                # so only the others are described (context, quantities, framing...) and checked.
                about_facts = any(h.owner in facts for h in ch.hits) or bool(layers)
                recognised = recognised_facts(ch, fb, layers=layers) if about_facts else {}
                terms = named_terms(ch, fb, heading_context) if ch.hits else {}
                if not (recognised or terms or self._takes_stance(ch)):
                    continue
                context = tracker.context_for(block, [layer for layer, _ in previous[-2::-1]])
                ch.claim = describe_claim(c.text, c.start, c.end, block, reference, context)
                if statements is not None and (recognised or terms):
                    statements.append((ch.claim, (*recognised, *terms)))
                findings += _check.check_claim(ch, fb, ctx, collected, recognised, terms)
            tracker.record(block)
            carried = []
            if previous and block.kind in ("paragraph", "list_item") and block.cell is None:
                # a pronoun chain carries on its antecedent too ("... the Destitution Domestic
                # Violence concession. It gives you three months ... / To get it you must show ...")
                chained = len(previous) >= 2 and opens_with_pronoun(previous[-1][0].text)
                carried = previous[-2:] if chained else previous[-1:]
            carried_kind = block.kind
            if block_roles and (block.kind == "heading" or block.cell is not None
                                or block.text.rstrip().endswith((":", "?"))):
                stored = frozenset(block_roles)  # immutable: match.recognised_facts keeps what it reads of it
                layer_roles[(block.text.strip(), block.start)] = stored
                if block.kind == "heading":
                    layer_roles[(block.text.strip(), None)] = stored
        findings = _check.group_repeated_names(findings, fb.withdrawn_terms)
        findings += _check.check_contradictions(collected, ctx.published)
        profiles = fb.profiles
        whole = completeness(document)
        if self.profile is not None:
            chosen = [p for p in profiles if p.id == self.profile]
        else:
            headings = [b.text for b in document.blocks if b.kind == "heading"][:40]
            chosen = _check.detect_profiles(document.text, profiles, document.metadata.title, genre.name, headings)
        findings += _check.check_omissions(document.text, chosen, published=ctx.published,
                                           complete=whole.complete or self.profile is not None,
                                           include_later=self.include_later_requirements,
                                           asserts=self._own_statements(document, reference))
        return claim_count, findings, (genre, whole, [p.id for p in chosen])

    def _own_statements(self, document: Document, reference: _dt.date):
        """Whether the statement at a span of the document's text is the document's own current
        statement, for omission checks: the statement is described (as any claim is) only when a
        topic pattern matches in it."""
        blocks = document.blocks
        starts = [b.start for b in blocks]
        outlined: dict[int, list[Claim]] = {}

        def asserts(start: int, end: int) -> bool:
            i = bisect.bisect_right(starts, start) - 1
            if i < 0 or start >= blocks[i].end:
                return True  # between blocks (furniture the reader joined): nothing to judge
            block = blocks[i]
            if i not in outlined:
                outlined[i] = outline_claims(self.nlp(block.text), block)
            c = next((c for c in outlined[i] if c.start <= start < c.end), None)
            if c is None:
                return True
            claim = describe_claim(c.text, c.start, c.end, block, reference)  # only the statement matched
            return claim.framing != "quoted" and not reports_findings(claim.text)
        return asserts

    def _genre(self, document: Document) -> Genre:
        if self.genre is not None:
            return Genre(self.genre, ("stated by the caller",), source="argument")
        return detect_genre(document)

    def _takes_stance(self, ch: ClaimHits) -> bool:
        """Whether a statement names the act of one stance and its target or object (without
        them, :func:`check.position_of` takes no position from it)."""
        roles: dict[str, set[str]] = {}
        for h in ch.hits:
            if h.owner in self._stance_ids:
                roles.setdefault(h.owner, set()).add(h.role)
        # (an instruction to ask about the object names no target: "Never ask about status")
        return any("act" in r and ("target" in r or ("object" in r and owner in self._object_stances))
                   for owner, r in roles.items())

    def _title_roles(self, title: str | None, reference: _dt.date) -> set[tuple[str, str]]:
        """Fact-base phrases in the document's title: context for every statement below it."""
        if not title:
            return set()
        sdoc = self.nlp(title)
        block = Block(index=-1, kind="heading", text=title, start=0, end=len(title))
        roles: set[tuple[str, str]] = set()
        for ch in self.index.hits_for(sdoc, claims_of_block(sdoc, block, reference), 0):
            roles |= ch.roles()
        return roles

    def _payload(self) -> bytes:
        """What a worker process needs to build an Auditor like this one (pickled once)."""
        nlp = None if self._default_nlp else self.nlp
        return pickle.dumps((self.factbase, nlp, self.limits, self.include_supported, self.profile,
                             self.genre, self.include_later_requirements, self.pdf_backend, self.store),
                            protocol=pickle.HIGHEST_PROTOCOL)


def _version() -> str:
    from . import __version__

    return __version__


def _layer_key(layer: ContextLayer) -> tuple[str, int | None]:
    if layer.kind == "title":
        return ("title", None)
    return (layer.text.strip(), layer.start)


def _error_report(source: str, as_of: _dt.date, code: str, message: str, auditor: Auditor) -> AuditReport:
    from . import __version__

    return AuditReport(source=source, as_of=as_of, errors=(ErrorEntry(code, message),),
                       factbase=auditor.factbase.info(), tool_version=__version__,
                       notes=audit_notes(as_of, auditor.factbase.horizon, None))


# ------------------------------------------------------------------------------------------------
# Corpus runs. A run registers its Auditor under a key; threads of this process (and workers
# forked from it) find it there, other workers build theirs once from the pickled payload.

_AUDITORS: dict[str, Auditor] = {}
_BUILT_KEEP = 4  # Auditors a long-lived worker keeps for runs that may come back to it
_run_counter = itertools.count()


def _register(auditor: Auditor) -> str:
    key = f"{os.getpid()}-{id(auditor)}-{next(_run_counter)}"
    _AUDITORS[key] = auditor
    return key


def _worker_auditor(key: str, payload: bytes | None) -> Auditor:
    auditor = _AUDITORS.get(key)
    if auditor is None:
        if payload is None:
            raise RuntimeError("this worker was not given the auditor's fact base and options")
        factbase, nlp, limits, include_supported, profile, genre, later, pdf_backend, store = pickle.loads(payload)
        auditor = Auditor(factbase, nlp=nlp, limits=limits, include_supported=include_supported,
                          profile=profile, genre=genre, include_later_requirements=later,
                          pdf_backend=pdf_backend, store=store)
        built = [k for k in _AUDITORS if not k.startswith(f"{os.getpid()}-")]
        for old in built[:max(0, len(built) - _BUILT_KEEP + 1)]:
            del _AUDITORS[old]
        _AUDITORS[key] = auditor
    return auditor


def _init_worker(key: str, payload: bytes | None) -> None:
    _worker_auditor(key, payload)


def _audit_one(auditor: Auditor, source: str, as_of: str, published: str | None) -> AuditReport:
    """Audit one document of a corpus run: any failure becomes the document's error entry."""
    try:
        return auditor.audit_safely(source, as_of=as_of, published=published)
    except Exception as exc:  # a bug met on one document must not stop the run
        return _error_report(source, _dt.date.fromisoformat(as_of), "internal-error",
                             f"{type(exc).__name__}: {exc}", auditor)


def _worker_audit(key: str, payload: bytes | None, source: str, as_of: str,
                  published: str | None) -> AuditReport | tuple:
    report = _audit_one(_worker_auditor(key, payload), source, as_of, published)
    same_process = key.startswith(f"{os.getpid()}-")
    return report if same_process else _pack(report)


_BLOCK_FIELDS = tuple(f.name for f in dataclasses.fields(Block))
_BLOCK_TEXT = _BLOCK_FIELDS.index("text")


def _pack(report: AuditReport) -> tuple:
    """A report in a form that pickles small and fast: each block's text, which is a slice of
    the document's text, is left out."""
    doc = report.document
    if doc is None:
        return (report, None)
    text = doc.text
    blocks = []
    for b in doc.blocks:
        values = [getattr(b, f) for f in _BLOCK_FIELDS]
        if text[b.start:b.end] == b.text:
            values[_BLOCK_TEXT] = None
        blocks.append(tuple(values))
    return (dataclasses.replace(report, document=None), dataclasses.replace(doc, blocks=()), tuple(blocks))


def _unpack(packed: AuditReport | tuple) -> AuditReport:
    if isinstance(packed, AuditReport):
        return packed
    report, doc = packed[0], packed[1]
    if doc is None:
        return report
    text = doc.text
    blocks = []
    for values in packed[2]:
        if values[_BLOCK_TEXT] is None:
            values = list(values)
            values[_BLOCK_TEXT] = text[values[_BLOCK_FIELDS.index("start")]:values[_BLOCK_FIELDS.index("end")]]
        blocks.append(Block(*values))
    return dataclasses.replace(report, document=dataclasses.replace(doc, blocks=tuple(blocks)))


# ------------------------------------------------------------------------------------------------
# Module-level conveniences

_DEFAULT: Auditor | None = None


def default_auditor(*, include_supported: bool = False) -> Auditor:
    """A shared Auditor with the bundled fact base, built on first use (one more, sharing its
    fact base, for ``include_supported=True``)."""
    global _DEFAULT, _DEFAULT_SUPPORTED
    if _DEFAULT is None:
        _DEFAULT = Auditor()
    if not include_supported:
        return _DEFAULT
    if _DEFAULT_SUPPORTED is None:
        _DEFAULT_SUPPORTED = Auditor(_DEFAULT.factbase, include_supported=True)
    return _DEFAULT_SUPPORTED


_DEFAULT_SUPPORTED: Auditor | None = None


def audit(path: str | os.PathLike, *, as_of: DateLike = None, published: DateLike = None,
          include_supported: bool = False) -> AuditReport:
    """Audit one document with the bundled fact base. See :meth:`Auditor.audit`.

    Args:
        path: the document.
        as_of: the date the rules are taken at: a ``datetime.date``, a ``datetime.datetime`` (its
            date), an ISO string ``"2019-01-01"``, or ``None`` for today.
        published: the document's own date (same forms), overriding what the document says.
        include_supported: also report statements that agree with the rules in force.
    """
    return default_auditor(include_supported=include_supported).audit(path, as_of=as_of, published=published)


def audit_text(text: str, *, as_of: DateLike = None, published: DateLike = None,
               include_supported: bool = False) -> AuditReport:
    """Audit guidance given as a string. See :meth:`Auditor.audit_text`; the arguments are as
    for :func:`audit`."""
    return default_auditor(include_supported=include_supported).audit_text(text, as_of=as_of, published=published)


def audit_safely(path: str | os.PathLike, *, as_of: DateLike = None, published: DateLike = None,
                 include_supported: bool = False) -> AuditReport:
    """Like :func:`audit`, but a document that cannot be read gives a report with an ``errors``
    entry instead of an exception. See :meth:`Auditor.audit_safely`."""
    return default_auditor(include_supported=include_supported).audit_safely(path, as_of=as_of,
                                                                            published=published)

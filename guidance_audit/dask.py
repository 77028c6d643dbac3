"""Audit a large corpus on a Dask cluster.

Install the ``dask`` extra (``pip install "guidance-audit[dask]"``: ``dask[distributed]`` and
pandas). Documents are split into partitions of ``partition_size`` paths; each Dask worker builds
its :class:`~guidance_audit.Auditor` (fact base, spaCy pipeline, phrase index) **once** and
reuses it for every partition it runs. The Auditor lives in a process of its own that each Dask
worker thread starts (:mod:`guidance_audit.workers`): a document that hangs past
``Limits.max_seconds`` is killed there and reported ``timeout``, one that kills its process is
reported ``worker-failed``, and the Dask worker itself never dies, so no ``KilledWorker`` ever
loses the other documents' results. What a worker needs to build it (the fact base and the
options, pickled) is one object in the task graph, keyed by its content hash, so it travels to
each worker once, not with every task. Workers send back each document's report without the
document's text, so results stay small.

Usage::

    from dask.distributed import Client, LocalCluster
    from guidance_audit.dask import audit_corpus_dask

    with LocalCluster(n_workers=4, threads_per_worker=1) as cluster, Client(cluster) as client:
        findings = audit_corpus_dask(paths, client, as_of="2026-11-21", facts=["my_facts.yaml"])
    findings.groupby(["source", "kind"]).size()     # one row per finding
    findings.attrs["errors"]                        # documents that could not be audited

The paths must be readable by the workers (a shared file system on a multi-machine cluster).
Without a ``client``, the active distributed client is used, or else Dask's local process
scheduler. Three entry points:

* :func:`audit_corpus_dask`: a pandas ``DataFrame`` with one row per finding (the columns of
  :mod:`guidance_audit.tabular`), in input order;
* :func:`audit_corpus_bag`: the lazy ``dask.bag.Bag`` of reports, to combine with other Dask work;
* :func:`write_jsonl_dask`: JSON Lines, one object per document as ``guidance-audit audit
  --format jsonl`` writes them, written in input order as partitions finish.

The results equal those of :meth:`Auditor.audit_many` on the same paths (without the
``document`` of each report).
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import os
import threading
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .auditor import Auditor, DateLike, _audit_one, _AUDITORS, _to_date, _worker_auditor
from .factbase import load_factbase
from .report import AuditReport

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag
    import pandas
    from distributed import Client

__all__ = ["audit_corpus_bag", "audit_corpus_dask", "write_jsonl_dask", "DEFAULT_PARTITION_SIZE"]

#: Documents per task. Larger partitions mean less scheduling overhead; smaller ones balance
#: uneven documents better.
DEFAULT_PARTITION_SIZE = 16

_LOCK = threading.Lock()
_BUILDS: Counter[str] = Counter()  # Auditors built in this process, by payload hash


def _import_dask() -> Any:
    try:
        import dask
        import dask.bag  # noqa: F401
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError('guidance_audit.dask needs Dask: pip install "guidance-audit[dask]"') from exc
    return dask


class _Spec:
    """The auditor to build on the workers (pickled payload and its content hash), and the run's dates."""

    def __init__(self, auditor: Auditor, as_of: DateLike, published: DateLike):
        self.payload = auditor._payload()
        self.key = "dask-" + hashlib.sha256(self.payload).hexdigest()
        self.as_of = str(_to_date(as_of, "as_of") or _dt.date.today())
        self.published = str(_to_date(published, "published")) if published else None


def _auditor(auditor: Auditor | None, facts: Iterable[str | os.PathLike], include_supported: bool,
             profile: str | None) -> Auditor:
    if auditor is not None:
        return auditor
    return Auditor(load_factbase(extra=[os.fspath(f) for f in facts]), include_supported=include_supported,
                   profile=profile)


def _cached_auditor(key: str, payload: bytes) -> Auditor:
    """This worker's Auditor for ``key``, built on first use."""
    auditor = _AUDITORS.get(key)
    if auditor is None:
        with _LOCK:  # threads of one worker wait for the first build instead of repeating it
            auditor = _AUDITORS.get(key)
            if auditor is None:
                auditor = _worker_auditor(key, payload)
                _BUILDS[key] += 1
    return auditor


_POOLS: dict[tuple[str, int], Any] = {}  # a worker process of our own for each (run key, Dask thread)


def _pool(key: str, payload: bytes, deadline: float) -> Any:
    """This Dask thread's worker process for ``key``, started on first use: documents are
    audited there, so that one which hangs is killed at its deadline and one which kills its
    process takes only that process, never the Dask worker (no ``KilledWorker``)."""
    import functools
    import multiprocessing

    from .corpus_run import _setup, _task
    from .workers import WorkerPool

    slot = (key, threading.get_ident())
    pool = _POOLS.get(slot)
    if pool is None:
        pool = WorkerPool(1, functools.partial(_setup, key, payload), _task, deadline=deadline,
                          context=multiprocessing.get_context("spawn"))
        with _LOCK:
            _POOLS[slot] = pool
            _BUILDS[key] += 1
    return pool


def _audit_partition(sources: Sequence[str], payload: bytes, key: str, as_of: str, published: str | None,
                     keep_documents: bool, max_seconds: float | None = None) -> list[AuditReport]:
    if max_seconds is None:  # in this process, as before (the caller asked for no isolation)
        auditor = _cached_auditor(key, payload)
        reports = [_audit_one(auditor, source, as_of, published) for source in sources]
    else:
        reports = _isolated(sources, payload, key, as_of, published, max_seconds)
    return [r if keep_documents else dataclasses.replace(r, document=None) for r in reports]


def _isolated(sources: Sequence[str], payload: bytes, key: str, as_of: str, published: str | None,
              max_seconds: float) -> list[AuditReport]:
    from .auditor import _error_report, _unpack
    from .corpus_run import timeout_message
    from .factbase import FactBase
    from .workers import hard_deadline

    deadline = hard_deadline(max_seconds)
    pool = _pool(key, payload, deadline)
    facts: list[FactBase] = []

    def fallback(source: str, code: str, message: str) -> AuditReport:
        if not facts:  # the fact base, for the error report's fact base and notes
            import pickle

            facts.append(pickle.loads(payload)[0])
        holder: Any = _Facts(facts[0])  # what _error_report reads of an Auditor
        return _error_report(source, _dt.date.fromisoformat(as_of), code, message, holder)

    def timed_out(item: tuple, seconds: float) -> AuditReport:
        return fallback(item[0], "timeout", timeout_message(seconds, max_seconds))

    def died(item: tuple, exitcode: int | None) -> AuditReport:
        how = f" (exit status {exitcode})" if exitcode not in (None, 0) else ""
        return fallback(item[0], "worker-failed", f"the worker process stopped while auditing this document{how}")

    items = [(source, as_of, published) for source in sources]
    return [_unpack(r) for r in pool.map(items, on_timeout=timed_out, on_death=died, close=False)]


class _Facts:
    """What ``_error_report`` reads of an Auditor."""

    def __init__(self, factbase: Any) -> None:
        self.factbase = factbase


def builds_in_this_process() -> dict[str, int]:
    """How many Auditors this process built for Dask runs, by payload hash (run it on the
    workers with ``client.run`` to check that each built one per fact base)."""
    return dict(_BUILDS)


def audit_corpus_bag(paths: Iterable[str | os.PathLike], *, as_of: DateLike = None, published: DateLike = None,
                     facts: Iterable[str | os.PathLike] = (), auditor: Auditor | None = None,
                     include_supported: bool = False, profile: str | None = None,
                     partition_size: int = DEFAULT_PARTITION_SIZE,
                     keep_documents: bool = False) -> dask.bag.Bag:
    """A lazy Dask bag of one :class:`~guidance_audit.AuditReport` per path, in input order.

    Args:
        paths: the documents (readable by the workers).
        as_of: the date the rules are taken at (default: today, on this machine).
        published: the documents' publication date, overriding what each document says.
        facts: extra fact packs, as for ``load_factbase(extra=...)``.
        auditor: audit with this Auditor's fact base and options instead (``facts``,
            ``include_supported`` and ``profile`` are then ignored).
        partition_size: documents per task.
        keep_documents: keep each report's ``document`` (its full text and blocks); off by default
            so that only findings travel back.
    """
    dask = _import_dask()
    built = _auditor(auditor, facts, include_supported, profile)
    spec = _Spec(built, as_of, published)
    payload = dask.delayed(spec.payload, name=spec.key + "-payload")
    sources = [str(p) for p in paths]
    bag = dask.bag.from_sequence(sources, partition_size=max(1, partition_size))
    return bag.map_partitions(_audit_partition, payload, spec.key, spec.as_of, spec.published, keep_documents,
                              built.limits.max_seconds)


def _client(client: Client | None) -> Client | None:
    if client is not None:
        return client
    try:
        from distributed import default_client
    except ImportError:  # pragma: no cover
        return None
    try:
        return default_client()
    except ValueError:
        return None


def _partition_results(bag: dask.bag.Bag, client: Client | None) -> Iterable[list[Any]]:
    """Each partition's results (reports, or rows), in order; with a client, each as soon as it
    and those before it finish."""
    parts = bag.to_delayed()
    if client is None:
        import dask

        yield from dask.compute(*parts, scheduler="processes")
        return
    futures = client.compute(parts)
    try:
        for fut in futures:
            yield fut.result()
    finally:
        client.cancel(futures)


def audit_corpus_dask(paths: Iterable[str | os.PathLike], client: Client | None = None, *,
                      as_of: DateLike = None, published: DateLike = None,
                      facts: Iterable[str | os.PathLike] = (), auditor: Auditor | None = None,
                      include_supported: bool = False, profile: str | None = None,
                      partition_size: int = DEFAULT_PARTITION_SIZE,
                      include_suppressed: bool = True) -> pandas.DataFrame:
    """Audit documents on a Dask cluster; one row per finding, in input order.

    The columns are those of :func:`guidance_audit.tabular.reports_to_dataframe`. Documents that
    could not be audited have no rows: ``df.attrs["errors"]`` lists them (``source``, ``code``,
    ``message``) and ``df.attrs["documents"]`` counts every document audited.

    Args:
        paths: the documents (readable by the workers).
        client: the ``distributed.Client`` to run on (default: the active client, else Dask's
            local process scheduler).
        as_of, published, facts, auditor, include_supported, profile, partition_size: as for
            :func:`audit_corpus_bag`.
        include_suppressed: passed to ``reports_to_dataframe``.
    """
    from .tabular import rows_to_dataframe

    bag = audit_corpus_bag(paths, as_of=as_of, published=published, facts=facts, auditor=auditor,
                           include_supported=include_supported, profile=profile, partition_size=partition_size,
                           keep_documents=True)
    # Rows are made on the workers, where each document's text is, so that locations (paragraph
    # numbers, lines and columns) read as in a local run, and only rows travel back.
    per_report = [x for part in _partition_results(bag.map_partitions(_rows_of_partition, include_suppressed),
                                                   _client(client)) for x in part]
    df = rows_to_dataframe([row for rows, _ in per_report for row in rows])
    df.attrs["documents"] = len(per_report)
    df.attrs["errors"] = [e for _, errors in per_report for e in errors]
    return df


def _rows_of_partition(reports: Sequence[AuditReport], include_suppressed: bool) -> list[tuple[list, list]]:
    """For each report: its table rows and its errors as dicts (run on the workers)."""
    from .tabular import finding_rows

    return [(finding_rows([r], include_suppressed=include_suppressed),
             [{"source": r.source, "code": e.code, "message": e.message} for e in r.errors]) for r in reports]


def write_jsonl_dask(paths: Iterable[str | os.PathLike], output: str | os.PathLike, client: Client | None = None, *,
                     as_of: DateLike = None, published: DateLike = None,
                     facts: Iterable[str | os.PathLike] = (), auditor: Auditor | None = None,
                     include_supported: bool = False, profile: str | None = None,
                     partition_size: int = DEFAULT_PARTITION_SIZE) -> int:
    """Audit documents on a Dask cluster and write JSON Lines to ``output``: one object per
    document (the ``--format jsonl`` record), in input order, flushed as partitions finish.

    Returns:
        The number of documents written.
    """
    from .formats import jsonl_record

    built = _auditor(auditor, facts, include_supported, profile)
    bag = audit_corpus_bag(paths, as_of=as_of, published=published, auditor=built, partition_size=partition_size)
    factbase = built.factbase.info()
    as_of_d = _to_date(as_of, "as_of") or _dt.date.today()
    n = 0
    with open(output, "w", encoding="utf-8") as fh:
        for part in _partition_results(bag, _client(client)):
            for report in part:
                fh.write(json.dumps(jsonl_record(report, factbase, as_of_d), ensure_ascii=False) + "\n")
                n += 1
            fh.flush()
    return n

"""How :meth:`Auditor.audit_many` runs: in this process, in worker processes of its own, or on
an executor the caller gives. In every case one report per path comes back, in input order, and
no document can stop the run:

* in this process (``n_process=1``), a document still being read or audited
  :func:`~guidance_audit.workers.hard_deadline` seconds after it started is interrupted by the
  interval timer (Python code only; main thread only);
* in worker processes (``n_process>1``), a worker still on one document at that time is killed
  and replaced, and a worker that dies fails only the document it was on
  (:mod:`guidance_audit.workers`);
* on a caller's executor, whose workers cannot be killed from here, the run stops waiting for a
  document at that time and goes on.

A document stopped this way gets a ``timeout`` error entry (a
:class:`~guidance_audit.errors.DeadlineError`); one whose worker died, ``worker-failed``.
"""
from __future__ import annotations

import datetime as _dt
import functools
import itertools
import multiprocessing
import os
from collections import deque
from concurrent.futures import Executor, Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .workers import Overrun, WorkerPool, alarm_deadline, hard_deadline

if TYPE_CHECKING:  # pragma: no cover
    from .auditor import Auditor
    from .report import AuditReport

__all__ = ["run_in_workers", "run_on_executor", "worker_count", "timeout_message"]


def worker_count(requested: int, documents: int | None = None, *, cap_to_processors: bool = True) -> int:
    """Worker processes worth starting: no more than asked for, than there are documents, or
    (with ``cap_to_processors``) than this machine has processors.

    Raises:
        ValueError: ``requested`` is not a positive whole number.
    """
    if isinstance(requested, bool) or not isinstance(requested, int) or requested < 1:
        raise ValueError(f"the number of worker processes must be a whole number of at least 1, got {requested!r}")
    n = min(requested, _cpus()) if cap_to_processors else requested
    if documents is not None:
        n = min(n, max(1, documents))
    return max(1, n)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def timeout_message(seconds: float, limit: float, *, killed: bool = True) -> str:
    how = "its worker process was killed and replaced" if killed else "the run stopped waiting for it"
    return (f"the document was still being audited after {seconds:.0f} s (limit {limit:g} s): "
            f"{how}")


def _as_of(as_of: str) -> _dt.date:
    return _dt.date.fromisoformat(as_of)


def run_in_workers(auditor: "Auditor", paths: Iterable[Any], as_of: str, published: str | None,
                   n_process: int, window: int | None) -> Iterator["AuditReport"]:
    """The reports of ``paths``, audited in this process (``n_process`` 1) or in that many
    worker processes, each document under a hard deadline."""
    from .auditor import _audit_one, _error_report, _register, _AUDITORS, _unpack

    n = worker_count(n_process, cap_to_processors=False)  # as the caller asked (the command line caps it)
    limit = auditor.limits.max_seconds
    deadline = hard_deadline(limit)
    if n <= 1:
        for p in paths:
            source = str(p)
            try:
                with alarm_deadline(deadline):
                    report = _audit_one(auditor, source, as_of, published)
            except Overrun:
                report = _error_report(source, _as_of(as_of), "timeout",
                                       timeout_message(deadline, limit, killed=False).replace(
                                           "the run stopped waiting for it", "it was interrupted"), auditor)
            yield report
        return
    key = _register(auditor)
    forked = multiprocessing.get_start_method() == "fork"
    payload = None if forked else auditor._payload()
    pool = WorkerPool(n, functools.partial(_setup, key, payload), _task, deadline=deadline)

    def timed_out(item: tuple, seconds: float) -> "AuditReport":
        return _error_report(item[0], _as_of(as_of), "timeout", timeout_message(seconds, limit), auditor)

    def died(item: tuple, exitcode: int | None) -> "AuditReport":
        how = f" (exit status {exitcode})" if exitcode not in (None, 0) else ""
        return _error_report(item[0], _as_of(as_of), "worker-failed",
                             f"the worker process stopped while auditing this document{how}", auditor)

    try:
        items = ((str(p), as_of, published) for p in paths)
        for packed in pool.map(items, window=window, on_timeout=timed_out, on_death=died):
            yield _unpack(packed)
    finally:
        pool.close()
        _AUDITORS.pop(key, None)


def _setup(key: str, payload: bytes | None) -> str:
    """A worker's setup: build (or, when forked, find) the run's Auditor."""
    from .auditor import _worker_auditor

    _worker_auditor(key, payload)
    return key


def _task(key: str, item: tuple) -> Any:
    from .auditor import _audit_one, _pack, _worker_auditor

    source, as_of, published = item
    return _pack(_audit_one(_worker_auditor(key, None), source, as_of, published))


def run_on_executor(auditor: "Auditor", paths: Iterable[Any], as_of: str, published: str | None,
                    executor: Executor, window: int | None) -> Iterator["AuditReport"]:
    """The reports of ``paths`` audited on a caller's executor, waiting at most the hard
    deadline for each (its worker cannot be killed from here)."""
    from .auditor import _AUDITORS, _error_report, _register, _unpack, _worker_audit

    workers = getattr(executor, "_max_workers", None) or os.cpu_count() or 1
    limit = max(1, window or 4 * workers)
    key = _register(auditor)
    payload = auditor._payload()
    seconds = auditor.limits.max_seconds
    deadline = hard_deadline(seconds)

    def submit(source: str) -> tuple[str, Future]:
        try:
            return source, executor.submit(_worker_audit, key, payload, source, as_of, published)
        except Exception as exc:  # a broken or shut-down executor: the document's error entry says so
            failed: Future = Future()
            failed.set_exception(exc)
            return source, failed

    try:
        todo = (str(p) for p in paths)
        pending = deque(submit(p) for p in itertools.islice(todo, limit))
        while pending:
            source, fut = pending.popleft()
            try:
                report = _unpack(fut.result(timeout=deadline))
            except FutureTimeout:
                fut.cancel()
                report = _error_report(source, _as_of(as_of), "timeout",
                                       timeout_message(deadline, seconds, killed=False), auditor)
            except BrokenProcessPool as exc:
                report = _error_report(source, _as_of(as_of), "worker-failed",
                                       f"the worker process stopped: {exc}", auditor)
            except Exception as exc:  # the executor could not run the task at all
                report = _error_report(source, _as_of(as_of), "worker-failed",
                                       f"{type(exc).__name__}: {exc}", auditor)
            pending.extend(submit(p) for p in itertools.islice(todo, limit - len(pending)))
            yield report
    finally:
        _AUDITORS.pop(key, None)

"""Worker processes for corpus runs, with a hard deadline per document.

:meth:`Auditor.audit_many` (``--jobs N`` on the command line) and the Dask integration audit each
document in a worker process of their own. The checks inside the readers and the auditor
(``Limits.max_seconds``) stop most slow documents with a ``too-large`` error; this module is
the backstop for everything those checks cannot see (a loop inside a parser, a native library
that never returns, a process that dies): a worker that is still on one document
:func:`hard_deadline` seconds after it started is killed and replaced, the document gets a
``timeout`` error entry (:class:`~guidance_audit.errors.DeadlineError`), and the run goes on. A
worker that dies gives its document a ``worker-failed`` entry, and only that document.

Workers die with their parent: each asks the kernel for ``SIGKILL`` when its parent exits
(Linux ``prctl(PR_SET_PDEATHSIG)``) and a watchdog thread also exits it when its parent process
has gone (other systems, and a parent that was itself re-parented). Workers ignore ``SIGINT``:
Ctrl-C in a terminal reaches the whole process group, and it is the parent that ends the run.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator

__all__ = ["hard_deadline", "WorkerPool", "die_with_parent", "alarm_deadline", "Overrun"]

#: Seconds between a watchdog's looks at its parent.
WATCHDOG_INTERVAL = 1.0


def hard_deadline(max_seconds: float) -> float:
    """When a worker still on one document is killed: ``max_seconds`` (``Limits.max_seconds``)
    and a grace of a tenth of it (at least one second, at most thirty), so that the checks inside
    the readers and the auditor, which give a more precise error, come first."""
    return max_seconds + min(30.0, max(1.0, max_seconds / 10))


# ------------------------------------------------------------------------------------------------
# Dying with the parent

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int | None = None) -> None:
    """Make this process end when its parent does: ``PR_SET_PDEATHSIG`` on Linux, and a daemon
    thread that exits the process once its parent is no longer ``parent_pid``."""
    parent = os.getppid() if parent_pid is None else parent_pid
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc, or no prctl
            pass
    if os.getppid() != parent:  # the parent went before the request was made
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_INTERVAL)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="guidance-audit-watchdog", daemon=True).start()


# ------------------------------------------------------------------------------------------------
# The worker side

_READY = "guidance-audit-worker-ready"
#: Seconds a new worker may take to set up (import the library, build its Auditor) before it is
#: taken for stuck; a document's deadline starts when its worker is ready.
SETUP_SECONDS = 300.0

def _serve(conn: Connection, parent_pid: int, setup: Callable[[], Any],
           task: Callable[[Any, Any], Any]) -> None:
    """A worker's life: set up once, then answer one task at a time until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent_pid)
    state = setup()
    conn.send(_READY)
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        conn.send(task(state, item))


# ------------------------------------------------------------------------------------------------
# The parent side

class _Worker:
    def __init__(self, ctx: Any, setup: Callable[[], Any], task: Callable[[Any, Any], Any]) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child, os.getpid(), setup, task), daemon=True,
                                name="guidance-audit-worker")
        with _children_allowed():
            self.proc.start()
        child.close()
        self.job: int | None = None
        self.ready = False
        self.started = time.monotonic()

    def give(self, job: int, item: Any) -> None:
        self.job = job
        if self.ready:
            self.started = time.monotonic()
        self.conn.send(item)

    def allowed(self, deadline: float | None) -> float | None:
        """Seconds this worker may take from ``started``: its setup, or one item."""
        return deadline if self.ready else max(SETUP_SECONDS, deadline or 0.0)

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        with contextlib.suppress(Exception):
            self.conn.close()


@contextlib.contextmanager
def _children_allowed() -> Iterator[None]:
    """Let a daemonic process (a Dask worker) start worker processes: multiprocessing refuses
    by default because a daemon's children would be orphaned, which :func:`die_with_parent`
    prevents here."""
    config: Any = getattr(multiprocessing.current_process(), "_config", None)
    daemon = config.get("daemon") if isinstance(config, dict) else None
    if daemon:
        config["daemon"] = False
    try:
        yield
    finally:
        if daemon:
            config["daemon"] = daemon


class WorkerPool:
    """Up to ``size`` worker processes, each set up once by ``setup()`` (its result is the
    worker's state) and then given one item at a time: ``task(state, item)``, whose result is
    sent back. A worker that overruns ``deadline`` seconds on one item is killed and replaced.

    Args:
        size: most worker processes (started as they are needed).
        setup, task: picklable callables (module-level functions) for the workers; with the fork
            start method they need not be picklable.
        deadline: seconds one item may take before its worker is killed (``None``: no limit).
        context: a multiprocessing context (default: the default start method).
    """

    def __init__(self, size: int, setup: Callable[[], Any], task: Callable[[Any, Any], Any], *,
                 deadline: float | None = None, context: Any = None) -> None:
        self.size = max(1, int(size))
        self.setup, self.task = setup, task
        self.deadline = deadline
        self.ctx = context or multiprocessing.get_context()
        self.idle: list[_Worker] = []
        self.busy: list[_Worker] = []
        self.started = 0  # workers started, replacements included

    def _worker(self) -> _Worker:
        if self.idle:
            return self.idle.pop()
        self.started += 1
        return _Worker(self.ctx, self.setup, self.task)

    def map(self, items: Iterable[Any], *, window: int | None = None,
            on_timeout: Callable[[Any, float], Any], on_death: Callable[[Any, int | None], Any],
            close: bool = True) -> Iterator[Any]:
        """Results for ``items`` in their order, each as soon as it and those before it are done.

        ``on_timeout(item, seconds)`` gives the result of an item whose worker was killed for
        overrunning, ``on_death(item, exitcode)`` that of an item whose worker died. With
        ``close`` false the idle workers are kept for the next call (busy ones, left by a caller
        that stopped early, are always killed).
        """
        todo = iter(items)
        limit = max(self.size, window or 4 * self.size)
        queued: deque[tuple[int, Any]] = deque()
        items_of: dict[int, Any] = {}
        done: dict[int, Any] = {}
        next_job = next_out = 0
        exhausted = False
        try:
            while True:
                while not exhausted and len(items_of) < limit:
                    try:
                        item = next(todo)
                    except StopIteration:
                        exhausted = True
                        break
                    items_of[next_job] = item
                    queued.append((next_job, item))
                    next_job += 1
                while queued and len(self.busy) < self.size:
                    job, item = queued.popleft()
                    worker = self._worker()
                    try:
                        worker.give(job, item)
                    except (OSError, ValueError):  # the idle worker had died: start another
                        worker.kill()
                        worker = _Worker(self.ctx, self.setup, self.task)
                        self.started += 1
                        worker.give(job, item)
                    self.busy.append(worker)
                while next_out in done:
                    result = done.pop(next_out)
                    del items_of[next_out]
                    next_out += 1
                    yield result
                if exhausted and not items_of:
                    return
                if not self.busy:
                    continue
                self._collect(done, items_of, on_timeout, on_death)
        finally:
            if close:
                self.close()
            else:
                for worker in self.busy:
                    worker.kill()
                self.busy = []

    def _collect(self, done: dict[int, Any], items_of: dict[int, Any],
                 on_timeout: Callable[[Any, float], Any], on_death: Callable[[Any, int | None], Any]) -> None:
        """Wait for at least one busy worker to answer, die or overrun, and record what it did."""
        now = time.monotonic()
        timeout = None
        if self.deadline is not None:
            timeout = max(0.0, min(w.started + (w.allowed(self.deadline) or 0.0) for w in self.busy) - now)
        handles: list[Any] = [w.conn for w in self.busy] + [w.proc.sentinel for w in self.busy]
        ready = set(wait(handles, timeout))
        now = time.monotonic()
        for worker in list(self.busy):
            job = worker.job
            assert job is not None
            if worker.conn in ready:
                try:
                    answer = worker.conn.recv()
                    if not worker.ready and answer == _READY:  # set up: the item's clock starts now
                        worker.ready, worker.started = True, time.monotonic()
                        continue
                    done[job] = answer
                except (EOFError, OSError):
                    worker.proc.join(5)
                    done[job] = on_death(items_of[job], worker.proc.exitcode)
                    self._retire(worker)
                    continue
                except Exception:  # an answer that cannot be unpickled
                    done[job] = on_death(items_of[job], None)
                    self._retire(worker)
                    continue
                worker.job = None
                self.busy.remove(worker)
                self.idle.append(worker)
            elif worker.proc.sentinel in ready:
                worker.proc.join(5)
                done[job] = on_death(items_of[job], worker.proc.exitcode)
                self._retire(worker)
            elif self.deadline is not None and now - worker.started >= (worker.allowed(self.deadline) or 0.0):
                self._retire(worker)
                done[job] = on_timeout(items_of[job], now - worker.started)

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        if worker in self.busy:
            self.busy.remove(worker)

    def pids(self) -> list[int]:
        """The process ids of the workers alive now."""
        return [w.proc.pid for w in self.idle + self.busy if w.proc.pid is not None and w.proc.is_alive()]

    def close(self) -> None:
        """Stop every worker (the busy ones are killed)."""
        for worker in self.busy:
            worker.kill()
        for worker in self.idle:
            worker.stop()
        self.busy, self.idle = [], []


# ------------------------------------------------------------------------------------------------
# One process: a deadline by the interval timer

class Overrun(BaseException):
    """Raised in the main thread by :func:`alarm_deadline` when the time is up (a
    ``BaseException``, so that ``except Exception`` in a parser does not swallow it)."""


@contextlib.contextmanager
def alarm_deadline(seconds: float | None) -> Iterator[None]:
    """Raise :class:`Overrun` in this thread after ``seconds``: for runs in one process, where
    there is no worker to kill. Interrupts Python code (a parser looping forever), not a call
    into a native library. Does nothing outside the main thread or where there is no interval
    timer."""
    usable = (seconds is not None and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        raise Overrun()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, max(0.001, float(seconds or 0)))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

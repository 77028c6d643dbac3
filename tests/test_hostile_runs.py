"""Corpus runs against documents that hang, kill their worker or outlive their parent: real worker
processes are started, killed and replaced; no assertion depends on how fast the machine is
(each run has a generous hang guard)."""
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit.corpus_run import worker_count
from guidance_audit.workers import WorkerPool, hard_deadline

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-21"
SPOUSE = "People on a spouse visa can apply for indefinite leave to remain after two years."
FORK = pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="needs forked workers")


def _corpus(folder: Path, n: int = 5) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"doc{i}.txt"
        p.write_text(f"Note {i}\n\nLast updated 1 March 2020.\n\n{SPOUSE}\n", encoding="utf-8")
        paths.append(str(p))
    return paths


def _hang_on(name: str, monkeypatch, pids: list | None = None):
    real = ga.Auditor.audit_safely

    def hangs(self, path, **kw):
        if str(path).endswith(name):
            if pids is not None:
                Path(pids[0]).write_text(str(os.getpid()))
            while True:  # a parser that never returns
                time.sleep(0.05)
        return real(self, path, **kw)

    monkeypatch.setattr(ga.Auditor, "audit_safely", hangs)


@FORK
def test_a_hanging_document_is_killed_and_the_run_goes_on(tmp_path, monkeypatch):
    paths = _corpus(tmp_path / "docs")
    marker = tmp_path / "hung.pid"
    _hang_on("doc2.txt", monkeypatch, [marker])
    auditor = ga.Auditor(limits=ga.Limits(max_seconds=0.5))
    reports = list(auditor.audit_many(paths, as_of=AS_OF, n_process=2))
    assert [r.source for r in reports] == paths
    codes = {Path(r.source).name: [e.code for e in r.errors] for r in reports}
    assert codes.pop("doc2.txt") == ["timeout"]
    assert all(c == [] for c in codes.values())
    assert all(r.findings for r in reports if not r.errors)
    hung = int(marker.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(hung, 0)  # the worker that hung was killed (and reaped)


@FORK
def test_two_hanging_documents_with_one_worker_each_get_their_own_timeout(tmp_path, monkeypatch):
    paths = _corpus(tmp_path / "docs", n=4)
    real = ga.Auditor.audit_safely

    def hangs(self, path, **kw):
        if str(path).endswith(("doc0.txt", "doc3.txt")):
            while True:
                time.sleep(0.05)
        return real(self, path, **kw)

    monkeypatch.setattr(ga.Auditor, "audit_safely", hangs)
    auditor = ga.Auditor(limits=ga.Limits(max_seconds=0.2))
    reports = list(auditor.audit_many(paths, as_of=AS_OF, n_process=2))
    assert [[e.code for e in r.errors] for r in reports] == [["timeout"], [], [], ["timeout"]]
    assert isinstance(ga.errors.DeadlineError("x"), ga.TooLargeError)


@FORK
def test_a_worker_killed_from_outside_fails_only_its_document(tmp_path, monkeypatch):
    paths = _corpus(tmp_path / "docs")
    real = ga.Auditor.audit_safely

    def killed(self, path, **kw):
        if str(path).endswith("doc1.txt"):
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's out-of-memory killer would
        return real(self, path, **kw)

    monkeypatch.setattr(ga.Auditor, "audit_safely", killed)
    reports = list(ga.Auditor().audit_many(paths, as_of=AS_OF, n_process=2))
    assert [[e.code for e in r.errors] for r in reports] == [[], ["worker-failed"], [], [], []]
    assert "-9" in reports[1].errors[0].message


def test_in_one_process_an_endless_loop_is_interrupted(tmp_path, monkeypatch):
    paths = _corpus(tmp_path / "docs", n=3)
    _hang_on("doc1.txt", monkeypatch)
    auditor = ga.Auditor(limits=ga.Limits(max_seconds=0.2))
    reports = list(auditor.audit_many(paths, as_of=AS_OF))
    assert [[e.code for e in r.errors] for r in reports] == [[], ["timeout"], []]
    assert reports[2].findings


def test_the_hard_deadline_leaves_room_for_the_precise_checks():
    assert hard_deadline(600) == 630
    assert hard_deadline(0.5) == 1.5
    assert hard_deadline(100) == 110


def test_jobs_are_capped_by_documents_and_processors_and_must_be_positive():
    assert worker_count(32, documents=10) <= 10
    assert worker_count(32, documents=3) <= 3
    assert worker_count(10_000) <= (os.cpu_count() or 1)
    for bad in (0, -1, -32, 1.5, "2", True):
        with pytest.raises(ValueError):
            worker_count(bad)
    with pytest.raises(ValueError):
        list(ga.Auditor.__new__(ga.Auditor).audit_many([], n_process=-2))


def _double(state, item):
    return state * item


def _setup_two():
    return 2


def test_the_pool_gives_results_in_order_and_replaces_dead_workers():
    pool = WorkerPool(2, _setup_two, _double, deadline=None)
    assert list(pool.map(range(10), on_timeout=None, on_death=None)) == [2 * i for i in range(10)]
    assert pool.pids() == []  # closed at the end of the run


# ------------------------------------------------------------------------------------------
# Workers die with their parent; signals end a command-line run cleanly

_PARENT = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import guidance_audit as ga

    real = ga.Auditor.audit_safely
    def hangs(self, path, **kw):
        if str(path).endswith("doc1.txt"):
            Path(sys.argv[2], str(os.getpid())).write_text("")
            while True:
                time.sleep(0.05)
        return real(self, path, **kw)
    ga.Auditor.audit_safely = hangs
    paths = sorted(str(p) for p in Path(sys.argv[1]).glob("*.txt"))
    for r in ga.Auditor().audit_many(paths, n_process=2):
        pass
""")


def _wait_for(predicate, seconds=120.0):
    end = time.monotonic() + seconds  # a hang guard, not a timing assertion
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its (new) parent to reap it is dead too
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


@FORK
@pytest.mark.slow
def test_workers_die_when_their_parent_is_killed(tmp_path):
    docs, pids = tmp_path / "docs", tmp_path / "pids"
    _corpus(docs, n=3)
    pids.mkdir()
    script = tmp_path / "parent.py"
    script.write_text(_PARENT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script), str(docs), str(pids)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: any(pids.iterdir())), "the worker never started"
        worker = int(next(pids.iterdir()).name)
        assert _alive(worker)
        parent.kill()  # kill -9: no cleanup code runs in the parent
        parent.wait()
        assert _wait_for(lambda: not _alive(worker)), "the worker outlived its parent"
    finally:
        parent.kill()


def _cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "guidance_audit", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT, **kw)


@pytest.mark.slow
@pytest.mark.parametrize("sig, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_sigint_and_sigterm_end_a_run_cleanly_and_the_output_resumes(tmp_path, sig, status):
    docs = tmp_path / "docs"
    paths = _corpus(docs, n=40)
    out = tmp_path / "run.jsonl"
    proc = _cli("audit", str(docs), "--format", "jsonl", "--output", str(out), "--jobs", "2", "--isolated",
                "--as-of", AS_OF)
    try:
        assert _wait_for(lambda: out.exists() and out.read_bytes().count(b"\n") >= 2), "no output"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == status, err
    assert b"Traceback" not in err
    written = out.read_bytes().splitlines()
    assert written and all(json.loads(line)["source"] for line in written)
    resumed = _cli("audit", str(docs), "--format", "jsonl", "--output", str(out), "--resume", "--isolated",
                   "--as-of", AS_OF, "--quiet")
    resumed.communicate(timeout=300)
    assert resumed.returncode == 1  # the spouse statement is an error finding
    sources = [json.loads(line)["source"] for line in out.read_bytes().splitlines()]
    assert sorted(sources) == sorted(paths)


# ------------------------------------------------------------------------------------------
# Dask: a document that hangs or kills its process loses only itself

_DASK_RUN = textwrap.dedent("""
    import json, sys
    from dask.distributed import Client, LocalCluster
    import guidance_audit as ga
    from guidance_audit.dask import audit_corpus_dask

    if __name__ == "__main__":
        paths = sys.argv[1:]
        with LocalCluster(n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \\
                Client(cluster) as client:
            auditor = ga.Auditor(limits=ga.Limits(max_seconds=1))
            df = audit_corpus_dask(paths, client, auditor=auditor,
                                   as_of="2026-11-21", partition_size=2)
        print(json.dumps({"documents": df.attrs["documents"], "errors": df.attrs["errors"],
                          "sources": sorted(set(df["source"]))}))
""")

_SITE = textwrap.dedent("""
    # Every Python process of the test (the Dask scheduler, workers and their worker processes)
    # imports this: it makes the audit of hang.txt loop forever and that of doc3.txt kill its process.
    import os, time
    import guidance_audit.auditor as _a
    _real = _a._audit_one
    def _audit_one(auditor, source, *args):
        if source.endswith("hang.txt"):
            while True:
                time.sleep(0.05)
        if source.endswith("doc3.txt"):
            os._exit(9)
        return _real(auditor, source, *args)
    _a._audit_one = _audit_one
""")


@pytest.mark.slow
def test_dask_keeps_every_result_when_a_document_hangs_or_kills_its_worker(tmp_path):
    pytest.importorskip("distributed")
    paths = _corpus(tmp_path / "docs", n=4)
    hang = tmp_path / "docs" / "hang.txt"
    hang.write_text("Note\n\n" + SPOUSE + "\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_SITE, encoding="utf-8")
    script = tmp_path / "run.py"
    script.write_text(_DASK_RUN, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    done = subprocess.run([sys.executable, str(script), *paths[:2], str(hang), *paths[2:]], capture_output=True,
                          text=True, timeout=600, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["documents"] == 5
    assert sorted((Path(e["source"]).name, e["code"]) for e in got["errors"]) == [
        ("doc3.txt", "worker-failed"), ("hang.txt", "timeout")]
    assert [Path(s).name for s in got["sources"]] == ["doc0.txt", "doc1.txt", "doc2.txt"]

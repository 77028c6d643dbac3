"""Corpus runs: audit_many on any executor, in input order, past failures; --jobs, --format jsonl
and --resume on the command line; and the fast paths give exactly the results of the slow ones."""
import datetime as dt
import json
import multiprocessing
import os
import sys
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import guidance_audit as ga
import guidance_audit.segment as segment
from guidance_audit.cli import main

AUDIT = sys.modules["guidance_audit.auditor"]
ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-21"
SPOUSE = "People on a spouse visa can apply for indefinite leave to remain after two years."
UKBA = "Contact the UK Border Agency."
PLAIN = "Officers must record every report and tell the victim who is dealing with it."


def _write_corpus(folder: Path, n: int = 8) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        body = [f"Guidance note {i}", f"Last updated {1 + i} March 2020.", PLAIN]
        if i % 2 == 0:
            body.append(SPOUSE)
        if i % 3 == 0:
            body.append(UKBA)
        if i % 4 == 1:
            html = "".join(f"<p>{p}</p>" for p in body[1:])
            p = folder / f"note{i:02d}.html"
            p.write_text(f"<html><head><title>{body[0]}</title></head><body>{html}</body></html>", encoding="utf-8")
        else:
            p = folder / f"note{i:02d}.txt"
            p.write_text("\n\n".join(body) + "\n", encoding="utf-8")
        paths.append(str(p))
    return paths


@pytest.fixture(scope="module")
def auditor():
    return ga.Auditor()


@pytest.fixture
def corpus(tmp_path):
    return _write_corpus(tmp_path / "docs")


def _with_broken(paths: list[str], folder: Path) -> list[str]:
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n garbage with no objects")
    return paths[:3] + [str(broken), str(folder / "missing.txt")] + paths[3:]


def test_audit_many_in_this_process_gives_one_report_per_path_in_order(auditor, corpus):
    reports = list(auditor.audit_many(corpus, as_of=AS_OF))
    assert [r.source for r in reports] == corpus
    assert {f.rule for r in reports for f in r.findings} >= {"partner.settlement_period", "body.ukba"}


@pytest.mark.parametrize("make_executor", [
    lambda: ThreadPoolExecutor(max_workers=3),
    lambda: ProcessPoolExecutor(max_workers=2),
    lambda: ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")),
], ids=["threads", "processes", "spawned-processes"])
def test_any_executor_gives_the_same_reports_in_input_order(auditor, corpus, tmp_path, make_executor):
    paths = _with_broken(corpus, tmp_path)
    expected = list(auditor.audit_many(paths, as_of=AS_OF))
    with make_executor() as executor:
        got = list(auditor.audit_many(paths, as_of=AS_OF, executor=executor))
    assert [r.source for r in got] == paths
    assert got == expected  # documents, blocks, findings and errors alike


def test_n_process_equals_one_process(auditor, corpus, tmp_path):
    paths = _with_broken(corpus, tmp_path)
    assert list(auditor.audit_many(paths, as_of=AS_OF, n_process=2, window=3)) == \
        list(auditor.audit_many(paths, as_of=AS_OF))


@pytest.mark.parametrize("n_process", [1, 2])
def test_a_broken_file_in_the_middle_still_yields_every_other_report(auditor, corpus, tmp_path, n_process):
    paths = _with_broken(corpus, tmp_path)
    reports = list(auditor.audit_many(paths, as_of=AS_OF, n_process=n_process))
    assert [r.source for r in reports] == paths
    failed = {Path(r.source).name: [e.code for e in r.errors] for r in reports if r.errors}
    assert failed == {"broken.pdf": ["unreadable-file"], "missing.txt": ["unreadable-file"]}
    assert all(r.document is not None for r in reports if not r.errors)


def test_a_bug_met_on_one_document_becomes_its_error_entry(auditor, corpus, monkeypatch):
    real = ga.Auditor.audit_document

    def fails_on_note02(self, document, **kw):
        if document.source.endswith("note02.txt"):
            raise KeyError("boom")
        return real(self, document, **kw)

    monkeypatch.setattr(ga.Auditor, "audit_document", fails_on_note02)
    reports = list(auditor.audit_many(corpus, as_of=AS_OF))
    assert [r.source for r in reports] == corpus
    assert [(Path(r.source).name, e.code) for r in reports for e in r.errors] == [("note02.txt", "internal-error")]


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="needs forked workers")
def test_a_worker_that_dies_fails_only_its_document(auditor, corpus, monkeypatch):
    real = ga.Auditor.audit_safely

    def dies_on_note06(self, path, **kw):
        if str(path).endswith("note06.txt"):
            os._exit(3)  # as a crash in a native library would
        return real(self, path, **kw)

    monkeypatch.setattr(ga.Auditor, "audit_safely", dies_on_note06)
    reports = list(auditor.audit_many(corpus, as_of=AS_OF, n_process=2))
    assert [r.source for r in reports] == corpus
    assert [(Path(r.source).name, e.code) for r in reports for e in r.errors] == [("note06.txt", "worker-failed")]
    monkeypatch.undo()
    expected = list(auditor.audit_many(corpus, as_of=AS_OF))
    assert [r for r in reports if not r.errors] == [r for r in expected if not r.source.endswith("note06.txt")]


class _CountingExecutor(Executor):
    """Runs tasks when their result is asked for, and records how many were waiting at most."""

    def __init__(self):
        self.waiting: list[Future] = []
        self.most = 0

    def submit(self, fn, *args, **kwargs):
        fut = _LazyFuture(self, fn, args, kwargs)
        self.waiting.append(fut)
        self.most = max(self.most, len(self.waiting))
        return fut


class _LazyFuture(Future):
    def __init__(self, owner, fn, args, kwargs):
        super().__init__()
        self.owner, self.call = owner, (fn, args, kwargs)

    def result(self, timeout=None):
        if not self.done():
            fn, args, kwargs = self.call
            self.owner.waiting.remove(self)
            self.set_result(fn(*args, **kwargs))
        return super().result(timeout)


def test_submissions_are_bounded_by_the_window(auditor, tmp_path):
    paths = _write_corpus(tmp_path / "many", n=30)
    executor = _CountingExecutor()
    reports = auditor.audit_many(paths, as_of=AS_OF, executor=executor, window=4)
    first = next(reports)
    assert executor.most <= 4 and first.source == paths[0]
    assert [first.source] + [r.source for r in reports] == paths
    assert executor.most <= 4


def test_reports_travel_from_workers_in_a_compact_form_and_come_back_equal(auditor, corpus):
    report = auditor.audit(corpus[0], as_of=AS_OF)
    packed = AUDIT._pack(report)
    assert all(b[AUDIT._BLOCK_TEXT] is None for b in packed[2])  # block texts are slices of the text
    assert AUDIT._unpack(packed) == report


# ------------------------------------------------------------------------------------------------
# The command line


def _cli(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_jobs_2_writes_exactly_what_jobs_1_writes(corpus, tmp_path, capsys):
    folder = str(Path(corpus[0]).parent)
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.json"
        code, _, _ = _cli(["audit", folder, "--format", "json", "--as-of", AS_OF, "--jobs", jobs, "-o", str(out)],
                          capsys)
        assert code == 1
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])["documents"]) == len(corpus)


def test_jsonl_writes_one_json_object_per_document(corpus, tmp_path, capsys):
    folder = Path(corpus[0]).parent
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    code, out, err = _cli(["audit", str(folder), "--format", "jsonl", "--as-of", AS_OF], capsys)
    assert code == 1
    lines = out.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(corpus) + 1
    assert sorted(r["source"] for r in records) == sorted(corpus + [str(folder / "broken.pdf")])
    fb = ga.load_factbase().info()
    for r in records:
        assert r["as_of"] == AS_OF and r["tool"]["name"] == "guidance-audit" and r["factbase"] == fb
        assert {"source", "title", "published", "published_from", "pages", "claims", "findings", "errors"} <= set(r)
    assert [e["code"] for r in records if r["errors"] for e in r["errors"]] == ["unreadable-file"]
    assert "broken.pdf" in err
    # the same objects as the documents of the JSON report
    code, out, _ = _cli(["audit", str(folder), "--format", "json", "--as-of", AS_OF], capsys)
    assert [{k: v for k, v in r.items() if k not in ("as_of", "tool", "factbase")} for r in records] == \
        json.loads(out)["documents"]


def test_jsonl_lines_are_flushed_as_documents_are_audited(corpus, tmp_path, monkeypatch):
    out = tmp_path / "run.jsonl"
    seen = []
    real = ga.Auditor.audit_safely

    def watch(self, path, **kw):
        seen.append(len(out.read_text(encoding="utf-8").splitlines()) if out.exists() else 0)
        return real(self, path, **kw)

    monkeypatch.setattr(ga.Auditor, "audit_safely", watch)
    main(["audit", *corpus, "--format", "jsonl", "-o", str(out), "--as-of", AS_OF, "-q"])
    assert seen == list(range(len(corpus)))


def test_resume_audits_only_the_documents_not_yet_written(tmp_path, capsys):
    folder = tmp_path / "docs"
    first = _write_corpus(folder, n=4)
    out = tmp_path / "run.jsonl"
    _cli(["audit", str(folder), "--format", "jsonl", "-o", str(out), "--as-of", AS_OF], capsys)
    before = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["source"] for line in before] == first
    more = _write_corpus(folder, n=7)[4:]  # three new documents
    code, _, _ = _cli(["audit", str(folder), "--format", "jsonl", "-o", str(out), "--as-of", AS_OF, "--resume"], capsys)
    assert code == 1
    after = out.read_text(encoding="utf-8").splitlines()
    assert after[:4] == before
    assert [json.loads(line)["source"] for line in after[4:]] == more
    # nothing left to do: nothing appended, and the exit status still reflects the findings
    code, _, _ = _cli(["audit", str(folder), "--format", "jsonl", "-o", str(out), "--as-of", AS_OF, "--resume"], capsys)
    assert code == 1 and out.read_text(encoding="utf-8").splitlines() == after


def test_resume_rewrites_a_line_cut_short_by_a_crash(corpus, tmp_path, capsys):
    folder = str(Path(corpus[0]).parent)
    out = tmp_path / "run.jsonl"
    _cli(["audit", folder, "--format", "jsonl", "-o", str(out), "--as-of", AS_OF], capsys)
    complete = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(complete[:3]) + complete[3][:40], encoding="utf-8")  # died while writing line 4
    _cli(["audit", folder, "--format", "jsonl", "-o", str(out), "--as-of", AS_OF, "--resume"], capsys)
    resumed = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert resumed == complete
    assert all(json.loads(line) for line in resumed)


def test_resume_needs_a_jsonl_output_file(corpus, capsys):
    code, _, err = _cli(["audit", corpus[0], "--resume"], capsys)
    assert code == 2 and "--resume needs --format jsonl and --output FILE" in err


# ------------------------------------------------------------------------------------------------
# The fast paths give the results of the straightforward ones


def _texts() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.inputs import guidance_text

    texts = [guidance_text(60_000, seed=5)[0]]
    for p in sorted((ROOT / "corpora" / "src").glob("*")):
        if p.suffix in (".md", ".txt"):
            texts.append(p.read_text(encoding="utf-8"))
    return texts


def test_the_sentence_splitter_marks_what_its_token_by_token_rules_mark(auditor, monkeypatch):
    tokenizer = auditor.nlp.tokenizer
    tricky = ("He left. \"Hello,\" she said. J. Smith met Dr. Jones on 3 Jan. 2020... See s.29 and "
              "E-DVILR.1.3. (Then) 'quoted.' Next?! Yes!\n\nNew para\n \n[2] item. • bullet. — dash.")
    for text in [tricky] + [t for t in _texts() for t in [t] + t.split("\n\n")[:40]]:
        fast = tokenizer(text)
        segment.guidance_sentences(fast)
        slow = tokenizer(text)
        with monkeypatch.context() as m:
            m.setattr(segment, "_sentence_starts", lambda doc: None)
            segment.guidance_sentences(slow)
        assert [t.is_sent_start for t in fast] == [t.is_sent_start for t in slow], text[:80]


def test_describing_only_recognised_statements_changes_no_finding(auditor, monkeypatch):
    texts = _texts()
    lazy = [auditor.audit_text(t, as_of=AS_OF, published="2020-04-23") for t in texts]
    monkeypatch.setattr(ga.Auditor, "_takes_stance", lambda self, ch: True)  # describe and check every hit
    eager = [auditor.audit_text(t, as_of=AS_OF, published="2020-04-23") for t in texts]
    assert [r.findings for r in lazy] == [r.findings for r in eager]
    assert sum(len(r.findings) for r in lazy) > 20


def test_outlined_claims_are_the_described_claims_before_description(auditor):
    from guidance_audit.readers import document_from_text

    doc = document_from_text(_texts()[0])
    full = auditor.extract_claims(doc)
    outlined = [c for block, sdoc in zip(doc.blocks, auditor.nlp.pipe(b.text for b in doc.blocks))
                for c in segment.outline_claims(sdoc, block)]
    assert [(c.text, c.start, c.end, c.block, c.page) for c in outlined] == \
        [(c.text, c.start, c.end, c.block, c.page) for c in full]
    ref = doc.metadata.published or dt.date.today()
    # Describing an outlined claim with the context the full extraction found gives the same claim.
    assert [segment.describe_claim(c.text, c.start, c.end, doc.blocks[c.block], ref, f.context)
            for c, f in zip(outlined, full)] == full


@pytest.mark.slow
def test_benchmarks_command_runs():
    import subprocess

    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "2"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "audit_text" in done.stdout and "ratio" in done.stdout

"""The Dask integration: the same results as Auditor.audit_many, each worker's Auditor built once."""
import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dask")
pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import guidance_audit as ga  # noqa: E402
from guidance_audit.dask import (audit_corpus_bag, audit_corpus_dask, builds_in_this_process,  # noqa: E402
                                 write_jsonl_dask)
from guidance_audit.formats import render_jsonl  # noqa: E402
from guidance_audit.tabular import reports_to_dataframe  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-21"
SPOUSE = "People on a spouse visa can apply for indefinite leave to remain after two years."
UKBA = "Contact the UK Border Agency."
PLAIN = "Officers should record every report in full."
PACK = """\
pack: local
facts:
  - id: local.victim_unit
    kind: term
    title: Victim Care Unit
    aliases: [Victim Care Unit]
    until: 2022-03-31
    successor: Victim and Witness Hub
    successor_aliases: [Victim and Witness Hub]
    confidence: high
    reviewed: 2026-11-21
    citation: {title: Force order 12/2022, date: 2022-03-01}
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask-corpus")
    paths = []
    for i in range(7):
        body = [f"Last updated {i + 1} May 2020.", PLAIN, SPOUSE if i % 2 == 0 else PLAIN, UKBA if i % 3 == 0 else PLAIN,
                "Refer victims to the Victim Care Unit." if i == 4 else PLAIN]
        if i % 3 == 1:
            p = folder / f"note{i}.html"
            p.write_text("<html><body>" + "".join(f"<p>{b}</p>" for b in body) + "</body></html>", encoding="utf-8")
        else:
            p = folder / f"note{i}.txt"
            p.write_text("\n\n".join(body) + "\n", encoding="utf-8")
        paths.append(str(p))
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n not really a PDF")
    paths.insert(3, str(broken))
    (folder / "local.yaml").write_text(PACK, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def expected(corpus):
    return list(ga.Auditor().audit_many(corpus, as_of=AS_OF))


def test_the_dataframe_equals_the_single_process_run(client, corpus, expected):
    got = audit_corpus_dask(corpus, client, as_of=AS_OF, partition_size=2)
    pd.testing.assert_frame_equal(got, reports_to_dataframe(expected))
    assert {"partner.settlement_period", "body.ukba"} <= set(got["rule"])
    assert list(dict.fromkeys(got["source"])) == [r.source for r in expected if r.findings]
    assert got.attrs["documents"] == len(corpus)
    assert [(Path(e["source"]).name, e["code"]) for e in got.attrs["errors"]] == [("broken.pdf", "unreadable-file")]


def test_each_worker_builds_its_auditor_once(client, corpus):
    for size in (1, 3):
        audit_corpus_dask(corpus, client, as_of=AS_OF, partition_size=size)
    builds = client.run(builds_in_this_process)
    assert len(builds) == 2
    assert all(set(counts.values()) <= {1} for counts in builds.values())
    assert any(counts for counts in builds.values())


def test_the_bag_holds_the_reports_without_their_documents(client, corpus, expected):
    reports = audit_corpus_bag(corpus, as_of=AS_OF, partition_size=3).compute()
    assert reports == [dataclasses.replace(r, document=None) for r in expected]
    with_docs = audit_corpus_bag(corpus, as_of=AS_OF, partition_size=3, keep_documents=True).compute()
    assert with_docs == expected


def test_extra_fact_packs_reach_the_workers(client, corpus):
    pack = str(Path(corpus[0]).parent / "local.yaml")
    got = audit_corpus_dask(corpus, client, as_of=AS_OF, facts=[pack])
    local = reports_to_dataframe(ga.Auditor(ga.load_factbase(extra=[pack])).audit_many(corpus, as_of=AS_OF))
    pd.testing.assert_frame_equal(got, local)
    assert "local.victim_unit" in set(got["rule"])


def test_json_lines_are_the_command_line_records_in_input_order(client, corpus, expected, tmp_path):
    out = tmp_path / "findings.jsonl"
    assert write_jsonl_dask(corpus, out, client, as_of=AS_OF, partition_size=2) == len(corpus)
    assert out.read_text(encoding="utf-8") == render_jsonl(expected, ga.load_factbase().info(),
                                                           dt.date.fromisoformat(AS_OF))


def test_the_example_runs_on_a_local_cluster(corpus):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "dask_corpus.py"), str(Path(corpus[0]).parent),
                           "--workers", "2", "--as-of", AS_OF], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{len(corpus)} document(s) audited on 2 workers" in done.stdout
    assert "broken.pdf" in done.stderr

"""--resume keyed by resolved path, and refused when the file was written with another date or fact base."""
import json
import os
from pathlib import Path

import pytest

from guidance_audit.cli import main

SPOUSE = "People on a spouse visa can apply for indefinite leave to remain after two years.\n"


def run(*args: str) -> int:
    return main(["audit", *args, "--isolated", "--quiet"])


@pytest.fixture
def docs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text(SPOUSE, encoding="utf-8")
    return folder


def _sources(out: Path) -> list[str]:
    return [json.loads(line)["source"] for line in out.read_text(encoding="utf-8").splitlines()]


def test_resuming_with_the_folder_spelled_differently_audits_nothing_twice(docs, tmp_path):
    out = tmp_path / "run.jsonl"
    assert run("docs", "--format", "jsonl", "--output", str(out), "--as-of", "2026-11-21") == 1
    for spelling in (str(docs.resolve()), "./docs", "docs/../docs"):
        assert run(spelling, "--format", "jsonl", "--output", str(out), "--resume", "--as-of", "2026-11-21") == 1
        assert len(_sources(out)) == 3, spelling


def test_resuming_with_another_as_of_date_or_fact_base_is_refused_unless_asked(docs, tmp_path, capsys):
    out = tmp_path / "run.jsonl"
    assert run("docs/d0.txt", "--format", "jsonl", "--output", str(out), "--as-of", "2026-11-21") == 1
    assert run("docs", "--format", "jsonl", "--output", str(out), "--resume", "--as-of", "2019-01-01") == 2
    assert "another --as-of date or fact base" in capsys.readouterr().err  # said even with --quiet
    assert len(_sources(out)) == 1  # nothing appended
    pack = tmp_path / "p.yaml"
    pack.write_text("pack: p\nfacts: []\n", encoding="utf-8")
    assert run("docs", "--format", "jsonl", "--output", str(out), "--resume", "--as-of", "2026-11-21",
               "--facts", str(pack)) in (2,)
    assert run("docs", "--format", "jsonl", "--output", str(out), "--resume-anyway", "--as-of", "2019-01-01") == 1
    assert len(_sources(out)) == 3

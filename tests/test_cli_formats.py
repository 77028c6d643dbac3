"""``guidance-audit audit --format html|md|sarif|csv`` end to end, ``--output`` files and folders, progress."""
import csv
import io
import json
import sys
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit import cli
from guidance_audit.cli import main
from guidance_audit.formats import RENDERERS
from test_formats import validate_sarif

PACK = str(Path(__file__).parent / "data" / "formats_pack.yaml")
TEXT = ("Guidance for officers. Last updated 23 April 2020.\n\n"
        "Every referral is reviewed within 28 days by the duty team.\n\n"
        "Contact the Old Agency for advice & <b>help</b>.\n")


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "one.txt").write_text(TEXT, encoding="utf-8")
    (d / "two.txt").write_text("Published 1 May 2024.\n\nOfficers must record every crime.\n", encoding="utf-8")
    (d / "three.txt").write_bytes(b"")                      # unreadable: empty
    return d


def run(capsys, *args):
    code = main(["audit", *map(str, args), "--facts", PACK, "--as-of", "2026-11-21"])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_offers_every_renderer_as_a_format():
    assert {"text", "json", "html", "md", "sarif", "csv"} <= set(RENDERERS)
    parser = cli.build_parser()
    action = next(a for a in parser._subparsers._group_actions[0].choices["audit"]._actions if a.dest == "format")
    assert set(action.choices) == set(RENDERERS)


@pytest.mark.parametrize("fmt, check", [
    ("html", lambda s: s.startswith("<!DOCTYPE html>") and "<mark>" in s and "&lt;b&gt;help&lt;/b&gt;" in s),
    ("md", lambda s: "## Guidance audit" in s and "&lt;b&gt;help&lt;/b&gt;" in s),
    ("sarif", lambda s: json.loads(s)["version"] == "2.1.0"),
    ("csv", lambda s: next(csv.reader(io.StringIO(s)))[0] == "source"),
    ("json", lambda s: json.loads(s)["schema_version"] == "1"),
])
def test_each_format_to_stdout_and_to_a_file(corpus, tmp_path, capsys, fmt, check):
    code, out, _ = run(capsys, corpus / "one.txt", "--format", fmt)
    assert code == 1 and check(out)
    target = tmp_path / f"report.{fmt}"
    code, out2, _ = run(capsys, corpus / "one.txt", "--format", fmt, "--output", target)
    assert code == 1 and out2 == ""
    assert check(target.read_text(encoding="utf-8"))


def test_csv_has_one_row_per_finding_with_offsets_into_the_text(corpus, capsys):
    code, out, _ = run(capsys, corpus / "one.txt", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    mine = [r for r in rows if r["rule"].startswith("fmt.")]
    assert {r["rule"] for r in mine} == {"fmt.referral_review", "fmt.old_agency"}
    text = (corpus / "one.txt").read_text()
    for r in mine:
        assert text[int(r["start"]):int(r["end"])] == r["quote"]
        assert r["published"] == "2020-04-23" and r["published_from"] == "text"


def test_sarif_for_a_corpus_has_one_artifact_per_document(corpus, capsys):
    code, out, _ = run(capsys, corpus, "--format", "sarif")
    run_ = json.loads(out)["runs"][0]
    uris = [a["location"]["uri"] for a in run_["artifacts"]]
    assert [u.rsplit("/", 1)[-1] for u in uris] == ["one.txt", "three.txt", "two.txt"]
    assert run_["invocations"][0]["toolExecutionNotifications"]          # the empty file
    validate_sarif(json.loads(out))
    text = ga.read_document(corpus / "one.txt").text         # regions count in the extracted text
    lines = text.split("\n")
    regions = [r["locations"][0]["physicalLocation"].get("region") for r in run_["results"]]
    regions = [g for g in regions if g]
    assert regions
    for g in regions:
        assert text[g["charOffset"]:g["charOffset"] + g["charLength"]] == g["snippet"]["text"]
        if g["startLine"] == g["endLine"]:
            assert lines[g["startLine"] - 1][g["startColumn"] - 1:g["endColumn"] - 1] == g["snippet"]["text"]


def test_html_for_several_documents_into_a_folder(corpus, tmp_path, capsys):
    out_dir = tmp_path / "site"
    code, out, err = run(capsys, corpus, "--format", "html", "--output", out_dir)
    assert code == 1 and out == ""
    index = out_dir / "index.html"
    assert index.exists() and "index.html" in err
    pages = sorted(p.name for p in out_dir.glob("*.html") if p.name != "index.html")
    assert len(pages) == 3
    for p in pages:
        assert f'href="{p}"' in index.read_text()


def test_html_for_several_documents_into_one_html_file(corpus, tmp_path, capsys):
    target = tmp_path / "all.html"
    code, _, _ = run(capsys, corpus, "--format", "html", "--output", target)
    page = target.read_text()
    assert page.count('<section class="ga-document">') == 3
    assert not (tmp_path / "index.html").exists()


def test_html_for_one_document_with_a_folderish_output_is_one_page(corpus, tmp_path, capsys):
    target = tmp_path / "single"
    run(capsys, corpus / "one.txt", "--format", "html", "--output", target)
    assert target.is_file() and target.read_text().startswith("<!DOCTYPE html>")


def test_no_progress_bar_when_standard_error_is_not_a_terminal(corpus, capsys):
    code, _, err = run(capsys, corpus / "one.txt", corpus / "two.txt")
    assert "doc/s" not in err and "%|" not in err


def test_progress_bar_only_on_a_terminal_for_several_documents(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Tty())
    assert cli._progress(1, quiet=False) is None
    assert cli._progress(3, quiet=True) is None
    bar = cli._progress(3, quiet=False)
    assert bar is not None
    bar.update(3)
    bar.close()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli._progress(3, quiet=False) is None


def test_quiet_run_prints_nothing_on_standard_error(corpus, tmp_path, capsys):
    code, _, err = run(capsys, corpus, "--quiet", "--format", "html", "--output", tmp_path / "q")
    assert err == ""


def test_html_for_one_document_into_an_existing_folder_writes_an_index(corpus, tmp_path, capsys):
    out_dir = tmp_path / "existing"
    out_dir.mkdir()
    code, _, _ = run(capsys, corpus / "one.txt", "--format", "html", "--output", out_dir)
    assert code == 1 and (out_dir / "index.html").exists()
    assert len(list(out_dir.glob("*.html"))) == 2


def test_other_formats_refuse_a_folder_as_output(corpus, tmp_path, capsys):
    code, _, err = run(capsys, corpus / "one.txt", "--format", "csv", "--output", tmp_path)
    assert code == 2 and "folder" in err

"""Hostile names and outputs: file names that are not UTF-8 or carry terminal escapes, outputs that
cannot be written, outputs that name an input, reports inside the audited folder, symlinks out."""
import json
import os
import stat
import sys
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit.cli import main
from guidance_audit.escaping import fs_bytes, json_text, terminal_safe
from guidance_audit.outputs import write_atomic

AS_OF = "2026-11-21"
SPOUSE = "People on a spouse visa can apply for indefinite leave to remain after two years.\n"
FORMATS = ["text", "json", "jsonl", "csv", "html", "md", "sarif"]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")


def run(*args: str) -> int:
    return main(["audit", *args, "--isolated", "--as-of", AS_OF])


@pytest.fixture
def odd_names(tmp_path):
    """A folder with a file whose name is the bytes b'b-\\xff.txt' (not UTF-8), and a plain one."""
    docs = tmp_path / "docs"
    docs.mkdir()
    raw = os.fsencode(docs) + b"/b-\xff.txt"
    with open(raw, "wb") as fh:
        fh.write(SPOUSE.encode())
    (docs / "a.txt").write_text(SPOUSE, encoding="utf-8")
    return docs, os.fsdecode(raw)


@posix_only
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_name_that_is_not_utf8_is_written_in_every_format_to_a_file(odd_names, tmp_path, fmt, capsys):
    docs, odd = odd_names
    out = tmp_path / f"report.{fmt}"
    out.write_text("the earlier report\n", encoding="utf-8")
    assert run(str(docs), "--format", fmt, "--output", str(out)) == 1, capsys.readouterr().err
    data = out.read_bytes()
    data.decode("utf-8")  # valid UTF-8 whatever the names
    if fmt in ("json", "sarif"):
        sources = json.loads(data)
        text = json.dumps(sources)
        assert "\\udcff" in text  # the name's byte, kept exactly
    elif fmt == "jsonl":
        assert {json.loads(line)["source"] for line in data.splitlines()} == {odd, str(docs / "a.txt")}
    else:
        assert b"b-\\xff.txt" in data
    if fmt == "sarif":
        assert b"b-%FF.txt" in data  # the URI percent-encodes the name's own bytes


@posix_only
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_name_that_is_not_utf8_is_written_in_every_format_to_standard_output(odd_names, fmt, capsysbinary):
    docs, _ = odd_names
    assert run(str(docs), "--format", fmt) == 1
    out, err = capsysbinary.readouterr()
    out.decode("utf-8")
    assert b"\xff" not in out and b"b-" in out


@posix_only
def test_resume_finds_a_name_that_is_not_utf8(odd_names, tmp_path, capsys):
    docs, odd = odd_names
    out = tmp_path / "run.jsonl"
    assert run(str(docs), "--format", "jsonl", "--output", str(out)) == 1
    first = out.read_bytes()
    assert run(str(docs), "--format", "jsonl", "--output", str(out), "--resume") == 1
    assert out.read_bytes() == first  # nothing audited twice
    assert ga.Auditor().audit(odd, as_of=AS_OF).findings


def test_json_text_escapes_del_c1_bidi_and_lone_surrogates_losslessly():
    value = {"s": "a\x7fb\x85c\u202ed\u2066e\udcff\u2028f\x1b[2J"}
    text = json_text(json.dumps(value, ensure_ascii=False))
    assert all(ch not in text for ch in "\x7f\x85\u202e\u2066\udcff\u2028\x1b")
    assert json.loads(text) == value
    text.encode("utf-8")


def test_terminal_safe_shows_escapes_newlines_and_bytes_visibly():
    assert terminal_safe("a\x1b]52;c;ZXZpbA==\x07b") == "a\\x1b]52;c;ZXZpbA==\\x07b"
    assert terminal_safe("x.txt\nforged.txt:1:1: error") == "x.txt\\nforged.txt:1:1: error"
    assert terminal_safe("b-\udcff.txt") == "b-\\xff.txt"
    assert terminal_safe("\u202egnp.exe") == "\\u202egnp.exe"
    assert fs_bytes("b-\udcff.txt") == b"b-\xff.txt"


@posix_only
def test_escapes_and_newlines_in_file_names_never_reach_the_terminal(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    evil = docs / "x\x1b]0;owned\x07\x1b[2J\nforged.txt:1:1: error fake.txt"
    evil.write_text(SPOUSE, encoding="utf-8")
    broken = docs / "y\x1b[31m.pdf"
    broken.write_bytes(b"%PDF-1.4\n junk")
    assert run(str(docs)) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in out and "\x07" not in out and "\x1b" not in err
    assert "x\\x1b]0;owned\\x07\\x1b[2J\\nforged.txt" in out
    assert not any(line.startswith("forged.txt") for line in out.splitlines())


@pytest.mark.parametrize("quiet", [False, True])
def test_the_grouped_text_report_escapes_every_untrusted_string(quiet):
    """Each part of a document's group (heading, header line, message, authority, quote,
    unreadable entries) shows escapes visibly; a newline cannot start a forged line."""
    import datetime as dt

    from guidance_audit.models import Citation, Finding, Location
    from guidance_audit.reports.model import ErrorEntry
    from guidance_audit.reports.text import render_text

    name = "x\x1b]0;owned\x07\nforged.txt"
    f = Finding(kind="outdated", severity="error", rule="evil.\x1b[2Jrule", message="Use \x1b[8mhidden\u202e.",
                quote="Spouses \x1b[31mcan settle\x07.", location=Location(page=None, block=None, start=0, end=5),
                citations=(Citation(title="Order \x1b]52;c;cm0=\x07", date=dt.date(2022, 3, 1)),))
    reports = [ga.AuditReport(source=name, as_of=dt.date(2026, 1, 1), findings=(f,)),
               ga.AuditReport(source="y\x1b[31m.pdf", as_of=dt.date(2026, 1, 1),
                              errors=(ErrorEntry(code="corrupt", message="bad \x1b[2J"),))]
    out = render_text(reports, quiet=quiet)
    assert not any(ch in out for ch in "\x1b\x07\u202e")
    assert f"{terminal_safe(name)} (1 error, 0 warnings)" in out.splitlines()
    assert not any(line.startswith("forged.txt") for line in out.splitlines())
    assert "evil.\\x1b[2Jrule" in out and "y\\x1b[31m.pdf" in out


def test_fact_pack_strings_with_escapes_are_cleaned_in_the_text_report(tmp_path, capsys):
    pack = tmp_path / "evil.yaml"
    pack.write_text("""\
pack: evil
facts:
  - id: evil.unit
    kind: term
    title: "Victim Care Unit \\e]52;c;cm0gLXJmIH4=\\a"
    aliases: [Victim Care Unit]
    until: 2022-03-31
    successor: "Hub \\e[2J\\e[H"
    confidence: high
    reviewed: 2026-11-21
    citation: {title: "Order \\e[8m12", date: 2022-03-01}
""", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("Refer victims to the Victim Care Unit.\n", encoding="utf-8")
    run(str(doc), "--facts", str(pack))
    out = capsys.readouterr().out
    assert "evil.unit" in out
    assert "\x1b" not in out and "\x07" not in out


# ------------------------------------------------------------------------------------------
# Outputs checked before the run, written atomically, never exit 1 for an output failure

@pytest.fixture
def doc(tmp_path):
    p = tmp_path / "policy.txt"
    p.write_text(SPOUSE, encoding="utf-8")
    return p


@pytest.mark.parametrize("where", ["missing-folder", "existing-folder", "input"])
def test_an_output_that_cannot_be_written_is_refused_before_the_run(doc, tmp_path, where, capsys, monkeypatch):
    target = {"missing-folder": tmp_path / "nope" / "r.json", "existing-folder": tmp_path,
              "input": doc}[where]
    audited = []
    real = ga.Auditor.audit_many
    monkeypatch.setattr(ga.Auditor, "audit_many", lambda self, *a, **k: audited.append(1) or real(self, *a, **k))
    assert run(str(doc), "--format", "json", "--output", str(target)) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") >= 1
    assert not audited  # refused before any document was read
    assert doc.read_text(encoding="utf-8") == SPOUSE


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_refused_before_the_run(doc, tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert run(str(doc), "--output", str(ro / "r.txt")) == 2
        assert run(str(doc), "--write-baseline", str(ro / "b.json")) == 2
    finally:
        ro.chmod(stat.S_IRWXU)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_device_is_exit_2_with_one_line(doc, capsys):
    assert run(str(doc), "--output", "/dev/full") == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "No space" in err


def test_an_earlier_report_survives_a_failed_write(tmp_path, monkeypatch):
    target = tmp_path / "report.txt"
    target.write_text("earlier\n", encoding="utf-8")

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ga.errors.OutputError):
        write_atomic(target, "new report\n")
    assert target.read_text(encoding="utf-8") == "earlier\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]  # no temporary file left


def test_the_report_is_written_even_when_the_baseline_cannot_be(doc, tmp_path, capsys, monkeypatch):
    out = tmp_path / "report.json"
    import guidance_audit.baseline as baseline

    def fails(*a, **k):
        raise ga.errors.OutputError("cannot write b.json (No space left on device)")

    monkeypatch.setattr(baseline, "write_baseline", fails)
    assert run(str(doc), "--format", "json", "--output", str(out), "--write-baseline", str(tmp_path / "b.json")) == 2
    assert json.loads(out.read_text(encoding="utf-8"))["documents"][0]["findings"]
    assert "the report was written, but not the baseline" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_a_report_written_inside_the_audited_folder_is_not_audited_next_time(tmp_path, fmt, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.txt").write_text(SPOUSE, encoding="utf-8")
    suffix = {"text": "txt", "md": "md", "html": "html"}[fmt]
    report = docs / f"audit.{suffix}"
    assert run(str(docs), "--format", fmt, "--output", str(report)) == 1
    assert run(str(docs), "--format", "jsonl") == 1
    out, err = capsys.readouterr()
    assert [json.loads(line)["source"] for line in out.splitlines()] == [str(docs / "policy.txt")]
    assert "1 report written by guidance-audit" in err or "1 reports written by guidance-audit" in err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinks_leading_outside_a_folder_are_not_followed_unless_asked(tmp_path, capsys):
    outside = tmp_path / "secret.txt"
    outside.write_text(SPOUSE, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "own.txt").write_text(SPOUSE, encoding="utf-8")
    (docs / "link.txt").symlink_to(outside)
    (docs / "inside.txt").symlink_to(docs / "own.txt")
    (docs / "sub").symlink_to(tmp_path, target_is_directory=True)
    got = ga.expand_inputs([docs])
    assert sorted(Path(f).name for f in got.files) == ["inside.txt", "own.txt"]
    assert got.skipped["links leading outside the folder"] == 2
    followed = ga.expand_inputs([docs], follow_symlinks=True)
    assert sorted(Path(f).name for f in followed.files) == ["inside.txt", "link.txt", "own.txt"]
    assert run(str(docs), "--format", "jsonl", "--follow-symlinks") == 1
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_jobs_zero_or_negative_is_a_usage_error(doc, capsys):
    for bad in ("0", "-1", "-8"):
        assert run(str(doc), "--jobs", bad) == 2


def test_the_new_error_types_are_public_and_typed():
    import guidance_audit as ga
    assert issubclass(ga.DeadlineError, ga.TooLargeError) and issubclass(ga.OutputError, ga.AuditError)
    assert {"DeadlineError", "OutputError"} <= set(ga.__all__)

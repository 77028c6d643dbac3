"""Baselines: writing one, suppressing by fingerprint, counting what was suppressed, exit status."""
import json
from pathlib import Path

import pytest

from factories import make_document, make_finding, make_report, sample_report
from guidance_audit.baseline import (Baseline, BaselineEntry, BaselineError, apply_baseline, baseline_from_reports,
                                     load_baseline, unused_entries, write_baseline)
from guidance_audit.cli import main

PACK = str(Path(__file__).parent / "data" / "formats_pack.yaml")
TEXT = ("Guidance for officers. Last updated 23 April 2020.\n\n"
        "Every referral is reviewed within 28 days by the duty team.\n\n"
        "Contact the Old Agency for advice.\n")


def test_write_then_load_round_trip(tmp_path):
    r = sample_report()
    path = tmp_path / "baseline.json"
    written = write_baseline([r], path)
    data = json.loads(path.read_text())
    assert data["baseline_version"] == 2
    assert [e["fingerprint"] for e in data["entries"]] == [f.fingerprint for f in r.findings]
    e = data["entries"][0]
    assert set(e) == {"fingerprint", "source", "sha256", "rule", "kind", "quote", "reason"}
    assert e["reason"] == "" and e["quote"] == r.findings[0].quote
    # the path is relative to the baseline's own folder
    assert (tmp_path / e["source"]).resolve() == Path("force-policy.txt").resolve()
    loaded = load_baseline(path)
    assert loaded.entries == written.entries
    assert loaded.without_reason == len(r.findings)


def test_apply_moves_matching_findings_to_suppressed_with_reasons():
    r = sample_report()
    target = r.findings[1]
    b = Baseline((BaselineEntry(target.fingerprint, "force-policy.txt", reason="annex kept as published"),))
    out = apply_baseline(r, b)
    assert target not in out.findings and out.suppressed == (target,)
    assert len(out.findings) == len(r.findings) - 1
    assert out.suppression_reasons == {target.fingerprint: "annex kept as published"}
    assert out.document_dict()["suppressed"] == 1
    assert "1 suppressed" in out.to_text()


def test_fingerprint_survives_edits_elsewhere_in_the_document():
    first = sample_report()
    doc = make_document(["A new opening paragraph was added.", first.findings[0].quote], source=first.source)
    moved = make_report(doc, [make_finding(doc, first.findings[0].quote)])
    out = apply_baseline(moved, baseline_from_reports([first]))
    assert not out.findings and len(out.suppressed) == 1


@pytest.mark.parametrize("entry_source, report_source, applies", [
    ("*", "any/where.pdf", True),
    ("", "any/where.pdf", True),
    ("docs/a.pdf", "docs/a.pdf", True),
    ("docs/a.pdf", "./docs/a.pdf", True),
    ("docs/a.pdf", str(Path.cwd() / "docs" / "a.pdf"), True),
    ("a.pdf", "docs/a.pdf", False),  # another folder's a.pdf is another document
    ("docs/a.pdf", "/elsewhere/docs/a.pdf", False),
    ("docs/a.pdf", "other/a.pdf", False),
    ("docs/a.pdf", "docs/b.pdf", False),
])
def test_entries_apply_to_their_own_document(entry_source, report_source, applies):
    r = sample_report(report_source)
    f = r.findings[0]
    out = apply_baseline(r, Baseline((BaselineEntry(f.fingerprint, entry_source),)))
    assert (f in out.suppressed) is applies


def test_unused_entries_are_reported():
    r = sample_report()
    b = Baseline((BaselineEntry(r.findings[0].fingerprint, "*"), BaselineEntry("0" * 32, "*")))
    out = apply_baseline(r, b)
    assert [e.fingerprint for e in unused_entries(b, [out])] == ["0" * 32]


def test_rewriting_a_baseline_keeps_reasons(tmp_path):
    r = sample_report()
    f = r.findings[0]
    previous = Baseline((BaselineEntry(f.fingerprint, "*", reason="accepted by legal team"),))
    b = write_baseline([apply_baseline(r, previous)], tmp_path / "b.json", previous=previous)
    reasons = {e.fingerprint: e.reason for e in b.entries}
    assert reasons[f.fingerprint] == "accepted by legal team"
    assert len(b.entries) == len(r.findings)


@pytest.mark.parametrize("content, message", [
    ("not json", "not JSON"),
    ('{"entries": 3}', "entries"),
    ('{"entries": [{"source": "x"}]}', "fingerprint"),
    ('{"entries": [{"fingerprint": "ab", "colour": "red"}]}', "unknown key"),
    ('{"entries": [{"fingerprint": "ab", "reason": 5}]}', "must be text"),
])
def test_bad_baseline_files_raise_a_typed_error(tmp_path, content, message):
    p = tmp_path / "b.json"
    p.write_text(content)
    with pytest.raises(BaselineError, match=message):
        load_baseline(p)


def test_missing_baseline_file(tmp_path):
    with pytest.raises(BaselineError, match="cannot read"):
        load_baseline(tmp_path / "nope.json")


# ------------------------------------------------------------------------------------ the command line

@pytest.fixture
def doc(tmp_path):
    p = tmp_path / "policy.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


def run(capsys, *args):
    code = main(["audit", *map(str, args), "--facts", PACK, "--as-of", "2026-11-21"])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_baseline_round_trip(doc, tmp_path, capsys):
    base = tmp_path / "baseline.json"
    code, out, err = run(capsys, doc, "--write-baseline", base)
    assert code == 1
    entries = json.loads(base.read_text())["entries"]
    rules = {e["rule"] for e in entries}
    assert {"fmt.referral_review", "fmt.old_agency"} <= rules
    assert "baseline entr" in err

    code, out, err = run(capsys, doc, "--baseline", base)
    assert code == 0, out + err
    n = len(entries)
    assert out.strip().splitlines()[-1] == (f"1 document: 0 with findings, 1 clean, 0 unreadable; 0 errors, "
                                            f"0 warnings, 0 info, {n} suppressed")
    assert f"{n} of {n} baseline entries" in err and "no reason" in err

    code, out, err = run(capsys, doc, "--baseline", base, "--format", "json")
    assert code == 0
    d = json.loads(out)["documents"][0]
    assert d["findings"] == [] and d["suppressed"] == n

    code, out, _ = run(capsys, doc, "--baseline", base, "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert len(results) == n and all(r["suppressions"][0]["kind"] == "external" for r in results)


def test_cli_baseline_with_reasons_gives_no_warning_and_suppresses_only_its_entries(doc, tmp_path, capsys):
    base = tmp_path / "baseline.json"
    run(capsys, doc, "--write-baseline", base)
    data = json.loads(base.read_text())
    data["entries"] = [dict(e, reason="reviewed") for e in data["entries"] if e["rule"] == "fmt.old_agency"]
    base.write_text(json.dumps(data))
    code, out, err = run(capsys, doc, "--baseline", base)
    assert "no reason" not in err
    assert code == 1                                      # the outdated statement still fails
    assert "fmt.old_agency" not in out and "fmt.referral_review" in out and "1 suppressed" in out


def test_cli_bad_baseline_is_a_usage_error(doc, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, _, err = run(capsys, doc, "--baseline", bad)
    assert code == 2 and "bad baseline" in err


# ------------------------------------------------------------------------------------------
# Document identity: content hash and path relative to the baseline's folder (issue 15)

def _tree(root: Path, names: list[str], text: str = TEXT) -> list[Path]:
    out = []
    for n in names:
        p = root / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text + f"\n\nCopy {n}.\n", encoding="utf-8")
        out.append(p)
    return out


def _suppressed(tmp_path, folder: Path, baseline: Path, capsys) -> dict[str, int]:
    out = tmp_path / "r.jsonl"
    main(["audit", str(folder), "--isolated", "--facts", PACK, "--format", "jsonl", "--output", str(out),
          "--baseline", str(baseline), "--as-of", "2026-11-21"])
    capsys.readouterr()
    return {Path(json.loads(line)["source"]).relative_to(folder).as_posix(): json.loads(line)["suppressed"]
            for line in out.read_text(encoding="utf-8").splitlines()}


def test_an_entry_for_one_policy_txt_does_not_suppress_the_others(tmp_path, capsys):
    docs = tmp_path / "docs"
    _tree(docs, ["policy.txt", "a/policy.txt", "b/policy.txt"])
    (docs / "policy.txt").write_text(TEXT, encoding="utf-8")  # only this one accepted
    base = tmp_path / "known.json"
    main(["audit", str(docs / "policy.txt"), "--isolated", "--facts", PACK, "--write-baseline", str(base),
          "--as-of", "2026-11-21", "--quiet"])
    got = _suppressed(tmp_path, docs, base, capsys)
    assert got["policy.txt"] > 0
    assert got["a/policy.txt"] == 0 and got["b/policy.txt"] == 0


def test_moving_the_audited_folder_keeps_every_suppression(tmp_path, capsys):
    docs = tmp_path / "docs"
    _tree(docs, ["one.txt", "sub/two.txt"])
    base = tmp_path / "known.json"
    main(["audit", str(docs), "--isolated", "--facts", PACK, "--write-baseline", str(base), "--as-of", "2026-11-21",
          "--quiet"])
    before = _suppressed(tmp_path, docs, base, capsys)
    moved = tmp_path / "elsewhere" / "renamed"
    moved.parent.mkdir()
    docs.rename(moved)
    after = _suppressed(tmp_path, moved, base, capsys)
    assert after == before and all(after.values())


def test_a_baseline_inside_the_folder_moves_with_it_and_survives_edits(tmp_path, capsys):
    docs = tmp_path / "docs"
    (one,) = _tree(docs, ["one.txt"])
    base = docs / "known.json"
    main(["audit", str(docs), "--isolated", "--facts", PACK, "--write-baseline", str(base), "--as-of", "2026-11-21",
          "--quiet"])
    assert json.loads(base.read_text())["entries"][0]["source"] == "one.txt"
    one.write_text("A new first paragraph.\n\n" + one.read_text(encoding="utf-8"), encoding="utf-8")  # new hash
    moved = tmp_path / "moved"
    docs.rename(moved)
    assert all(_suppressed(tmp_path, moved, moved / "known.json", capsys).values())


def test_version_1_baselines_are_still_read_relative_to_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = sample_report("docs/a.pdf")
    f = r.findings[0]
    p = tmp_path / "old" / "b.json"
    p.parent.mkdir()
    p.write_text(json.dumps({"baseline_version": 1, "entries": [{"fingerprint": f.fingerprint,
                                                                 "source": "docs/a.pdf"}]}))
    assert f in apply_baseline(r, load_baseline(p)).suppressed

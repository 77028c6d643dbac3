"""Terminal output: grouped by file, a header line per finding, wrapped messages with the quote below, the
summary; --quiet; colour by --color, NO_COLOR, FORCE_COLOR and TERM=dumb; --statistics; --help; closed pipes."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from guidance_audit.cli import use_color

EXE = shutil.which("guidance-audit") or str(Path(sys.executable).with_name("guidance-audit"))
TEXT = ("Published 1 May 2020.\n\nContact the UK Border Agency. Spouses can settle after two years. "
        "The UK Border Agency decides.\n")


@pytest.mark.parametrize("choice, terminal, env, expected", [
    ("auto", True, {}, True),
    ("auto", False, {}, False),
    ("auto", True, {"NO_COLOR": "1"}, False),
    ("auto", False, {"FORCE_COLOR": "1"}, True),
    ("auto", True, {"TERM": "dumb"}, False),
    ("always", False, {}, True),
    ("always", False, {"NO_COLOR": "1"}, True),
    ("always", True, {"TERM": "dumb"}, False),
    ("never", True, {"FORCE_COLOR": "1"}, False),
])
def test_colour_choice(choice, terminal, env, expected):
    assert use_color(choice, to_terminal=terminal, env=env) is expected


def test_force_color_colours_piped_output_and_statistics_count_by_rule(tmp_path):
    doc = tmp_path / "p.txt"
    doc.write_text(TEXT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    proc = subprocess.run([EXE, "audit", str(doc), "--statistics", "--as-of", "2026-06-01", "-q"],
                          capture_output=True, text=True, timeout=120, env={**env, "FORCE_COLOR": "1"})
    assert "\033[31merror\033[0m" in proc.stdout
    first = proc.stdout.splitlines()[:3]
    # an old name used twice is one finding (its second use is listed with it)
    assert sorted(line.split() for line in first[:2]) == [["1", "outdated", "partner.settlement_period"],
                                                          ["1", "outdated-term", "body.ukba"]]
    plain = subprocess.run([EXE, "audit", str(doc), "--as-of", "2026-06-01", "-q", "--color", "never"],
                           capture_output=True, text=True, timeout=120, env={**env, "FORCE_COLOR": "1"})
    assert "\033[" not in plain.stdout and f"{doc}:3:13: warning outdated-term body.ukba\n" in plain.stdout


def _run(*args, env_extra=None, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120,
                          env={**env, **(env_extra or {})}, **kw)


def test_text_report_groups_by_file_with_a_header_per_finding_wrapped_message_and_quote(tmp_path):
    a, b, clean = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "clean.txt"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text("Published 1 May 2020.\n\nSpouses can settle after two years.\n", encoding="utf-8")
    clean.write_text("Published 1 May 2020.\n\nOfficers must record every crime reported to them.\n", encoding="utf-8")
    proc = _run("audit", str(a), str(b), str(clean), "--as-of", "2026-06-01", env_extra={"COLUMNS": "60"})
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    # one heading per document with findings, the findings of a document together, clean ones only counted
    assert lines[0] == f"{a} (1 error, 1 warning)"
    # the old name's second use is listed with its first
    assert "    Also at: 3:71" in lines
    b_at = lines.index(f"{b} (1 error, 0 warnings)")
    assert all(not line.startswith(str(b)) for line in lines[:b_at])
    assert not any(line.startswith(str(clean)) for line in lines)
    header = lines.index(f"{b}:3:1: error outdated partner.settlement_period")
    body = lines[header + 1: lines.index("", header)]
    # the message wrapped to the terminal's 60 columns, indented, then the quote below it
    assert len(body) > 3 and all(len(line) <= 60 and line.startswith("    ") for line in body)
    assert body[0].startswith("    States two years")
    assert body[-1] == "    > Spouses can settle after two years."
    assert any(line.startswith("    Authority: Statement of Changes in") for line in body)
    # the summary: the date the rules were taken at, the fact base's horizon, and the counts
    assert lines[-2].startswith("rules as of 2026-06-01 (1 June 2026); fact base sources checked up to ")
    assert lines[-1] == "3 documents: 2 with findings, 1 clean, 0 unreadable; 2 errors, 1 warning, 0 info"


def test_quiet_keeps_the_header_lines_and_summary_only(tmp_path):
    doc = tmp_path / "p.txt"
    doc.write_text(TEXT, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    proc = _run("audit", str(doc), str(missing), "--as-of", "2026-06-01", "--quiet")
    assert proc.returncode == 1
    findings = [line for line in proc.stdout.splitlines() if line.startswith(f"{doc}:")]
    assert findings == [f"{doc}:3:13: warning outdated-term body.ukba",
                        f"{doc}:3:31: error outdated partner.settlement_period"]
    assert "States two years" not in proc.stdout and "> " not in proc.stdout
    assert f"{missing}: unreadable [unreadable-file]" in proc.stdout
    assert proc.stderr == ""
    loud = _run("audit", str(doc), str(missing), "--as-of", "2026-06-01")
    assert "States two years" in loud.stdout and str(missing) in loud.stderr


def test_a_report_written_to_a_file_is_wrapped_at_100_columns(tmp_path):
    doc, out = tmp_path / "p.txt", tmp_path / "report.txt"
    doc.write_text(TEXT, encoding="utf-8")
    _run("audit", str(doc), "--as-of", "2026-06-01", "--output", str(out))
    body = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("    ")]
    assert body and max(map(len, body)) <= 100 and max(map(len, body)) > 80

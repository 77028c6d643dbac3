"""Terminal output: colour by --color, NO_COLOR, FORCE_COLOR and TERM=dumb; --statistics."""
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
    assert first[0].split() == ["2", "outdated-term", "body.ukba"]
    assert first[1].split() == ["1", "outdated", "partner.settlement_period"]
    plain = subprocess.run([EXE, "audit", str(doc), "--as-of", "2026-06-01", "-q", "--color", "never"],
                           capture_output=True, text=True, timeout=120, env={**env, "FORCE_COLOR": "1"})
    assert "\033[" not in plain.stdout and f"{doc}:3:13: warning outdated-term body.ukba:" in plain.stdout

"""Findings do not depend on the interpreter's hash seed (a choice made from a set of strings
once picked a different 'expected' provision from run to run)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "corpora" / "former-blind" / "docs"
SCRIPT = (
    "import json, sys, pathlib, guidance_audit as ga\n"
    "a = ga.Auditor(include_supported=True)\n"
    "out = [[[f.kind, f.rule, f.quote, f.expected, f.message] for f in a.audit(p, as_of='2026-12-01').findings]\n"
    "       for p in sorted(pathlib.Path(sys.argv[1]).iterdir())]\n"
    "print(json.dumps(out))\n"
)


@pytest.mark.slow
def test_findings_are_the_same_whatever_the_hash_seed():
    runs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", SCRIPT, str(DOCS)], env=env, capture_output=True,
                             text=True, check=True, timeout=300)
        runs.append(json.loads(out.stdout))
    assert runs[0] and runs[0] == runs[1] == runs[2]

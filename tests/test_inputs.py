"""Which files a folder argument audits: tool folders, .gitignore and --exclude left out, and said."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import guidance_audit as ga

EXE = shutil.which("guidance-audit") or str(Path(sys.executable).with_name("guidance-audit"))

TEXT = "Published 1 May 2024.\n\nOfficers must record every crime.\n"


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "guidance"
    for rel in ("policy.txt", "sub/briefing.md", "drafts/old.txt", "build/out.txt", ".hidden/secret.txt",
                ".git/notes.txt", "node_modules/pkg/readme.md", "__pycache__/x.txt", "env/lib/doc.txt",
                "sub/scratch.txt"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(TEXT, encoding="utf-8")
    (root / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (root / "picture.png").write_bytes(b"\x89PNG\r\n")
    (root / ".gitignore").write_text("build/\n")
    (root / "sub" / ".gitignore").write_text("scratch.txt\n")
    return root


def names(inputs, root):
    return sorted(Path(f).relative_to(root).as_posix() for f in inputs.files)


def test_a_folder_leaves_out_tool_folders_and_what_gitignore_ignores(tree):
    inputs = ga.expand_inputs([tree])
    assert names(inputs, tree) == ["drafts/old.txt", "policy.txt", "sub/briefing.md"]
    assert inputs.skipped == {"unsupported type": 1, "ignored by .gitignore": 2, "folders not entered": 5}


def test_exclude_patterns_are_relative_to_the_folder(tree):
    inputs = ga.expand_inputs([tree], exclude=["drafts/", "*.md"])
    assert names(inputs, tree) == ["policy.txt"]
    assert inputs.skipped["excluded"] == 2


def test_gitignore_can_be_turned_off(tree):
    assert "build/out.txt" in names(ga.expand_inputs([tree], gitignore=False), tree)


def test_a_file_named_explicitly_is_kept_whatever_its_name(tree):
    odd = tree / "build" / "statement.data"
    odd.write_text(TEXT, encoding="utf-8")
    assert ga.expand_inputs([odd, "-"]).files == (str(odd), "-")


def test_the_command_line_says_what_it_skipped(tree):
    proc = subprocess.run([EXE, "audit", str(tree), "--exclude", "drafts/"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0
    assert "guidance-audit: skipped 1 file of unsupported type, 1 excluded, 2 ignored by .gitignore, " \
           "5 folders not entered" in proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith("2 documents: 0 with findings, 2 clean")

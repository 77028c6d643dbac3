"""``--help`` documents every option with its default, the profiles and the exit status; a closed
pipe ends the command quietly. These run the installed ``guidance-audit`` entry point."""
import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import guidance_audit as ga
from guidance_audit.cli import build_parser

EXE = shutil.which("guidance-audit") or str(Path(sys.executable).with_name("guidance-audit"))


def _help(*command):
    proc = subprocess.run([EXE, *command, "--help"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "100"})
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    return proc.stdout


def _parsers(parser):
    """The parser and every sub-command's parser below it."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_option_and_argument_of_every_command_has_help():
    missing = [f"{p.prog}: {'/'.join(a.option_strings) or a.dest}"
               for p in _parsers(build_parser()) for a in p._actions
               if not isinstance(a, argparse._SubParsersAction) and not (a.help and a.help.strip())]
    assert not missing


def test_audit_help_gives_defaults_profiles_and_exit_status():
    text = " ".join(_help("audit").split())
    for default in ("(default: text)", "(default: error)", "(default: 1)", "(default: auto)", "pdfminer (default)",
                    "(default: 100MB)", "(default: today)"):
        assert default in text, default
    profiles = sorted(p.id for p in ga.load_factbase().profiles)
    assert profiles and all(p in text for p in profiles)
    assert "exit status: 0 nothing at or above --fail-on was found" in text
    assert "1 a finding at or above --fail-on was found, or a document could not be read" in text
    assert "2 a usage or configuration error" in text


@pytest.mark.parametrize("command", [(), ("diff",), ("impact",), ("facts", "validate")])
def test_other_commands_state_their_exit_status(command):
    assert "exit status" in _help(*command)


@pytest.mark.parametrize("command", [["facts", "list"], ["audit", "-", "--format", "json", "--as-of", "2026-06-01"]])
def test_a_pipe_closed_before_anything_is_written_ends_quietly(command):
    """As ``guidance-audit facts list | head -1`` does once head has its line: every write meets a
    closed pipe. The reading end is closed before the command has started, so the test does not
    depend on how much fits in the pipe's buffer."""
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run([EXE, *command], stdout=write, stderr=subprocess.PIPE, timeout=120,
                              input=b"Published 1 May 2020.\n\nSpouses can settle after two years.\n")
    finally:
        os.close(write)
    err = proc.stderr.decode()
    assert "Traceback" not in err and "BrokenPipe" not in err and "Broken pipe" not in err, err
    assert proc.returncode in (0, 1)  # findings still decide the status; a closed pipe is not a crash


def test_head_of_a_shell_pipeline_gets_its_line_and_nothing_is_said_on_standard_error():
    sh = shutil.which("sh")
    if sh is None:
        pytest.skip("no POSIX shell to run a pipeline")
    proc = subprocess.run([sh, "-c", f'"{EXE}" facts list | head -1'], capture_output=True, text=True, timeout=120)
    assert len(proc.stdout.splitlines()) == 1 and proc.stderr == ""

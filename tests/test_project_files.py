"""What the README promises about the project: the licence, links that work on PyPI, a Dask
snippet that runs as pasted, a test command for a fresh shell, and types that mypy sees from the
README's editable install."""
import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _setup_cfg():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return cfg


def test_the_licence_file_matches_setup_cfg():
    meta = _setup_cfg()["metadata"]
    assert meta["license"] == "MIT" and meta["license_files"].strip() == "LICENSE"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text


def test_readme_has_no_relative_links_that_pypi_would_break():
    """PyPI shows the README (setup.cfg's long_description) without the repository, so a relative
    link or image there leads nowhere."""
    targets = re.findall(r"!?\[[^\]]*\]\(([^)\s]+)", README) + re.findall(r'(?:src|href)="([^"]+)"', README)
    relative = [t for t in targets if not re.match(r"(?:https?:|mailto:|#)", t)]
    assert not relative


def test_the_test_command_works_in_a_fresh_shell():
    block = re.search(r"## Set up and test\n.*?```bash\n(.*?)```", README, re.S).group(1).splitlines()
    assert len(block) == 2
    install, test = block
    assert "editable_mode=strict" in install and ".venv/bin/pip install" in install
    # a fresh shell has no activated environment: the command names the environment's python
    assert test.startswith(".venv/bin/python -m pytest")
    assert "Chromium" in README and "apt-get install chromium" in README


def _dask_snippet() -> str:
    m = re.search(r"For a cluster, .*?```python\n(.*?)```", README, re.S)
    assert m, "the README's Dask snippet has moved"
    return m.group(1)


def test_the_dask_snippet_defines_what_it_uses_and_guards_its_main():
    code = _dask_snippet()
    assert 'if __name__ == "__main__":' in code
    assert re.search(r"^\s+paths = ", code, re.M)
    compile(code, "README.md", "exec")


@pytest.mark.slow
def test_the_dask_snippet_runs_as_pasted(tmp_path):
    pytest.importorskip("dask.distributed")
    script = tmp_path / "snippet.py"
    script.write_text(_dask_snippet(), encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"^outdated-term\s+warning\s+\d+$", done.stdout, re.M), done.stdout


USER_SCRIPT = '''import guidance_audit as ga

report = ga.audit_text("Spouses can settle after two years.", published="2020-04-23")
count: int = report.findings        # wrong on purpose: mypy must say so
kind: str = report.findings[0].kind
'''


@pytest.mark.slow
def test_mypy_sees_the_installed_package_from_a_users_folder(tmp_path):
    """A user's script, outside the project, checked by mypy against the installed package: the
    deliberate mistake is reported, so mypy read the package's annotations (it did not give up on
    the import). With the default editable install mypy cannot find the package; the README's
    command (editable_mode=strict) or a normal install lets it."""
    pytest.importorskip("mypy")
    (tmp_path / "user.py").write_text(USER_SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
                           "user.py"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    out = done.stdout + done.stderr
    assert "import-not-found" not in out and "Cannot find implementation" not in out, (
        "mypy cannot see the installed package; install it as the README says "
        "(pip install -e \".[dev]\" --config-settings editable_mode=strict):\n" + out)
    assert done.returncode == 1
    assert re.search(r'user\.py:4: error: Incompatible types in assignment \(expression has type '
                     r'"(?:tuple|list)\[Finding, \.\.\.\]", variable has type "int"\)', out), out
    assert "user.py:5" not in out

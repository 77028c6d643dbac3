"""Every example runs: the notebooks in a real Jupyter kernel, the scripts as subprocesses."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


def test_there_are_examples():
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "custom_facts.ipynb"}
    assert {p.name for p in SCRIPTS} >= {"audit_folder_to_csv.py", "audit_with_custom_facts.py"}


@pytest.fixture
def venv_kernel(tmp_path, monkeypatch):
    """A kernel spec that runs this interpreter, so the notebooks use the environment under test."""
    pytest.importorskip("ipykernel")
    spec = tmp_path / "jupyter" / "kernels" / "guidance-audit-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "guidance-audit tests", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    from jupyter_client.kernelspec import KernelSpecManager

    found = KernelSpecManager().get_kernel_spec("guidance-audit-test")
    assert found.argv[0] == sys.executable
    return "guidance-audit-test"


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(notebook, venv_kernel):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(notebook, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name=venv_kernel, timeout=600,
                                     resources={"metadata": {"path": str(EXAMPLES)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    # the report displays as HTML inline
    html = [o["data"]["text/html"] for o in outputs if o.output_type == "execute_result" and "text/html" in o.get("data", {})]
    assert any('<div class="ga-report">' in h for h in html)


@pytest.mark.slow
def test_audit_folder_to_csv(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Last updated 23 April 2020.\n\n"
                                "People on a spouse visa can apply for indefinite leave to remain after two years.\n")
    (docs / "b.txt").write_bytes(b"")
    out = tmp_path / "out.csv"
    done = subprocess.run([sys.executable, str(EXAMPLES / "audit_folder_to_csv.py"), str(docs), str(out),
                           "--as-of", "2026-11-21"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "b.txt" in done.stderr                        # reported, not fatal
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and rows[0]["source"].endswith("a.txt")
    assert "partner.settlement_period" in {r["rule"] for r in rows}


@pytest.mark.slow
def test_audit_with_custom_facts(tmp_path):
    done = subprocess.run([sys.executable, str(EXAMPLES / "audit_with_custom_facts.py")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "northshire.referral_review" in done.stdout and "northshire.victim_care_unit" in done.stdout

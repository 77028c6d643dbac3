"""The renderers live in ``guidance_audit.reports`` and depend on the models only; the old module
names still import the same objects."""
from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "guidance_audit"
RENDERERS = ["model", "text", "json_report", "html", "markdown", "sarif", "tabular", "formats", "_present"]
#: what a renderer may import from the library: the models, the version, and its own package
ALLOWED = {"guidance_audit.models", "guidance_audit._version"}
FORBIDDEN = {"guidance_audit.auditor", "guidance_audit.segment", "guidance_audit.match", "guidance_audit.check",
             "guidance_audit.readers", "guidance_audit.factbase", "guidance_audit.cli"}


def _library_imports(path: Path) -> set[str]:
    """Every library module a file imports, at module level or inside functions, as absolute names."""
    package = "guidance_audit.reports"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                mod = f"{base}.{node.module}" if node.module else base
            else:
                mod = node.module or ""
            if mod.startswith("guidance_audit"):
                # "from . import _present" names a module too
                found.update(f"{mod}.{a.name}" if mod in (package, "guidance_audit") else mod for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("guidance_audit"))
    return found


@pytest.mark.parametrize("name", RENDERERS)
def test_each_renderer_imports_only_the_models_and_its_own_package(name):
    imports = _library_imports(PACKAGE / "reports" / f"{name}.py")
    outside = {m for m in imports if not m.startswith("guidance_audit.reports.") and m not in ALLOWED}
    assert not outside, f"reports/{name}.py imports {sorted(outside)}"


def test_the_renderers_run_without_the_auditing_machinery_loaded():
    """In a fresh interpreter where the package's own ``__init__`` is not run, import every renderer,
    render a hand-built report in every format, and check that no reading or auditing module came in."""
    code = f"""
import datetime, importlib, json, sys, types
pkg = types.ModuleType("guidance_audit"); pkg.__path__ = [{str(PACKAGE)!r}]
sys.modules["guidance_audit"] = pkg
mods = [importlib.import_module("guidance_audit.reports." + n) for n in {RENDERERS!r}]
from guidance_audit.models import Citation, Document, Finding, Location, Metadata, Block
from guidance_audit.reports.model import AuditReport
from guidance_audit.reports.formats import RENDERERS
text = "Spouses can settle after two years."
doc = Document(text=text, blocks=(), metadata=Metadata(source="a.txt", format="text"))
f = Finding(kind="outdated", severity="error", rule="partner.settlement_period", message="m.", quote=text,
            location=Location(page=None, block=None, start=0, end=len(text)))
r = AuditReport(source="a.txt", as_of=datetime.date(2026, 1, 1), findings=(f,), document=doc)
out = {{k: len(render([r], {{}}, r.as_of)) for k, render in RENDERERS.items()}}
out["text"] = len(r.to_text()); out["json"] = len(r.to_json())
print(json.dumps({{"rendered": out, "loaded": sorted(m for m in sys.modules if m.startswith("guidance_audit"))}}))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert all(n > 0 for n in result["rendered"].values()), result["rendered"]
    assert not set(result["loaded"]) & FORBIDDEN, result["loaded"]


@pytest.mark.parametrize("old, new, name", [
    ("guidance_audit.report", "guidance_audit.reports.model", "AuditReport"),
    ("guidance_audit.report", "guidance_audit.reports.model", "ErrorEntry"),
    ("guidance_audit.report", "guidance_audit.reports.json_report", "report_dict"),
    ("guidance_audit.report", "guidance_audit.reports.text", "render_text"),
    ("guidance_audit.html_report", "guidance_audit.reports.html", "write_html_reports"),
    ("guidance_audit.markdown_report", "guidance_audit.reports.markdown", "render_markdown"),
    ("guidance_audit.sarif", "guidance_audit.reports.sarif", "to_sarif"),
    ("guidance_audit.tabular", "guidance_audit.reports.tabular", "reports_to_dataframe"),
    ("guidance_audit.formats", "guidance_audit.reports.formats", "RENDERERS"),
])
def test_old_module_names_give_the_same_objects(old, new, name):
    assert getattr(importlib.import_module(old), name) is getattr(importlib.import_module(new), name)


@pytest.mark.parametrize("old, new", [("html_report", "html"), ("markdown_report", "markdown"), ("sarif", "sarif"),
                                      ("tabular", "tabular"), ("formats", "formats"), ("_present", "_present")])
def test_old_renderer_modules_are_the_moved_modules(old, new):
    """So private helpers, and patches made through the old name, reach the code that runs."""
    assert importlib.import_module(f"guidance_audit.{old}") is importlib.import_module(f"guidance_audit.reports.{new}")

"""The Python API's conveniences: module-level functions, report and finding protocols, errors."""
import datetime as dt
import importlib
import pickle
import types

import pytest

import guidance_audit as ga

STATEMENT = "People on a spouse visa can apply for indefinite leave to remain after two years."
AS_OF = "2026-11-21"


def test_the_module_and_the_function_have_different_names():
    assert isinstance(importlib.import_module("guidance_audit.auditor"), types.ModuleType)
    assert callable(ga.audit) and not isinstance(ga.audit, types.ModuleType)


def test_a_report_is_a_sized_iterable_of_its_findings_with_a_summary():
    r = ga.audit_text(STATEMENT, published="2020-04-23", as_of=AS_OF)
    assert len(r) == len(r.findings) == 1 and list(r) == list(r.findings)
    assert str(r) == "<text>: 1 with findings, 0 clean, 0 unreadable; 1 error, 0 warnings, 0 info"
    f = r.findings[0]
    assert str(f) == f"{f.message} (paragraph 1, characters {f.location.start}-{f.location.end})"


def test_include_supported_on_the_module_functions(tmp_path):
    text = "A spouse can apply to settle after five years."
    assert [f.kind for f in ga.audit_text(text, as_of=AS_OF, include_supported=True)] == ["supported"]
    assert list(ga.audit_text(text, as_of=AS_OF)) == []
    p = tmp_path / "p.txt"
    p.write_text(text, encoding="utf-8")
    assert [f.kind for f in ga.audit(p, as_of=AS_OF, include_supported=True)] == ["supported"]


def test_a_datetime_counts_as_its_date():
    r = ga.audit_text(STATEMENT, published="2020-04-23", as_of=dt.datetime(2026, 11, 21, 23, 59))
    assert r.as_of == dt.date(2026, 11, 21) and type(r.as_of) is dt.date


def test_a_missing_file_is_an_unreadable_file_error_and_a_file_not_found_error(tmp_path):
    missing = tmp_path / "nope.pdf"
    with pytest.raises(FileNotFoundError) as info:
        ga.audit(missing)
    err = info.value
    assert isinstance(err, ga.UnreadableFileError) and err.code == "unreadable-file"
    assert str(err) == f"{missing}: no such file" and err.filename == str(missing)
    again = pickle.loads(pickle.dumps(err))   # crosses worker processes intact
    assert type(again) is type(err) and str(again) == str(err)


def test_audit_safely_at_module_level_records_the_error(tmp_path):
    r = ga.audit_safely(tmp_path / "nope.txt", as_of=AS_OF)
    assert [e.code for e in r.errors] == ["unreadable-file"] and len(r) == 0


def test_reports_to_dataframe_is_exported():
    pytest.importorskip("pandas")
    df = ga.reports_to_dataframe([ga.audit_text(STATEMENT, published="2020-04-23", as_of=AS_OF)])
    assert list(df["rule"]) == ["partner.settlement_period"]


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_whole_number(jobs, capsys):
    from guidance_audit.cli import main

    assert main(["audit", "x.txt", "--jobs", jobs]) == 2
    assert "--jobs" in capsys.readouterr().err

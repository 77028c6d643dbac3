"""Settings from pyproject.toml or .guidance-audit.toml, --config, --isolated, --select/--ignore."""
import json

import pytest

from guidance_audit.cli import main

STATEMENT = "People on a spouse visa can apply for indefinite leave to remain after two years."
TEXT = "Published 23 April 2020.\n\n" + STATEMENT + "\n\nContact the UK Border Agency if in doubt.\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "policy.txt").write_text(TEXT, encoding="utf-8")
    work = tmp_path / "docs"
    monkeypatch.chdir(work)
    return tmp_path


def rules(out):
    return sorted(f["rule"] for d in json.loads(out)["documents"] for f in d["findings"])


def audit(capsys, *args):
    code = main(["audit", "policy.txt", "--as-of", "2026-11-21", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_pyproject_settings_found_in_a_folder_above_apply(project, capsys):
    (project / "pyproject.toml").write_text('[tool.guidance-audit]\nformat = "json"\nignore = ["outdated"]\n')
    code, out, _ = audit(capsys)
    assert rules(out) == ["body.ukba"]
    assert code == 0          # the only error was ignored; outdated-term is a warning


def test_the_command_line_wins_and_adds_to_lists(project, capsys):
    (project / ".guidance-audit.toml").write_text('format = "json"\nfail-on = "warning"\nignore = ["outdated"]\n')
    code, out, _ = audit(capsys, "--fail-on", "never", "--ignore", "body.*")
    assert code == 0 and rules(out) == []


def test_isolated_reads_no_file(project, capsys):
    (project / ".guidance-audit.toml").write_text('format = "json"\nignore = ["*"]\n')
    code, out, _ = audit(capsys, "--isolated")
    assert code == 1 and out.strip().splitlines()[-1].startswith("1 document: 1 with findings")


def test_an_explicit_config_file_and_select_by_glob(project, capsys, tmp_path):
    cfg = tmp_path / "elsewhere.toml"
    cfg.write_text('format = "json"\nselect = ["body.*"]\n')
    code, out, _ = audit(capsys, "--config", str(cfg))
    assert rules(out) == ["body.ukba"] and code == 0


@pytest.mark.parametrize("body, says", [
    ('surprise = "x"\n', "unknown key 'surprise'"),
    ('format = "yaml"\n', "format must be one of"),
    ('ignore = "outdated"\n', "ignore must be a list of strings"),
    ('as-of = "yesterday"\n', "as-of"),
    ('format = \n', "not valid TOML"),
])
def test_a_bad_configuration_fails_loudly(project, capsys, body, says):
    (project / ".guidance-audit.toml").write_text(body)
    code, _, err = audit(capsys)
    assert code == 2 and says in err and ".guidance-audit.toml" in err

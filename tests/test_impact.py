"""Impact of a rule change: stored statements that a changed fact makes newly outdated or newly
correct, found from a real SQLite store without reading the documents again."""
import json
import sqlite3
from pathlib import Path

import pytest
import yaml

import guidance_audit as ga
from guidance_audit.cli import main
from guidance_audit.impact import changed_facts, impact, statement_document
from guidance_audit.store import Store

AS_OF = "2026-11-21"
FACT = "partner.settlement_period"
BUNDLED = Path(ga.__file__).parent / "claims" / "partner.yaml"


def changed_pack(path: Path) -> Path:
    """The settlement period fact with a made-up change: 8 years from 1 July 2026."""
    source = BUNDLED if BUNDLED.exists() else Path(__file__).parents[1] / "claims" / "partner.yaml"
    pack = yaml.safe_load(source.read_text(encoding="utf-8"))
    fact = next(f for f in pack["facts"] if f["id"] == FACT)
    values = [v for v in fact["values"] if v.get("status") != "announced"]
    values[-1]["until"] = "2026-06-30"
    values.append({"value": "8 years", "from": "2026-07-01",
                   "citations": [{"title": "Statement of Changes in Immigration Rules HC 9999 (test)",
                                  "date": "2026-06-01", "url": "https://www.gov.uk/test-hc-9999"}]})
    fact["values"] = values
    path.write_text(yaml.safe_dump({"pack": "test-change", "horizon": "2026-11-21", "facts": [fact]},
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def factbases(tmp_path_factory):
    pack = changed_pack(tmp_path_factory.mktemp("pack") / "change.yaml")
    return ga.load_factbase(), ga.load_factbase(extra=[pack]), pack


@pytest.fixture
def store(tmp_path, factbases):
    before, _, _ = factbases
    db = tmp_path / "audits.sqlite"
    docs = {
        "five.txt": "Published 1 May 2024.\n\n# Family members\n\nPeople on a spouse visa can apply for "
                    "indefinite leave to remain after five years.",
        "two.txt": "Published 23 April 2020.\n\nPeople on a spouse visa can apply for indefinite leave to "
                   "remain after two years.",
        "eight.txt": "Published 1 May 2024.\n\nPeople on a spouse visa can apply for indefinite leave to "
                     "remain after eight years.",
        "other.txt": "Published 1 May 2024.\n\nOfficers should refer concerns to the UK Border Agency.",
    }
    paths = []
    for name, text in docs.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
        paths.append(tmp_path / name)
    list(ga.Auditor(before, store=db).audit_many(paths, as_of=AS_OF))
    return db


def test_changed_facts_are_those_the_pack_alters(factbases):
    before, after, _ = factbases
    assert changed_facts(before, after) == [FACT]


def test_a_rule_change_makes_stored_statements_newly_outdated_or_newly_correct(store, factbases):
    before, after, _ = factbases
    result = impact(Store(store), after, before=before)
    got = {(Path(e.source).name, e.change) for e in result.entries}
    assert got == {("five.txt", "newly-outdated"), ("eight.txt", "newly-correct")}
    assert result.statements_checked == 3  # the UK Border Agency statement is not re-checked
    outdated = next(e for e in result.entries if e.change == "newly-outdated")
    assert "HC 9999" in outdated.citations[0].title
    assert outdated.finding.suggestion.text.endswith("after 8 years.")
    text = ga.read_document(outdated.source).text
    assert text[outdated.location.start:outdated.location.end] == outdated.statement
    sug = outdated.finding.suggestion
    assert text[sug.start:sug.end] == "five years"


def test_impact_works_after_the_documents_are_gone(store, factbases):
    before, after, _ = factbases
    for p in store.parent.glob("*.txt"):
        p.unlink()
    got = {(Path(e.source).name, e.change) for e in impact(Store(store), after, before=before).entries}
    assert ("five.txt", "newly-outdated") in got


def test_rechecking_a_stored_statement_with_the_same_facts_gives_its_stored_findings(tmp_path, factbases):
    before, _, _ = factbases
    db = tmp_path / "audits.sqlite"
    corpus = Path(__file__).parents[1] / "corpora" / "docs"
    paths = sorted(corpus.glob("*.txt"))[:4]
    if not paths:
        pytest.skip("no text documents in the corpus")
    auditor = ga.Auditor(before, store=db)
    list(auditor.audit_many(paths, as_of=AS_OF))
    s = Store(db)
    fact_ids = [f for (f,) in s.conn.execute("SELECT DISTINCT fact_id FROM statement_facts")]
    plain = ga.Auditor(before)
    checked = agreed = 0
    for st in s.statements_touching(fact_ids):
        stored = {f.fingerprint for f in s.findings_of_statement(st.id) if f.kind not in ("internal-contradiction",)}
        doc, start, end = statement_document(st)
        again = {f.fingerprint for f in plain.audit_document(doc, as_of=AS_OF, published=st.published).findings
                 if start <= f.location.start and f.location.end <= end}
        checked += 1
        agreed += stored <= again
    assert checked and agreed / checked >= 0.9


def test_impact_command_lists_documents_with_the_new_citation(store, factbases, capsys):
    _, _, pack = factbases
    code = main(["impact", "--facts", str(pack), "--store", str(store), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {e["change"] for e in data["entries"]} == {"newly-outdated", "newly-correct"}
    assert data["changed_facts"] == [FACT]
    assert main(["impact", "--facts", str(pack), "--store", str(store)]) == 1
    out = capsys.readouterr().out
    assert "newly-outdated partner.settlement_period" in out and "HC 9999" in out
    assert main(["impact", "--facts", str(pack), "--store", str(store), "--format", "csv"]) == 1
    assert capsys.readouterr().out.startswith("change,source")


def test_impact_of_a_change_no_stored_statement_touches_is_empty(tmp_path, factbases):
    before, after, _ = factbases
    db = tmp_path / "audits.sqlite"
    (tmp_path / "a.txt").write_text("Officers must record every crime.\n", encoding="utf-8")
    ga.Auditor(before, store=db).audit(tmp_path / "a.txt", as_of=AS_OF)
    result = impact(Store(db), after, before=before)
    assert result.entries == () and result.statements_checked == 0
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM statements").fetchone()[0] == 0


def test_impact_usage_errors_exit_2(tmp_path, factbases, capsys):
    _, _, pack = factbases
    assert main(["impact", "--facts", str(pack), "--store", str(tmp_path / "none.sqlite")]) == 2
    Store(tmp_path / "s.sqlite").close()
    assert main(["impact", "--facts", str(tmp_path / "missing.yaml"), "--store", str(tmp_path / "s.sqlite")]) == 2

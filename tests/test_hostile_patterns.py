"""Catastrophic regular expressions in third-party packs and profiles cannot hang an audit."""
import pytest

import guidance_audit as ga
from guidance_audit.patterns import compile_pattern, pack_search

AS_OF = "2026-11-21"
EVIL_PROFILE = """\
pack: evil
profiles:
  - id: profile.evil
    title: Evil guidance
    detect:
      all: [[guidance]]
    requires:
      - id: topic.evil
        title: something
        patterns: ["{pattern}"]
        citation: {{title: Test, date: 2020-01-01}}
"""


@pytest.mark.parametrize("pattern", ["(a|a)+$", "(a|aa)+$"])
def test_a_catastrophic_profile_pattern_gives_a_timeout_entry_not_a_hang(tmp_path, pattern):
    pack = tmp_path / "evil.yaml"
    pack.write_text(EVIL_PROFILE.format(pattern=pattern), encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("Guidance\n\n" + "a" * 60 + "!\n\nContact the UK Border Agency.\n", encoding="utf-8")
    auditor = ga.Auditor(ga.load_factbase(extra=[pack]), profile="profile.evil")
    report = auditor.audit_safely(doc, as_of=AS_OF)
    assert [e.code for e in report.errors] == ["timeout"]
    assert pattern in report.errors[0].message
    others = list(auditor.audit_many([doc, doc], as_of=AS_OF))
    assert [[e.code for e in r.errors] for r in others] == [["timeout"], ["timeout"]]


def test_a_pattern_the_engine_cannot_compile_is_refused_at_load(tmp_path):
    pack = tmp_path / "bad.yaml"
    pack.write_text(EVIL_PROFILE.format(pattern="(unclosed"), encoding="utf-8")
    with pytest.raises(ga.FactBaseError) as info:
        ga.load_factbase(extra=[pack])
    assert "bad regular expression" in str(info.value)


def test_pack_patterns_match_as_re_did_case_insensitively():
    assert pack_search(r"information[- ]sharing", "Information Sharing agreements")
    assert not pack_search(r"\bno\b", "know")
    assert compile_pattern("x") is compile_pattern("x")

"""Scoring the audit against labelled documents: label loading, quote location, matching and the
summary. Findings here are built by hand, so these tests do not depend on the audit's quality;
the last tests check the real corpus's labels against its documents."""
from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from guidance_audit.evaluate import (DocumentLabels, Evaluation, ExpectedFinding, MustNotFlag,
                                     evaluate_corpus, format_evaluation, load_labels, locate,
                                     score_document)
from guidance_audit.models import Finding, Location, Related

CORPUS = Path(__file__).resolve().parent.parent / "corpora"

TEXT = (
    "Partner guidance.\n\n"
    "Spouses can apply for  ILR after two years.\n\n"
    "Before 9 July 2012, spouses could settle after two years.\n\n"
    "We will never pass a victim's details to Immigration Enforcement.\n\n"
    "Officers must refer the victim's details to Immigration Enforcement.\n\n"
    "Contact the UK Border Agency for advice."
)


def span(quote: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def finding(quote: str, kind: str = "outdated", *, rule: str = "partner.settlement_period",
            related: str | None = None, message: str = "m", text: str = TEXT,
            wrong_at_publication: bool | None = None) -> Finding:
    if kind == "omission":
        loc = Location(page=None, block=None, start=0, end=0)
        quote = ""
    else:
        start, end = span(quote, text)
        loc = Location(page=None, block=None, start=start, end=end)
    rel = ()
    if related is not None:
        rs, re_ = span(related, text)
        rel = (Related(quote=related, location=Location(None, None, rs, re_)),)
    severity = {"outdated-term": "warning", "internal-contradiction": "warning",
                "omission": "warning", "supported": "info"}.get(kind, "error")
    return Finding(kind=kind, severity=severity, rule=rule, message=message, quote=quote,
                   location=loc, related=rel, wrong_at_publication=wrong_at_publication)


def labels(expected=(), must_not_flag=(), published=dt.date(2020, 4, 23)) -> DocumentLabels:
    return DocumentLabels(source="test.yaml", document="test.txt", published=published,
                          profile=None, expected=tuple(expected),
                          must_not_flag=tuple(must_not_flag))


OUTDATED = ExpectedFinding(kinds=("outdated",), quote="apply for ILR after two years",
                           wrong_at_publication=True)
HISTORY = MustNotFlag(quote="Before 9 July 2012, spouses could settle after two years",
                      reason="historical")
CONTRA = ExpectedFinding(kinds=("internal-contradiction",),
                         quote="We will never pass a victim's details",
                         related="must refer the victim's details to Immigration Enforcement")
UKBA = ExpectedFinding(kinds=("outdated-term",), quote="Contact the UK Border Agency")


# ----------------------------------------------------------------------------- locating quotes

def test_locate_ignores_case_and_whitespace_and_returns_original_offsets():
    (start, end), = locate(TEXT, "spouses can apply for ILR\nafter TWO years")
    assert TEXT[start:end] == "Spouses can apply for  ILR after two years"


def test_locate_straightens_typographic_quotes_and_dashes():
    text = "The officer said \u201cwe won\u2019t share\u201d \u2013 never."
    (start, end), = locate(text, "\"we won't share\" - never")
    assert text[start:end] == "\u201cwe won\u2019t share\u201d \u2013 never"


def test_locate_finds_every_occurrence():
    assert len(locate(TEXT, "two years")) == 2
    assert locate(TEXT, "three years") == []


def test_a_label_quote_missing_from_the_text_is_an_error_naming_file_and_quote():
    bad = ExpectedFinding(kinds=("outdated",), quote="after three years")
    with pytest.raises(ValueError, match=r"test\.yaml.*after three years"):
        score_document(labels([bad]), TEXT, [])


def test_an_ambiguous_label_quote_is_an_error():
    bad = ExpectedFinding(kinds=("outdated",), quote="two years")
    with pytest.raises(ValueError, match="2 times"):
        score_document(labels([bad]), TEXT, [])


def test_a_repeated_quote_names_its_occurrence_and_only_that_printing_matches():
    second = ExpectedFinding(kinds=("outdated",), quote="two years", occurrence=2)
    start = TEXT.index("two years", TEXT.index("two years") + 1)
    on_second = Finding(kind="outdated", severity="error", rule="r", message="m", quote="two years",
                        location=Location(None, None, start, start + 9))
    assert (lambda r: (r.tp, r.fp, r.fn))(score_document(labels([second]), TEXT, [on_second])) == (1, 0, 0)
    on_first = finding("apply for  ILR after two years")
    assert (lambda r: (r.tp, r.fp, r.fn))(score_document(labels([second]), TEXT, [on_first])) == (0, 1, 1)


def test_an_occurrence_beyond_the_printings_or_on_a_unique_quote_is_an_error():
    with pytest.raises(ValueError, match="occurrence 3"):
        score_document(labels([ExpectedFinding(kinds=("outdated",), quote="two years", occurrence=3)]), TEXT, [])
    with pytest.raises(ValueError, match="occurrence 1"):
        score_document(labels([ExpectedFinding(kinds=("outdated",), quote="UK Border Agency", occurrence=1)]),
                       TEXT, [])


# ------------------------------------------------------------------------------------ matching

def test_a_finding_of_an_accepted_kind_overlapping_the_quote_is_a_true_positive():
    f = finding("Spouses can apply for  ILR after two years.", wrong_at_publication=True)
    r = score_document(labels([OUTDATED]), TEXT, [f])
    assert (r.tp, r.fp, r.fn) == (1, 0, 0)
    assert r.matches[0].label is OUTDATED
    assert r.kind_checked == r.kind_accepted == 1


def test_a_finding_of_the_wrong_kind_is_a_false_positive_and_the_label_a_miss():
    f = finding("Spouses can apply for  ILR after two years.", kind="incorrect")
    r = score_document(labels([OUTDATED]), TEXT, [f])
    assert (r.tp, r.fp, r.fn) == (0, 1, 1)
    assert r.kind_checked == 1 and r.kind_accepted == 0
    assert r.misses[0].quote == OUTDATED.quote
    assert (r.misses[0].start, r.misses[0].end) == span("apply for  ILR after two years")


def test_a_label_accepting_several_kinds_matches_any_of_them():
    either = ExpectedFinding(kinds=("outdated-term", "outdated"), quote="Contact the UK Border Agency")
    r = score_document(labels([either]), TEXT, [finding("UK Border Agency", kind="outdated")])
    assert (r.tp, r.fp, r.fn) == (1, 0, 0)


def test_a_second_finding_from_another_rule_on_a_matched_statement_is_neither_tp_nor_fp():
    both = ExpectedFinding(kinds=("outdated-term", "outdated"), quote="Contact the UK Border Agency")
    found = [finding("Contact the UK Border Agency for advice.", kind="outdated"),
             finding("UK Border Agency", kind="outdated-term", rule="body.ukba")]
    r = score_document(labels([both]), TEXT, found)
    assert (r.tp, r.fp, r.fn) == (1, 0, 0)
    assert [m.kind for m in r.also_right] == ["outdated-term"]
    # another old name in the same statement is also right...
    names = [finding("UK Border Agency", kind="outdated-term", rule="body.ukba"),
             finding("Contact the", kind="outdated-term", rule="body.bia")]
    r = score_document(labels([both]), TEXT, names)
    assert (r.tp, r.fp, r.fn) == (1, 0, 0) and len(r.also_right) == 1
    # ... but the same rule twice is one match and one false positive
    twice = [finding("Contact the UK Border Agency for advice.", kind="outdated", rule="body.ukba"),
             finding("UK Border Agency", kind="outdated", rule="body.ukba")]
    r = score_document(labels([both]), TEXT, twice)
    assert (r.tp, r.fp, r.fn) == (1, 1, 0) and not r.also_right


def test_supported_findings_are_ignored():
    f = finding("Spouses can apply for  ILR after two years.", kind="supported")
    r = score_document(labels([OUTDATED]), TEXT, [f])
    assert (r.tp, r.fp, r.fn) == (0, 0, 1)
    assert r.kind_checked == 0


def test_each_label_matches_one_finding_at_most():
    f1 = finding("Spouses can apply for  ILR after two years.")
    f2 = finding("ILR after two years", rule="partner.grant_length")
    r = score_document(labels([OUTDATED]), TEXT, [f1, f2])
    assert (r.tp, r.fp, r.fn) == (1, 1, 0)


def test_matching_is_maximal_when_one_finding_could_serve_two_labels():
    # The sentence-wide term finding could match either label; the narrow one only the second.
    two = (
        ExpectedFinding(kinds=("outdated-term",), quote="Contact the UK"),
        ExpectedFinding(kinds=("outdated-term",), quote="Border Agency for advice"),
    )
    wide = finding("Contact the UK Border Agency for advice.", kind="outdated-term")
    narrow = finding("Border Agency", kind="outdated-term")
    r = score_document(labels(two), TEXT, [narrow, wide])
    assert (r.tp, r.fp, r.fn) == (2, 0, 0)


def test_a_contradiction_matches_with_its_halves_in_either_order():
    forward = finding("We will never pass a victim's details to Immigration Enforcement.",
                      kind="internal-contradiction",
                      related="Officers must refer the victim's details to Immigration Enforcement.")
    backward = finding("Officers must refer the victim's details to Immigration Enforcement.",
                       kind="internal-contradiction",
                       related="We will never pass a victim's details to Immigration Enforcement.")
    for f in (forward, backward):
        r = score_document(labels([CONTRA]), TEXT, [f])
        assert (r.tp, r.fp, r.fn) == (1, 0, 0)


def test_a_non_contradiction_finding_on_the_related_statement_does_not_match():
    f = finding("Officers must refer the victim's details to Immigration Enforcement.",
                kind="outdated")
    r = score_document(labels([CONTRA]), TEXT, [f])
    assert (r.tp, r.fp, r.fn) == (0, 1, 1)


def test_an_omission_matches_on_the_topic_id_when_given():
    label = ExpectedFinding(kinds=("omission",), omission="destitution concession",
                            topic_id="topic.destitution_concession")
    right = finding("", kind="omission", rule="topic.destitution_concession")
    wrong = finding("", kind="omission", rule="topic.vda_settlement_route",
                    message="never mentions the destitution concession")
    r = score_document(labels([label]), TEXT, [wrong, right])
    assert r.tp == 1 and r.matches[0].label is label
    assert [f.rule for f in r.false_positives] == ["topic.vda_settlement_route"]


def test_an_omission_without_topic_id_matches_on_the_message_and_prefers_the_closer_topic():
    concession = ExpectedFinding(kinds=("omission",), omission="the destitution concession")
    settlement = ExpectedFinding(kinds=("omission",),
                                 omission="settlement route for victims of domestic abuse")
    f1 = finding("", kind="omission", rule="topic.a",
                 message="The document never addresses the settlement route for victims of "
                         "domestic abuse.")
    f2 = finding("", kind="omission", rule="topic.b",
                 message="The document never mentions the destitution concession.")
    unrelated = finding("", kind="omission", rule="topic.c", message="Nothing on interpreters.")
    r = score_document(labels([concession, settlement]), TEXT, [f1, f2, unrelated])
    assert {(m.label.omission, m.document) for m in r.matches} == {
        (concession.omission, "test.txt"), (settlement.omission, "test.txt")}
    assert [f.rule for f in r.false_positives] == ["topic.c"]


def test_omission_findings_on_a_document_whose_omissions_are_unlabelled_are_not_scored():
    # The writer judged no omissions: an omission finding is neither a match nor a false
    # positive there, while every other finding is still scored.
    unjudged = DocumentLabels(source="test.yaml", document="test.txt", published=dt.date(2020, 4, 23),
                              profile=None, expected=(OUTDATED,), must_not_flag=(),
                              omissions_labelled=False)
    gap = finding("", kind="omission", rule="topic.data_sharing_basis")
    wrong = finding("Contact the UK Border Agency", kind="outdated-term", rule="body.ukba")
    r = score_document(unjudged, TEXT, [gap, wrong])
    assert (r.tp, r.fp, r.fn) == (0, 1, 1)
    assert [f.rule for f in r.false_positives] == ["body.ukba"]
    # the same finding on a document whose omissions were judged is a false positive
    judged = score_document(labels([OUTDATED]), TEXT, [gap])
    assert [f.rule for f in judged.false_positives] == ["topic.data_sharing_basis"]


def test_a_finding_on_a_must_not_flag_statement_is_a_violation_and_a_false_positive():
    f = finding("Before 9 July 2012, spouses could settle after two years.")
    r = score_document(labels([OUTDATED], [HISTORY]), TEXT, [f])
    assert (r.tp, r.fp, r.fn) == (0, 1, 1)
    assert r.must_not_flag_violations[0].must_not_flag is HISTORY


def test_a_contradiction_pairing_a_must_not_flag_statement_is_a_violation():
    f = finding("Spouses can apply for  ILR after two years.", kind="internal-contradiction",
                related="Before 9 July 2012, spouses could settle after two years.")
    r = score_document(labels([], [HISTORY]), TEXT, [f])
    assert len(r.must_not_flag_violations) == 1


def test_a_matched_finding_is_never_a_violation():
    # A label and a must-not-flag statement in one sentence: the finding that matches is fine.
    label = ExpectedFinding(kinds=("outdated-term",), quote="UK Border Agency")
    mnf = MustNotFlag(quote="for advice")
    f = finding("Contact the UK Border Agency for advice.", kind="outdated-term")
    r = score_document(labels([label], [mnf]), TEXT, [f])
    assert (r.tp, r.fp) == (1, 0) and not r.must_not_flag_violations


# ------------------------------------------------------------------------------------- summary

def test_evaluation_sums_documents_and_scores_per_kind():
    r1 = score_document(labels([OUTDATED, UKBA]), TEXT, [
        finding("Spouses can apply for  ILR after two years.", wrong_at_publication=False),
        finding("Before 9 July 2012, spouses could settle after two years.", kind="incorrect"),
    ])
    r2 = score_document(labels([CONTRA], published=dt.date(2021, 1, 1)), TEXT, [
        finding("We will never pass a victim's details to Immigration Enforcement.",
                kind="internal-contradiction",
                related="Officers must refer the victim's details to Immigration Enforcement."),
    ], published=dt.date(2021, 1, 1))
    ev = Evaluation.from_results([r1, r2])
    assert (ev.tp, ev.fp, ev.fn) == (2, 1, 1)
    assert ev.precision == pytest.approx(2 / 3) and ev.recall == pytest.approx(2 / 3)
    assert ev.f1 == pytest.approx(2 / 3)
    assert (ev.per_kind["outdated"].tp, ev.per_kind["outdated"].fn) == (1, 0)
    assert (ev.per_kind["incorrect"].fp, ev.per_kind["incorrect"].precision) == (1, 0.0)
    assert ev.per_kind["outdated-term"].fn == 1 and ev.per_kind["outdated-term"].recall == 0.0
    assert ev.per_kind["omission"].precision == 1.0 and ev.per_kind["omission"].recall == 1.0
    assert ev.publication_date_accuracy == 0.5       # r1 read no date; r2 read the right one
    assert ev.wrong_at_publication_accuracy == 0.0   # labelled true, found false
    assert ev.kind_accuracy == 1.0 and ev.kind_accuracy_n == 2
    assert [m.quote for m in ev.misses] == [UKBA.quote]


def test_format_lists_scores_misses_and_false_positives_with_locations():
    r = score_document(labels([OUTDATED, UKBA], [HISTORY]), TEXT, [
        finding("Spouses can apply for  ILR after two years."),
        finding("Before 9 July 2012, spouses could settle after two years."),
    ], published=dt.date(2020, 4, 23))
    out = format_evaluation(Evaluation.from_results([r]))
    assert "overall" in out and "kind accuracy" in out and "publication-date accuracy" in out
    assert "must-not-flag violations:       1" in out
    start, end = span("Contact the UK Border Agency")
    assert f"chars {start}-{end}" in out and "outdated-term" in out
    assert "MUST NOT FLAG (historical)" in out


# ---------------------------------------------------------------------------------- label files

def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_labels_reads_the_documented_format(tmp_path):
    p = write(tmp_path / "a.yaml", """\
        document: a.txt
        published: 2020-04-23
        profile: police_victims_insecure_status
        expected:
          - quote: "after two years"
            kinds: [outdated]
            wrong_at_publication: true
            fact: partner.settlement_period
          - omission: "destitution concession"
            topic_id: topic.destitution_concession
            kinds: [omission]
        must_not_flag:
          - quote: "Before 9 July 2012"
            reason: historical framing
        """)
    lab = load_labels(p)
    assert lab.published == dt.date(2020, 4, 23)
    assert lab.expected[0].kinds == ("outdated",) and lab.expected[0].wrong_at_publication is True
    assert lab.expected[1].is_omission and lab.expected[1].topic_id == "topic.destitution_concession"
    assert lab.must_not_flag[0].reason == "historical framing"
    assert lab.omissions_labelled is True


def test_labels_can_say_their_omissions_were_not_judged(tmp_path):
    p = write(tmp_path / "a.yaml", "document: a.txt\nomissions: unlabelled\nexpected: []\n")
    assert load_labels(p).omissions_labelled is False


@pytest.mark.parametrize("body, message", [
    ("expected:\n  - quote: x\n    kinds: [wrong]\n", "unknown kind"),
    ("expected:\n  - kinds: [outdated]\n", "exactly one of quote or omission"),
    ("expected:\n  - omission: x\n    kinds: [outdated]\n", "kinds \\[omission\\]"),
    ("expected:\n  - quote: x\n    kinds: [outdated]\n    colour: red\n", "unknown key"),
    ("published: 23/04/2020\n", "ISO date"),
    ("must_not_flag:\n  - reason: r\n", "quote"),
    ("omissions: none\n", "omissions must be"),
    ("omissions: unlabelled\nexpected:\n  - omission: x\n    kinds: [omission]\n", "cannot have omission labels"),
])
def test_malformed_labels_raise_value_error_naming_the_file(tmp_path, body, message):
    p = write(tmp_path / "bad.yaml", "document: a.txt\n" + body)
    with pytest.raises(ValueError, match=message) as err:
        load_labels(p)
    assert "bad.yaml" in str(err.value)


class FakeAuditor:
    """Returns canned findings per document name, with the document's text."""

    def __init__(self, findings_by_name, published=None):
        self.findings_by_name = findings_by_name
        self.published = published or {}

    def audit(self, path):
        path = Path(path)
        if path.name == "broken.txt":
            raise RuntimeError("boom")
        text = path.read_text(encoding="utf-8")
        doc = SimpleNamespace(text=text, block_at=lambda offset: None)
        return SimpleNamespace(document=doc, published=self.published.get(path.name),
                               findings=self.findings_by_name.get(path.name, []))


def make_corpus(root: Path) -> None:
    write(root / "docs" / "one.txt", TEXT)
    write(root / "labels" / "one.yaml", """\
        document: one.txt
        published: 2020-04-23
        expected:
          - quote: "apply for ILR after two years"
            kinds: [outdated]
        must_not_flag:
          - quote: "Before 9 July 2012, spouses could settle after two years"
            reason: historical
        """)


def test_evaluate_corpus_audits_every_document_and_scores_it(tmp_path):
    make_corpus(tmp_path)
    fake = FakeAuditor({"one.txt": [finding("Spouses can apply for  ILR after two years."),
                                    finding("Contact the UK Border Agency", kind="outdated-term")]},
                       published={"one.txt": dt.date(2020, 4, 23)})
    ev = evaluate_corpus(tmp_path, auditor=fake)
    assert (ev.tp, ev.fp, ev.fn) == (1, 1, 0)
    assert ev.publication_date_accuracy == 1.0
    assert ev.false_positives[0].kind == "outdated-term"


def test_a_document_that_fails_to_audit_counts_its_labels_as_misses(tmp_path):
    make_corpus(tmp_path)
    write(tmp_path / "docs" / "broken.txt", "anything")
    write(tmp_path / "labels" / "broken.yaml", """\
        document: broken.txt
        published: 2021-01-01
        expected:
          - quote: "anything"
            kinds: [incorrect]
        """)
    ev = evaluate_corpus(tmp_path, auditor=FakeAuditor({}))
    broken = next(r for r in ev.documents if r.document == "broken.txt")
    assert broken.error and "boom" in broken.error and broken.fn == 1
    assert "could not be audited" in format_evaluation(ev)


def test_a_document_without_labels_is_an_error(tmp_path):
    make_corpus(tmp_path)
    write(tmp_path / "docs" / "extra.txt", "text")
    with pytest.raises(ValueError, match="extra.txt"):
        evaluate_corpus(tmp_path, auditor=FakeAuditor({}))


def test_labels_for_a_missing_document_are_an_error(tmp_path):
    make_corpus(tmp_path)
    write(tmp_path / "labels" / "ghost.yaml", "document: ghost.txt\n")
    with pytest.raises(ValueError, match="ghost.txt"):
        evaluate_corpus(tmp_path, auditor=FakeAuditor({}))


# --------------------------------------------------------------------------------- real corpus

def corpus_labels():
    return sorted((CORPUS / "labels").glob("*.yaml"))


def test_every_corpus_document_has_labels_and_every_label_file_a_document():
    docs = {p.name for p in (CORPUS / "docs").iterdir() if p.is_file()}
    named = {load_labels(p).document for p in corpus_labels()}
    assert docs == named
    assert len(docs) >= 18
    assert {Path(d).suffix for d in docs} == {".txt", ".docx", ".pdf", ".html"}


def test_corpus_label_counts_meet_the_minimums():
    expected = mnf = 0
    for p in corpus_labels():
        lab = load_labels(p)
        expected += len(lab.expected)
        mnf += len(lab.must_not_flag)
    assert expected + mnf >= 130
    assert mnf >= 45 and mnf * 3 >= expected + mnf


@pytest.mark.parametrize("label_file", corpus_labels(), ids=lambda p: p.stem)
def test_every_label_quote_is_found_once_in_its_document(label_file):
    import guidance_audit as ga
    lab = load_labels(label_file)
    doc = ga.read_document(CORPUS / "docs" / lab.document)
    # score_document raises ValueError for any quote missing from, or repeated in, the text.
    result = score_document(lab, doc.text, [], document=doc)
    assert result.fn == len(lab.expected)
    assert doc.metadata.published == lab.published


@pytest.mark.skipif(importlib.util.find_spec("reportlab") is None, reason="reportlab not installed")
def test_built_documents_are_up_to_date_with_their_sources(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("corpus_build", CORPUS / "build.py")
    build = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, build)
    spec.loader.exec_module(build)
    for section in ("designed",) + build.SECTIONS:
        if section != "designed" and not (CORPUS / section / "src").is_dir():
            continue  # (the blind section is absent between one being opened and the next landing)
        out_dir = tmp_path / section
        written = build.build(out_dir=out_dir, section=section)
        assert written, section
        docs = CORPUS / "docs" if section == "designed" else CORPUS / section / "docs"
        for out in written:
            committed = docs / out.name
            assert committed.read_bytes() == out.read_bytes(), (
                f"{section}/{committed.name} is stale: run python corpora/build.py --section {section}")


# ------------------------------------------------------------------ an old name used in several places

NAMES = "Write to the UK Border Agency.\n\nThe UK Border Agency decides.\n\nAsk the UK Border Agency again."


def test_an_old_name_is_one_finding_with_its_later_uses_related():
    import guidance_audit as ga
    report = ga.Auditor().audit_text(NAMES, as_of="2026-12-01", published="2011-01-01")
    found = [f for f in report.findings if f.rule == "body.ukba"]
    assert len(found) == 1 and len(found[0].related) == 2, found
    assert "2 more places" in found[0].message
    assert [r.location.start for r in found[0].related] == [NAMES.index("UK Border Agency", i) for i in (
        NAMES.index("The"), NAMES.index("Ask"))]


def test_the_grouped_finding_finds_every_labelled_use_and_counts_once_for_precision():
    first = NAMES.index("UK Border Agency")
    second = NAMES.index("UK Border Agency", first + 1)
    third = NAMES.rindex("UK Border Agency")
    loc = lambda a: Location(page=None, block=None, start=a, end=a + len("UK Border Agency"))  # noqa: E731
    grouped = Finding(kind="outdated-term", severity="warning", rule="body.ukba", message="m",
                      quote="UK Border Agency", location=loc(first),
                      related=(Related("UK Border Agency", loc(second)), Related("UK Border Agency", loc(third))))
    expected = [ExpectedFinding(kinds=("outdated-term",), quote="The UK Border Agency decides"),
                ExpectedFinding(kinds=("outdated-term",), quote="Ask the UK Border Agency again")]
    result = score_document(labels(expected), NAMES, [grouped])
    ev = Evaluation.from_results([result])
    assert (ev.tp, ev.fp, ev.fn, ev.shared) == (2, 0, 0, 1)
    assert ev.recall == 1.0 and ev.precision == 1.0
    # a label on a use the finding does not list is still a miss
    other = ExpectedFinding(kinds=("outdated-term",), quote="Write to the UK Border Agency")
    alone = Finding(kind="outdated-term", severity="warning", rule="body.ukba", message="m",
                    quote="UK Border Agency", location=loc(third))
    assert score_document(labels([other]), NAMES, [alone]).misses

"""Every section of the labelled corpus is audited and scored; the scores may not fall below the
floors recorded per section in corpora/floor.yaml (which only ever rise)."""
from pathlib import Path

import pytest
import yaml

import guidance_audit as ga
from guidance_audit.evaluate import SECTIONS, evaluate_sections, format_evaluation

CORPUS = Path(__file__).parent.parent / "corpora"
FLOOR = yaml.safe_load((CORPUS / "floor.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evaluation():
    return evaluate_sections(CORPUS, auditor=ga.Auditor())


#: Sections present in this checkout (each has a floor).
PRESENT = [name for name in SECTIONS if name in FLOOR]


def test_corpus_has_what_the_brief_asks_for(evaluation):
    assert set(evaluation.sections) == set(PRESENT) == set(FLOOR)
    new = [r for name in PRESENT if name != "designed" for r in evaluation.sections[name].documents]
    assert len(new) >= 30
    formats = {Path(r.document).suffix for r in new}
    assert {".pdf", ".docx", ".html", ".txt"} <= formats
    for ev in evaluation.sections.values():
        assert ev.must_not_flag_total * 3 >= ev.expected_total + ev.must_not_flag_total


def test_corpus_has_a_blind_section(evaluation):
    assert "blind" in FLOOR
    assert len(evaluation.sections["blind"].documents) >= 10


@pytest.mark.parametrize("section", PRESENT)
def test_scores_hold_the_floor(evaluation, section):
    ev, floor = evaluation.sections[section], FLOOR[section]
    report = format_evaluation(ev) if section != "blind" else f"blind section below its floor: {floor}"
    assert ev.precision >= floor["precision"], report
    assert ev.recall >= floor["recall"], report
    assert ev.f1 >= floor["f1"], report
    assert ev.publication_date_accuracy >= floor["publication_date_accuracy"], report
    assert len(ev.must_not_flag_violations) <= floor["max_must_not_flag_violations"], report


def test_up_to_date_documents_raise_no_error_or_warning(evaluation):
    designed = evaluation.sections["designed"]
    clean = [r for r in designed.documents if not r.matches and not r.misses]
    assert len(clean) >= 3
    for result in clean:
        assert result.error is None and result.fp == 0, result.document

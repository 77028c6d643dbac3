"""The whole labelled corpus is audited and scored; the scores may not fall below the floor
recorded in corpora/floor.yaml (which only ever rises)."""
from pathlib import Path

import pytest
import yaml

import guidance_audit as ga
from guidance_audit.evaluate import evaluate_corpus, format_evaluation

CORPUS = Path(__file__).parent.parent / "corpora"
FLOOR = yaml.safe_load((CORPUS / "floor.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evaluation():
    return evaluate_corpus(CORPUS, auditor=ga.Auditor())


def test_corpus_has_what_the_brief_asks_for(evaluation):
    assert len(evaluation.documents) >= 16
    assert evaluation.expected_total + evaluation.must_not_flag_total >= 120
    assert evaluation.must_not_flag_total * 3 >= evaluation.expected_total + evaluation.must_not_flag_total


def test_scores_hold_the_floor(evaluation):
    report = format_evaluation(evaluation)
    assert evaluation.precision >= FLOOR["precision"], report
    assert evaluation.recall >= FLOOR["recall"], report
    assert evaluation.f1 >= FLOOR["f1"], report
    assert evaluation.publication_date_accuracy >= FLOOR["publication_date_accuracy"], report


def test_no_must_not_flag_statement_is_flagged(evaluation):
    assert len(evaluation.must_not_flag_violations) <= FLOOR["max_must_not_flag_violations"], [
        (v.document, v.quote) for v in evaluation.must_not_flag_violations]


def test_up_to_date_documents_raise_no_error_or_warning(evaluation):
    clean = [r for r in evaluation.documents if not r.matches and not r.misses]
    assert len(clean) >= 3
    for result in clean:
        assert result.error is None and result.fp == 0, result.document

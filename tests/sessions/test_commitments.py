"""Matching restated commitments against a role definition's."""

from __future__ import annotations

from hestai_tmws.sessions.commitments import check_commitments, commitment_score

RULE = "Run the relevant test suite and linters before calling a task done"


def test_a_paraphrase_scores_high_and_a_fragment_low() -> None:
    para = "Before calling any task done, I run the relevant tests and the linters"
    assert commitment_score(RULE, para) >= 80
    assert commitment_score(RULE, "test") < 50
    assert commitment_score(RULE, "") == 0.0


def test_each_commitment_gets_its_best_statement() -> None:
    (check,) = check_commitments("must_always", [RULE], ["unrelated words", RULE], 75.0)
    assert check.best_statement == RULE and check.passed and check.score == 100.0

"""The learning renderers: one line per fact, arrows from the one transition shape."""

from __future__ import annotations

import pytest

from hestai_tmws.cli.views import learn as views
from hestai_tmws.learning.core.states import PatternState, PatternTransition
from hestai_tmws.learning.prune import PruneResult
from hestai_tmws.learning.review import TransitionResult
from hestai_tmws.learning.status import LearningStatus


def test_a_transition_reads_as_an_arrow(capsys: pytest.CaptureFixture[str]) -> None:
    moved = PatternTransition(
        pattern_id="pat-1", from_state=None, to_state=PatternState.DETECTED, actor="system"
    )
    result = TransitionResult(
        **moved.model_copy(update={"from_state": PatternState.VALIDATED}).model_dump(),
        path=".hestai/learning/patterns/pat-1.oct.md",
        removed=["x"],
    )
    views.transition(result)
    assert capsys.readouterr().out == "pat-1: VALIDATED → DETECTED by system\nremoved x\n"
    assert moved.arrow == "NEW → DETECTED"


def test_status_shows_the_last_run_or_question_marks(capsys: pytest.CaptureFixture[str]) -> None:
    base = {"archives": 2, "patterns": 0, "skills": 0, "suggestions": 0, "used": 0, "feedback": 0}
    views.learning_status(LearningStatus(by_state={"DETECTED": 0}, **base))
    assert capsys.readouterr().out == (
        "2 archives; 0 patterns (none); 0 skills; 0 suggestions, 0 used, 0 rated\n"
    )
    views.learning_status(LearningStatus(by_state={}, last_run={"archives": 2}, **base))
    assert "last run: ? at ? (0 patterns)" in capsys.readouterr().out


def test_prune_says_would_on_a_dry_run(capsys: pytest.CaptureFixture[str]) -> None:
    views.pruned(PruneResult(removed=["a"], older_than_days=30, dry_run=True))
    assert capsys.readouterr().out == "would remove 1 rejected pattern(s)\n  a\n"

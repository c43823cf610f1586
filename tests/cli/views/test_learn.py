"""The learning renderers: one line per fact, arrows from the one transition shape."""

from __future__ import annotations

import pytest

from hestai_tmws.cli.views import learn as views
from hestai_tmws.learning.core.states import PatternState, PatternTransition
from hestai_tmws.learning.prune import PruneResult
from hestai_tmws.learning.review import TransitionResult
from hestai_tmws.learning.status import LearningStatus, PatternList, PatternSummary


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


def _pattern(index: int, steps: list[str]) -> PatternSummary:
    return PatternSummary(
        id=f"pt-{index:08x}",
        state=PatternState.DETECTED,
        namespace="x",
        length=len(steps),
        chain=" → ".join(steps),
        support=12,
        days=3,
        success_rate=0.8,
        confidence=0.71,
        lift=3.0,
        validation_passed=None,
        since="2026-11-01",
    )


def test_patterns_at_80_columns_break_between_steps_never_inside_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    steps = ["Bash:pytest", "Read", "Edit", "Bash:git commit", "Grep", "Bash:ruff check"]
    views.pattern_list(PatternList(patterns=[_pattern(1, steps), _pattern(2, steps[:2])]))
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    first = next(i for i, line in enumerate(lines) if "pt-00000001" in line)
    second = next(i for i, line in enumerate(lines) if "pt-00000002" in line)
    shown = " ".join(line.split("0.71")[-1].strip() for line in lines[first:second])
    assert shown == " → ".join(steps)  # every step whole, in order, across the lines
    assert second - first > 1  # the long chain took several lines, not one cut one

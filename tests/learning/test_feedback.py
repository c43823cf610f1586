"""Feedback events, "used" detection and the per-skill statistics."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.errors import NotFoundError, UsageError
from hestai_tmws.layout import FEEDBACK_LOG
from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.learning.core.steps import loop_token
from hestai_tmws.learning.feedback import (
    compute_stats,
    coverage,
    detect_usage,
    read_log,
    record_feedback,
    skill_stats,
)
from hestai_tmws.learning.suggest import suggest_for_clock_in, suggest_skills
from hestai_tmws.project import Project
from tests.learning.loop_support import (
    WORKFLOW,
    active_session,
    noise,
    promoted_project,
    session_id,
    write_archive,
)

TOKENS = ["Bash:pytest", "Edit", "Bash:ruff check", "Bash:git commit"]


@pytest.fixture(autouse=True)
def _fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    index_mod._MEMO.clear()
    monkeypatch.setattr(index_mod, "RECHECK_S", 0.0)  # every call checks the files


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return promoted_project(tmp_path / "repo")


def test_feedback_is_recorded_and_counted(project: Project) -> None:
    [first] = suggest_skills(project, "pytest ruff").suggestions
    [second] = suggest_skills(project, "pytest ruff").suggestions
    result = record_feedback(project, first.id, True, "saved me  time\nreally")
    assert result.skill == first.skill and result.notes == "saved me time really"
    assert (result.stats.helpful, result.stats.unhelpful, result.stats.helpfulness) == (1, 0, 1.0)
    record_feedback(project, second.id, False)
    stats = skill_stats(project)[first.skill]
    assert (stats.suggested, stats.helpful, stats.unhelpful, stats.helpfulness) == (2, 1, 1, 0.5)
    record_feedback(project, second.id, True)  # a later verdict replaces the earlier one
    assert skill_stats(project)[first.skill].helpfulness == 1.0
    events = read_log(project, FEEDBACK_LOG)
    assert [e["event"] for e in events] == ["feedback"] * 3
    assert {e["suggestion"] for e in events} == {first.id, second.id}


def test_feedback_needs_a_known_suggestion(project: Project) -> None:
    with pytest.raises(UsageError, match="is not a suggestion id"):
        record_feedback(project, "nope", True)
    with pytest.raises(NotFoundError, match="no suggestion sg-000000000000"):
        record_feedback(project, "sg-000000000000", True)


def test_feedback_notes_are_redacted(project: Project) -> None:
    [first] = suggest_skills(project, "pytest").suggestions
    secret = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    result = record_feedback(project, first.id, True, f"token {secret} worked")
    assert secret not in result.notes
    assert secret not in project.memory_path(FEEDBACK_LOG).read_text()


def test_activation_flags_skills_that_are_never_used() -> None:
    suggested = [{"event": "suggested", "id": f"sg-{i}", "skill": "a"} for i in range(5)]
    suggested += [{"event": "suggested", "id": f"sg-b{i}", "skill": "b"} for i in range(5)]
    used = [{"event": "used", "suggestion": "sg-b0", "skill": "b"}]
    used += [{"event": "used", "suggestion": "sg-b0", "skill": "b"}]  # counted once
    stats = compute_stats(suggested, used)
    assert (stats["a"].activation, stats["a"].flagged) == (0.0, True)
    assert (stats["b"].used, stats["b"].activation, stats["b"].flagged) == (1, 0.2, False)
    assert stats["a"].flag_reason is not None and "deprecate" in stats["a"].flag_reason
    few = compute_stats(suggested[:4], [])
    assert few["a"].flagged is False


@given(
    st.lists(st.sampled_from(["Read", "Grep", "Bash:ls", "Write"]), max_size=30),
    st.lists(st.sampled_from(["Read", "Grep", "Bash:ls", "Write"]), max_size=30),
)
def test_a_followed_skill_is_fully_covered_wherever_it_is(
    before: list[str], after: list[str]
) -> None:
    assert coverage([*before, *TOKENS, *after], TOKENS) == 1.0
    gapped = [*before, TOKENS[0], "Read", TOKENS[1], TOKENS[2], "Grep", TOKENS[3], *after]
    assert coverage(gapped, TOKENS) == 1.0


def test_coverage_counts_steps_in_order_within_a_window() -> None:
    assert coverage(TOKENS[:3], TOKENS) == 0.75
    assert coverage(["Bash:git commit", "Bash:pytest"], TOKENS) == 0.25
    spread = [TOKENS[0], *["Read"] * 20, TOKENS[1], *["Read"] * 20, TOKENS[2]]
    assert coverage(spread, TOKENS) == 0.25  # too far apart to be one run of the skill
    assert coverage([], TOKENS) == 0.0 and coverage(TOKENS, []) == 0.0


def test_clock_out_detects_that_a_suggestion_was_used(project: Project) -> None:
    session = active_session("pytest and commit", sid=session_id(900))
    batch = suggest_for_clock_in(project, session)
    [suggestion] = batch.suggestions
    rel = write_archive(project, 900, [*noise(900), *WORKFLOW[:3], ("Read", "")], day=9)
    report = detect_usage(project, rel)
    assert report.session_id == session.id and report.checked == 1
    assert [(u.suggestion_id, u.coverage) for u in report.used] == [(suggestion.id, 0.75)]
    assert detect_usage(project, rel).used == []  # recorded once
    stats = skill_stats(project)[suggestion.skill]
    assert (stats.suggested, stats.used, stats.activation) == (1, 1, 1.0)


def test_a_session_that_did_other_work_is_not_a_use(project: Project) -> None:
    session = active_session("pytest", sid=session_id(901))
    suggest_for_clock_in(project, session)
    rel = write_archive(project, 901, [*noise(901), WORKFLOW[0], ("Read", "")], day=9)
    report = detect_usage(project, rel)
    assert report.checked == 1 and report.used == []
    assert read_log(project, FEEDBACK_LOG, event="used") == []


def test_a_loop_counts_as_the_steps_it_repeats() -> None:
    # the collapsed form of Edit, test, Edit, test, lint ran the skill Edit → test → lint
    skill = ["Edit", "Bash:bun run test", "Bash:bun run lint"]
    ran = ["Read", loop_token(["Edit", "Bash:bun run test"]), "Bash:bun run lint"]
    assert coverage(ran, skill) == 1.0
    # and a skill's own loop is matched step by step, not as one opaque token
    fix = ["Bash:bun run test", loop_token(["Edit", "Bash:bun run lint"])]
    assert coverage(["Bash:bun run test", "Edit", "Bash:bun run lint"], fix) == 1.0
    assert coverage(["Bash:bun run test"], fix) == 1 / 3

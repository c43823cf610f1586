"""Skill suggestions: BM25 over the skills, events, helpfulness, and graceful degradation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hestai_tmws.layout import SUGGESTIONS_LOG
from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.learning import suggest as suggest_mod
from hestai_tmws.learning.feedback import read_log, record_feedback
from hestai_tmws.learning.skill_index import INDEX_CACHE
from hestai_tmws.learning.suggest import suggest_for_clock_in, suggest_skills
from hestai_tmws.project import Project
from tests.learning.index_support import (  # noqa: F401 (fixtures)
    fresh_memo_fixture,
    skill_named,
    two_skills_fixture,
)
from tests.learning.loop_support import (
    active_session,
    init_repo,
    promoted_project,
)


def test_related_focus_finds_the_right_skill_first(two_skills: Project) -> None:
    pytest_skill = skill_named(two_skills, "pytest")
    docker_skill = skill_named(two_skills, "docker")
    batch = suggest_skills(two_skills, "run pytest then git commit", record=False)
    assert [s.skill for s in batch.suggestions] == [pytest_skill]
    batch = suggest_skills(two_skills, "bring the docker compose stack up", record=False)
    assert batch.suggestions[0].skill == docker_skill
    assert suggest_skills(two_skills, "translate the french manual", record=False).suggestions == []


def test_clock_in_suggestions_are_recorded_events(two_skills: Project) -> None:
    session = active_session("ruff lint and pytest before commit")
    batch = suggest_for_clock_in(two_skills, session)
    assert batch.note is None and batch.recorded
    [suggestion] = batch.suggestions
    assert suggestion.skill == skill_named(two_skills, "pytest")
    assert suggestion.id.startswith("sg-") and 0.1 <= suggestion.score <= 1.5
    assert suggestion.path == f".hestai/learning/skills/{suggestion.skill}/SKILL.md"
    events = read_log(two_skills, SUGGESTIONS_LOG)
    assert [(e["event"], e["id"], e["session"], e["source"]) for e in events] == [
        ("suggested", suggestion.id, session.id, "clock-in")
    ]


def test_suggest_skills_adds_to_the_open_session(two_skills: Project) -> None:
    from hestai_tmws.sessions.store import load_session
    from hestai_tmws.workflows.clock_in import clock_in

    opened = clock_in(two_skills, focus="unrelated reading")
    batch = suggest_skills(two_skills, "docker compose logs", session_id=opened.session_id)
    assert batch.recorded and batch.suggestions
    stored = load_session(two_skills, opened.session_id).suggestions
    assert [s.id for s in stored][-len(batch.suggestions) :] == [s.id for s in batch.suggestions]


def test_helpfulness_weights_the_score(two_skills: Project) -> None:
    first = suggest_skills(two_skills, "pytest ruff commit").suggestions[0]
    for _ in range(3):
        record_feedback(two_skills, first.id, helpful=False)
    index_mod._MEMO.clear()
    later = suggest_skills(two_skills, "pytest ruff commit", record=False).suggestions[0]
    assert later.skill == first.skill
    assert later.score == pytest.approx(first.score * (0.5 + 1 / 3), abs=1e-3)


def test_no_skills_gives_no_suggestions_with_a_note(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    batch = suggest_for_clock_in(project, active_session("run pytest"))
    assert batch.suggestions == [] and batch.note == "no promoted skills yet"


def test_a_corrupt_skill_file_degrades_to_no_suggestions_with_a_note(tmp_path: Path) -> None:
    from hestai_tmws.steward import Steward

    project = promoted_project(tmp_path / "repo")
    slug = skill_named(project, "pytest")
    Steward(project).write_text(f"learning/skills/{slug}/SKILL.md", "no front matter here\n")
    batch = suggest_for_clock_in(project, active_session("pytest ruff commit"))
    assert batch.suggestions == []
    assert batch.note == (
        f"skipped 1 unreadable skill file(s): {slug}: "
        "SKILL.md must start with a '---' front matter block"
    )


def test_clock_in_succeeds_when_the_skill_store_is_corrupt(tmp_path: Path) -> None:
    from hestai_tmws.steward import Steward
    from hestai_tmws.workflows.clock_in import clock_in

    project = promoted_project(tmp_path / "repo")
    slug = skill_named(project, "pytest")
    Steward(project).write_text(
        f"learning/skills/{slug}/SKILL.md", "---\nname: [unclosed\n---\nbody\n"
    )
    result = clock_in(project, focus="pytest ruff commit")
    assert result.session_id and result.suggested_skills == []
    [note] = [n for n in result.notes if n.startswith("skill suggestions: ")]
    assert note.startswith(f"skill suggestions: skipped 1 unreadable skill file(s): {slug}: ")
    assert "not valid YAML" in note


def test_a_slow_store_is_skipped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = promoted_project(tmp_path / "repo")
    (project.cache_dir / INDEX_CACHE).unlink()  # promotion built and cached it
    index_mod.forget(project)
    monkeypatch.setattr(suggest_mod, "BUILD_BUDGET_S", -1.0)
    batch = suggest_for_clock_in(project, active_session("pytest"))
    assert batch.suggestions == []
    assert batch.note is not None and "too slow" in batch.note


def test_an_unexpected_failure_never_escapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = promoted_project(tmp_path / "repo")

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(suggest_mod, "load_index", boom)
    batch = suggest_for_clock_in(project, active_session("pytest"))
    assert batch.suggestions == []
    assert batch.note == "none, RuntimeError: disk on fire"


def test_suggestion_events_are_valid_json_lines(two_skills: Project) -> None:
    suggest_skills(two_skills, "pytest", source="cli")
    text = two_skills.memory_path(SUGGESTIONS_LOG).read_text()
    for line in text.splitlines():
        event = json.loads(line)
        assert set(event) == {"event", "id", "skill", "pattern", "score", "session", "source", "at"}

"""Approval, promotion to SKILL.md and deprecation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from hestai_tmws.errors import PolicyError
from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.promote import promote
from hestai_tmws.learning.review import approve, deprecate, reject
from hestai_tmws.learning.skills import parse_skill, skill_slugs
from hestai_tmws.learning.store import load_records
from hestai_tmws.project import Project
from tests.learning.loop_support import (
    OTHER_WORKFLOW,
    WORKFLOW_TOKENS,
    init_repo,
    plant_sessions,
    plant_weak,
)


def validated(project: Project) -> str:
    found = [r for r in load_records(project).records.values() if r.state.value == "VALIDATED"]
    assert len(found) == 1
    return found[0].id


@pytest.fixture
def mined(tmp_path: Path) -> Project:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 6)
    run_mine(project)
    return project


def front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    head, _, _body = text[4:].partition("\n---\n")
    data = YAML(typ="safe").load(io.StringIO(head))
    assert isinstance(data, dict)
    return data


def test_approve_then_promote_writes_a_valid_skill(mined: Project) -> None:
    pattern_id = validated(mined)
    moved = approve(mined, pattern_id[:8], actor="person:ada", reason="looks right")
    assert (moved.from_state, moved.to_state) == (PatternState.VALIDATED, PatternState.APPROVED)
    result = promote(mined, actor="person:ada")
    [item] = result.promoted
    assert item.pattern_id == pattern_id
    path = mined.root / item.path
    text = path.read_text(encoding="utf-8")
    data = front_matter(text)
    assert data["name"] == item.skill == path.parent.name
    assert len(item.skill) <= 64 and item.skill.startswith("workflow-pytest")
    assert isinstance(data["description"], str) and 0 < len(data["description"]) <= 1024
    assert data["metadata"] == {
        "pattern": pattern_id,
        "namespace": "demo",
        "generator": "hestai-tmws",
    }
    assert "## Steps" in text and "`Bash:ruff check`" in text
    doc = parse_skill(text, item.skill)
    assert doc.pattern_id == pattern_id and doc.description == data["description"]
    record = load_records(mined).records[pattern_id]
    assert record.state is PatternState.PROMOTED
    assert record.skill == f"learning/skills/{item.skill}/SKILL.md"
    assert [h.actor for h in record.history[-2:]] == ["person:ada", "person:ada"]
    assert tuple(record.tokens) == WORKFLOW_TOKENS


@pytest.mark.parametrize(
    "action, message",
    [
        ("promote", "VALIDATED -> PROMOTED"),
        ("deprecate", "VALIDATED -> DEPRECATED"),
    ],
)
def test_illegal_transitions_are_refused(mined: Project, action: str, message: str) -> None:
    pattern_id = validated(mined)
    before = (mined.memory_path(f"learning/patterns/{pattern_id}.oct.md")).read_text()
    with pytest.raises(PolicyError, match=message) as caught:
        if action == "promote":
            promote(mined, pattern_id, actor="person:ada")
        elif action == "reject":
            reject(mined, pattern_id, actor="person:ada")
        else:
            deprecate(mined, pattern_id, actor="person:ada")
    assert caught.value.exit_code == 3
    assert caught.value.hint == "from VALIDATED a pattern may move to: APPROVED, REJECTED"
    assert mined.memory_path(f"learning/patterns/{pattern_id}.oct.md").read_text() == before


def test_a_rejected_pattern_cannot_be_approved(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_weak(project)
    run_mine(project)
    [record] = load_records(project).records.values()
    assert record.state is PatternState.REJECTED
    with pytest.raises(PolicyError, match="REJECTED -> APPROVED"):
        approve(project, record.id, actor="person:ada")


def test_approval_needs_a_person_or_a_policy(mined: Project) -> None:
    with pytest.raises(PolicyError, match="approval needs a person"):
        approve(mined, validated(mined), actor="system")


def test_promotions_are_limited_per_run(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo", settings="learning:\n  max_promotions_per_run: 1\n")
    plant_sessions(project, 6)
    plant_sessions(project, 8, start=50, workflow=OTHER_WORKFLOW)
    run_mine(project)
    ids = [r.id for r in load_records(project).records.values()]
    assert len(ids) == 2
    for pattern_id in ids:
        approve(project, pattern_id, actor="person:ada")
    first = promote(project, actor="person:ada")
    assert len(first.promoted) == 1 and len(first.deferred) == 1
    second = promote(project, actor="person:ada")
    assert len(second.promoted) == 1 and second.deferred == []
    assert len(skill_slugs(project)) == 2
    assert promote(project, actor="person:ada").notes == ["no approved patterns to promote"]


def test_deprecate_removes_the_skill_and_keeps_the_record(mined: Project) -> None:
    pattern_id = validated(mined)
    approve(mined, pattern_id, actor="person:ada")
    [item] = promote(mined, actor="person:ada").promoted
    moved = deprecate(mined, pattern_id, actor="person:bob", reason="superseded")
    assert moved.removed == [item.path]
    assert not (mined.root / item.path).exists()
    record = load_records(mined).records[pattern_id]
    assert record.state is PatternState.DEPRECATED and record.skill is None
    assert record.history[-1].reason == "superseded"
    run_mine(mined)  # later runs keep the state
    assert load_records(mined).records[pattern_id].state is PatternState.DEPRECATED


def test_promoted_skills_pass_the_agent_skills_reference_validator(mined: Project) -> None:
    skills_ref = pytest.importorskip("skills_ref")
    pattern_id = next(
        r.id for r in load_records(mined).records.values() if r.state.value == "VALIDATED"
    )
    approve(mined, pattern_id, actor="person:ada")
    [item] = promote(mined, actor="person:ada").promoted
    folder = (mined.root / item.path).parent
    assert skills_ref.validate(folder) == []
    text = (folder / "SKILL.md").read_text(encoding="utf-8")
    description = skills_ref.read_properties(folder).description
    assert "Use when" in description and "## Goal" in text and "## What success looks like" in text

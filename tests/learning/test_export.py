"""Export of promoted skills: Claude Code's `.claude/skills/`, and the target choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.errors import UsageError
from hestai_tmws.learning.export import export_claude, export_skills, export_target
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.promote import promote
from hestai_tmws.learning.review import approve
from hestai_tmws.learning.store import load_records
from hestai_tmws.project import Project
from tests.learning.loop_support import init_repo, plant_sessions


@pytest.fixture
def mined(tmp_path: Path) -> Project:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 6)
    run_mine(project)
    return project


def validated(project: Project) -> str:
    found = [r for r in load_records(project).records.values() if r.state.value == "VALIDATED"]
    assert len(found) == 1
    return found[0].id


def test_export_copies_skills_for_claude_code(mined: Project) -> None:
    pattern_id = validated(mined)
    approve(mined, pattern_id, actor="person:ada")
    [item] = promote(mined, actor="person:ada").promoted
    result = export_claude(mined)
    target = mined.root / ".claude" / "skills" / item.skill / "SKILL.md"
    assert result.written == [f".claude/skills/{item.skill}/SKILL.md"]
    assert target.read_bytes() == (mined.root / item.path).read_bytes()
    again = export_claude(mined)
    assert again.written == [] and again.unchanged == result.written


def test_export_needs_a_target() -> None:
    with pytest.raises(UsageError, match="choose a target"):
        export_target(claude=False)
    assert export_target(claude=True) == "claude"


def test_export_skills_without_skills_writes_nothing(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    result = export_skills(project, "claude")
    assert (result.target, result.written, result.unchanged) == (".claude/skills", [], [])


def test_deprecate_removes_the_exported_copy_but_not_a_hand_written_one(mined: Project) -> None:
    from hestai_tmws.learning.review import deprecate

    pattern_id = validated(mined)
    approve(mined, pattern_id, actor="person:ada")
    [item] = promote(mined, actor="person:ada").promoted
    export_claude(mined)
    copy = mined.root / ".claude" / "skills" / item.skill / "SKILL.md"
    own = mined.root / ".claude" / "skills" / "mine" / "SKILL.md"
    own.parent.mkdir(parents=True)
    own.write_text("---\nname: mine\ndescription: by hand\n---\n\nbody\n", encoding="utf-8")

    result = deprecate(mined, pattern_id, actor="person:ada")

    assert f".claude/skills/{item.skill}/SKILL.md" in result.removed
    assert not copy.exists() and not copy.parent.exists()
    assert own.exists()

"""The skill index: built from SKILL.md files, cached in the git directory, held per process."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.learning.skill_index import INDEX_CACHE, SkillIndex, load_index
from hestai_tmws.learning.suggest import suggest_skills
from hestai_tmws.project import Project
from tests.learning.index_support import (  # noqa: F401 (fixtures)
    fresh_memo_fixture,
    skill_named,
    two_skills_fixture,
)
from tests.learning.loop_support import promoted_project


def test_promotion_leaves_the_index_ready_for_the_next_process(tmp_path: Path) -> None:
    project = promoted_project(tmp_path / "repo")
    cached = (project.cache_dir / INDEX_CACHE).read_bytes()
    signature, _ = index_mod._signature(project)
    assert SkillIndex.from_bytes(cached, signature) is not None


def test_the_index_is_reused_from_the_cache(
    two_skills: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_index(two_skills)
    assert first.count == 2 and (two_skills.cache_dir / INDEX_CACHE).is_file()
    index_mod._MEMO.clear()

    def no_build(*_a: object, **_k: object) -> SkillIndex:
        raise AssertionError("the cached index should have been used")

    monkeypatch.setattr(SkillIndex, "build", no_build)
    again = load_index(two_skills)
    assert again.count == 2 and again is not first
    assert load_index(two_skills) is again  # held by the process


def test_a_changed_skill_file_rebuilds_the_index(two_skills: Project) -> None:
    from hestai_tmws.steward import Steward

    before = load_index(two_skills)
    slug = skill_named(two_skills, "docker")
    rel = f"learning/skills/{slug}/SKILL.md"
    text = two_skills.memory_path(rel).read_text()
    Steward(two_skills).write_text(rel, text.replace("description: ", "description: Kubernetes "))
    after = load_index(two_skills)
    assert after.signature != before.signature
    batch = suggest_skills(two_skills, "kubernetes", record=False)
    assert [s.skill for s in batch.suggestions] == [slug]


def test_a_held_index_is_trusted_for_a_moment(
    two_skills: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hestai_tmws.steward import Steward

    monkeypatch.setattr(index_mod, "RECHECK_S", 3600.0)
    held = load_index(two_skills)
    slug = skill_named(two_skills, "docker")
    rel = f"learning/skills/{slug}/SKILL.md"
    Steward(two_skills).delete(rel)  # another process's change
    assert load_index(two_skills) is held
    index_mod.forget(two_skills)
    assert load_index(two_skills).count == 1


def test_only_the_sop_text_is_searched() -> None:
    body = "# Workflow: a\n\n## When to use\n\nx\n\n## Steps\n\n1. Run y\n\n## Evidence\n\n- z\n"
    assert index_mod.indexed_body(body) == (
        "# Workflow: a\n\n## When to use\n\nx\n\n## Steps\n\n1. Run y\n"
    )
    assert index_mod.indexed_body("free text " * 1000) == ("free text " * 400)


def test_a_new_process_trusts_the_quick_key_until_the_full_recheck_is_due(
    two_skills: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_index(two_skills)
    index_mod._MEMO.clear()
    calls = 0
    real = index_mod._signature

    def counting(project: Project) -> tuple[str, list[str]]:
        nonlocal calls
        calls += 1
        return real(project)

    monkeypatch.setattr(index_mod, "_signature", counting)
    again = load_index(two_skills)  # a stat of a few files, not one per skill
    assert (calls, again.signature, again.count) == (0, first.signature, 2)
    index_mod._MEMO.clear()
    later = time.time() + index_mod.FULL_RECHECK_S + 1
    monkeypatch.setattr(index_mod.time, "time", lambda: later)
    assert load_index(two_skills).signature == first.signature and calls == 1


def test_a_steward_write_of_a_skill_changes_the_quick_key(two_skills: Project) -> None:
    from hestai_tmws.steward import Steward

    before = index_mod._quick_key(two_skills)
    Steward(two_skills).write_text(
        "context/notes.oct.md", "===NOTES===\nMETA:\n  TYPE::NOTES\n===END===\n"
    )
    assert index_mod._quick_key(two_skills) == before  # other memory leaves it alone
    slug = skill_named(two_skills, "docker")
    Steward(two_skills).delete(f"learning/skills/{slug}/SKILL.md")
    assert index_mod._quick_key(two_skills) != before
    index_mod._MEMO.clear()
    assert load_index(two_skills).count == 1


def test_a_deadline_passed_while_parsing_stops_before_the_bm25_parts(
    two_skills: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parts cost about as much as parsing: a build out of time does not start them."""
    clock = iter([0.0, 0.0, 10.0])  # one reading per skill while parsing, then the check
    monkeypatch.setattr(index_mod.time, "perf_counter", lambda: next(clock))

    def no_parts(*_a: object) -> int:
        raise AssertionError("the parts were computed after the deadline")

    monkeypatch.setattr(index_mod, "store_parts", no_parts)
    slugs = sorted(p.name for p in (two_skills.hestai / "learning" / "skills").iterdir())
    with pytest.raises(index_mod.IndexTooSlow):
        SkillIndex.build(two_skills, slugs, "sig", deadline=5.0)

"""Walking `.hestai/`: committed files in order, active sessions and temp files apart."""

from __future__ import annotations

from hestai_tmws.project import Project
from hestai_tmws.steward.atomic import TEMP_PREFIX
from hestai_tmws.steward.memory_files import iter_memory_files, temp_leftovers


def test_walk_skips_temp_files_and_active_sessions_unless_asked(project: Project) -> None:
    base = project.hestai
    (base / "context").mkdir(parents=True)
    (base / "context/b.oct.md").write_text("b")
    (base / "a.jsonl").write_text("{}\n")
    (base / "sessions/active/x").mkdir(parents=True)
    (base / "sessions/active/x/session.json").write_text("{}")
    (base / f"context/{TEMP_PREFIX}1.tmp").write_text("partial")
    assert [rel for rel, _ in iter_memory_files(project)] == ["a.jsonl", "context/b.oct.md"]
    every = [rel for rel, _ in iter_memory_files(project, include_active=True)]
    assert "sessions/active/x/session.json" in every
    assert temp_leftovers(project) == [f".hestai/context/{TEMP_PREFIX}1.tmp"]

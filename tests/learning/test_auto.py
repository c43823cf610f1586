"""The automatic step after clock-out: patterns found with no command, bounded, never failing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.learning.auto import after_clock_out, spawn_background, start_background
from hestai_tmws.learning.cache import SequenceCache
from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.feedback import record_feedback, skill_stats
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.promote import promote
from hestai_tmws.learning.review import approve
from hestai_tmws.learning.store import load_records
from hestai_tmws.project import Project
from tests.learning.loop_support import init_repo, plain_log, plant_sessions

FLOW = ["pytest -q", "ruff check src", "git add -A", "git commit -m wip"]
FLOW_TOKENS = ("Bash:pytest", "Bash:ruff check", "Bash:git add", "Bash:git commit")


@pytest.fixture(autouse=True)
def _fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    index_mod._MEMO.clear()
    monkeypatch.setattr(index_mod, "RECHECK_S", 0.0)  # every call checks the files


def at_day(monkeypatch: pytest.MonkeyPatch, day: int) -> None:
    """Clock-in and clock-out see this day (sessions must span days to count)."""
    import hestai_tmws.workflows.clock_in as clock_in_mod
    import hestai_tmws.workflows.clock_out as clock_out_mod

    moment = datetime(2025, 3, 3, 9, 0, tzinfo=UTC) + timedelta(days=day)
    monkeypatch.setattr(clock_in_mod, "utc_now", lambda: moment)
    monkeypatch.setattr(clock_out_mod, "utc_now", lambda: moment + timedelta(minutes=20))


def work(
    project: Project,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    index: int,
    *,
    focus: str | None = None,
    commands: list[str] | None = None,
    learn: bool = True,
) -> tuple[Any, Any]:
    """One real session through the sessions service: clock-in, a transcript, clock-out."""
    from hestai_tmws.workflows.clock_in import clock_in
    from hestai_tmws.workflows.clock_out import clock_out

    at_day(monkeypatch, index % 3)
    opened = clock_in(project, focus=focus or f"task {index}")
    steps = commands or [f"prep{index}a", f"prep{index}b", *FLOW, f"wrapup{index}"]
    log = plain_log(tmp_path / f"session-{index}.log", steps)
    return opened, clock_out(project, transcript=log, learn=learn)


def test_patterns_are_found_and_validated_without_any_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = init_repo(tmp_path / "repo")
    results = [work(project, tmp_path, monkeypatch, i)[1] for i in range(3)]
    assert [r.learning.mode for r in results] == ["full", "full", "full"]
    assert [r.learning.archives_read for r in results] == [1, 1, 1]
    assert results[1].learning.created == []
    [pattern_id] = results[2].learning.created
    # three clean runs in three sessions on three days: V1 and V2 both pass
    assert results[2].learning.transitions == [f"{pattern_id} DETECTED → VALIDATED"]
    record = load_records(project).records[pattern_id]
    assert tuple(record.tokens) == FLOW_TOKENS
    more = [work(project, tmp_path, monkeypatch, i)[1] for i in range(3, 6)]
    assert more[-1].learning.transitions == []
    assert load_records(project).records[pattern_id].state is PatternState.VALIDATED
    assert all(r.learning.elapsed_ms < 60_000 for r in [*results, *more])


def test_the_loop_end_to_end_suggest_use_and_feedback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hestai_tmws.sessions.store import load_session

    project = init_repo(tmp_path / "repo")
    for i in range(6):
        work(project, tmp_path, monkeypatch, i)
    [record] = load_records(project).records.values()
    approve(project, record.id, actor="person:ada")
    [skill] = promote(project, actor="person:ada").promoted

    from hestai_tmws.workflows.clock_in import clock_in
    from hestai_tmws.workflows.clock_out import clock_out

    at_day(monkeypatch, 7)
    opened = clock_in(project, focus="run pytest and ruff, then commit the fix")
    [suggested] = opened.suggested_skills
    assert suggested.skill == skill.skill and suggested.id.startswith("sg-")
    stored = load_session(project, opened.session_id).suggestions
    assert [s.id for s in stored] == [suggested.id]
    log = plain_log(tmp_path / "follow.log", ["pytest -q", "ruff check .", "git commit -m x"])
    closed = clock_out(project, transcript=log)
    assert closed.learning.used == [suggested.id]
    feedback = record_feedback(project, suggested.id, True, "exactly what I needed")
    assert (feedback.stats.suggested, feedback.stats.used, feedback.stats.helpful) == (1, 1, 1)
    assert skill_stats(project)[skill.skill].activation == 1.0


def test_no_learn_skips_the_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = init_repo(tmp_path / "repo")
    results = [work(project, tmp_path, monkeypatch, i, learn=False)[1] for i in range(3)]
    assert all(r.learning is None for r in results)
    assert load_records(project).records == {}
    assert not (project.cache_dir / "learning-sequences.marshal").exists()


def test_after_clock_out_never_raises(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    missing = after_clock_out(project, "sessions/archive/2025-01-01-none-00000000.oct.md")
    assert missing.note is not None and "usage detection skipped" in missing.note
    assert missing.ran is True and missing.mode == "full"
    (project.root / ".hestai-tmws.yaml").write_text("learning: [not, a, mapping\n")
    broken = after_clock_out(project, "sessions/archive/x.oct.md")
    assert broken.ran is False and broken.mode == "skipped"
    assert broken.note is not None and "learning skipped (ValidationError" in broken.note


def test_a_spent_budget_leaves_the_work_for_later(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    rels = plant_sessions(project, 3)
    result = after_clock_out(project, rels[-1], budget_s=0.0)
    assert result.mode == "scan-only" and result.patterns == 0
    assert result.note is not None and "3 left for the next run" in result.note
    assert load_records(project).records == {}
    later = after_clock_out(project, rels[-1], budget_s=None)
    assert later.mode == "full" and later.archives_read == 3 and len(later.created) == 1


def test_a_large_corpus_is_updated_incrementally_within_the_budget(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 4)
    run_mine(project)
    cache = SequenceCache.load(project)
    cache.last_run.update({"full_mine_s": 500.0, "full_calls": 40})  # as if mining were slow
    cache.save(project)
    rel = plant_sessions(project, 1, start=4)[0]
    result = after_clock_out(project, rel, budget_s=1.0)
    assert result.mode == "incremental" and result.archives_read == 1
    [record] = load_records(project).records.values()
    assert record.stats.support == 5 and result.updated == [record.id]
    assert "since the last full mine" in (result.note or "")


def test_no_baseline_and_no_time_skips_mining_with_a_note(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    rel = plant_sessions(project, 3)[0]
    cache = SequenceCache.load(project)
    cache.last_run.update({"full_mine_s": 500.0, "full_calls": 1})
    cache.save(project)
    result = after_clock_out(project, rel, budget_s=0.5)
    assert result.mode == "scan-only" and result.archives_read == 3
    assert "run `tmws learn mine`" in (result.note or "")


def test_background_run_for_the_mcp_server(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    rel = plant_sessions(project, 3)[-1]
    thread = start_background(project, rel)
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert len(load_records(project).records) == 1


def test_background_process_for_the_mcp_server(tmp_path: Path) -> None:
    """The server's learning step runs in its own process and writes the same records."""
    project = init_repo(tmp_path / "repo")
    rel = plant_sessions(project, 3)[-1]
    proc = spawn_background(project, rel)
    assert proc.wait(timeout=120) == 0
    assert proc.stdout is None  # nothing may reach the server's stdout (the MCP protocol)
    assert len(load_records(project).records) == 1


def test_background_entry_needs_its_two_arguments() -> None:
    from hestai_tmws.learning.auto import main

    assert main([]) == 2


def test_an_unreadable_new_archive_does_not_stop_the_step(tmp_path: Path) -> None:
    from hestai_tmws.steward.atomic import atomic_write_bytes

    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    rel = "sessions/archive/2025-03-04-bad-0000beef.oct.md"
    atomic_write_bytes(project.memory_path(rel), b"===SESSION_ARCHIVE===\n===END===\n")
    result = after_clock_out(project, rel)
    assert result.ran and len(result.created) == 1
    assert result.note is not None and "usage detection skipped" in result.note


def test_one_background_process_for_several_archives(tmp_path: Path) -> None:
    """The server's coalesced step: every archive's usage, one mine for all of them."""
    project = init_repo(tmp_path / "repo")
    rels = plant_sessions(project, 3)
    proc = spawn_background(project, rels)
    assert proc.wait(timeout=120) == 0
    assert len(load_records(project).records) == 1
    missing = after_clock_out(project, [rels[0], "sessions/archive/gone.oct.md"])
    assert "usage detection of sessions/archive/gone.oct.md skipped" in (missing.note or "")

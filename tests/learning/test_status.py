"""Read-only views: status counts, pattern lists by state, the last run as a typed record."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.status import LastRun, LearningStatus, learning_status, list_patterns
from tests.learning.loop_support import OTHER_WORKFLOW, init_repo, plant_sessions, plant_weak


def test_status_and_lists_after_a_mine(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    assert learning_status(project).last_mine() is None
    plant_sessions(project, 6)
    plant_weak(project, start=50, workflow=OTHER_WORKFLOW)
    run_mine(project)
    status = learning_status(project)
    assert (status.archives, status.patterns) == (9, 2)
    assert status.by_state["VALIDATED"] == 1 and status.by_state["REJECTED"] == 1
    run = status.last_mine()
    assert run is not None and (run.mode, run.patterns, run.sessions) == ("full", 2, 9)
    validated = list_patterns(project, PatternState.VALIDATED).patterns
    assert [p.state for p in validated] == [PatternState.VALIDATED]
    assert len(list_patterns(project).patterns) == 2


def test_a_last_run_without_the_usual_keys_reads_as_unknown() -> None:
    status = LearningStatus(
        archives=0,
        patterns=0,
        by_state={},
        skills=0,
        suggestions=0,
        used=0,
        feedback=0,
        last_run={"archives": 3},
    )
    assert status.last_mine() == LastRun(archives=3)
    assert (LastRun().mode, LastRun().at, LastRun().patterns) == ("?", "?", 0)

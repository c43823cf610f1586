"""`prune` removes rejected records older than 30 days, through the Steward."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.prune import prune
from hestai_tmws.learning.store import load_records
from tests.learning.loop_support import OTHER_WORKFLOW, git, init_repo, plant_sessions, plant_weak


def test_prune_removes_only_old_rejections(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_weak(project)  # REJECTED (one of three runs failed: V2)
    plant_sessions(project, 6, start=50, workflow=OTHER_WORKFLOW)  # VALIDATED
    run_mine(project)
    found = load_records(project).records
    rejected = next(r for r in found.values() if r.state is PatternState.REJECTED)
    since = rejected.state_since()

    young = prune(project, now=since + timedelta(days=29))
    assert (young.removed, young.kept_rejected) == ([], 1)
    dry = prune(project, now=since + timedelta(days=31), dry_run=True)
    assert dry.removed == [f".hestai/{rejected.rel}"]
    assert project.memory_path(rejected.rel).exists()

    done = prune(project, now=since + timedelta(days=31))
    assert done.removed == [f".hestai/{rejected.rel}"]
    assert not project.memory_path(rejected.rel).exists()
    left = load_records(project).records
    assert [r.state for r in left.values()] == [PatternState.VALIDATED]
    assert project.ledger_path.read_text().count('"delete"') >= 1


def test_prune_deletion_is_staged_for_committed_records(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_weak(project)
    run_mine(project)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "mined", "--no-verify")
    [record] = load_records(project).records.values()
    prune(project, older_than_days=0, now=record.state_since() + timedelta(seconds=1))
    status = git(project.root, "status", "--porcelain", "--", ".hestai/learning")
    assert status.strip() == f"D  .hestai/{record.rel}"

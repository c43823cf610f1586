"""Reading pattern records (by id, prefix or skill name) and writing them only when changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.errors import NotFoundError, UsageError
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.store import load_records, record_files, resolve_id, write_record
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from tests.learning.loop_support import OTHER_WORKFLOW, init_repo, plant_sessions


@pytest.fixture
def mined(tmp_path: Path) -> Project:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 6)
    plant_sessions(project, 3, start=50, workflow=OTHER_WORKFLOW)
    run_mine(project)
    return project


def test_ids_resolve_from_full_ids_and_prefixes(mined: Project) -> None:
    ids = sorted(load_records(mined).records)
    assert len(ids) == 2
    for pid in ids:
        assert resolve_id(mined, pid) == pid
        assert resolve_id(mined, pid.upper()) == pid
        assert resolve_id(mined, pid[:12]) == pid
        assert resolve_id(mined, pid.removeprefix("pat-")[:8]) == pid
    with pytest.raises(UsageError):
        resolve_id(mined, " ")
    with pytest.raises(NotFoundError):
        resolve_id(mined, "pat-ffffffffffffffff")


def test_a_misplaced_record_is_reported_broken(mined: Project) -> None:
    [first, *_] = record_files(mined)
    misplaced = mined.memory_path(first).with_name("pat-0000000000000000.oct.md")
    misplaced.write_text(mined.memory_path(first).read_text(encoding="utf-8"), encoding="utf-8")
    found = load_records(mined)
    assert len(found.records) == 2
    assert list(found.broken) == ["learning/patterns/pat-0000000000000000.oct.md"]
    assert "belongs in" in found.broken["learning/patterns/pat-0000000000000000.oct.md"]


def test_an_unchanged_record_is_not_written_again(mined: Project) -> None:
    found = load_records(mined)
    pid, record = next(iter(found.records.items()))
    steward = Steward(mined)
    with steward.transaction("test"):
        assert (
            write_record(steward, record, current=found.texts[pid], actor="t", reason="r") is False
        )

"""The cache index's delta: small saves that load as the whole index, never a wrong state."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hestai_tmws.learning import cache as cache_module
from hestai_tmws.learning import cache_delta
from hestai_tmws.learning.cache import SequenceCache, cache_path
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.store import load_records
from hestai_tmws.project import Project
from tests.learning.loop_support import init_repo, plant_sessions

OLD = datetime(2024, 1, 1).timestamp()


def settle(project: Project) -> None:
    for path in project.memory_path("sessions/archive").iterdir():
        os.utime(path, (OLD, OLD))


def mined(tmp_path: Path, count: int = 6) -> Project:
    """A repository mined in full, its archives settled and their stat keys saved."""
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, count)
    settle(project)
    run_mine(project)
    run_mine(project)  # the stat keys of the settled files
    return project


def add_sessions(project: Project, start: int, count: int = 3) -> None:
    plant_sessions(project, count, start=start)
    settle(project)


def facts(project: Project) -> dict[str, Any]:
    """What the records say, without the times they were written at."""
    found = load_records(project).records
    return {rid: (r.state, r.stats, r.evidence) for rid, r in found.items()}


def delta_path(project: Project) -> Path:
    return cache_path(project).parent / cache_delta.DELTA_NAME


def state(cache: SequenceCache) -> dict[str, Any]:
    baseline = dict(cache.baseline or {})
    for key in cache_delta.BIG_LISTS:
        baseline[key] = sorted(baseline.get(key, ()))
    return {
        "tokens": cache.tokens,
        "present": cache.blobs.present,
        "segments": cache.blobs.segments,
        "bad": cache.bad,
        "stats": cache.stats,
        "baseline": baseline,
        "last_run": cache.last_run,
    }


def whole_state(project: Project) -> dict[str, Any]:
    """What a full save of the current cache loads as (the delta folded into the index)."""
    cache = SequenceCache.load(project)
    cache._index = None  # as a cache not loaded from disk: a full save
    cache.save(project)
    assert not delta_path(project).exists()
    return state(SequenceCache.load(project))


def test_an_incremental_run_writes_a_delta_that_loads_as_the_whole_index(tmp_path: Path) -> None:
    project = mined(tmp_path)
    index = cache_path(project).read_bytes()
    for start in (50, 60):  # two runs: the delta is cumulative
        add_sessions(project, start)
        report = run_mine(project, mode="incremental")
        assert (report.mode, report.archives_read) == ("incremental", 3)
        assert cache_path(project).read_bytes() == index  # the index is not rewritten
        assert delta_path(project).exists()
    loaded = state(SequenceCache.load(project))
    assert len(loaded["stats"]) == 12 and len(loaded["present"]) == 12
    assert loaded == whole_state(project)
    again = run_mine(project, mode="incremental")
    assert (again.archives_read, again.archives_hashed, again.new_sessions) == (0, 0, 0)


def test_the_records_equal_those_of_runs_without_the_delta(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_delta = mined(tmp_path / "a")
    monkeypatch.setattr(SequenceCache, "_save_delta", lambda *_a, **_k: False)
    without = mined(tmp_path / "b")
    monkeypatch.undo()
    for start in (50, 60):
        add_sessions(with_delta, start)
        run_mine(with_delta, mode="incremental")
        monkeypatch.setattr(SequenceCache, "_save_delta", lambda *_a, **_k: False)
        add_sessions(without, start)
        run_mine(without, mode="incremental")
        monkeypatch.undo()
    assert delta_path(with_delta).exists() and not delta_path(without).exists()
    assert facts(with_delta) and facts(with_delta) == facts(without)


def test_a_delta_left_over_from_another_index_is_ignored(tmp_path: Path) -> None:
    project = mined(tmp_path)
    add_sessions(project, 50)
    run_mine(project, mode="incremental")
    stale = delta_path(project).read_bytes()
    cache = SequenceCache.load(project)
    for blob in list(cache.blobs.present)[-2:]:
        del cache.blobs[blob]  # entries the stale delta holds
    cache._index = None
    cache.save(project)  # a whole index: the delta is dropped
    assert not delta_path(project).exists()
    index_only = state(SequenceCache.load(project))
    delta_path(project).write_bytes(stale)
    assert state(SequenceCache.load(project)) == index_only


@pytest.mark.parametrize("keep", [0, 7, 0.5])
def test_a_torn_or_damaged_delta_leaves_the_index_alone(tmp_path: Path, keep: float) -> None:
    project = mined(tmp_path)
    index_only = state(SequenceCache.load(project))
    add_sessions(project, 50)
    run_mine(project, mode="incremental")
    data = delta_path(project).read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep
    delta_path(project).write_bytes(data[:cut])
    loaded = SequenceCache.load(project)
    assert loaded.loaded_from_disk and loaded.load_note is None
    assert state(loaded) == index_only
    report = run_mine(project, mode="incremental")  # the new sessions are read again
    assert (report.archives_hashed, report.archives_read, report.new_sessions) == (3, 3, 3)


def test_a_crash_while_saving_the_delta_keeps_the_last_saved_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mined(tmp_path)
    add_sessions(project, 50)
    run_mine(project, mode="incremental")
    saved = state(SequenceCache.load(project))
    add_sessions(project, 60)

    def crash(path: Path, data: bytes) -> None:
        if path.name == cache_delta.DELTA_NAME:
            path.with_name(f".{path.name}.tmp").write_bytes(data[: len(data) // 2])
            raise OSError(28, "No space left on device")
        real(path, data)

    real = cache_module.replace_quickly
    monkeypatch.setattr(cache_module, "replace_quickly", crash)
    report = run_mine(project, mode="incremental")
    assert "could not be saved" in " ".join(report.notes)
    monkeypatch.undo()
    assert state(SequenceCache.load(project)) == saved
    assert run_mine(project, mode="incremental").new_sessions == 3


def test_a_delta_grown_past_its_limit_is_folded_into_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = mined(tmp_path)
    index = cache_path(project).read_bytes()
    monkeypatch.setattr(cache_delta, "MIN_LIMIT", 6)
    add_sessions(project, 50, count=2)
    run_mine(project, mode="incremental")
    assert delta_path(project).exists() and cache_path(project).read_bytes() == index
    add_sessions(project, 60, count=2)
    run_mine(project, mode="incremental")
    assert not delta_path(project).exists() and cache_path(project).read_bytes() != index
    assert len(SequenceCache.load(project).stats) == 10

"""Segmented sequence cache: append per run, lazy reads, compaction, crash and damage."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hestai_tmws.learning import cache_segments
from hestai_tmws.learning.cache import SequenceCache, cache_path
from hestai_tmws.learning.cache_segments import CacheDamaged, Entries, Entry
from hestai_tmws.learning.pipeline import run_mine
from tests.learning.loop_support import init_repo, plant_sessions, write_archive


def _segments(project_dir: Path) -> list[str]:
    return sorted(p.name for p in project_dir.glob(cache_segments.SEGMENT_PREFIX + "*"))


def test_a_new_archive_appends_one_segment_and_old_ones_stay_unread(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    run_mine(project)
    folder = cache_path(project).parent
    first = _segments(folder)
    assert len(first) == 1
    before = (folder / first[0]).read_bytes()
    write_archive(project, 99, [("Read", ""), ("Edit", "")], day=1)
    report = run_mine(project, mode="incremental")
    assert report.archives_read == 1
    after = _segments(folder)
    assert len(after) == 2 and (folder / first[0]).read_bytes() == before
    cache = SequenceCache.load(project)
    assert cache.blobs._loaded is None  # nothing read until an entry is asked for
    assert len(cache.blobs) == 4
    assert run_mine(project).archives_read == 0


def test_many_runs_compact_into_one_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_segments, "MAX_SEGMENTS", 3)
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 2)
    run_mine(project)
    for i in range(4):
        write_archive(project, 50 + i, [("Read", ""), ("Edit", "")], day=1)
        run_mine(project, mode="incremental")
    folder = cache_path(project).parent
    assert len(_segments(folder)) <= 3
    full = run_mine(project)
    assert (full.archives, full.archives_read, full.sessions) == (6, 0, 6)


def test_a_crash_before_the_index_leaves_the_old_cache_readable(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    run_mine(project)
    folder = cache_path(project).parent
    index = cache_path(project).read_bytes()
    write_archive(project, 99, [("Read", ""), ("Edit", "")], day=1)
    run_mine(project)
    cache_path(project).write_bytes(index)  # as if the run died after its segment
    (folder / "learning-seq-99999999.marshal").write_bytes(b"\x00half")  # and a torn temp
    report = run_mine(project)
    assert (report.archives, report.archives_read, report.sessions) == (4, 1, 4)


def test_a_missing_or_damaged_segment_means_a_cold_run_not_a_wrong_one(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    run_mine(project)
    folder = cache_path(project).parent
    (seg,) = _segments(folder)
    size = (folder / seg).stat().st_size
    (folder / seg).write_bytes(b"\x00" * size)  # same size, unreadable content
    write_archive(project, 99, [("Read", ""), ("Edit", "")], day=1)  # a real re-mine
    report = run_mine(project)
    assert (report.archives_read, report.sessions) == (4, 4)
    assert "damaged" in " ".join(report.notes)
    for name in _segments(folder):
        (folder / name).unlink()
    again = run_mine(project)
    assert (again.archives_read, again.sessions) == (4, 4)


def _entry(i: int) -> Entry:
    return (f"s{i}", 700000 + i, None, bytes(8 * (i % 5)))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sets(st.integers(0, 40)), st.sets(st.integers(0, 40))), max_size=8))
def test_entries_survive_any_sequence_of_adds_and_drops(
    tmp_path_factory: pytest.TempPathFactory, rounds: list[tuple[set[int], set[int]]]
) -> None:
    folder = tmp_path_factory.mktemp("seg")
    expected: dict[str, Entry] = {}
    entries = Entries()
    for added, dropped in rounds:
        for i in added:
            entries[f"b{i}"] = expected[f"b{i}"] = _entry(i)
        entries.keep_only({b for b in expected if int(b[1:]) not in dropped})
        expected = {b: e for b, e in expected.items() if int(b[1:]) not in dropped}
        segments = entries.save(folder, lambda p, d: p.write_bytes(d))
        entries = Entries(folder, segments, dict(entries.present))  # a new process
    assert dict(entries.items()) == expected
    assert entries.total_steps() == sum(len(e[3]) // 8 for e in expected.values())


def test_an_entry_the_segments_lost_is_reported_damaged(tmp_path: Path) -> None:
    entries = Entries()
    entries["a"] = _entry(1)
    segments = entries.save(tmp_path, lambda p, d: p.write_bytes(d))
    lying = Entries(tmp_path, segments, {"a": 0, "b": 0})
    assert lying["a"] == _entry(1)
    with pytest.raises(CacheDamaged):
        lying["b"]

"""The sequence cache: blob-keyed, stat-checked, damage-tolerant, resumable at a deadline."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from hestai_tmws.learning.archive_scan import scan
from hestai_tmws.learning.cache import SequenceCache, cache_path
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.project import Project
from tests.learning.loop_support import init_repo, plant_sessions, write_archive


def mined_old_sessions(tmp_path: Path, count: int) -> tuple[Project, list[str], float]:
    """A repository whose archives are settled (an old mtime) and mined once."""
    project = init_repo(tmp_path / "repo")
    rels = plant_sessions(project, count)
    old = datetime(2024, 1, 1).timestamp()
    for rel in rels:
        os.utime(project.memory_path(rel), (old, old))
    run_mine(project)
    return project, rels, old


def test_second_mine_reads_no_archive_and_a_new_one_reads_one(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 4)
    first = run_mine(project)
    assert (first.archives, first.archives_read, first.archives_cached) == (4, 4, 0)
    second = run_mine(project)
    assert (second.archives, second.archives_read, second.archives_cached) == (4, 0, 4)
    write_archive(project, 99, [("Read", ""), ("Edit", "")], day=1)
    third = run_mine(project)
    assert (third.archives, third.archives_read, third.archives_cached) == (5, 1, 4)


def test_touched_archives_are_hashed_but_not_parsed_again(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    rels = plant_sessions(project, 3)
    run_mine(project)
    old = datetime(2024, 1, 1).timestamp()
    for rel in rels:  # an old mtime: stat keys are trusted from now on
        os.utime(project.memory_path(rel), (old, old))
    first = run_mine(project)
    assert first.archives_hashed == 3 and first.archives_read == 0
    again = run_mine(project)
    assert again.archives_hashed == 0 and again.archives_read == 0
    path = project.memory_path(rels[0])
    os.utime(path, (old + 60, old + 60))  # same content, new mtime: hash, no parse
    touched = run_mine(project)
    assert (touched.archives_hashed, touched.archives_read) == (1, 0)


def test_the_automatic_run_trusts_unchanged_inodes(tmp_path: Path) -> None:
    project, rels, old = mined_old_sessions(tmp_path, 3)
    os.utime(project.memory_path(rels[0]), (old + 9, old + 9))  # same inode: not replaced
    trusted = run_mine(project, mode="auto")
    assert (trusted.archives, trusted.archives_hashed, trusted.archives_read) == (3, 0, 0)
    checked = run_mine(project)
    assert (checked.archives_hashed, checked.archives_read) == (1, 0)
    write_archive(project, 7, [("Read", "")], day=1)
    added = run_mine(project, mode="auto")
    assert (added.archives, added.archives_hashed, added.archives_read) == (4, 1, 1)
    text = project.memory_path(rels[1]).read_text()
    from hestai_tmws.steward import Steward

    Steward(project).write_text(rels[1], text.replace("FOCUS::work", "FOCUS::other"))
    replaced = run_mine(project, mode="auto")  # a rename: new inode, read again
    assert (replaced.archives_hashed, replaced.archives_read) == (2, 1)


def test_a_damaged_cache_only_means_a_cold_run(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    run_mine(project)
    cache_path(project).write_bytes(b"\x00garbage")
    report = run_mine(project)
    assert report.archives_read == 3
    assert "damaged" in " ".join(report.notes)
    assert run_mine(project).archives_read == 0


def test_unreadable_archives_are_reported_not_fatal(tmp_path: Path) -> None:
    from hestai_tmws.steward.atomic import atomic_write_bytes

    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    bad = project.memory_path("sessions/archive/2025-03-03-bad-0000aaaa.oct.md")
    atomic_write_bytes(bad, b"===SESSION_ARCHIVE===\nMETA:\n  TOOL_CALL_COUNT::1\n---\n===END===\n")
    report = run_mine(project)
    assert list(report.unreadable) == ["sessions/archive/2025-03-03-bad-0000aaaa.oct.md"]
    assert report.sessions == 3
    assert run_mine(project).unreadable == report.unreadable  # remembered, not re-parsed


def test_scan_stops_at_the_deadline_and_continues_next_time(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 3)
    cache = SequenceCache.load(project)
    stopped = scan(project, cache, deadline=0.0)
    assert (stopped.complete, stopped.parsed, stopped.pending) == (False, 0, 3)
    resumed = scan(project, cache)
    assert (resumed.complete, resumed.parsed) == (True, 3)


def test_a_trusted_archive_without_its_sequence_is_parsed_without_hashing(tmp_path: Path) -> None:
    project, rels, _ = mined_old_sessions(tmp_path, 3)
    cache = SequenceCache.load(project)
    lost = cache.stats[rels[1]][3]
    del cache.blobs[lost]  # the stat key is known, the sequence is not
    found = scan(project, cache, trust_inodes=True)
    assert (found.hashed, found.parsed) == (0, 1)
    assert found.rels == sorted(rels) and found.blobs[found.rels.index(rels[1])] == lost
    assert [a.rel for a in found.archives] == found.rels
    assert [a.rel for a in found.refs_without({lost})] == [r for r in found.rels if r != rels[1]]


def test_a_remembered_unreadable_archive_stays_unreadable_in_a_trusted_scan(
    tmp_path: Path,
) -> None:
    from hestai_tmws.steward.atomic import atomic_write_bytes

    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 2)
    rel = "sessions/archive/2025-03-03-bad-0000aaaa.oct.md"
    atomic_write_bytes(project.memory_path(rel), b"===SESSION_ARCHIVE===\n===END===\n")
    old = datetime(2024, 1, 1).timestamp()
    for path in project.memory_path("sessions/archive").iterdir():
        os.utime(path, (old, old))
    first = run_mine(project)
    cache = SequenceCache.load(project)
    again = scan(project, cache, trust_inodes=True)
    assert (again.hashed, again.parsed) == (0, 0)
    assert again.unreadable == first.unreadable and list(again.unreadable) == [rel]
    assert rel not in again.rels and len(again.rels) == 2


def test_only_settled_stat_keys_are_saved(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    rels = plant_sessions(project, 2)
    old = datetime(2024, 1, 1).timestamp()
    os.utime(project.memory_path(rels[0]), (old, old))
    soon = datetime.now().timestamp() + 3600  # within the racy window of any save
    os.utime(project.memory_path(rels[1]), (soon, soon))
    run_mine(project)
    saved = SequenceCache.load(project).stats
    assert rels[0] in saved and rels[1] not in saved

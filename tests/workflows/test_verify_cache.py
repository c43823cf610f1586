"""The warm verify fingerprint: `.hestai/` files by stat, by bytes too when written lately.

The cache may serve a report only while every input is as the run that stored it saw it.
Stat alone misses two same-size writes within one clock tick; the racy cutoff closes that
gap, and these tests hold both halves: old files are never read, and no write after the
cutoff goes unseen, whatever its bytes, size or restored mtime.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.project import Project
from hestai_tmws.workflows import verify_cache
from hestai_tmws.workflows.init import init_project
from tests.conftest import git

FUTURE = time.time_ns() + 10**15  # a cutoff no file reaches: every file counts by stat alone


@pytest.fixture
def repo(project: Project) -> verify_cache.Repo:
    init_project(project)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--no-verify", "-m", "init")
    found = verify_cache.Repo.find(str(project.root))
    assert found is not None
    return found


def memory_files(repo: verify_cache.Repo) -> list[Path]:
    return sorted(p for p in (Path(repo.root) / ".hestai").rglob("*") if p.is_file())


def rewrite_keeping_stat(path: Path, data: bytes) -> None:
    """Write `data` in place and put mtime back: only ctime (and the bytes) can tell."""
    info = path.stat()
    with open(path, "r+b") as fh:
        fh.write(data)
        fh.truncate()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_the_cutoff_is_before_now_by_the_margin(repo: verify_cache.Repo) -> None:
    before = time.time_ns()
    cutoff = verify_cache.racy_cutoff(repo)
    assert cutoff <= time.time_ns() - verify_cache.RACY_MARGIN_NS
    assert cutoff >= before - verify_cache.RACY_MARGIN_NS - 10**9  # the fs clock, not 1970
    leftovers = os.listdir(os.path.dirname(repo.cache_file))
    assert not [n for n in leftovers if n.startswith(verify_cache.TEMP_PREFIX)]


def test_old_files_are_never_read(repo: verify_cache.Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = verify_cache._feed_file

    def spy(h: object, path: str) -> None:
        read.append(path)
        real(h, path)  # type: ignore[arg-type]

    monkeypatch.setattr(verify_cache, "_feed_file", spy)
    verify_cache.fingerprint(repo, (), FUTURE)
    hestai = os.path.join(repo.root, ".hestai") + os.sep
    assert not [p for p in read if p.startswith(hestai)]
    read.clear()
    verify_cache.fingerprint(repo, (), 0)  # every file written after the cutoff: all read
    assert len([p for p in read if p.startswith(hestai)]) == len(memory_files(repo))


def test_stat_alone_sees_size_inode_and_mode(repo: verify_cache.Repo) -> None:
    path = memory_files(repo)[0]
    before = verify_cache.fingerprint(repo, (), FUTURE)
    path.chmod(0o600)
    assert verify_cache.fingerprint(repo, (), FUTURE) != before
    before = verify_cache.fingerprint(repo, (), FUTURE)
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)  # same bytes, a new inode
    assert verify_cache.fingerprint(repo, (), FUTURE) != before


def test_a_recent_file_counts_by_its_bytes(repo: verify_cache.Repo) -> None:
    path = memory_files(repo)[0]
    cutoff = verify_cache.racy_cutoff(repo)
    assert path.stat().st_ctime_ns >= cutoff  # just written by init: racy
    stored = verify_cache.fingerprint(repo, (), cutoff)
    assert verify_cache.fingerprint(repo, (), cutoff) == stored  # stable while untouched
    data = path.read_bytes()
    rewrite_keeping_stat(path, bytes([data[0] ^ 1]) + data[1:])
    assert verify_cache.fingerprint(repo, (), cutoff) != stored


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pick=st.integers(min_value=0), data=st.binary(max_size=64), same_size=st.booleans())
def test_no_write_after_the_cutoff_goes_unseen(
    repo: verify_cache.Repo, pick: int, data: bytes, same_size: bool
) -> None:
    """Stored with the cutoff of its run, the fingerprint changes for any write that comes
    later, even one of the same size with its mtime put back, unless the bytes are equal."""
    files = memory_files(repo)
    path = files[pick % len(files)]
    old = path.read_bytes()
    new = (data * (len(old) // max(1, len(data)) + 1))[: len(old)] if same_size and data else data
    cutoff = verify_cache.racy_cutoff(repo)
    stored = verify_cache.fingerprint(repo, (), cutoff)
    try:
        rewrite_keeping_stat(path, new)
        if new != old:  # equal bytes may still count as a change (ctime moved): never wrong
            assert verify_cache.fingerprint(repo, (), cutoff) != stored
    finally:
        path.write_bytes(old)

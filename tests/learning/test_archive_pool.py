"""The archive scan on worker processes gives the serial loop's cache, id for id.

Small corpora with everything that makes the loop branch: repeated tokens in new orders,
strict-reader archives, bad archives, non-UTF-8 files, copies of one blob, files that vanish
before they are opened, and blobs the cache already knows.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hestai_tmws.gitio import blob_id
from hestai_tmws.learning import archive_scan
from hestai_tmws.learning.archive_parse import Opened, open_one, parse_local
from hestai_tmws.learning.archive_scan import archive_dir, scan
from hestai_tmws.learning.cache import SequenceCache
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import ArchiveData, ArchiveMeta, ToolCallEntry, render_archive

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork here"
)
TOOLS = [
    ("Read", "src/a.py"),
    ("Edit", "src/a.py"),
    ("Bash", "go test ./..."),
    ("Bash", "git status"),
    ("Grep", "needle"),
    ("mcp__x__y", ""),
]
_call = st.tuples(
    st.integers(0, len(TOOLS) - 1),
    st.sampled_from([True, False, None]),
    st.one_of(st.none(), st.integers(0, 5000)),
)
_file = st.one_of(
    st.tuples(st.just("ok"), st.lists(_call, max_size=12), st.booleans()),
    st.tuples(st.just("bad"), st.just(b"===SESSION_ARCHIVE===\n===END===\n"), st.just(False)),
    st.tuples(st.just("latin1"), st.just(b"\xff\xfe not text"), st.just(False)),
    st.tuples(st.just("copy"), st.integers(0, 30), st.just(False)),
)
_corpus = st.lists(st.tuples(_file, st.booleans(), st.booleans()), min_size=1, max_size=24)


def _archive(index: int, calls: list[tuple[int, bool | None, int | None]], strict: bool) -> bytes:
    started = datetime(2025, 3, 3, 9, tzinfo=UTC) + timedelta(days=index % 3)
    entries = [
        ToolCallEntry(tool=TOOLS[t][0], digest=TOOLS[t][1], ok=ok, duration_ms=dur)
        for t, ok, dur in calls
    ]
    meta = ArchiveMeta(
        session_id=f"s{index:04d}",
        role="implementation-lead",
        focus="work",
        started_at=started,
        ended_at=started + timedelta(minutes=30),
        namespace="demo" if index % 2 else None,
        tool_call_count=len(entries),
    )
    text = render_archive(ArchiveData(meta=meta, tool_calls=entries))
    return (text.rstrip("\n") if strict else text).encode()  # no last newline: strict reader


def _files(corpus: list[Any]) -> list[tuple[str, bytes, bool, bool]]:
    """(name, bytes, vanishes before it is opened, its blob already cached)."""
    out: list[tuple[str, bytes, bool, bool]] = []
    for i, ((kind, body, strict), gone, known) in enumerate(corpus):
        if kind == "ok":
            data = _archive(i, body, strict)
        elif kind == "copy":
            data = out[body % len(out)][1] if out else b"x"
        else:
            data = body
        out.append((f"2025-03-03-t-{i:04d}.oct.md", data, gone, known))
    return out


def _state(cache: SequenceCache, found: archive_scan.ScanResult) -> tuple[Any, ...]:
    return (
        cache.tokens,
        dict(cache.blobs.fresh),
        cache.bad,
        {rel: (key[0], key[3]) for rel, key in cache.stats.items()},  # files rewritten
        found.rels,
        found.blobs,
        found.unreadable,
        (found.hashed, found.parsed, found.complete, found.pending),
    )


def _run(
    project: Project, files: list[tuple[str, bytes, bool, bool]], pooled: bool
) -> tuple[Any, ...]:
    """Write the corpus afresh, warm the cache with the `known` blobs, scan it."""
    folder = archive_dir(project)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cache = SequenceCache()
    cache.token_id("Edit", None)  # a table that does not start empty
    for name, data, _, known in files:
        (folder / name).write_bytes(data)
        if known and data.startswith(b"==="):
            try:
                cache.blobs[blob_id(data)] = cache.pack(data.decode())
            except Exception:
                cache.bad[blob_id(data)] = "known bad"
    archive_scan.POOL_MIN_FILES = 1 if pooled else 10**9
    found = scan(project, cache)
    return _state(cache, found)


@pytest.fixture
def vanishing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names removed after the stat pass, just before the files are opened."""
    names: list[str] = []
    opened = archive_scan._open_each

    def open_each(project: Project, *args: Any) -> None:
        for name in names:
            (archive_dir(project) / name).unlink(missing_ok=True)
        opened(project, *args)

    monkeypatch.setattr(archive_scan, "_open_each", open_each)
    monkeypatch.setattr(archive_scan, "available_cores", lambda: 2)
    monkeypatch.setattr(archive_scan, "POOL_MIN_FILES", archive_scan.POOL_MIN_FILES)
    return names


@needs_fork
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(corpus=_corpus)
@example(
    corpus=[
        (("ok", [(0, True, 5), (2, False, None), (0, True, 1)], False), False, False),
        (("ok", [(5, None, 7), (1, True, 3)], True), False, True),
        (("copy", 0, False), False, False),
        (("latin1", b"\xff", False), False, False),
        (("bad", b"===SESSION_ARCHIVE===\n===END===\n", False), False, False),
        (("ok", [(3, True, 1)], False), True, False),
    ]
)
def test_pooled_scan_gives_the_serial_cache(
    project: Project, vanishing: list[str], monkeypatch: pytest.MonkeyPatch, corpus: list[Any]
) -> None:
    files = _files(corpus)
    vanishing[:] = [name for name, _, gone, _ in files if gone]
    pooled_runs: list[int] = []
    real = archive_scan._open_pooled

    def counted(*args: Any) -> None:
        pooled_runs.append(1)
        real(*args)

    monkeypatch.setattr(archive_scan, "_open_pooled", counted)
    serial = _run(project, files, pooled=False)
    assert pooled_runs == []
    assert _run(project, files, pooled=True) == serial
    assert pooled_runs == [1]


def test_parse_local_and_assign_give_packs_entry() -> None:
    texts = [
        _archive(i, [(i % 6, True, 10), (2, None, None), (i % 4, False, 9)], False)
        for i in range(8)
    ]
    packed, assigned = SequenceCache(), SequenceCache()
    assigned.token_id("Grep", None)
    packed.token_id("Grep", None)
    for data in texts:
        text = data.decode()
        assert assigned.assign(parse_local(text)) == packed.pack(text)
    assert assigned.tokens == packed.tokens


@needs_fork
def test_a_deadline_keeps_the_scan_in_this_process(
    project: Project, vanishing: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(*_: Any) -> None:
        raise AssertionError("forked with a deadline")

    files = _files([(("ok", [(0, True, 1), (1, True, 2)], False), False, False)] * 3)
    serial = _run(project, files, pooled=False)
    monkeypatch.setattr(archive_scan, "_open_pooled", no_pool)
    archive_scan.POOL_MIN_FILES = 1
    cache = SequenceCache()
    cache.token_id("Edit", None)
    found = scan(project, cache, deadline=time.perf_counter() + 3600)
    assert _state(cache, found) == serial


_PARENT = os.getpid()
_HERE: list[str] = []  # the files opened in this process


def _dies_in_a_worker(item: tuple[str, str]) -> Opened:
    if os.getpid() != _PARENT:
        os._exit(3)  # a crashed worker: its chunk is opened again here
    _HERE.append(item[0])
    return open_one(item)


@needs_fork
def test_a_crashed_worker_falls_back_to_this_process(
    project: Project, vanishing: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = [
        (("ok", [(i % 6, True, i), (3, False, None)], i % 3 == 0), False, False) for i in range(9)
    ]
    files = _files(
        [*corpus, (("copy", 2, False), False, False), (("latin1", b"\xff", False), False, False)]
    )
    serial = _run(project, files, pooled=False)
    monkeypatch.setattr(archive_scan, "open_one", _dies_in_a_worker)
    _HERE.clear()
    assert _run(project, files, pooled=True) == serial
    assert sorted(_HERE) == [name for name, *_ in files]  # every chunk, once

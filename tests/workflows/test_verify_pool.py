"""Verify's per-file checks over worker processes: the same results, in the same order, as
the loop in this process — findings, their order and the progress reported included."""

from __future__ import annotations

import multiprocessing
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hestai_tmws.workflows.verify_files as verify_files
from hestai_tmws import forkpool
from hestai_tmws.errors import TmwsError
from hestai_tmws.forkpool import Pool, available_cores
from hestai_tmws.layout import HESTAI
from hestai_tmws.octave import Document, read_runs
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import archive_from_document, index_record
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.verify import verify_project
from tests.conftest import git

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork here"
)
SECRET = "AKIA" + "Z7Q4XW9P2M6K3J8N"  # an AWS access key id shape (not a real key)


def _square(n: int) -> int:
    return n * n


def _streams(_: int) -> tuple[object, object]:
    return sys.stdout, sys.stderr


def _fail_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n


@needs_fork
@settings(max_examples=15, deadline=None)
@given(items=st.lists(st.integers(-1000, 1000), max_size=60), jobs=st.integers(1, 3))
def test_map_keeps_input_order(items: list[int], jobs: int) -> None:
    with Pool(jobs, min_items=1) as pool:
        assert list(pool.map(_square, items)) == [n * n for n in items]


def test_few_items_or_one_job_run_here() -> None:
    with Pool(2) as pool:
        assert list(pool.map(_square, [1, 2, 3])) == [1, 4, 9]
        assert pool._executor is None  # below MIN_ITEMS: no fork
    with Pool(1, min_items=1) as pool:
        assert list(pool.map(_square, list(range(50)))) == [n * n for n in range(50)]
        assert pool._executor is None


@needs_fork
def test_a_failing_chunk_raises_the_serial_error() -> None:
    with Pool(2, min_items=1) as pool, pytest.raises(ValueError, match="seven"):
        list(pool.map(_fail_on_seven, list(range(20))))


@needs_fork
def test_workers_leave_the_standard_streams_alone() -> None:
    """A progress thread here may hold a stream's lock at the fork: workers never use them."""
    with Pool(2, min_items=1) as pool:
        assert set(pool.map(_streams, list(range(4)))) == {(None, None)}
    assert sys.stdout is not None


def test_available_cores_is_positive() -> None:
    assert available_cores() >= 1


def _messy(project: Project) -> None:
    """A committed project with findings of several kinds spread over many files."""
    init_project(project)
    archive = project.hestai / "sessions" / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    for i in range(40):
        body = f"===SESSION_ARCHIVE===\nMETA:\n  TYPE::SESSION_ARCHIVE\n  N::{i}\n===END===\n"
        if i % 4 == 2:  # an archive's shape: tool-call blocks, some spoilt
            calls = "".join(f"  C{n:03d}:\n    TOOL::Read\n    OK::true\n" for n in range(1, 4))
            calls = calls.replace("OK::true", "TOOL::x", 1) if i % 8 == 2 else calls  # dup key
            calls = calls.replace("OK::true", "OK::2025-01-01") if i == 10 else calls
            count = 3 if i % 3 else 2  # a count that disagrees: no index record
            body = (
                f'===SESSION_ARCHIVE===\nMETA:\n  TYPE::SESSION_ARCHIVE\n  SESSION_ID::"s{i}"\n'
                f"  TOOL_CALL_COUNT::{count}\n---\n§1::TOOL_CALLS\n{calls}===END===\n"
            )
        if i % 7 == 3:
            body = body.replace("===END===\n", "")  # not OCTAVE
        if i % 5 == 1:
            body = body.replace("  N::", f'  KEY::"{SECRET}"\n  N::')
        (archive / f"2025-01-01-s{i:02d}.oct.md").write_text(body, encoding="utf-8")
    (project.hestai / "stray.txt").write_text(f"token {SECRET}\n", encoding="utf-8")
    (project.hestai / "bad.json").write_text("{", encoding="utf-8")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--no-verify", "-m", "messy")


@needs_fork
@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(jobs=st.integers(2, 3))
def test_parallel_verify_matches_serial(
    project: Project, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    if not (project.hestai / "stray.txt").exists():
        _messy(project)
    monkeypatch.setattr(forkpool, "MIN_ITEMS", 1)
    runs = []
    for n in (1, jobs):
        for path in project.cache_dir.glob("verify-*"):
            path.unlink()  # cold: nothing answered by the memo
        seen: list[tuple[int, int, str]] = []
        report = verify_project(project, jobs=n, on_file=lambda *a, seen=seen: seen.append(a))
        runs.append((report.model_dump_json(), seen))
    assert runs[0] == runs[1]
    codes = {f.code for f in verify_project(project, jobs=1).findings}
    assert {"SECRET", "OCTAVE_INVALID"} <= codes
    assert any(f.path.startswith(f"{HESTAI}/") for f in verify_project(project).findings)


@needs_fork
def test_before_fork_runs_once_here_and_only_for_workers() -> None:
    calls: list[int] = []
    with Pool(2, min_items=5, before_fork=lambda: calls.append(1)) as pool:
        assert list(pool.map(_square, [1, 2])) == [1, 4]  # serial: nothing to prepare
        assert calls == []
        assert list(pool.map(_square, list(range(10)))) == [n * n for n in range(10)]
        assert list(pool.map(_square, list(range(10)))) == [n * n for n in range(10)]
    assert calls == [1]


def test_the_fast_readers_give_the_general_paths_report(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader's run batches and verify's archive record change no byte of the report."""
    _messy(project)
    reports = []
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(read_runs, "ENABLED", [False])
            monkeypatch.setattr(verify_files, "archive_record", _slow_record)
        for path in project.cache_dir.glob("verify-*"):
            path.unlink()
        reports.append(verify_project(project, jobs=1).model_dump_json())
    assert reports[0] == reports[1]
    assert "OCTAVE_INVALID" in reports[0] and "SECRET" in reports[0]


def _slow_record(doc: Document, rel: str) -> dict[str, Any] | None:
    try:
        return index_record(archive_from_document(doc), rel)
    except (TmwsError, ValueError):
        return None


@needs_fork
@settings(max_examples=15, deadline=None)
@given(
    items=st.lists(st.integers(-1000, 1000), max_size=60),
    jobs=st.integers(1, 3),
    least=st.integers(1, 30),
)
def test_a_stream_keeps_input_order_and_is_consumed(
    items: list[int], jobs: int, least: int
) -> None:
    made: list[int] = []

    def produced() -> Any:
        for n in items:
            made.append(n)
            yield n

    with Pool(jobs, min_items=least) as pool:
        out = pool.map_stream(_square, produced(), len(items))
        assert made == items  # all made before the first result is read
        assert list(out) == [n * n for n in items]
        forked = pool._executor is not None
    assert forked == (jobs >= 2 and len(items) >= least)


@needs_fork
def test_a_failing_chunk_of_a_stream_raises_the_serial_error() -> None:
    with Pool(2, min_items=1) as pool, pytest.raises(ValueError, match="seven"):
        list(pool.map_stream(_fail_on_seven, iter(range(20)), 20))

"""Who reads a memory file — the job in a worker (cold run) or verify first, to ask its memo —
never changes the report: same findings, same order, same progress, same kept answers."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws import forkpool
from hestai_tmws.gitio import blob_id
from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.verify import verify_project
from hestai_tmws.workflows.verify_files import FileJob, check_file
from hestai_tmws.workflows.verify_memo import VerifyMemo
from tests.conftest import git

SECRET = "AKIA" + "Z7Q4XW9P2M6K3J8N"  # an AWS access key id shape (not a real key)


def _awkward(project: Project) -> None:
    """A committed project whose files take every branch of a file's check."""
    init_project(project)
    archive = project.hestai / "sessions" / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    (archive / "2025-01-01-bad-utf8.oct.md").write_bytes(b"===X===\nA::\xff\n===END===\n")
    (archive / "2025-01-01-crlf.oct.md").write_bytes(
        f'===X===\r\nKEY::"{SECRET}"\r\n===END===\r\n'.encode()
    )
    (archive / "2025-01-01-marked.oct.md").write_text(
        "===X===\n<<<<<<< ours\nA::1\n=======\nA::2\n>>>>>>> theirs\n===END===\n"
    )
    log = next((project.hestai / "provenance").glob("*.jsonl"))
    log.write_text(log.read_text() + f'not a record {SECRET}\n{{"half": \n')
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--no-verify", "-m", "awkward")
    edited = project.memory_path("context/project-roadmap.oct.md")
    edited.write_text(edited.read_text() + "// edited, not committed\n")


def _run(
    project: Project, jobs: int, parent_reads: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, list[tuple[int, int, str]], bytes]:
    """A cold run's report, progress and kept memo; `parent_reads`: verify reads each file
    first, as when its memo may answer."""
    for path in project.cache_dir.glob("verify-*"):
        path.unlink()
    monkeypatch.setattr(VerifyMemo, "may_answer", lambda self: parent_reads)
    seen: list[tuple[int, int, str]] = []
    report = verify_project(project, jobs=jobs, on_file=lambda *a: seen.append(a))
    memo = (project.cache_dir / "verify-memo.json").read_bytes()
    return report.model_dump_json(), seen, memo


@pytest.mark.parametrize(
    "jobs",
    [
        1,
        pytest.param(
            2,
            marks=pytest.mark.skipif(
                "fork" not in multiprocessing.get_all_start_methods(), reason="no fork here"
            ),
        ),
    ],
)
def test_the_report_does_not_depend_on_who_reads(
    project: Project, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    _awkward(project)
    monkeypatch.setattr(forkpool, "MIN_ITEMS", 1)
    by_job = _run(project, jobs, parent_reads=False, monkeypatch=monkeypatch)
    by_verify = _run(project, jobs, parent_reads=True, monkeypatch=monkeypatch)
    assert by_job == by_verify
    report = by_job[0]
    for code in ("UNREADABLE", "PROVENANCE_MALFORMED", "SECRET", "CONFLICT_MARKERS"):
        assert f'"{code}"' in report, code


def test_a_provenance_log_equal_to_head_is_scanned_in_its_job(project: Project) -> None:
    _awkward(project)
    log = next((project.hestai / "provenance").glob("*.jsonl"))
    rel = log.relative_to(project.hestai).as_posix()
    head = git(project.root, "rev-parse", f"HEAD:{HESTAI}/{rel}").strip()
    result = check_file(FileJob(rel, str(log), None, head, provenance=True))
    assert result.hits is not None and any(kind for _, kind in result.hits)
    assert result.key is None  # provenance is never kept in the memo
    assert [f.code for f in result.facts[0]] == ["PROVENANCE_MALFORMED"]
    assert result.unmarked


def test_an_unreadable_file_gives_the_text_layer_s_error(tmp_path: Path) -> None:
    path = tmp_path / "x.oct.md"
    path.write_bytes(b"ok\n\xc3")
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        expected = str(exc)
    result = check_file(FileJob("x.oct.md", str(path), None, None))
    assert [(f.code, f.message) for f in result.facts[0]] == [("UNREADABLE", expected)]
    assert result.key is None and not result.unmarked
    missing = check_file(FileJob("gone.md", str(tmp_path / "gone.md"), None, None))
    assert missing.facts[0][0].code == "UNREADABLE"


def test_a_job_given_text_does_not_read_the_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.md"  # never written: reading it would fail
    result = check_file(FileJob("notes.md", str(path), None, None, text="plain\n"))
    assert result.facts == ([], None) and result.key is not None and result.unmarked


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(
        st.sampled_from(
            [
                b"===X===\n",
                b"A::1\n",
                b"\r\n",
                b"\r",
                b"\xff",
                b"\xc3",
                b"<<<<<<< ours\n",
                b">>>>>>> theirs\n",
                b"===END===\n",
                f'K::"{SECRET}"\n'.encode(),
                "\u00a7 é\n".encode(),
            ]
        ),
        max_size=12,
    ).map(b"".join),
    name=st.sampled_from(["sessions/archive/2025-01-01-a.oct.md", "context/notes.md"]),
)
def test_a_job_reading_its_file_gives_what_a_job_given_its_text_gives(
    tmp_path: Path, data: bytes, name: str
) -> None:
    path = tmp_path / "f"
    path.write_bytes(data)
    head = blob_id(data)
    by_job = check_file(FileJob(name, str(path), None, head))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        assert [(f.code, f.message) for f in by_job.facts[0]] == [("UNREADABLE", str(exc))]
        return
    assert by_job == check_file(FileJob(name, str(path), None, head, text=text))
    assert by_job.unmarked == (b"<<<<<<< " not in data and b">>>>>>> " not in data)

"""Verify's shortcuts between its own checks: a memory file whose bytes are HEAD's blob gets
that blob's secret scan in its content job (the scan of HEAD neither reads nor scans it
again), and files verify read without conflict markers are not read again for them. Each
gives the report the long way gives."""

from __future__ import annotations

from pathlib import Path

import pytest

import hestai_tmws.guard.secret_scan as secret_scan
import hestai_tmws.workflows.verify_files as verify_files
from hestai_tmws.guard.ci_checks import collaboration_findings
from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project
from hestai_tmws.workflows.verify import verify_project
from hestai_tmws.workflows.verify_memo import VerifyMemo
from tests.conftest import git
from tests.workflows import test_verify_memo

SECRET = "AKIA" + "Z7Q4XW9P2M6K3J8N"  # an AWS access key id shape (not a real key)
ROADMAP = "context/project-roadmap.oct.md"
committed = test_verify_memo.committed  # the fixture: a committed fresh project


def _cold(project: Project, **kwargs: object) -> str:
    for path in project.cache_dir.glob("verify-*"):
        path.unlink()
    return verify_project(project, **kwargs).model_dump_json()  # type: ignore[arg-type]


def _commit_secret(project: Project) -> Path:
    path = project.memory_path(ROADMAP)
    path.write_text(path.read_text() + f"// key {SECRET}\n")
    git(project.root, "commit", "-q", "--no-verify", "-am", "secret")
    return path


def _blob_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The blob ids the scan of HEAD reads from git, from now on."""
    asked: list[str] = []
    real = secret_scan.read_blobs

    def recorded(root: Path, blobs: object) -> dict[str, bytes]:
        ids = list(blobs)  # type: ignore[call-overload]
        asked.extend(ids)
        return real(root, ids)

    monkeypatch.setattr(secret_scan, "read_blobs", recorded)
    return asked


def test_a_file_equal_to_its_head_blob_is_scanned_with_its_check(
    committed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _commit_secret(committed)
    asked = _blob_reads(monkeypatch)
    report = verify_project(committed)
    hits = [f for f in report.findings if f.code == "SECRET"]
    assert [f.path.rsplit(":", 1)[0] for f in hits if f.path] == [f"{HESTAI}/{ROADMAP}"]
    blob = git(committed.root, "rev-parse", f"HEAD:{HESTAI}/{ROADMAP}").strip()
    assert blob not in asked  # its hits came from the content job


def test_a_file_edited_since_head_has_head_blob_scanned(
    committed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _commit_secret(committed)
    path.write_text(path.read_text().replace(SECRET, "gone"))  # not committed: HEAD keeps it
    asked = _blob_reads(monkeypatch)
    assert "SECRET" in {f.code for f in verify_project(committed).findings}
    blob = git(committed.root, "rev-parse", f"HEAD:{HESTAI}/{ROADMAP}").strip()
    assert blob in asked  # other bytes: read and scanned by the scan of HEAD


def test_a_secret_only_in_the_work_tree_is_not_head_s(committed: Project) -> None:
    path = committed.memory_path(ROADMAP)
    path.write_text(path.read_text() + f"// key {SECRET}\n")  # never committed
    assert "SECRET" not in {f.code for f in verify_project(committed).findings}


def test_the_report_is_the_one_without_the_shortcut(
    committed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _commit_secret(committed)
    crlf = committed.memory_path("context/notes.md")
    crlf.write_bytes(f"line\r\ntoken {SECRET}\r\n".encode())  # read as LF: not the blob's bytes
    git(committed.root, "add", "-A")
    git(committed.root, "commit", "-q", "--no-verify", "-m", "crlf")
    edited = committed.memory_path("context/project-context.oct.md")
    edited.write_text(edited.read_text() + "// edited, not committed\n")
    fused = _cold(committed)
    monkeypatch.setattr(verify_files, "blob_id", lambda data: "")  # never HEAD's: no shortcut
    assert _cold(committed) == fused
    assert fused.count('"SECRET"') >= 2


def test_an_empty_hit_list_kept_this_run_is_an_answer(committed: Project) -> None:
    memo = VerifyMemo(committed)
    memo.keep_secrets("ab" * 20, [])
    assert memo.secret_facts("ab" * 20) == []
    assert memo.secret_cache().get("ab" * 20) == []


def test_conflict_markers_are_found_with_the_files_verify_read(committed: Project) -> None:
    path = committed.memory_path(ROADMAP)
    path.write_text(path.read_text() + "<<<<<<< ours\n=======\n>>>>>>> theirs\n")
    git(committed.root, "commit", "-q", "--no-verify", "-am", "conflict")
    found = [f for f in verify_project(committed).findings if f.code == "CONFLICT_MARKERS"]
    assert [f.path for f in found] == [
        f"{HESTAI}/{ROADMAP}:{len(path.read_text().splitlines()) - 2}"
    ]


def test_unmarked_paths_are_not_read_again(committed: Project) -> None:
    path = committed.memory_path(ROADMAP)
    path.write_text(path.read_text() + "<<<<<<< ours\n=======\n>>>>>>> theirs\n")
    git(committed.root, "commit", "-q", "--no-verify", "-am", "conflict")
    codes = [f.code for f in collaboration_findings(committed, fix=False)]
    assert "CONFLICT_MARKERS" in codes
    skipped = collaboration_findings(committed, fix=False, unmarked={f"{HESTAI}/{ROADMAP}"})
    assert "CONFLICT_MARKERS" not in [f.code for f in skipped]


@pytest.mark.parametrize(
    "data",
    [b"a\r\nb\rc\n", "\ufeff\u00a7 x\n".encode(), b"plain\n", b"x" * 20000 + b"\xff tail", b"\xc3"],
)
def test_files_read_as_the_text_layer_reads_them(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "f"
    path.write_bytes(data)
    try:
        expected: object = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        expected = str(exc)
    try:
        got: object = verify_files.read_text(path)
    except UnicodeDecodeError as exc:
        got = str(exc)
    assert got == expected

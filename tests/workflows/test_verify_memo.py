"""Per-file results kept between verify runs: unchanged files are not checked again, changed
files always are, and a tampered memo is ignored."""

from __future__ import annotations

import json

import pytest

from hestai_tmws.governance.placement import placement_from
from hestai_tmws.governance.rules import load_routing
from hestai_tmws.project import Project
from hestai_tmws.workflows import verify_files
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.verify import verify_project
from hestai_tmws.workflows.verify_memo import MEMO_NAME, file_key
from tests.conftest import git

SECRET = "AKIA" + "Z7Q4XW9P2M6K3J8N"  # an AWS access key id shape (not a real key)


@pytest.fixture
def committed(project: Project) -> Project:
    init_project(project)
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "--no-verify", "-m", "init")
    return project


def errors(project: Project) -> set[str]:
    return {f.code for f in verify_project(project).errors}


def test_unchanged_files_are_not_checked_again(
    committed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = verify_project(committed)
    assert first.ok
    calls: list[str] = []
    real = verify_files.content_facts

    def counted(rel: str, text: str, rule: object) -> object:
        calls.append(rel)
        return real(rel, text, rule)  # type: ignore[arg-type]

    monkeypatch.setattr(verify_files, "content_facts", counted)
    again = verify_project(committed)
    assert again == first and calls == []
    roadmap = committed.memory_path("context/project-roadmap.oct.md")
    roadmap.write_text(roadmap.read_text() + "// more\n")
    verify_project(committed)
    assert calls == ["context/project-roadmap.oct.md"]


def test_a_broken_file_after_a_clean_run_fails(committed: Project) -> None:
    assert verify_project(committed).ok
    committed.memory_path("context/project-roadmap.oct.md").write_text("===X===\nKEY: broken\n")
    assert "OCTAVE_INVALID" in errors(committed)
    assert "OCTAVE_INVALID" in errors(committed)  # and again, from the memo


def test_a_committed_secret_is_found_from_the_memo_too(committed: Project) -> None:
    assert verify_project(committed).ok
    path = committed.memory_path("context/project-roadmap.oct.md")
    path.write_text(path.read_text() + f"// key {SECRET}\n")
    git(committed.root, "commit", "-q", "--no-verify", "-am", "secret")
    assert "SECRET" in errors(committed)
    assert "SECRET" in errors(committed)


def test_a_forged_memo_is_ignored(committed: Project) -> None:
    assert verify_project(committed).ok
    roadmap = committed.memory_path("context/project-roadmap.oct.md")
    roadmap.write_text("===X===\nKEY: broken\n")
    memo_file = committed.cache_dir / MEMO_NAME
    tag, _, body = memo_file.read_bytes().partition(b"\n")
    data = json.loads(body)
    # claim the broken content is clean, keeping the old MAC (no ledger key to make a new one)
    rel = "context/project-roadmap.oct.md"
    rule = placement_from(load_routing(committed))(rel)
    data["files"][file_key(rel, rule, roadmap.read_text().encode())] = [[], None]
    memo_file.write_bytes(tag + b"\n" + json.dumps(data).encode())
    assert "OCTAVE_INVALID" in errors(committed)
    memo_file.write_bytes(b"garbage")
    assert "OCTAVE_INVALID" in errors(committed)


def test_the_memo_keeps_only_what_the_last_run_used(committed: Project) -> None:
    extra = committed.memory_path("context/project-roadmap.oct.md")
    extra.write_text(extra.read_text() + "// one\n")
    verify_project(committed)
    extra.write_text(extra.read_text() + "// two\n")
    verify_project(committed)
    data = json.loads((committed.cache_dir / MEMO_NAME).read_bytes().partition(b"\n")[2])
    assert len(data["files"]) == verify_project(committed).checked_files - 1  # not provenance

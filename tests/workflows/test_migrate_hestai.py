"""`tmws migrate hestai-mcp`: a HestAI-MCP `.hestai/` taken over, nothing lost, verify green.

Fixtures are small files written here that mirror the two HestAI-MCP layouts; the slow test
runs on a `.hestai/` from HestAI-MCP's real history when a local mirror is present.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hestai_tmws.errors import UsageError
from hestai_tmws.guard.precommit import check_staged
from hestai_tmws.octave import parse
from hestai_tmws.project import Project
from hestai_tmws.workflows.hestai_layout import detect
from hestai_tmws.workflows.init import init_project
from hestai_tmws.workflows.migrate_hestai import migrate_hestai_mcp
from hestai_tmws.workflows.primer import gather_primer
from hestai_tmws.workflows.verify import verify_project
from tests.octave import real_corpus
from tests.workflows.clock_support import git, init_repo

CONTEXT = "===PROJECT_CONTEXT===\nMETA:\n  TYPE::PROJECT_CONTEXT\n---\nPHASE::B1\n===END===\n"
CHECKLIST = "===PROJECT_CHECKLIST===\nITEMS::[\n  DONE[all_clear] tidy up\n]\n===END===\n"
NORTH_STAR = (
    "===DEMO_NORTH_STAR_SUMMARY===\nMETA:\n  STATUS::ACTIVE\n"
    '  PURPOSE::"Keep the demo honest"\n\n## IMMUTABLES\n\nI1::NO_SILENT_CHANGE::[\n'
    "  WHY::trust\n]\nI2::SMALL_STEPS::[\n  WHY::review\n]\n===END===\n"
)
FILES = {
    "context/PROJECT-CONTEXT.oct.md": CONTEXT,
    "context/PROJECT-CHECKLIST.oct.md": CHECKLIST,
    "workflow/000-DEMO-NORTH-STAR-SUMMARY.oct.md": NORTH_STAR,
    "workflow/000-DEMO-NORTH-STAR.md": "# Demo north star\n\nThe long form.\n",
    "sessions/archive/2025-12-25-demo-1a2b3c4d-octave.oct.md": (
        "===SESSION===\nA::2025-12-25\n===END===\n"
    ),
    "sessions/archive/2025-12-25-demo-1a2b3c4d-raw.jsonl": '{"role": "user"}\n',
    "reports/2025-12-20-review.md": "A review.\n",
    "rules/house-rules.oct.md": "===RULES===\nR1::be_kind\n===END===\n",
    "README.md": "HestAI folder.\n",
    "last_cleanup": "2025-12-21\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _repo(tmp_path: Path, files: dict[str, str] = FILES) -> Project:
    repo = init_repo(tmp_path / "repo")
    _write(repo / ".hestai", files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hestai-mcp layout")
    return Project.discover(repo)


def _all_texts(project: Project) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in project.hestai.rglob("*") if p.is_file()]


def _assert_taken_over(project: Project, originals: dict[str, str]) -> None:
    git(project.root, "add", "-A", ".hestai")  # what a person commits after the migration
    assert check_staged(project).ok  # the guard lets the commit through
    git(project.root, "commit", "-q", "--no-verify", "-m", "migrate from hestai-mcp")
    report = verify_project(project)  # what CI proves on HEAD: every blob written by tmws
    assert report.ok, [f.model_dump() for f in report.errors]
    names = [p.relative_to(project.hestai).as_posix() for p in project.hestai.rglob("*")]
    assert len({n.lower() for n in names}) == len(names)  # no case-only twins
    texts = _all_texts(project)
    for rel, text in originals.items():  # every file's content is kept somewhere
        assert any(text == t or text in t for t in texts), rel
    assert detect(project.hestai) is None


def test_init_refuses_a_hestai_mcp_layout_and_names_the_migration(tmp_path: Path) -> None:
    project = _repo(tmp_path)
    with pytest.raises(UsageError, match="HestAI-MCP") as info:
        init_project(project)
    assert "tmws migrate hestai-mcp" in (info.value.hint or "")
    assert not (project.hestai / "context" / "project-context.oct.md").exists()


def test_dry_run_plans_and_writes_nothing(tmp_path: Path) -> None:
    project = _repo(tmp_path)
    before = sorted(p.as_posix() for p in project.hestai.rglob("*"))
    result = migrate_hestai_mcp(project, dry_run=True)
    assert result.dry_run and result.layout == "2025-12"
    assert sorted(p.as_posix() for p in project.hestai.rglob("*")) == before
    kinds = {m.source: m.kind for m in result.moves if m.kind != "legacy"}
    assert kinds == {
        "context/PROJECT-CONTEXT.oct.md": "verbatim",
        "context/PROJECT-CHECKLIST.oct.md": "wrapped",
        "workflow/000-DEMO-NORTH-STAR-SUMMARY.oct.md": "wrapped",
    }


def test_migration_keeps_everything_and_leaves_verify_green(tmp_path: Path) -> None:
    project = _repo(tmp_path)
    result = migrate_hestai_mcp(project)
    assert result.verbatim == 1 and result.wrapped == 2
    _assert_taken_over(project, FILES)
    context = project.hestai / "context" / "project-context.oct.md"
    assert context.read_text(encoding="utf-8") == CONTEXT  # verbatim: byte for byte
    legacy = project.hestai / "legacy" / "hestai-mcp"
    assert (legacy / "readme.md").read_text(encoding="utf-8") == FILES["README.md"]
    assert (legacy / "last_cleanup.md").is_file()
    archive = legacy / "sessions" / "archive" / "2025-12-25-demo-1a2b3c4d-octave.legacy.md"
    assert archive.read_text(encoding="utf-8") == FILES[next(k for k in FILES if "octave" in k)]
    primer = gather_primer(project, "implementation-lead")
    assert "Keep the demo honest" in primer.north_star_summary
    assert "I1 NO_SILENT_CHANGE" in primer.north_star_summary
    assert ".hestai/legacy/" in primer.context_files
    star = parse((project.hestai / "workflow" / "000-project-north-star.oct.md").read_text())
    assert star.name == "NORTH_STAR" and star.meta["STATUS"] == "ACTIVE"


def test_state_link_layout(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    _write(repo / ".hestai-state", {"context/PROJECT-CONTEXT.oct.md": CONTEXT})
    _write(repo / ".hestai", {"rules/house-rules.oct.md": FILES["rules/house-rules.oct.md"]})
    os.symlink("../.hestai-state", repo / ".hestai" / "state")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "state link layout")
    project = Project.discover(repo)
    result = migrate_hestai_mcp(project)
    assert result.layout == "state-link" and result.verbatim == 1
    assert not (repo / ".hestai" / "state").exists()
    assert (repo / ".hestai-state").is_dir()  # left for the user to delete
    _assert_taken_over(project, {"context": CONTEXT})


@pytest.mark.slow
def test_real_hestai_mcp_history(tmp_path: Path) -> None:
    """A `.hestai/` of HestAI-MCP's own history (2026-01-18, 70 files) migrates green."""
    if real_corpus.git_dir("HestAI-MCP") is None:
        pytest.skip("no local mirror of HestAI-MCP")
    repo = init_repo(tmp_path / "repo")
    count = real_corpus.extract("HestAI-MCP", "b96e0ff", ".hestai", repo)
    assert count >= 60
    originals = {
        p.relative_to(repo).as_posix(): p.read_text(encoding="utf-8")
        for p in (repo / ".hestai").rglob("*")
        if p.is_file()
    }
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hestai-mcp history")
    project = Project.discover(repo)
    result = migrate_hestai_mcp(project)
    assert result.layout == "2025-12" and len(result.moves) >= count
    redacted = {f".hestai/{r}" for r in result.redacted}
    _assert_taken_over(project, {k: v for k, v in originals.items() if k not in redacted})
    primer = gather_primer(project, "implementation-lead")
    assert "HestAI-MCP" in primer.north_star_summary

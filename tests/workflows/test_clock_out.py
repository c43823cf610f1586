"""clock-out: transcript → deterministic archive, index, history, context; fails closed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hestai_tmws.errors import NotFoundError, UsageError, ValidationError
from hestai_tmws.learning.auto import AutoMineResult
from hestai_tmws.memory.documents import submit_document
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import index_record, read_archive
from hestai_tmws.sessions.store import list_active, load_session
from hestai_tmws.sessions.traces import TraceRecord, record_trace
from hestai_tmws.sessions.transcripts import read_transcript
from hestai_tmws.sessions.transcripts.locate import project_slug
from hestai_tmws.steward.provenance import provenance_rel
from hestai_tmws.workflows import clock_out as clock_out_module
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from tests.fixtures import clock_transcripts as ct
from tests.workflows.clock_support import (
    archives,
    git,
    index_records,
    oracle_check,
    setup_project,
    staged,
)


@pytest.fixture
def proj(repo: Path) -> Project:
    return setup_project(repo)


def history_text(project: Project) -> str:
    return project.memory_path("context/project-history.oct.md").read_text(encoding="utf-8")


def test_clock_out_end_to_end(proj: Project, repo: Path, tmp_path: Path) -> None:
    tr = ct.write_basic(tmp_path / "t.jsonl", cwd=str(repo))
    opened = clock_in(proj, role="implementation-lead", focus="Fix main")
    result = clock_out(
        proj,
        transcript=tr,
        summary="Fixed main and added a regression test",
        decisions=["Keep the CLI thin"],
        blockers=["Needs a review"],
        learnings=["Run the focused test first"],
    )
    # an older transcript dates the archive by its own first record, not by the clock-in
    day = read_transcript(tr).started_at.strftime("%Y-%m-%d")  # type: ignore[union-attr]
    rel = f".hestai/sessions/archive/{day}-fix-main-{opened.id8}.oct.md"
    assert result.archive_path == rel and result.status == "completed"
    assert result.transcript_source == "explicit" and result.tool_calls == ct.BASIC_TOOL_COUNT

    text = (repo / rel).read_text(encoding="utf-8")
    oracle_check(text)
    data = read_archive(text)
    assert [c.tool for c in data.tool_calls] == [c.name for c in ct.BASIC_CALLS]
    assert [c.ok for c in data.tool_calls] == [not c.is_error for c in ct.BASIC_CALLS]
    assert [c.sidechain for c in data.tool_calls] == [c.sidechain for c in ct.BASIC_CALLS]
    assert data.tool_calls[0].digest == "git status --short"
    m = data.meta
    assert (m.session_id, m.role, m.focus, m.branch) == (
        opened.session_id,
        "implementation-lead",
        "Fix main",
        "main",
    )
    assert m.head == opened.head and m.governance_version == opened.governance_version
    assert m.transcript == str(tr.resolve()) and m.transcript_format == "claude-code"
    assert m.transcript_sha256 and len(m.transcript_sha256) == 64
    assert m.ended_at >= m.started_at and m.failed_call_count == 1 and m.sidechain_call_count == 1
    assert data.summary.text == "Fixed main and added a regression test"
    assert data.summary.request == "Fix the failing main test and add a regression test"
    assert data.decisions == ["Keep the CLI thin", "keep main() pure and move I/O to cli.py"]
    assert data.blockers == ["Needs a review", "the CI runner lacks python 3.12"]
    assert data.learnings == ["Run the focused test first", "run pytest -q before editing tests"]
    assert "src/app/main.py" in data.files_changed and "src/app/main.py" in data.files_read
    assert any("pytest" in c for c in data.commands)
    assert data.prompts == [
        "Fix the failing main test and add a regression test",
        "Also record the decision",
    ]

    [record] = index_records(proj)
    assert record["id"] == opened.session_id and record["archive"] == rel.removeprefix(".hestai/")
    assert record["tool_calls"] == ct.BASIC_TOOL_COUNT and record["date"] == day
    assert record["role"] == "implementation-lead" and record["focus"] == "Fix main"
    assert record["learnings"] == data.learnings and record["decisions"] == data.decisions
    # `tmws verify` rebuilds the index from the archives: the line must be exactly that
    assert record == index_record(read_archive(text), rel.removeprefix(".hestai/"))

    history = history_text(proj)
    oracle_check(history)
    assert opened.session_id in history and rel.removeprefix(".hestai/") in history
    context = proj.memory_path("context/project-context.oct.md").read_text(encoding="utf-8")
    oracle_check(context)
    assert "Run the focused test first" in context and opened.id8 in context

    assert list_active(proj) == []
    assert not proj.memory_path(f"sessions/active/{opened.session_id}").exists()
    assert set(staged(repo)) == {
        rel,
        ".hestai/sessions/archive/learnings-index.jsonl",
        ".hestai/context/project-history.oct.md",
        ".hestai/context/project-context.oct.md",
        f".hestai/{provenance_rel()}",  # the provenance of every file above
    }


def test_archive_is_deterministic_for_the_same_session(
    proj: Project, repo: Path, tmp_path: Path
) -> None:
    tr = ct.write_basic(tmp_path / "t.jsonl", cwd=str(repo))
    opened = clock_in(proj, focus="det")
    session = load_session(proj, opened.session_id)
    from hestai_tmws.sessions.archive import ArchiveInputs, compose_archive
    from hestai_tmws.sessions.transcripts import read_transcript

    end = session.started_at + timedelta(minutes=5)
    a = compose_archive(
        ArchiveInputs(session=session, ended_at=end, transcript=read_transcript(tr))
    )
    b = compose_archive(
        ArchiveInputs(session=session, ended_at=end, transcript=read_transcript(tr))
    )
    assert a.text == b.text


def test_no_transcript_still_archives(proj: Project) -> None:
    opened = clock_in(proj, focus="quiet")
    result = clock_out(proj, summary="nothing to see")
    assert result.transcript_source == "none" and result.tool_calls == 0
    assert any("no transcript found" in n for n in result.notes)
    data = read_archive((proj.root / result.archive_path).read_text())
    assert data.meta.session_id == opened.session_id and data.meta.transcript is None
    assert data.summary.text == "nothing to see"
    assert list_active(proj) == []


def test_recorded_transcript_is_used(proj: Project, repo: Path, tmp_path: Path) -> None:
    tr = ct.write_basic(tmp_path / "rec.jsonl", cwd=str(repo))
    clock_in(proj, focus="rec", transcript_path=tr)
    result = clock_out(proj)
    assert result.transcript_source == "recorded" and result.tool_calls == ct.BASIC_TOOL_COUNT


def test_transcript_is_located_in_claude_projects_folder(proj: Project, repo: Path) -> None:
    opened = clock_in(proj, focus="located")
    claude = Path(__import__("os").environ["CLAUDE_CONFIG_DIR"])
    folder = claude / "projects" / project_slug(repo)
    start = datetime.now(UTC) - timedelta(seconds=5)
    ct.write(
        folder / "0b5e55ed-1111-4222-8333-444455556666.jsonl", ct.basic_spec(str(repo), start=start)
    )
    # an unrelated transcript of another folder must not be picked
    ct.write(
        claude / "projects" / "-elsewhere" / "x.jsonl", ct.basic_spec("/elsewhere", start=start)
    )
    result = clock_out(proj)
    assert result.transcript_source == "located"
    assert result.transcript and result.transcript.endswith(
        "0b5e55ed-1111-4222-8333-444455556666.jsonl"
    )
    assert result.session_id == opened.session_id and result.tool_calls == ct.BASIC_TOOL_COUNT


def test_missing_explicit_transcript_is_an_error_and_nothing_changes(
    proj: Project, tmp_path: Path
) -> None:
    clock_in(proj, focus="x")
    with pytest.raises(UsageError, match="does not exist"):
        clock_out(proj, transcript=tmp_path / "nope.jsonl")
    assert len(list_active(proj)) == 1 and archives(proj) == []


def test_traces_are_folded_into_the_archive(proj: Project) -> None:
    opened = clock_in(proj, focus="traced")
    assert record_trace(
        proj, opened.session_id, TraceRecord(tool="clock_in", summary="opened", duration_ms=2)
    )
    assert record_trace(
        proj,
        opened.session_id,
        TraceRecord(tool="context_update", ok=False, error_class="ConflictError"),
    )
    errors = proj.memory_path(f"sessions/active/{opened.session_id}/trace-errors.jsonl")
    errors.write_text('{"ts": 1, "error": "OSError"}\n')
    result = clock_out(proj)
    assert result.traces == 2 and result.trace_recording_errors == 1
    text = (proj.root / result.archive_path).read_text()
    oracle_check(text)
    data = read_archive(text)
    assert [t.tool for t in data.traces] == ["clock_in", "context_update"]
    assert data.traces[1].error_class == "ConflictError"
    assert "trace recording failed 1 time(s) (OSError)" in data.trace_note


@pytest.mark.parametrize("target", ["redact", "redact_obj", "assert_clean"])
def test_redaction_failure_archives_nothing_and_keeps_the_session(
    proj: Project, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    tr = ct.write_basic(tmp_path / "t.jsonl", cwd=str(repo))
    opened = clock_in(proj, focus="fail closed")
    history_before = history_text(proj)

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("redactor broke")

    monkeypatch.setattr(f"hestai_tmws.secrets.redaction.{target}", broken)
    with pytest.raises(ValidationError, match="nothing was archived and the session stays open"):
        clock_out(proj, transcript=tr, learnings=["x"])
    monkeypatch.undo()
    assert [s.id for s in list_active(proj)] == [opened.session_id]
    assert archives(proj) == [] and index_records(proj) == []
    assert history_text(proj) == history_before
    assert staged(repo) == []
    # once redaction works again, the same session closes normally
    assert clock_out(proj, transcript=tr).tool_calls == ct.BASIC_TOOL_COUNT


def test_failure_after_the_archive_rolls_it_back(
    proj: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = clock_in(proj, focus="rollback")

    def boom(*args: object, **kwargs: object) -> object:
        raise ValidationError("history is broken")

    monkeypatch.setattr("hestai_tmws.workflows.clock_out.append_history", boom)
    with pytest.raises(ValidationError, match="history is broken"):
        clock_out(proj)
    assert archives(proj) == [] and index_records(proj) == []
    assert [s.id for s in list_active(proj)] == [opened.session_id]
    monkeypatch.undo()
    result = clock_out(proj)
    assert (proj.root / result.archive_path).is_file()
    assert [r["id"] for r in index_records(proj)] == [opened.session_id]


def test_a_leftover_archive_of_the_same_session_is_replaced(proj: Project) -> None:
    opened = clock_in(proj, focus="retry")
    from hestai_tmws.sessions.archive import archive_rel

    session = load_session(proj, opened.session_id)
    rel = archive_rel(session)
    path = proj.memory_path(rel)
    first = clock_out(proj)
    leftover = path.read_text()
    # simulate a crash after the archive was written: reopen the same session record
    folder = proj.memory_path(f"sessions/active/{session.id}")
    folder.mkdir(parents=True)
    (folder / "session.json").write_text(session.model_dump_json())
    second = clock_out(proj, summary="second try")
    assert second.archive_path == first.archive_path
    assert (
        read_archive(path.read_text()).summary.text
        == "second try"
        != read_archive(leftover).summary.text
    )
    assert [r["id"] for r in index_records(proj)] == [session.id]  # no duplicate line
    assert history_text(proj).count(session.id) == 1


def test_commit_uses_the_standard_message(proj: Project, repo: Path) -> None:
    opened = clock_in(proj, focus="feat: ship it")
    result = clock_out(proj, commit=True, learnings=["commit me"])
    assert result.commit == git(repo, "rev-parse", "HEAD").strip()
    message = git(repo, "log", "-1", "--format=%s").strip()
    assert message == f"chore(hestai): archive session {opened.id8} (feat: ship it)"
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert (
        result.archive_path in committed
        and ".hestai/sessions/archive/learnings-index.jsonl" in committed
    )
    assert staged(repo) == []


def test_commit_takes_the_memory_files_staged_during_the_session(proj: Project, repo: Path) -> None:
    clock_in(proj, focus="decide")
    decision = submit_document(
        proj, doc_type="decision", title="Pair lists", content="Use pair lists."
    )
    assert decision.path in staged(repo)
    (repo / "unrelated.txt").write_text("x")
    git(repo, "add", "unrelated.txt")
    result = clock_out(proj, commit=True)
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert decision.path in committed and decision.path in result.staged
    assert result.archive_path in committed and "unrelated.txt" not in committed
    assert staged(repo) == ["unrelated.txt"]  # only what is not memory stays staged


def test_no_stage_setting_leaves_the_index_alone(repo: Path) -> None:
    proj = setup_project(repo, settings="stage_writes: false\n")
    clock_in(proj, focus="nostage")
    result = clock_out(proj)
    assert result.staged == [] and staged(repo) == []
    assert (proj.root / result.archive_path).is_file()


def test_clock_out_needs_an_open_session(proj: Project) -> None:
    with pytest.raises(NotFoundError):
        clock_out(proj)
    with pytest.raises(NotFoundError):
        clock_out(proj, session_id="abcdefabcdef")


def test_clock_out_picks_the_named_session(proj: Project) -> None:
    a = clock_in(proj, focus="a")
    b = clock_in(proj, focus="b")
    with pytest.raises(UsageError):
        clock_out(proj)
    assert clock_out(proj, session_id=b.id8).session_id == b.session_id
    assert [s.id for s in list_active(proj)] == [a.session_id]


def test_learning_hook_is_called_and_cannot_fail_the_clock_out(
    proj: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, float]] = []

    def after_clock_out(project: Project, archive_rel: str, budget_s: float) -> AutoMineResult:
        calls.append((archive_rel, budget_s))
        return AutoMineResult(mode="scan-only", patterns=0)

    monkeypatch.setattr(clock_out_module, "after_clock_out", after_clock_out)
    clock_in(proj, focus="hook")
    result = clock_out(proj)
    assert calls == [(result.archive_path.removeprefix(".hestai/"), 1.0)]
    assert result.learning == AutoMineResult(mode="scan-only", patterns=0)
    assert json.loads(result.model_dump_json())["learning"]["mode"] == "scan-only"

    def broken(project: Project, archive_rel: str, budget_s: float) -> None:
        raise RuntimeError("miner crashed")

    monkeypatch.setattr(clock_out_module, "after_clock_out", broken)
    clock_in(proj, focus="hook2")
    result = clock_out(proj)
    assert result.learning is None and any("learning skipped" in n for n in result.notes)
    clock_in(proj, focus="hook3")
    calls.clear()
    monkeypatch.setattr(clock_out_module, "after_clock_out", after_clock_out)
    assert clock_out(proj, learn=False).learning is None and calls == []


def test_index_lines_are_json_and_one_per_session(proj: Project) -> None:
    for n in range(3):
        clock_in(proj, focus=f"f{n}")
        clock_out(proj)
    lines = proj.memory_path("sessions/archive/learnings-index.jsonl").read_text().splitlines()
    assert len(lines) == 3 and len({json.loads(line)["id"] for line in lines}) == 3
    assert len(archives(proj)) == 3


def test_an_unreadable_found_transcript_is_noted_not_fatal(
    proj: Project, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tr = ct.write_basic(tmp_path / "rec.jsonl", cwd=str(repo))
    clock_in(proj, focus="unreadable", transcript_path=tr)

    def broken(path: Path, **kwargs: object) -> object:
        raise OSError("I/O error")

    monkeypatch.setattr("hestai_tmws.workflows.clock_out.read_transcript", broken)
    result = clock_out(proj)
    assert result.tool_calls == 0 and result.transcript_source == "none"
    assert any("recorded transcript could not be read" in n for n in result.notes)
    opened = clock_in(proj, focus="explicit")
    with pytest.raises(ValidationError, match="cannot read the transcript"):
        clock_out(proj, transcript=tr)
    assert [s.id for s in list_active(proj)] == [opened.session_id]

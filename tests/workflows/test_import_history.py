"""`tmws import`: archive existing transcripts, dated by their records, idempotently."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hestai_tmws.layout import LEARNINGS_INDEX
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.sessions.transcripts.locate import project_slug
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.clock_out import clock_out
from hestai_tmws.workflows.import_history import import_history, import_session_id
from hestai_tmws.workflows.import_sources import discover
from tests.fixtures import clock_transcripts as ct
from tests.workflows.clock_support import archives, index_records, setup_project

MARCH_2 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
MARCH_5 = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)


@pytest.fixture
def proj(repo: Path) -> Project:
    return setup_project(repo)


def write_session(folder: Path, session_id: str, start: datetime, cwd: str = "/w/demo") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return ct.write(
        folder / f"{session_id}.jsonl", ct.basic_spec(cwd, start=start, session_id=session_id)
    )


SID_A = "aaaaaaaa-0000-4000-8000-000000000001"
SID_B = "bbbbbbbb-0000-4000-8000-000000000002"


def test_import_dates_each_archive_by_its_transcript(proj: Project, tmp_path: Path) -> None:
    history = tmp_path / "history"
    write_session(history, SID_A, MARCH_2)
    write_session(history, SID_B, MARCH_5)

    result = import_history(proj, [history], learn=False)

    assert (result.found, result.archived, result.failed) == (2, 2, 0)
    assert (result.first_day, result.last_day) == ("2026-03-02", "2026-03-05")
    names = sorted(p.name for p in archives(proj))
    assert names[0].startswith("2026-03-02-") and names[1].startswith("2026-03-05-")
    data = read_archive(archives(proj)[1].read_text(encoding="utf-8"))
    assert data.meta.started_at == MARCH_5
    assert data.meta.ended_at > data.meta.started_at
    assert data.meta.claude_session_id == SID_B
    assert data.meta.session_id == import_session_id("claude-code", SID_B)
    assert len(data.tool_calls) == ct.BASIC_TOOL_COUNT
    assert sorted(r["date"] for r in index_records(proj)) == ["2026-03-02", "2026-03-05"]
    history_doc = proj.memory_path("context/project-history.oct.md").read_text(encoding="utf-8")
    assert "imported 2 session(s)" in history_doc


def test_second_run_archives_nothing_new(proj: Project, tmp_path: Path) -> None:
    history = tmp_path / "history"
    write_session(history, SID_A, MARCH_2)
    import_history(proj, [history], learn=False)
    before = {p: p.read_bytes() for p in archives(proj)}

    again = import_history(proj, [history], learn=False)

    assert (again.archived, again.updated, again.unchanged) == (0, 0, 1)
    assert {p: p.read_bytes() for p in archives(proj)} == before
    assert len(index_records(proj)) == 1


def test_grown_transcript_is_rearchived_in_place(proj: Project, tmp_path: Path) -> None:
    history = tmp_path / "history"
    path = write_session(history, SID_A, MARCH_2)
    import_history(proj, [history], learn=False)
    spec = ct.basic_spec("/w/demo", start=MARCH_2, session_id=SID_A)
    more = ct.Turn(prompt="one more thing", calls=[ct.Call("Read", {"file_path": "x.py"})])
    ct.write(path, ct.TranscriptSpec(**{**spec.__dict__, "turns": [*spec.turns, more]}))

    result = import_history(proj, [history], learn=False)

    assert (result.archived, result.updated) == (0, 1)
    [only] = archives(proj)
    assert len(read_archive(only.read_text(encoding="utf-8")).tool_calls) == (
        ct.BASIC_TOOL_COUNT + 1
    )
    assert len(index_records(proj)) == 1


def test_since_and_dry_run(proj: Project, tmp_path: Path) -> None:
    history = tmp_path / "history"
    write_session(history, SID_A, MARCH_2)
    write_session(history, SID_B, MARCH_5)

    dry = import_history(proj, [history], since=date(2026, 3, 4), dry_run=True)

    assert (dry.archived, dry.skipped) == (1, 1)
    assert [i.status for i in dry.items if i.agent_session_id == SID_A] == ["too-old"]
    assert archives(proj) == [] and dry.learning is None


def test_resumes_after_an_interruption(proj: Project, tmp_path: Path) -> None:
    history = tmp_path / "history"
    for n in range(4):
        write_session(history, f"cccccccc-0000-4000-8000-00000000000{n}", MARCH_2)

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_history(proj, [history], learn=False, batch_size=1, progress=stop_after_two)
    assert len(archives(proj)) == 2

    result = import_history(proj, [history], learn=False)

    assert (result.archived, result.unchanged) == (2, 2)
    assert len(archives(proj)) == 4 and len(index_records(proj)) == 4


def test_redacted_like_clock_out(proj: Project, tmp_path: Path) -> None:
    secret = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    spec = ct.TranscriptSpec(
        cwd="/w/demo",
        session_id=SID_A,
        start=MARCH_2,
        turns=[
            ct.Turn(
                prompt=f"use token {secret} to push",
                calls=[ct.Call("Bash", {"command": f"GH_TOKEN={secret} gh pr create"})],
            )
        ],
    )
    history = tmp_path / "history"
    history.mkdir()
    ct.write(history / f"{SID_A}.jsonl", spec)

    import_history(proj, [history], learn=False)

    [only] = archives(proj)
    assert secret not in only.read_text(encoding="utf-8")


def test_a_clock_out_archive_is_never_replaced(proj: Project, repo: Path, tmp_path: Path) -> None:
    tr = write_session(tmp_path / "cc", SID_A, MARCH_2, cwd=str(repo))
    clock_in(proj, role="implementation-lead", focus="Fix main")
    clock_out(proj, transcript=tr, summary="kept by a person", learn=False)
    before = {p: p.read_bytes() for p in archives(proj)}

    result = import_history(proj, [tr], learn=False)

    assert (result.archived, result.updated, result.unchanged) == (0, 0, 1)
    assert {p: p.read_bytes() for p in archives(proj)} == before


def test_import_learns_once_at_the_end(proj: Project, tmp_path: Path) -> None:
    history = tmp_path / "history"
    write_session(history, SID_A, MARCH_2)
    write_session(history, SID_B, MARCH_5)

    result = import_history(proj, [history])

    assert result.learning is not None and result.learning.sessions == 2


def test_discovers_this_repos_claude_code_folders(
    proj: Project, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "claude"
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(config))
    projects = config / "projects"
    write_session(projects / project_slug(repo), SID_A, MARCH_2, cwd=str(repo))
    write_session(projects / (project_slug(repo) + "-sub"), SID_B, MARCH_5, cwd=str(repo / "sub"))
    moved = "cccccccc-0000-4000-8000-000000000003"
    gone = f"/old/place/{repo.name}"
    write_session(projects / project_slug(Path(gone)), moved, MARCH_5, cwd=gone)
    write_session(projects / "-elsewhere-other", "dddddddd-0000-4000-8000-000000000004", MARCH_5)

    found = sorted(s.agent_session_id for s in discover(proj))

    assert found == sorted([SID_A, SID_B, moved])


def test_json_summary_is_plain_data(proj: Project, tmp_path: Path) -> None:
    history = tmp_path / "history"
    write_session(history, SID_A, MARCH_2)
    result = import_history(proj, [history], learn=False, dry_run=True)
    data = json.loads(result.model_dump_json())
    assert {"found", "archived", "updated", "unchanged", "skipped", "failed", "items"} <= set(data)


def test_a_name_taken_by_another_session_is_a_failure_not_an_overwrite(
    proj: Project, tmp_path: Path
) -> None:
    history = tmp_path / "history"
    write_session(history, SID_A, MARCH_2)
    id8 = import_session_id("claude-code", SID_A)[:8]
    other = proj.memory_path(f"sessions/archive/2026-03-02-imported-session-{id8}.oct.md")
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text("someone else's archive\n", encoding="utf-8")

    result = import_history(proj, [history], learn=False)

    assert (result.archived, result.failed) == (0, 1)
    assert "another session" in result.items[0].note
    assert other.read_text(encoding="utf-8") == "someone else's archive\n"


def test_a_rerun_indexes_archives_a_killed_run_left_unindexed(
    proj: Project, tmp_path: Path
) -> None:
    history = tmp_path / "history"
    write_session(history, SID_A, MARCH_2)
    write_session(history, SID_B, MARCH_5)
    import_history(proj, [history], learn=False)
    index = proj.memory_path(LEARNINGS_INDEX)
    index.write_text(index.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")

    again = import_history(proj, [history], learn=False)

    assert again.unchanged == 2 and len(index_records(proj)) == 2

"""Stale sessions: listed with their state, reaped into `abandoned` archives with their traces."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app
from hestai_tmws.errors import UsageError
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.store import list_active
from hestai_tmws.sessions.traces import TraceRecord, record_trace
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.reap import list_sessions, reap
from tests.fixtures import clock_transcripts as ct
from tests.workflows.clock_support import archives, index_records, oracle_check, setup_project


@pytest.fixture
def proj(repo: Path) -> Project:
    return setup_project(repo)


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def plant(
    project: Project, session_id: str, hours: float, *, pid: int | None = None, **kw: object
) -> ActiveSession:
    data: dict[str, object] = {
        "id": session_id,
        "role": "implementation-lead",
        "focus": f"work {session_id[:4]}",
        "started_at": datetime.now(UTC) - timedelta(hours=hours),
        "pid": dead_pid() if pid is None else pid,
        "host": socket.gethostname(),
    }
    data.update(kw)
    session = ActiveSession.model_validate(data)
    folder = project.memory_path(f"sessions/active/{session.id}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "session.json").write_text(session.model_dump_json(), encoding="utf-8")
    return session


def test_list_sessions_reports_age_liveness_and_staleness(proj: Project) -> None:
    live = clock_in(proj, focus="live one")  # this test process: running
    old_dead = plant(proj, "aaaaaaaaaaaa", 30)
    young_dead = plant(proj, "bbbbbbbbbbbb", 1)
    old_running = plant(proj, "cccccccccccc", 30, pid=os.getpid())
    listing = list_sessions(proj)
    by_id = {s.id: s for s in listing.sessions}
    assert listing.stale_after_hours == 12.0
    assert by_id[live.session_id].alive is True and not by_id[live.session_id].stale
    assert by_id[old_dead.id].alive is False and by_id[old_dead.id].stale
    assert 29.9 < by_id[old_dead.id].age_hours < 30.1
    assert by_id[young_dead.id].alive is False and not by_id[young_dead.id].stale
    assert by_id[old_running.id].alive is True and not by_id[old_running.id].stale
    oldest_first = [s.id for s in listing.sessions]
    assert oldest_first[0] in (old_dead.id, old_running.id)


def test_other_host_sessions_are_judged_by_age(proj: Project) -> None:
    plant(proj, "dddddddddddd", 30, pid=os.getpid(), host="elsewhere.invalid")
    [info] = list_sessions(proj).sessions
    assert info.alive is None and info.stale


def test_reap_archives_stale_sessions_as_abandoned_with_traces(
    proj: Project, tmp_path: Path
) -> None:
    tr = ct.write_basic(tmp_path / "t.jsonl", cwd=str(proj.root))
    stale = plant(proj, "aaaaaaaaaaaa", 30, transcript_path=str(tr))
    assert record_trace(proj, stale.id, TraceRecord(tool="clock_in", summary="opened"))
    assert record_trace(proj, stale.id, TraceRecord(tool="document_submit", ok=False))
    young = plant(proj, "bbbbbbbbbbbb", 1)
    live = clock_in(proj, focus="live")

    result = reap(proj)
    assert [r.id for r in result.reaped] == [stale.id] and result.failed == []
    assert set(result.kept) == {young.id, live.session_id}
    assert {s.id for s in list_active(proj)} == {young.id, live.session_id}

    [path] = archives(proj)
    text = path.read_text()
    oracle_check(text)
    data = read_archive(text)
    assert data.meta.status == "abandoned" and data.meta.session_id == stale.id
    assert [t.tool for t in data.traces] == ["clock_in", "document_submit"]
    assert len(data.tool_calls) == ct.BASIC_TOOL_COUNT  # its recorded transcript was kept too
    assert any("reaped" in n for n in data.summary.notes)
    [record] = index_records(proj)
    assert record["status"] == "abandoned" and record["id"] == stale.id
    history = proj.memory_path("context/project-history.oct.md").read_text()
    assert "(abandoned)" in history and stale.id in history


def test_reap_older_than_overrides_the_setting(proj: Project) -> None:
    young = plant(proj, "bbbbbbbbbbbb", 2)
    assert reap(proj).reaped == []
    result = reap(proj, older_than_hours=1)
    assert [r.id for r in result.reaped] == [young.id]
    with pytest.raises(UsageError):
        reap(proj, older_than_hours=-1)


def test_stale_after_hours_setting_is_honoured(repo: Path) -> None:
    proj = setup_project(repo, settings="stale_after_hours: 0.5\n")
    plant(proj, "bbbbbbbbbbbb", 1)
    assert [r.id for r in reap(proj).reaped] == ["bbbbbbbbbbbb"]


def test_broken_session_folders_are_listed_and_reaped(proj: Project) -> None:
    folder = proj.memory_path("sessions/active/eeeeeeeeeeee")
    folder.mkdir(parents=True)
    (folder / "session.json").write_text("{not json")
    (folder / "traces.jsonl").write_text(json.dumps({"tool": "x", "ts": 1.0}) + "\n")
    old = (datetime.now(UTC) - timedelta(hours=40)).timestamp()
    os.utime(folder, (old, old))
    (proj.memory_path("sessions/active") / "not-a-session").mkdir()
    listing = list_sessions(proj)
    assert [b.id for b in listing.broken] == ["eeeeeeeeeeee"] and listing.sessions == []
    result = reap(proj)
    assert [r.id for r in result.reaped] == ["eeeeeeeeeeee"] and result.reaped[0].traces == 1
    data = read_archive(archives(proj)[0].read_text())
    assert data.meta.status == "abandoned" and data.meta.role == "unknown"
    assert not folder.exists()


def test_cli_sessions_and_reap(proj: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(proj.root)
    runner = CliRunner()
    app = build_app()
    plant(proj, "aaaaaaaaaaaa", 30)
    plant(proj, "bbbbbbbbbbbb", 1)
    out = runner.invoke(app, ["sessions", "--json"])
    assert out.exit_code == 0, out.output
    listing = json.loads(out.stdout)
    assert {s["id"]: s["stale"] for s in listing["sessions"]} == {
        "aaaaaaaaaaaa": True,
        "bbbbbbbbbbbb": False,
    }
    human = runner.invoke(app, ["sessions"])
    assert human.exit_code == 0 and "aaaaaaaaaaaa" in human.stdout and "stale" in human.stdout
    reaped = runner.invoke(app, ["sessions", "reap", "--json"])
    assert reaped.exit_code == 0, reaped.output
    assert [r["id"] for r in json.loads(reaped.stdout)["reaped"]] == ["aaaaaaaaaaaa"]
    again = runner.invoke(app, ["sessions", "reap", "--older-than", "0.5"])
    assert again.exit_code == 0 and "reaped bbbbbbbbbbbb" in again.stdout
    empty = runner.invoke(app, ["sessions"])
    assert empty.exit_code == 0 and "no open sessions" in empty.stdout

"""Finding a session's Claude Code transcript."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hestai_tmws.errors import NotFoundError
from hestai_tmws.sessions.transcripts import claude_projects_dir, find_transcript, project_slug

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def stamp(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def write_session(
    folder: Path,
    name: str,
    *,
    cwd: Path,
    start: datetime,
    end: datetime,
    text: str = "hello",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.jsonl"
    records = [
        {"type": "file-history-snapshot", "messageId": "m", "snapshot": {}},
        {
            "type": "user",
            "cwd": str(cwd),
            "sessionId": name,
            "timestamp": stamp(start),
            "message": {"content": text},
        },
        {
            "type": "assistant",
            "cwd": str(cwd),
            "sessionId": name,
            "timestamp": stamp(end),
            "message": {"content": []},
        },
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    os.utime(path, (end.timestamp(), end.timestamp()))
    return path


def test_projects_dir_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "cfg"))
    assert claude_projects_dir() == tmp_path / "cfg" / "projects"
    monkeypatch.delenv("CLAUDE_CONFIG_DIR")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert claude_projects_dir() == tmp_path / "home" / ".claude" / "projects"
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", "  ")
    assert claude_projects_dir() == tmp_path / "home" / ".claude" / "projects"


@pytest.mark.parametrize(
    ("cwd", "slug"),
    [
        ("/home/a/my.app", "-home-a-my-app"),
        (
            "/home/USER/projects/spotter-worktrees/spotter-dov",
            "-home-USER-projects-spotter-worktrees-spotter-dov",
        ),
        ("/srv/x:y/z", "-srv-x-y-z"),
        ("/srv/back\\slash", "-srv-back-slash"),
    ],
)
def test_project_slug(cwd: str, slug: str) -> None:
    assert project_slug(Path(cwd)) == slug


def _find(cwd: Path, **kw: object) -> Path | None:
    args: dict[str, object] = {
        "explicit": None,
        "recorded": None,
        "claude_session_id": None,
        "session_id": "tmws-0001",
        "cwd": cwd,
        "started_at": T0,
        "ended_at": T0 + timedelta(hours=1),
    }
    args.update(kw)
    return find_transcript(**args)  # type: ignore[arg-type]


@pytest.fixture
def projects() -> Path:
    return claude_projects_dir()  # conftest points CLAUDE_CONFIG_DIR into tmp


def test_explicit_wins_and_must_exist(tmp_path: Path, projects: Path) -> None:
    given = tmp_path / "given.jsonl"
    given.write_text("{}\n")
    recorded = tmp_path / "recorded.jsonl"
    recorded.write_text("{}\n")
    assert _find(tmp_path, explicit=given, recorded=recorded) == given
    with pytest.raises(NotFoundError):
        _find(tmp_path, explicit=tmp_path / "missing.jsonl", recorded=recorded)


def test_recorded_next_then_search(tmp_path: Path, projects: Path) -> None:
    cwd = tmp_path / "repo"
    recorded = tmp_path / "recorded.jsonl"
    recorded.write_text("{}\n")
    assert _find(cwd, recorded=recorded) == recorded
    named = write_session(projects / project_slug(cwd), "abc", cwd=cwd, start=T0, end=T0)
    assert _find(cwd, recorded=tmp_path / "gone.jsonl", claude_session_id="abc") == named


def test_claude_session_id_file(tmp_path: Path, projects: Path) -> None:
    cwd = tmp_path / "repo"
    folder = projects / project_slug(cwd)
    old = T0 - timedelta(days=3)
    named = write_session(folder, "wanted", cwd=cwd, start=old, end=old)  # even if old
    write_session(folder, "other", cwd=cwd, start=T0, end=T0 + timedelta(minutes=30))
    assert _find(cwd, claude_session_id="wanted") == named


def test_content_naming_the_session_wins(tmp_path: Path, projects: Path) -> None:
    cwd = tmp_path / "repo"
    folder = projects / project_slug(cwd)
    busy = write_session(folder, "busy", cwd=cwd, start=T0, end=T0 + timedelta(minutes=59))
    named = write_session(
        folder,
        "named",
        cwd=cwd,
        start=T0 + timedelta(minutes=50),
        end=T0 + timedelta(minutes=51),
        text="tmws clock-in printed session tmws-0001",
    )
    assert busy != named
    assert _find(cwd, claude_session_id="not-there") == named


def test_best_time_overlap(tmp_path: Path, projects: Path) -> None:
    cwd = tmp_path / "repo"
    folder = projects / project_slug(cwd)
    write_session(
        folder, "before", cwd=cwd, start=T0 - timedelta(hours=5), end=T0 - timedelta(hours=4)
    )
    write_session(
        folder, "short", cwd=cwd, start=T0 + timedelta(minutes=5), end=T0 + timedelta(minutes=10)
    )
    longest = write_session(folder, "long", cwd=cwd, start=T0, end=T0 + timedelta(minutes=40))
    write_session(
        folder, "elsewhere", cwd=tmp_path / "other", start=T0, end=T0 + timedelta(hours=1)
    )
    assert _find(cwd) == longest


def test_subfolder_sessions_are_found(tmp_path: Path, projects: Path) -> None:
    cwd = tmp_path / "repo"
    sub = cwd / "pkg"
    found = write_session(
        projects / project_slug(sub), "inner", cwd=sub, start=T0, end=T0 + timedelta(minutes=3)
    )
    assert _find(cwd) == found


def test_naive_datetimes_are_utc(tmp_path: Path, projects: Path) -> None:
    cwd = tmp_path / "repo"
    found = write_session(
        projects / project_slug(cwd), "s", cwd=cwd, start=T0, end=T0 + timedelta(minutes=3)
    )
    naive = T0.replace(tzinfo=None)
    assert _find(cwd, started_at=naive, ended_at=naive + timedelta(hours=1)) == found


def test_nothing_found(tmp_path: Path, projects: Path) -> None:
    cwd = tmp_path / "repo"
    assert _find(cwd) is None  # no projects folder at all
    folder = projects / project_slug(cwd)
    write_session(folder, "old", cwd=cwd, start=T0 - timedelta(days=2), end=T0 - timedelta(days=2))
    (folder / "empty.jsonl").write_bytes(b"")
    (folder / "garbage.jsonl").write_text("not json\n")
    assert _find(cwd) is None

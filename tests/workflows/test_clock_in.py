"""clock-in: validated role, focus, one live session per focus, healed governance, the primer."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hestai_tmws.errors import ConflictError, UsageError
from hestai_tmws.governance import locate, rules, status
from hestai_tmws.project import Project
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.store import list_active, load_session, resolve_session
from hestai_tmws.steward import Steward
from hestai_tmws.workflows.clock_in import clock_in, known_roles
from tests.paths import REPO_ROOT
from tests.workflows.clock_support import git, setup_project

ROLES = {
    "critical-engineer",
    "holistic-orchestrator",
    "implementation-lead",
    "requirements-steward",
    "security-specialist",
    "system-steward",
    "technical-architect",
    "test-methodology-guardian",
}


@pytest.fixture
def proj(repo: Path) -> Project:
    return setup_project(repo)


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def plant_session(project: Project, **kw: object) -> ActiveSession:
    data: dict[str, object] = {
        "id": "feedbeef0001",
        "role": "implementation-lead",
        "focus": "old work",
        "started_at": datetime.now(UTC) - timedelta(hours=30),
        "pid": dead_pid(),
        "host": socket.gethostname(),
    }
    data.update(kw)
    session = ActiveSession.model_validate(data)
    folder = project.memory_path(f"sessions/active/{session.id}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "session.json").write_text(session.model_dump_json(), encoding="utf-8")
    return session


def test_clock_in_writes_the_session_record(proj: Project, repo: Path) -> None:
    work = repo / "src"
    work.mkdir()
    result = clock_in(proj, role="technical-architect", focus="Design the cache", working_dir=work)
    record = json.loads(
        proj.memory_path(f"sessions/active/{result.session_id}/session.json").read_text()
    )
    assert len(record["id"]) == 12 and all(c in "0123456789abcdef" for c in record["id"])
    assert record["role"] == "technical-architect"
    assert record["focus"] == "Design the cache" and record["focus_source"] == "explicit"
    assert record["branch"] == "main"
    assert record["head"] == git(repo, "rev-parse", "HEAD").strip()
    assert record["pid"] == os.getpid() and record["host"] == socket.gethostname()
    assert record["working_dir"] == str(work.resolve())
    assert record["governance_version"] == (REPO_ROOT / "_bundled_hub/VERSION").read_text().strip()
    started = datetime.fromisoformat(record["started_at"].replace("Z", "+00:00"))
    assert started.tzinfo is not None and abs(datetime.now(UTC) - started) < timedelta(minutes=5)
    assert result.session_file == f".hestai/sessions/active/{result.session_id}/session.json"
    assert load_session(proj, result.session_id).id8 == result.id8 == result.session_id[:8]


def test_session_record_is_private_and_unstaged(proj: Project, repo: Path) -> None:
    result = clock_in(proj, focus="x")
    assert git(repo, "status", "--porcelain", "--", ".hestai/sessions/active").strip() == ""
    assert f".hestai/sessions/active/{result.session_id}/session.json" not in git(
        repo, "diff", "--cached", "--name-only"
    )


def test_primer_lists_what_to_read_north_star_and_open_items(proj: Project) -> None:
    result = clock_in(proj, role="implementation-lead", focus="primer")
    assert result.context_files[:3] == [
        ".hestai-sys/agents/implementation-lead.oct.md",
        ".hestai/workflow/000-project-north-star.oct.md",
        ".hestai/context/project-context.oct.md",
    ]
    assert all((proj.root / rel).is_file() for rel in result.context_files)
    assert "outcome this project exists to deliver" in result.north_star_summary
    assert "first-immutable" in result.north_star_summary
    assert [item.split(":")[0] for item in result.open_checklist_items] == ["T1", "T2", "T3"]
    assert "(implementation-lead)" in result.open_checklist_items[2]
    assert result.governance_version and result.recent_learnings == []
    assert isinstance(result.suggested_skills, list)


def test_unknown_role_is_refused_with_the_known_ones(proj: Project) -> None:
    with pytest.raises(UsageError) as info:
        clock_in(proj, role="wizard")
    message = info.value.message
    assert "unknown role 'wizard'" in message
    for role in ROLES:
        assert role in message
    assert set(known_roles(proj)) == ROLES
    assert list_active(proj) == []


def test_the_hub_is_located_once_and_its_roles_follow_the_hub_setting(
    proj: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = tmp_path / "hub"
    shutil.copytree(REPO_ROOT / "_bundled_hub", hub)
    agent = (hub / "agents/implementation-lead.oct.md").read_text(encoding="utf-8")
    (hub / "agents/wizard.oct.md").write_text(agent.replace("implementation-lead", "wizard"))
    with pytest.raises(UsageError):
        clock_in(proj, role="wizard", focus="magic")
    located: list[object] = []
    real = locate.locate_hub
    monkeypatch.setattr(status, "locate_hub", lambda p=None: located.append(p) or real(p))
    monkeypatch.setattr(rules, "locate_hub", lambda p=None: located.append(p) or real(p))
    proj.config_file.write_text(f"hub: {hub}\n", encoding="utf-8")
    assert clock_in(proj, role="wizard", focus="magic").role == "wizard"
    assert len(located) == 1  # by inject; the roles and the routing come from what it found


def test_default_role_comes_from_settings(repo: Path) -> None:
    proj = setup_project(repo, settings="default_role: critical-engineer\n")
    assert clock_in(proj, focus="f").role == "critical-engineer"


@pytest.mark.parametrize(
    ("branch", "focus", "source"),
    [
        ("feat/login", "feat: login", "branch"),
        ("fix/#31-crash", "issue-31", "branch"),
        ("main", "general", "default"),
    ],
)
def test_focus_from_the_branch(
    proj: Project, repo: Path, branch: str, focus: str, source: str
) -> None:
    if branch != "main":
        git(repo, "checkout", "-q", "-b", branch)
    result = clock_in(proj)
    assert (result.focus, result.focus_source, result.branch) == (focus, source, branch)


def test_same_focus_is_refused_unless_forced(proj: Project) -> None:
    first = clock_in(proj, focus="Login flow")
    with pytest.raises(ConflictError) as info:
        clock_in(proj, focus="login  FLOW")
    assert first.session_id in info.value.message
    assert info.value.hint and "--force" in info.value.hint
    assert len(list_active(proj)) == 1
    other = clock_in(proj, focus="another thing")
    forced = clock_in(proj, focus="Login flow", force=True)
    assert any("forced" in n for n in forced.notes)
    assert {s.id for s in list_active(proj)} == {
        first.session_id,
        other.session_id,
        forced.session_id,
    }


def test_a_stale_session_does_not_block_its_focus(proj: Project) -> None:
    old = plant_session(proj, focus="Login flow")
    result = clock_in(proj, focus="Login flow")
    assert any(old.id8 in n and "stale" in n for n in result.notes)


def test_a_young_session_whose_client_died_does_not_block(proj: Project) -> None:
    """Issue 14: a client gone mid-call must not lock its focus; the session stays resumable."""
    old = plant_session(proj, focus="Login flow", started_at=datetime.now(UTC) - timedelta(hours=1))
    result = clock_in(proj, focus="Login flow")
    assert any(old.id8 in n and "resume" in n for n in result.notes)


def test_a_young_session_with_a_live_process_blocks(proj: Project) -> None:
    plant_session(
        proj, focus="Login flow", started_at=datetime.now(UTC) - timedelta(hours=1), pid=os.getpid()
    )
    with pytest.raises(ConflictError):
        clock_in(proj, focus="Login flow")


def test_clock_in_heals_tampered_governance(proj: Project) -> None:
    agent = proj.hestai_sys / "agents" / "implementation-lead.oct.md"
    original = agent.read_text()
    os.chmod(agent, 0o644)
    agent.write_text(original.replace("Write or update a failing test", "Skip tests"))
    result = clock_in(proj, focus="heal")
    assert agent.read_text() == original
    assert result.governance_action == "healed"
    assert any("healed" in n for n in result.notes)


def test_clock_in_injects_missing_governance(repo: Path) -> None:
    proj = Project.discover(repo)  # no init at all
    result = clock_in(proj, focus="bare")
    assert (proj.hestai_sys / "agents" / "implementation-lead.oct.md").is_file()
    assert result.governance_action == "created"
    assert result.north_star_summary == "" and result.open_checklist_items == []


def test_missing_working_dir_is_a_usage_error(proj: Project, repo: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        clock_in(proj, focus="w", working_dir=repo / "nope")
    assert list_active(proj) == []


def test_transcript_path_and_claude_session_are_recorded(proj: Project, tmp_path: Path) -> None:
    tr = tmp_path / "t.jsonl"
    tr.write_text("{}\n")
    result = clock_in(proj, focus="t", transcript_path=tr, claude_session_id="abc-123")
    session = load_session(proj, result.session_id)
    assert session.transcript_path == str(tr.resolve()) == result.transcript_path
    assert session.claude_session_id == "abc-123"


def test_recent_learnings_come_from_the_index_newest_first(proj: Project) -> None:
    steward = Steward(proj)
    steward.append_jsonl(
        "sessions/archive/learnings-index.jsonl",
        [
            {"id": "111111111111", "date": "2026-01-01", "focus": "a", "learnings": ["old one"]},
            {"id": "222222222222", "date": "2026-01-02", "focus": "b", "learnings": []},
            {
                "id": "333333333333",
                "date": "2026-01-03",
                "focus": "c",
                "learnings": ["new 1", "new 2"],
            },
        ],
    )
    result = clock_in(proj, focus="learn")
    assert [(r.text, r.session, r.date) for r in result.recent_learnings] == [
        ("new 1", "33333333", "2026-01-03"),
        ("new 2", "33333333", "2026-01-03"),
        ("old one", "11111111", "2026-01-01"),
    ]


def test_resolve_session_by_prefix_and_ambiguity(proj: Project) -> None:
    a = clock_in(proj, focus="a")
    assert resolve_session(proj, None).id == a.session_id
    b = clock_in(proj, focus="b")
    with pytest.raises(UsageError) as info:
        resolve_session(proj, None)
    assert a.session_id in info.value.message and b.session_id in info.value.message
    assert resolve_session(proj, a.id8).id == a.session_id
    assert resolve_session(proj, b.session_id).id == b.session_id

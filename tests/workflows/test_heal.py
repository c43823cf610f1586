"""A clock-out killed after writing its archive is finished by the next clock-in, once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hestai_tmws.config import load_settings
from hestai_tmws.layout import LEARNINGS_INDEX
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.sessions.closing import read_closing
from hestai_tmws.sessions.store import list_active
from hestai_tmws.workflows import heal
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.verify import verify_project
from tests.fixtures import clock_transcripts as ct
from tests.paths import REPO_ROOT
from tests.workflows.clock_support import archives, index_records, setup_project, staged

# The child clocks out and dies (os._exit, no clean-up) at the named step.
KILLED_CLOCK_OUT = """
import os, sys
from pathlib import Path
import hestai_tmws.workflows.clock_out as co
import hestai_tmws.workflows.session_memory as memory
from hestai_tmws.project import Project

step = sys.argv[2]
def die(*args, **kwargs):
    os._exit(9)
if step == "index":
    co._append_index = die
elif step == "history":
    co.append_history = die
project = Project.discover(Path(sys.argv[1]))
co.clock_out(project, transcript=Path(sys.argv[3]), summary="killed", learnings=["keep one"])
"""


@pytest.fixture
def proj(repo: Path) -> Project:
    return setup_project(repo)


def kill_clock_out(proj: Project, step: str, transcript: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLED_CLOCK_OUT, str(proj.root), step, str(transcript)],
        cwd=proj.root,
        env={"PYTHONPATH": str(REPO_ROOT / "src"), "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 9, done.stderr


@pytest.mark.parametrize("step", ["index", "history"])
def test_the_next_clock_in_finishes_a_killed_clock_out(
    proj: Project, tmp_path: Path, step: str
) -> None:
    tr = ct.write_basic(tmp_path / "t.jsonl", cwd=str(proj.root))
    first = clock_in(proj, focus="interrupted work")
    kill_clock_out(proj, step, tr)
    [archive] = archives(proj)
    assert read_closing(proj, first.session_id) is not None
    assert any(f.code == "INDEX_MISSING" for f in verify_project(proj).findings)

    later = clock_in(proj, focus="next task")

    assert any("finished the interrupted clock-out" in n for n in later.notes)
    assert [s.id for s in list_active(proj)] == [later.session_id]
    assert archives(proj) == [archive]
    data = read_archive(archive.read_text(encoding="utf-8"))
    assert len(data.tool_calls) == ct.BASIC_TOOL_COUNT and data.summary.text == "killed"
    assert [r["id"] for r in index_records(proj)] == [first.session_id]
    context = proj.memory_path("context/project-context.oct.md").read_text(encoding="utf-8")
    assert context.count("keep one") == 1
    assert not [f for f in verify_project(proj).findings if f.severity == "error"]
    assert f".hestai/{LEARNINGS_INDEX}" in staged(proj.root)


def test_a_session_killed_before_its_archive_stays_open(proj: Project, tmp_path: Path) -> None:
    first = clock_in(proj, focus="not yet archived")
    marker = proj.memory_path(f"sessions/active/{first.session_id}/closing.json")
    marker.write_text(json.dumps({"archive": "sessions/archive/x.oct.md", "status": "completed"}))

    later = clock_in(proj, focus="other work")

    assert sorted(s.id for s in list_active(proj)) == sorted([first.session_id, later.session_id])
    assert not any("interrupted" in n for n in later.notes)


def test_only_sessions_with_a_closing_marker_are_read(
    proj: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(5):
        clock_in(proj, focus=f"open {i}")
    read: list[str] = []
    real = heal.load_session
    monkeypatch.setattr(heal, "load_session", lambda p, sid: read.append(sid) or real(p, sid))
    assert heal.finish_interrupted(proj, load_settings(proj)) == []
    assert read == []  # no marker: no record was even opened
    sid = list_active(proj)[0].id
    marker = proj.memory_path(f"sessions/active/{sid}/closing.json")
    marker.write_text('{"archive": "sessions/archive/none.oct.md", "status": "completed"}')
    assert heal.finish_interrupted(proj, load_settings(proj)) == []  # its archive is not there
    assert read == [sid]
    marker.write_text("{broken")
    assert heal.finish_interrupted(proj, load_settings(proj)) == []
    assert len(list_active(proj)) == 5

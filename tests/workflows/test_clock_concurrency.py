"""Eight processes clock in, update context and clock out at once: nothing lost, nothing torn.

Each worker process runs the service API in-process (one Python start-up per worker, not
per call) for ROUNDS rounds on its own focus; all of them share one repository and contend
for the Steward lock, the git index and the shared memory files.

The repository lives on a RAM file system when one is available: every Steward write is
fsynced (two or three fsyncs a file), and 400 serialised clock-outs on a slow disk measure
the disk, not the concurrency this test is about. Locking and atomic renames behave the
same on tmpfs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hestai_tmws.octave import parse
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import read_archive
from hestai_tmws.sessions.store import list_active
from tests.paths import REPO_ROOT
from tests.workflows.clock_support import (
    archives,
    git,
    index_records,
    init_repo,
    oracle_check,
    setup_project,
)

WORKERS = 8
ROUNDS = 50


def worker(repo: str, n: int, rounds: int) -> None:
    """One process: `rounds` × (clock-in, context update, clock-out); prints its session ids."""
    from hestai_tmws.memory.context import ContextChange, update_context
    from hestai_tmws.workflows.clock_in import clock_in
    from hestai_tmws.workflows.clock_out import clock_out

    project = Project.discover(repo)
    ids: list[str] = []
    for r in range(rounds):
        opened = clock_in(project, role="implementation-lead", focus=f"worker {n} round {r}")
        update_context(
            project,
            document="project-context",
            changes=[ContextChange(op="replace", section="CONCURRENCY", key=f"W{n}", value=r)],
            session_id=opened.session_id,
        )
        closed = clock_out(project, session_id=opened.session_id, summary=f"w{n} r{r}", learn=False)
        ids.append(closed.session_id)
    sys.stdout.write(json.dumps(ids) + "\n")


@pytest.fixture
def fast_repo(tmp_path: Path) -> Iterator[Path]:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        base = Path(tempfile.mkdtemp(prefix="tmws-concurrency-", dir=shm))
        try:
            yield init_repo(base / "repo")
        finally:
            shutil.rmtree(base, ignore_errors=True)
    else:
        yield init_repo(tmp_path / "repo")


@pytest.mark.slow
def test_parallel_sessions_lose_nothing_and_tear_nothing(fast_repo: Path) -> None:
    repo = fast_repo
    project = setup_project(repo, settings="lock_timeout_seconds: 300\n")
    from hestai_tmws.memory.context import ContextChange, update_context

    update_context(
        project,
        document="project-context",
        changes=[
            ContextChange(
                op="add", section="CONCURRENCY", value={f"W{n}": -1 for n in range(WORKERS)}
            )
        ],
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), str(REPO_ROOT)])}
    code = (
        "import sys; from tests.workflows.test_clock_concurrency import worker; "
        "worker(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(repo), str(n), str(ROUNDS)],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WORKERS)
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-3000:]
    session_ids = [sid for out, _ in outputs for sid in json.loads(out.strip().splitlines()[-1])]
    assert len(session_ids) == len(set(session_ids)) == WORKERS * ROUNDS

    # every session archived exactly once, and every archive is valid and canonical
    files = archives(project)
    assert len(files) == WORKERS * ROUNDS
    archived: set[str] = set()
    for path in files:
        text = path.read_text(encoding="utf-8")
        data = read_archive(text)
        archived.add(data.meta.session_id)
        assert path.name.endswith(f"-{data.meta.id8}.oct.md")
    assert archived == set(session_ids)
    for path in files[:: max(1, len(files) // 40)]:  # the oracle on a spread sample
        oracle_check(path.read_text(encoding="utf-8"))

    # the index has one line per archive; the history names every session
    records = index_records(project)
    assert len(records) == len(files) and {r["id"] for r in records} == archived
    history = project.memory_path("context/project-history.oct.md").read_text(encoding="utf-8")
    oracle_check(history)
    timeline = parse(history).section("TIMELINE")
    assert timeline is not None
    entries = timeline.body["ENTRIES"]
    assert isinstance(entries, list)
    assert {e["SESSION"] for e in entries if isinstance(e, dict)} == archived

    # no lost context update: each worker's key holds its last round
    context_text = project.memory_path("context/project-context.oct.md").read_text(encoding="utf-8")
    oracle_check(context_text)
    section = parse(context_text).section("CONCURRENCY")
    assert section is not None
    assert section.body == {f"W{n}": ROUNDS - 1 for n in range(WORKERS)}

    # no torn or stray file anywhere in memory, no session left open, everything staged
    for path in project.hestai.rglob("*"):
        assert not path.name.startswith(".tmws-tmp-"), path
        if path.name.endswith(".oct.md"):
            parse(path.read_text(encoding="utf-8"))
    assert list_active(project) == []
    staged_files = set(git(repo, "diff", "--cached", "--name-only").split())
    assert {f".hestai/{r['archive']}" for r in records} <= staged_files

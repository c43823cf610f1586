"""The learning step that runs by itself after a clock-out.

`after_clock_out` is called once the archive is safely written: it records which suggested
skills the session actually followed (`used` events), then mines incrementally within the
time budget (about one second in the CLI). It never raises and never takes longer than the
budget plus one cache write: what does not fit is left for the next run or for
`tmws learn mine`. The MCP server hands its archives to `BackgroundLearning` instead, which
runs the step in a separate, lower-priority process once the server has been quiet for
`QUIET_S` (or `MAX_WAIT_S` after the first archive waiting), one process for every archive
that queued up meanwhile, never two at a time, and at once when the server stops.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.learning.feedback import detect_usage
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.skill_index import load_index
from hestai_tmws.project import Project

DEFAULT_BUDGET_S = 1.0
WARM_MIN_S = 0.2  # time left over that is worth spending on the skill index
QUIET_S = 2.0  # the MCP server's learning step waits for this long without a tool call...
MAX_WAIT_S = 30.0  # ...but no longer than this after the first archive queued
POLL_S = 0.25  # how often a waiting step looks at a running one (only while one waits)


class AutoMineResult(BaseModel):
    """What the automatic step did (folded into the clock-out result as `learning`)."""

    ran: bool = False
    mode: str = "skipped"  # full | incremental | scan-only | skipped
    archives_read: int = 0
    patterns: int = 0
    created: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    transitions: list[str] = Field(default_factory=list)  # "pat-… DETECTED → VALIDATED"
    used: list[str] = Field(default_factory=list)  # suggestion ids followed by this session
    elapsed_ms: float = 0.0
    note: str | None = None


def after_clock_out(
    project: Project, archive_rel: str | Sequence[str], budget_s: float | None = DEFAULT_BUDGET_S
) -> AutoMineResult:
    """Usage detection (of each archive given), then an incremental mine bounded by
    `budget_s` (None: no bound)."""
    start = time.perf_counter()
    deadline = None if budget_s is None else start + max(0.0, budget_s)
    result = AutoMineResult()
    notes: list[str] = []
    archives = [archive_rel] if isinstance(archive_rel, str) else list(archive_rel)
    for rel in archives:
        try:
            usage = detect_usage(project, rel, lock_timeout=_lock_budget(deadline))
            result.used.extend(u.suggestion_id for u in usage.used)
        except Exception as exc:
            which = f" of {rel}" if len(archives) > 1 else ""
            notes.append(f"usage detection{which} skipped ({_why(exc)})")
    try:
        settings = load_settings(project)
        report = run_mine(project, mode="auto", deadline=deadline, settings=settings)
        result.ran = True
        result.mode = report.mode
        result.archives_read = report.archives_read
        result.patterns = report.patterns
        result.created = report.created
        result.updated = report.updated
        result.transitions = [f"{t.pattern_id} {t.arrow}" for t in report.transitions]
        notes.extend(report.notes)
    except Exception as exc:
        notes.append(f"learning skipped ({_why(exc)})")
    _warm_skill_index(project, deadline)
    result.elapsed_ms = round((time.perf_counter() - start) * 1000, 2)
    result.note = "; ".join(notes) or None
    return result


def start_background(
    project: Project, archive_rel: str, budget_s: float | None = None
) -> threading.Thread:
    """Run `after_clock_out` in a daemon thread (for the MCP server, after its response)."""
    thread = threading.Thread(
        target=after_clock_out,
        args=(project, archive_rel, budget_s),
        name="tmws-learning",
        daemon=True,
    )
    thread.start()
    return thread


def spawn_background(project: Project, archive_rel: str | Sequence[str]) -> subprocess.Popen[bytes]:
    """Run `after_clock_out` (unbounded, for one or more archives) in a separate,
    lower-priority process.

    The MCP server uses this rather than a thread: mining is pure Python, and in a thread it
    would share the interpreter lock with the requests the server keeps answering. Its own
    session lets it finish when the server exits; no stream is inherited, because the
    server's stdout is the MCP protocol.
    """

    archives = [archive_rel] if isinstance(archive_rel, str) else list(archive_rel)
    return subprocess.Popen(
        [sys.executable, "-m", "hestai_tmws.learning.auto", str(project.root), *archives],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


Spawner = Callable[[Project, list[str]], "subprocess.Popen[bytes]"]


class BackgroundLearning:
    """The MCP server's learning steps, coalesced and run when the server is quiet.

    Each learning process pays the core's imports and a scan of every archive (hundreds of
    ms of CPU at 2,000 archives), so one per clock-out would compete with the calls that
    follow on a busy machine. Archives queue here; one waiter thread (alive only while
    something waits) starts a single process for all of them once no tool call came for
    `quiet_s`, or `max_wait_s` after the first one queued, and never while the previous
    process still runs. No archive is skipped: each one's usage is detected. `flush` (the
    server stopping) starts what is queued at once.
    """

    def __init__(
        self,
        project: Project,
        *,
        quiet_s: float = QUIET_S,
        max_wait_s: float = MAX_WAIT_S,
        spawn: Spawner | None = None,
    ) -> None:
        self.project = project
        self.quiet_s, self.max_wait_s = quiet_s, max_wait_s
        self.spawn: Spawner = spawn or _spawn_default
        self.pending: list[str] = []
        self.running: subprocess.Popen[bytes] | None = None
        self.started: list[subprocess.Popen[bytes]] = []  # every process started (tests)
        self._last_call = time.monotonic()
        self._first_queued = 0.0
        self._waiter: threading.Thread | None = None
        self._cond = threading.Condition()

    def note_call(self) -> None:
        """A tool call came: the server is not quiet (a float store, no lock)."""
        self._last_call = time.monotonic()

    def add(self, archive_rel: str) -> None:
        """Queue an archive's learning step (never raises)."""
        with self._cond:
            if not self.pending:
                self._first_queued = time.monotonic()
            self.pending.append(archive_rel)
            self._last_call = time.monotonic()
            if self._waiter is None:
                self._waiter = threading.Thread(
                    target=self._wait, name="tmws-learning-wait", daemon=True
                )
                self._waiter.start()
            self._cond.notify()

    def flush(self) -> None:
        """Start the queued step now, even beside a running one (the server is stopping)."""
        with self._cond:
            archives, self.pending = self.pending, []
            self._cond.notify()
        if archives:
            self._start(archives)

    def _due_in(self) -> float:
        """Seconds until the queued step may start (≤ 0: now); called under the lock."""
        now = time.monotonic()
        due = min(self._last_call + self.quiet_s, self._first_queued + self.max_wait_s) - now
        if self.running is not None and self.running.poll() is None:
            return max(due, POLL_S)
        return due

    def _wait(self) -> None:
        while True:
            with self._cond:
                while self.pending and (delay := self._due_in()) > 0:
                    self._cond.wait(delay)
                archives, self.pending = self.pending, []
                if not archives:
                    self._waiter = None
                    return
            self._start(archives)

    def _start(self, archives: list[str]) -> None:
        try:
            child = self.spawn(self.project, archives)
        except Exception:  # learning never fails (or delays) a clock-out
            return
        with self._cond:
            self.running = child
            self.started.append(child)


def _spawn_default(project: Project, archives: list[str]) -> subprocess.Popen[bytes]:
    return spawn_background(project, archives)  # looked up at call time (benchmarks patch it)


def _warm_skill_index(project: Project, deadline: float | None) -> None:
    """Build the skill index if time is left, so that the next clock-in finds it cached."""
    if deadline is not None and deadline - time.perf_counter() < WARM_MIN_S:
        return
    try:
        load_index(project, deadline=deadline)
    except Exception:
        return


def _lock_budget(deadline: float | None) -> float:
    if deadline is None:
        return 10.0
    return max(0.05, (deadline - time.perf_counter()) / 4)


def _why(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return f"{type(exc).__name__}: {message}"[:200]


def main(argv: list[str] | None = None) -> int:
    """`python -m hestai_tmws.learning.auto ROOT ARCHIVE_REL...`: the background step."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        sys.stderr.write("usage: python -m hestai_tmws.learning.auto PROJECT_ROOT ARCHIVE_REL...\n")
        return 2
    with contextlib.suppress(OSError):
        os.nice(10)  # the child lowers itself: preexec_fn is unsafe in a threaded server
    result = after_clock_out(Project.discover(args[0]), args[1:], budget_s=None)
    return 0 if result.ran else 1


if __name__ == "__main__":
    sys.exit(main())

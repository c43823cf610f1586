"""The learning step that runs by itself after a clock-out.

`after_clock_out` is called once the archive is safely written: it records which suggested
skills the session actually followed (`used` events), then mines incrementally within the
time budget (about one second in the CLI). It never raises and never takes longer than the
budget plus one cache write: what does not fit is left for the next run or for
`tmws learn mine`. The MCP server calls it after the clock_out response is on its way
(`start_background`), where no person waits for it.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.learning.feedback import detect_usage
from hestai_tmws.learning.pipeline import run_mine
from hestai_tmws.learning.skill_index import load_index
from hestai_tmws.project import Project

DEFAULT_BUDGET_S = 1.0
WARM_MIN_S = 0.2  # time left over that is worth spending on the skill index


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
    project: Project, archive_rel: str, budget_s: float | None = DEFAULT_BUDGET_S
) -> AutoMineResult:
    """Usage detection, then an incremental mine bounded by `budget_s` (None: no bound)."""
    start = time.perf_counter()
    deadline = None if budget_s is None else start + max(0.0, budget_s)
    result = AutoMineResult()
    notes: list[str] = []
    try:
        usage = detect_usage(project, archive_rel, lock_timeout=_lock_budget(deadline))
        result.used = [u.suggestion_id for u in usage.used]
    except Exception as exc:
        notes.append(f"usage detection skipped ({_why(exc)})")
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


def spawn_background(project: Project, archive_rel: str) -> subprocess.Popen[bytes]:
    """Run `after_clock_out` (unbounded) in a separate, lower-priority process.

    The MCP server uses this rather than a thread: mining is pure Python, and in a thread it
    would share the interpreter lock with the requests the server keeps answering. Its own
    session lets it finish when the server exits; no stream is inherited, because the
    server's stdout is the MCP protocol.
    """

    return subprocess.Popen(
        [sys.executable, "-m", "hestai_tmws.learning.auto", str(project.root), archive_rel],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


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
    """`python -m hestai_tmws.learning.auto ROOT ARCHIVE_REL`: the background step."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write("usage: python -m hestai_tmws.learning.auto PROJECT_ROOT ARCHIVE_REL\n")
        return 2
    with contextlib.suppress(OSError):
        os.nice(10)  # the child lowers itself: preexec_fn is unsafe in a threaded server
    result = after_clock_out(Project.discover(args[0]), args[1], budget_s=None)
    return 0 if result.ran else 1


if __name__ == "__main__":
    sys.exit(main())

"""`tmws watch`: hand edits reported at once, Steward writes never, governance healed.

No sleeps: the watcher runs in a thread, reports into a queue, and every wait is bounded.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from hestai_tmws.errors import UsageError
from hestai_tmws.guard.watch import WatchEvent, watch
from hestai_tmws.project import Project
from tests.guard.support import (
    CONTEXT,
    CONTEXT_ROOT,
    Guarded,
    context_doc,
    steward_delete,
    steward_write,
)

WAIT = 20.0  # generous bound for slow CI machines; a passing test never waits this long


class Watcher:
    def __init__(self) -> None:
        self.events: queue.Queue[WatchEvent] = queue.Queue()
        self.seen: list[WatchEvent] = []

    def wait_for(self, match: Callable[[WatchEvent], bool]) -> WatchEvent:
        deadline = time.monotonic() + WAIT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no matching event; saw {self.seen}")
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            self.seen.append(event)
            if match(event):
                return event

    def drain(self) -> list[WatchEvent]:
        while True:
            try:
                self.seen.append(self.events.get_nowait())
            except queue.Empty:
                return self.seen


@contextmanager
def watching(project: Project, **kwargs: object) -> Iterator[Watcher]:
    w = Watcher()
    stop = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            watch(project, stop_event=stop, on_event=w.events.put, tick_ms=100, **kwargs)  # type: ignore[arg-type]
        except BaseException as exc:  # surfaced in the test thread
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    try:
        w.wait_for(lambda e: e.kind == "ready")
        yield w
    finally:
        stop.set()
        thread.join(WAIT)
        assert not thread.is_alive(), "the watcher did not stop on its stop event"
        w.drain()
    if errors:
        raise errors[0]


def _sentinel(g: Guarded, w: Watcher) -> None:
    """A hand edit whose event marks 'everything before it has been reported'."""
    f = g.path(".hestai/sentinel.md")
    f.write_text(f"{time.monotonic()}\n")
    w.wait_for(lambda e: e.path == ".hestai/sentinel.md")


def test_hand_edit_is_reported(guarded: Guarded) -> None:
    with watching(guarded.project, heal=False) as w:
        f = guarded.path(CONTEXT_ROOT)
        f.write_text(f.read_text().replace("team", "me"))
        event = w.wait_for(lambda e: e.kind == "hand-edit")
    assert event.path == CONTEXT_ROOT
    assert f"tmws adopt {CONTEXT_ROOT}" in event.message


def test_new_file_is_reported(guarded: Guarded) -> None:
    with watching(guarded.project, heal=False) as w:
        guarded.path(".hestai/context/notes.md").write_text("x\n")
        event = w.wait_for(lambda e: e.kind == "hand-edit")
    assert event.path == ".hestai/context/notes.md"


def test_hand_delete_is_reported(guarded: Guarded) -> None:
    with watching(guarded.project, heal=False) as w:
        guarded.path(CONTEXT_ROOT).unlink()
        event = w.wait_for(lambda e: e.kind == "hand-delete")
    assert event.path == CONTEXT_ROOT


def test_steward_writes_are_not_reported(guarded: Guarded) -> None:
    from hestai_tmws.steward import Steward

    with watching(guarded.project, heal=False) as w:
        for owner in ("a", "b", "c"):
            steward_write(guarded.project, CONTEXT, context_doc(owner=owner))
        steward_write(
            guarded.project,
            "context/project-roadmap.oct.md",
            context_doc().replace("PROJECT_CONTEXT", "PROJECT_ROADMAP"),
        )
        steward_delete(guarded.project, "context/project-roadmap.oct.md")
        Steward(guarded.project).append_private("sessions/active/abcabcabcabc/traces.jsonl", "{}")
        _sentinel(guarded, w)
    flagged = {e.path for e in w.seen if e.kind in ("hand-edit", "hand-delete")}
    assert flagged == {".hestai/sentinel.md"}


def test_symlink_is_reported(guarded: Guarded) -> None:
    with watching(guarded.project, heal=False) as w:
        os.symlink("project-context.oct.md", guarded.path(".hestai/context/link.oct.md"))
        event = w.wait_for(lambda e: e.path == ".hestai/context/link.oct.md")
    assert event.kind == "hand-edit" and "regular file" in event.message


def test_governance_tampering_is_healed_again_and_again(guarded: Guarded) -> None:
    from hestai_tmws.governance.inject import inject
    from hestai_tmws.governance.status import verify_governance

    inject(guarded.project)
    target = guarded.project.hestai_sys / "governance/rules/naming-standard.oct.md"
    original = target.read_bytes()
    with watching(guarded.project) as w:
        for round_ in range(2):
            target.chmod(0o644)
            target.write_text(f"tampered {round_}\n")
            event = w.wait_for(lambda e: e.kind == "healed")
            assert HESTAI_SYS_PREFIX in event.message
            w.wait_for(lambda e: e.kind == "ready")  # re-armed on the new tree
            assert target.read_bytes() == original
    assert verify_governance(guarded.project).ok


HESTAI_SYS_PREFIX = ".hestai-sys/"


def test_missing_governance_is_injected_at_start(guarded: Guarded) -> None:
    assert not guarded.project.hestai_sys.exists()
    with watching(guarded.project) as w:
        assert guarded.project.hestai_sys.is_dir()
    assert any(e.kind == "healed" for e in w.seen)


def test_needs_a_memory_folder(repo: Path) -> None:
    with pytest.raises(UsageError, match="is not a folder") as info:
        watch(Project.discover(repo), on_event=lambda e: None, stop_event=threading.Event())
    assert info.value.hint == "run `tmws init` first"


def _ctrl_c_as_on_a_terminal() -> None:
    """A suite started in the background by a non-interactive shell (`cmd &`) inherits SIGINT
    ignored, and Python then installs no KeyboardInterrupt handler in the child: give the
    watch the Ctrl-C a person at a terminal has, which is what this test is about."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_cli_watch_prints_json_lines(guarded: Guarded) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "hestai_tmws.cli.app", "watch", "--json", "--no-heal"],
        cwd=guarded.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_ctrl_c_as_on_a_terminal,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True)  # type: ignore[union-attr]
    reader.start()
    try:
        first = json.loads(lines.get(timeout=WAIT))
        assert first["kind"] == "ready"
        f = guarded.path(CONTEXT_ROOT)
        f.write_text(f.read_text().replace("team", "me"))
        event = json.loads(lines.get(timeout=WAIT))
        assert event == {"kind": "hand-edit", "path": CONTEXT_ROOT, "message": event["message"]}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(WAIT)

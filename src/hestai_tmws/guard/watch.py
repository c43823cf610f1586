"""`tmws watch`: say at once when something outside the Steward touches project memory.

The pre-commit guard catches a hand edit at commit time; the watcher catches it the moment it
happens, while the person or agent who made it is still there to hear it. A changed file under
`.hestai/` is compared with the ledger (under the Steward lock, so a Steward write in progress
is never mistaken for a hand edit); a change under `.hestai-sys/` is healed by the one
governance watch (`governance.watch`). Core function only: it reports through a callback and
stops on an event, so it is testable without sleeps.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import watchfiles

from hestai_tmws.errors import BusyError, TmwsError, UsageError
from hestai_tmws.gitio import blob_id
from hestai_tmws.governance.watch import GovernanceWatcher, Heal
from hestai_tmws.layout import HESTAI, HESTAI_SYS, SESSIONS_ACTIVE
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.atomic import TEMP_PREFIX
from hestai_tmws.steward.ledger import LedgerTamperedError

EventKind = Literal["ready", "hand-edit", "hand-delete", "healed", "heal-failed"]


class StopEvent(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class WatchEvent:
    """One thing the watcher noticed (or `ready`: it is now watching)."""

    kind: EventKind
    path: str | None
    message: str


def watch(
    project: Project,
    *,
    stop_event: StopEvent | None = None,
    on_event: Callable[[WatchEvent], None],
    heal: bool = True,
    tick_ms: int = 200,
    debounce_ms: int = 50,
    force_polling: bool | None = None,
) -> None:
    """Watch `.hestai/` (and heal `.hestai-sys/`) until `stop_event` is set.

    `on_event` receives a `ready` event each time a watch is (re)armed — within about
    `tick_ms` — then one event per hand edit, hand deletion or healing. Governance is kept
    by the one `governance.watch.GovernanceWatcher`, whose events arrive from its thread.
    """
    if not project.hestai.is_dir() or project.hestai.is_symlink():
        raise UsageError(f"{project.hestai} is not a folder", hint="run `tmws init` first")
    steward = Steward(project, lock_timeout=2.0)
    governance = _governance_watcher(project, on_event, force_polling) if heal else None
    if governance is not None:
        governance.heal_now()  # a missing or tampered tree is restored before anything else
        governance.start()
    try:
        roots = [str(project.hestai)]
        armed = False
        for changes in watchfiles.watch(
            *roots,
            stop_event=stop_event,
            yield_on_timeout=True,
            rust_timeout=tick_ms,
            debounce=debounce_ms,
            step=min(50, tick_ms),
            watch_filter=None,
            raise_interrupt=False,
            force_polling=force_polling,
        ):
            if not armed:
                armed = True
                on_event(WatchEvent("ready", None, "watching " + ", ".join(roots)))
            memory = sorted({rel for rel in _changed(project, changes) if _is_memory_file(rel)})
            if memory:
                for event in check_paths(project, steward, memory):
                    on_event(event)
    finally:
        if governance is not None:
            governance.stop()


def _changed(project: Project, changes: set[tuple[Any, str]]) -> list[str]:
    rels = (_root_relative(project, Path(raw)) for _change, raw in changes)
    return [rel for rel in rels if rel is not None]


def _governance_watcher(
    project: Project, on_event: Callable[[WatchEvent], None], force_polling: bool | None
) -> GovernanceWatcher:
    """The governance watch, reporting through `on_event` as this watcher's own events."""

    def healed(heal: Heal) -> None:
        on_event(WatchEvent("healed", HESTAI_SYS, heal.describe()))

    def failed(exc: Exception) -> None:
        message = exc.message if isinstance(exc, TmwsError) else str(exc)
        on_event(WatchEvent("heal-failed", HESTAI_SYS, message))

    def ready() -> None:
        on_event(WatchEvent("ready", None, f"watching {project.hestai_sys}"))

    return GovernanceWatcher(
        project, on_heal=healed, on_error=failed, on_ready=ready, force_polling=force_polling
    )


def check_paths(project: Project, steward: Any, rels: list[str]) -> list[WatchEvent]:
    """Events for the paths (relative to the root) whose current state the Steward did not make."""
    try:
        with steward.lock.hold("watch"):
            return _check(project, steward, rels)
    except BusyError:  # a long transaction: check without it rather than stall the watcher
        return _check(project, steward, rels)


def _check(project: Project, steward: Any, rels: list[str]) -> list[WatchEvent]:
    try:
        index = steward.ledger.index()
    except LedgerTamperedError as exc:
        return [WatchEvent("hand-edit", str(project.ledger_path), exc.message)]
    events: list[WatchEvent] = []
    for rel in rels:
        path = project.root / rel
        try:
            st = path.lstat()
        except FileNotFoundError:
            if rel in index.blobs and not index.was_deleted(rel):
                events.append(
                    WatchEvent(
                        "hand-delete",
                        rel,
                        f"{rel} was deleted outside the Steward; "
                        f"restore it (git restore -- {rel}) or `tmws adopt {rel} --reason ...`",
                    )
                )
            continue
        if stat.S_ISDIR(st.st_mode):
            continue
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
            events.append(WatchEvent("hand-edit", rel, f"{rel} is not a regular file (a link?)"))
            continue
        try:
            blob = blob_id(path.read_bytes())
        except OSError:
            continue  # vanished between lstat and read: the next event will tell
        if not index.knows(rel, blob):
            events.append(
                WatchEvent(
                    "hand-edit",
                    rel,
                    f"{rel} was changed outside the Steward; write it through tmws, or take "
                    f"it in with `tmws adopt {rel} --reason ...`",
                )
            )
    return events


def _root_relative(project: Project, path: Path) -> str | None:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(project.root).as_posix()
        except (ValueError, OSError):
            return None


def _is_memory_file(rel: str) -> bool:
    if not rel.startswith(HESTAI + "/"):
        return False
    if rel.startswith(f"{HESTAI}/{SESSIONS_ACTIVE}/"):
        return False
    return not rel.rsplit("/", 1)[-1].startswith(TEMP_PREFIX)

"""Keep `.hestai-sys/` intact while something runs: watch it and re-inject on any change.

The one watch-and-heal of governance, used by the MCP server (for as long as it runs) and by
`tmws watch` (which reports each heal). `inject` rebuilds the tree by swapping a whole new
folder in, so the watch on the old folder ends with every heal; the loop simply starts a new
one and, as soon as it is live, checks once more for changes made in the gap. A periodic check
(a no-op costing about a millisecond when the tree is intact) is the safety net for anything
else a watch might miss.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from watchfiles import watch

from hestai_tmws.governance.inject import inject
from hestai_tmws.layout import HESTAI_SYS
from hestai_tmws.project import Project

log = logging.getLogger("hestai_tmws.governance.watch")

RECHECK_SECONDS = 1.0
WATCH_TIMEOUT_MS = 200


@dataclass(frozen=True)
class Heal:
    """One re-injection: what inject did and the paths it restored."""

    action: str  # created, updated, healed, rebuilt
    healed: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        """The restored paths, or the tree itself when no single file was restored."""
        return list(self.healed) or [f"{HESTAI_SYS}/ ({self.action})"]

    def describe(self) -> str:
        detail = ", ".join(self.healed[:5]) if self.healed else self.action
        return f"{HESTAI_SYS}/ {self.action}: {detail}"


def heal_governance(project: Project) -> Heal | None:
    """Re-inject governance if it is not intact; None when it was (TmwsError if it cannot)."""
    result = inject(project)
    if result.action == "unchanged":
        return None
    return Heal(result.action, list(result.healed))


class GovernanceWatcher:
    """A daemon thread that restores tampered governance within a fraction of a second.

    `on_heal`, `on_error` and `on_ready` (each time a watch is live) are called from the
    watcher's thread.
    """

    def __init__(
        self,
        project: Project,
        *,
        on_heal: Callable[[Heal], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        on_ready: Callable[[], None] | None = None,
        force_polling: bool | None = None,
    ) -> None:
        self.project = project
        self._on_heal = on_heal
        self._on_error = on_error
        self._on_ready = on_ready
        self._force_polling = force_polling
        self._stop = threading.Event()
        self.ready = threading.Event()  # set once the first watch is active
        self.heals = 0
        self.healed_paths: list[str] = []
        self.errors = 0
        self._healed_cond = threading.Condition()
        self._thread: threading.Thread | None = None

    # -- control --------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="tmws-governance-watch", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_for_heal(self, count: int, timeout: float) -> bool:
        """Block until at least `count` heals happened (tests: no sleeps-and-hope)."""
        deadline = time.monotonic() + timeout
        with self._healed_cond:
            while self.heals < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._healed_cond.wait(remaining)
        return True

    # -- the loop -------------------------------------------------------------------------
    def heal_now(self) -> list[str]:
        """Re-inject if anything differs; returns the paths restored (empty: intact)."""
        try:
            heal = heal_governance(self.project)
        except Exception as exc:  # keep watching: the next event or recheck retries
            self.errors += 1
            log.warning("governance heal failed: %s", exc)
            if self._on_error is not None:
                self._on_error(exc)
            return []
        if heal is None:
            return []
        healed = heal.paths
        log.info("governance healed: %s", ", ".join(healed))
        with self._healed_cond:
            self.heals += 1
            self.healed_paths.extend(healed)
            self._healed_cond.notify_all()
        if self._on_heal is not None:
            self._on_heal(heal)
        return healed

    def _run(self) -> None:
        target = self.project.hestai_sys
        while not self._stop.is_set():
            self.heal_now()
            try:
                inode = os.stat(target).st_ino
            except OSError:
                self._stop.wait(0.2)  # heal failed to create it; try again shortly
                continue
            last_check = time.monotonic()
            first = True
            try:
                for changes in watch(
                    target,
                    watch_filter=None,
                    debounce=30,
                    step=10,
                    stop_event=self._stop,
                    rust_timeout=WATCH_TIMEOUT_MS,
                    yield_on_timeout=True,
                    raise_interrupt=False,
                    force_polling=self._force_polling,
                    debug=False,  # its debug output goes to stdout: the MCP protocol's
                ):
                    if self._stop.is_set():
                        return
                    if changes:
                        break  # heal, then watch the (possibly new) folder again
                    if first:
                        # the watch is live now: catch what changed between the heal and it
                        first = False
                        self._live()
                        last_check = time.monotonic()
                        if self.heal_now():
                            break
                        continue
                    if not self._same_folder(inode):
                        break
                    if time.monotonic() - last_check >= RECHECK_SECONDS:
                        last_check = time.monotonic()
                        if self.heal_now():
                            break
            except Exception as exc:  # the folder vanished under the watch, or similar
                self.errors += 1
                log.debug("governance watch restarted: %s", exc)
                self._stop.wait(0.05)

    def _live(self) -> None:
        self.ready.set()
        if self._on_ready is not None:
            self._on_ready()

    def _same_folder(self, inode: int) -> bool:
        try:
            return os.stat(self.project.hestai_sys).st_ino == inode
        except OSError:
            return False

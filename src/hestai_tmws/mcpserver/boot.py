"""`tmws serve`: start fast, answer `initialize` at once, load the core on first use.

The stdio runner imports only the SDK server and this package's thin server class; the
tools, resources, prompts, governance injection and the watch (`server.populate`) come with
the first request that lists or uses anything (`lazy.LazyServer`). It also adds what a
long-lived child process needs: it notices when its parent is gone, and stops the watch and
releases everything on the way out. A failure to populate (a broken hub, say) ends the
server with that error, as it did when everything was loaded before serving.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from hestai_tmws.mcpserver.lazy import LazyServer, new_server
from hestai_tmws.project import Project

log = logging.getLogger("hestai_tmws.mcp")

PARENT_POLL_SECONDS = 1.0
EXIT_GRACE_SECONDS = 1.0


@dataclass
class Boot:
    """A served project whose server is populated on its first request."""

    project: Project
    parent: int  # the client: recorded before the slow start, as ServerContext.client_pid
    server: LazyServer | None = None
    bundle: Any = None  # hestai_tmws.mcpserver.server.TmwsServer, once populated
    failure: BaseException | None = None
    scope: Any = None  # the running task group's cancel scope
    _stopped: threading.Event = field(default_factory=threading.Event)

    def populate(self) -> None:
        """Load the core and register everything; a failure stops the server (see `serve`)."""
        from hestai_tmws.mcpserver.server import populate  # lazy: the core, not for initialize

        try:
            self.bundle = populate(self.server, self.project, client_pid=self.parent)
        except BaseException as exc:
            self.failure = exc
            if self.scope is not None:
                self.scope.cancel()
            raise
        if self.bundle.watcher is not None and not self._stopped.is_set():
            self.bundle.watcher.start()

    def stop_watch(self) -> None:
        """Stop the watch and start the learning step of archives still waiting for it."""
        self._stopped.set()
        watcher = getattr(self.bundle, "watcher", None)
        if watcher is not None:
            watcher.stop()
        ctx = getattr(self.bundle, "ctx", None)
        if ctx is not None:
            ctx.learning.flush()


def boot(project: Project, parent: int) -> Boot:
    """A `Boot` with its lazy server (nothing of the core loaded yet)."""
    state = Boot(project=project, parent=parent)

    @asynccontextmanager
    async def lifespan(_server: Any) -> AsyncIterator[dict[str, Any]]:
        try:
            yield {}
        finally:
            state.stop_watch()

    state.server = new_server(lifespan)
    state.server.on_first_use = state.populate
    return state


# -- running over stdio ------------------------------------------------------------------------


def _exit_soon(code: int, grace: float) -> None:
    """Leave even if a worker thread is stuck reading a pipe nobody will close."""

    def force() -> None:
        os._exit(code)

    timer = threading.Timer(grace, force)
    timer.daemon = True
    timer.start()


async def _watch_parent(state: Boot, scope: Any, parent: int) -> None:
    while True:
        await anyio.sleep(PARENT_POLL_SECONDS)
        if os.getppid() != parent:
            log.warning("the MCP client (pid %s) is gone; stopping", parent)
            state.stop_watch()
            _exit_soon(0, EXIT_GRACE_SECONDS)
            scope.cancel()
            return


async def serve_stdio(state: Boot) -> None:
    """Serve until stdin closes, the parent process disappears or populating fails."""
    assert state.server is not None
    async with anyio.create_task_group() as tg:
        state.scope = tg.cancel_scope
        if state.parent > 1:
            tg.start_soon(_watch_parent, state, tg.cancel_scope, state.parent)
        try:
            await state.server.run_stdio_async()
        finally:
            tg.cancel_scope.cancel()
            state.stop_watch()


def serve(project_dir: Path | str | None = None) -> None:
    """`tmws serve`: the project is `project_dir`, else $TMWS_PROJECT, else the current folder."""
    parent = os.getppid()  # before the slow start: a client gone meanwhile is still noticed
    logging.basicConfig(level=logging.WARNING, format="tmws serve: %(message)s")
    state = boot(Project.discover(project_dir), parent)
    with suppress(KeyboardInterrupt):
        anyio.run(serve_stdio, state)
    if state.failure is not None:
        raise state.failure

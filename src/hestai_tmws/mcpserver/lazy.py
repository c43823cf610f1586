"""A server that answers `initialize` before it has loaded its tools, resources and prompts.

`initialize` needs only the server's name, version, instructions and capabilities; the tools
need the whole core (workflows, sessions, learning, governance: ~0.3 s of imports and
set-up). `LazyServer` runs its `on_first_use` hook once, on the first request that lists or
uses anything, so a client's handshake costs what a bare SDK server's does. A hook that fails
fails every later request the same way (never a server that looks empty).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from hestai_tmws import __version__
from hestai_tmws.mcpserver.strict import StrictServer

SERVER_NAME = "hestai-tmws"
INSTRUCTIONS = """\
hestai-tmws keeps this project's governance (.hestai-sys/, read-only) and memory (.hestai/,
written only by these tools) in git.
Workflow: clock_in (role, focus) → read what it lists (get_context, hestai:// resources) →
anchor_submit → work; record decisions/reports with document_submit and change context
documents with context_update (pass the base_hash you read) → clock_out with a summary.
Never edit .hestai/ or .hestai-sys/ files directly. Every tool call is traced in the session.
"""

Lifespan = Any  # an async context manager factory taking the server (the SDK's shape)


class LazyServer(StrictServer):
    """StrictServer that calls `on_first_use` (once) before the first list, call or read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.on_first_use: Callable[[], None] | None = None
        self._failure: BaseException | None = None
        self._ready_lock = threading.Lock()

    def ensure_ready(self) -> None:
        """Run the first-use hook if it has not run; re-raise its failure if it failed."""
        with self._ready_lock:
            hook, self.on_first_use = self.on_first_use, None
            if hook is not None:
                try:
                    hook()
                except BaseException as exc:
                    self._failure = exc
                    raise
        if self._failure is not None:
            raise self._failure

    async def list_tools(self) -> Any:
        self.ensure_ready()
        return await super().list_tools()

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        self.ensure_ready()
        return await super().call_tool(name, arguments, context)

    async def list_resources(self) -> Any:
        self.ensure_ready()
        return await super().list_resources()

    async def list_resource_templates(self) -> Any:
        self.ensure_ready()
        return await super().list_resource_templates()

    async def read_resource(self, uri: Any, context: Any = None) -> Any:
        self.ensure_ready()
        return await super().read_resource(uri, context)

    async def list_prompts(self) -> Any:
        self.ensure_ready()
        return await super().list_prompts()

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Any = None
    ) -> Any:
        self.ensure_ready()
        return await super().get_prompt(name, arguments, context)


def new_server(lifespan: Lifespan, log_level: str = "WARNING") -> LazyServer:
    """The SDK server with hestai-tmws's name, version and instructions, nothing registered."""
    return LazyServer(
        SERVER_NAME,
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        log_level=log_level,
    )

"""MCP resources: the injected governance (`hestai-sys://…`) and the context documents (`hestai://…`).

Every file is listed as a concrete resource (so clients can discover it) and a URI template
answers for files that appear later. Reads go to the files each time: a resource never
serves a stale copy, and never reads outside its folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from mcp.server.mcpserver.exceptions import ResourceNotFoundError
from mcp.server.mcpserver.resources import FunctionResource

from hestai_tmws.layout import CONTEXT_DOCS, NORTH_STAR
from hestai_tmws.mcpserver.context import ServerContext
from hestai_tmws.mcpserver.typed import resource
from hestai_tmws.project import Project

if TYPE_CHECKING:
    from mcp.server import MCPServer

GOV_SCHEME = "hestai-sys://"
CONTEXT_PREFIX = "hestai://context/"
NORTH_STAR_NAME = "north-star"
MARKDOWN = "text/markdown"
_CONTEXT_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
_META_FILES = frozenset({".version", ".manifest.json"})


class ResourceMissing(Exception):
    """Raised by a reader; turned into the SDK's not-found error at the boundary."""


def _inside(base: Path, path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(base.resolve())
    except OSError:
        return False


def read_governance(project: Project, rel: str) -> str:
    """Text of `.hestai-sys/<rel>`; refuses anything that leaves the folder."""
    base = project.hestai_sys
    path = base / rel
    if not rel or rel.startswith("/") or ".." in Path(rel).parts or not _inside(base, path):
        raise ResourceMissing(f"no governance file {rel!r}")
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise ResourceMissing(f"no governance file {rel!r} (run tmws inject?)") from exc


def context_rel(name: str) -> str:
    """Path inside `.hestai/` of a context document named in a `hestai://context/<name>` URI."""
    name = name.removesuffix(".oct.md")
    if not _CONTEXT_NAME.match(name):
        raise ResourceMissing(f"{name!r} is not a context document name")
    if name == NORTH_STAR_NAME:
        return NORTH_STAR
    return f"context/{name}.oct.md"


def read_context(project: Project, name: str) -> str:
    rel = context_rel(name)
    path = project.memory_path(rel)
    if not _inside(project.hestai, path):
        raise ResourceMissing(f"{rel} leaves .hestai/")
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise ResourceMissing(f"no context document {name!r} (run tmws init?)") from exc


def governance_files(project: Project) -> list[str]:
    """Every governance file now in `.hestai-sys/` (POSIX, relative), without the meta files."""
    base = project.hestai_sys
    if not base.is_dir():
        return []
    out = []
    for path in base.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.name not in _META_FILES:
            out.append(path.relative_to(base).as_posix())
    return sorted(out)


def context_names(project: Project) -> list[str]:
    names = list(CONTEXT_DOCS)
    folder = project.memory_path("context")
    if folder.is_dir():
        for path in sorted(folder.glob("*.oct.md")):
            stem = path.name.removesuffix(".oct.md")
            if stem not in names and _CONTEXT_NAME.match(stem):
                names.append(stem)
    names.append(NORTH_STAR_NAME)
    return names


def _wrap(read: Callable[[], str]) -> Callable[[], str]:

    def reader() -> str:
        try:
            return read()
        except ResourceMissing as exc:
            raise ResourceNotFoundError(str(exc)) from exc

    return reader


def register_resources(server: MCPServer, ctx: ServerContext) -> None:
    """Add the governance and context resources (concrete ones plus a template for each)."""

    project = ctx.project
    for rel in governance_files(project):
        server.add_resource(
            FunctionResource.from_function(
                fn=_wrap(partial(read_governance, project, rel)),
                uri=GOV_SCHEME + rel,
                name=rel,
                description=f"Read-only governance file .hestai-sys/{rel}",
                mime_type=MARKDOWN,
            )
        )
    for name in context_names(project):
        server.add_resource(
            FunctionResource.from_function(
                fn=_wrap(partial(read_context, project, name)),
                uri=CONTEXT_PREFIX + name,
                name=f"context/{name}",
                description=f"Project memory .hestai/{context_rel(name)} (change: "
                + (
                    "document_submit with an approved decision)"
                    if name == "north-star"
                    else "context_update)"
                ),
                mime_type=MARKDOWN,
            )
        )

    @resource(
        server,
        GOV_SCHEME + "{+path}",
        name="governance-file",
        description="Any file of the injected governance, by its path inside .hestai-sys/",
        mime_type=MARKDOWN,
    )
    def governance_file(path: str) -> str:
        try:
            return read_governance(project, path)
        except ResourceMissing as exc:
            raise ResourceNotFoundError(str(exc)) from exc

    @resource(
        server,
        CONTEXT_PREFIX + "{name}",
        name="context-document",
        description="A context document by name (north-star: the project north star)",
        mime_type=MARKDOWN,
    )
    def context_document(name: str) -> str:
        try:
            return read_context(project, name)
        except ResourceMissing as exc:
            raise ResourceNotFoundError(str(exc)) from exc

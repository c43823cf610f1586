"""`tmws init`: create the `.hestai/` layout of the dual-layer ADR, without ever overwriting.

Memory files come from the hub's templates and are written through the Steward; repository
files outside `.hestai/` (`.gitignore`, `.gitattributes`) are edited by adding lines only.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import NotFoundError, UsageError, ValidationError
from hestai_tmws.governance.inject import inject
from hestai_tmws.governance.placement import routed_folders, routing_placement
from hestai_tmws.governance.rules import load_routing
from hestai_tmws.guard.merge_driver import register_merge_driver
from hestai_tmws.layout import (
    CONTEXT_DOCS,
    DECISIONS,
    HESTAI,
    HESTAI_SYS,
    LEGACY,
    NORTH_STAR,
    REPORTS,
    SESSIONS_ACTIVE,
    SESSIONS_ARCHIVE,
)
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.atomic import TEMP_PREFIX, atomic_write_bytes
from hestai_tmws.workflows.hestai_layout import detect
from hestai_tmws.workflows.hook_launcher import heal_launcher

GITIGNORE_LINES = (
    f"{HESTAI_SYS}/",
    f"{HESTAI_SYS}.*/",
    f"{HESTAI}/{SESSIONS_ACTIVE}/",
    f"{HESTAI}/**/{TEMP_PREFIX}*",
)
GITATTRIBUTES_LINES = (
    f"{HESTAI}/**/*.jsonl merge=union",
    f"{HESTAI}/**/*.oct.md merge=tmws-octave",
)
#: Used only when the hub has no readable routing table; otherwise the table decides.
LAYOUT_DIRS = (DECISIONS, SESSIONS_ACTIVE, SESSIONS_ARCHIVE, REPORTS)


class InitResult(BaseModel):
    """What init created, what it found and kept, and the governance it injected."""

    project: str
    created: list[str] = Field(default_factory=list)
    kept: list[str] = Field(default_factory=list)
    folders: list[str] = Field(default_factory=list)
    gitignore_added: list[str] = Field(default_factory=list)
    gitattributes_added: list[str] = Field(default_factory=list)
    governance_version: str = ""
    merge_driver: bool = False
    hook_launcher: str | None = None  # a note when the Claude hook launcher was (re)written


def memory_templates(project: Project) -> dict[str, str]:
    """Target path inside `.hestai/` → template name in `.hestai-sys/templates/`."""
    plan = {project.context_doc(name): name for name in CONTEXT_DOCS}
    plan[NORTH_STAR] = "north-star"
    return plan


def layout_dirs(project: Project) -> list[str]:
    """The folders of `.hestai/`: every folder of the hub's routing table."""
    try:
        folders = routed_folders(load_routing(project))
    except (NotFoundError, ValidationError, OSError):
        folders = []
    # The legacy area exists only when a migration put files there.
    return [f for f in folders if f != LEGACY] or list(LAYOUT_DIRS)


def init_project(project: Project, *, stage: bool = True) -> InitResult:
    """Create memory from templates, wire git files, inject governance; idempotent.

    A HestAI-MCP `.hestai/` is refused before anything is written: templates beside its
    upper-case files would make case-only twins and prime agents from blank documents.
    """
    found = detect(project.hestai)
    if found is not None:
        raise UsageError(
            f"{HESTAI}/ holds a HestAI-MCP project (layout {found}); init would not use it",
            hint="run `tmws migrate hestai-mcp --dry-run` to see the plan, then "
            "`tmws migrate hestai-mcp`",
        )
    settings = load_settings(project)
    result = InitResult(project=str(project.root))
    injected = inject(project)
    result.governance_version = injected.version

    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    templates = project.hestai_sys / "templates"
    with steward.transaction("init", stage=stage):
        for rel, template in memory_templates(project).items():
            if steward.exists(rel):
                result.kept.append(f"{HESTAI}/{rel}")
                continue
            text = (templates / f"{template}.oct.md").read_text(encoding="utf-8")
            steward.write_text(rel, text, only_if_absent=True, reason="tmws init")
            result.created.append(f"{HESTAI}/{rel}")
        for rel_dir in layout_dirs(project):
            folder = project.memory_path(rel_dir)
            if not folder.is_dir():
                steward.path_of(f"{rel_dir}/placeholder.json")  # checks for links on the way
                folder.mkdir(parents=True, exist_ok=True)
                result.folders.append(f"{HESTAI}/{rel_dir}/")

    result.gitignore_added = _add_lines(project.root / ".gitignore", GITIGNORE_LINES)
    result.gitattributes_added = _add_lines(project.root / ".gitattributes", GITATTRIBUTES_LINES)
    if stage:
        changed = [
            n
            for n, added in (
                (".gitignore", result.gitignore_added),
                (".gitattributes", result.gitattributes_added),
            )
            if added
        ]
        project.git.add(changed)
    result.merge_driver = _register_merge_driver(project)
    result.hook_launcher = heal_launcher(project.root)
    return result


def _add_lines(path: Path, lines: tuple[str, ...]) -> list[str]:
    """Append the missing lines to a text file (never rewrites what is there)."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in existing.splitlines()}
    missing = [line for line in lines if line not in present]
    if missing:
        prefix = existing if (not existing or existing.endswith("\n")) else existing + "\n"
        header = "" if "# hestai-tmws" in existing else "# hestai-tmws\n"
        atomic_write_bytes(path, (prefix + header + "\n".join(missing) + "\n").encode("utf-8"))
    return missing


def _register_merge_driver(project: Project) -> bool:
    """Register the OCTAVE merge driver in the local git config."""
    register_merge_driver(project)
    return True

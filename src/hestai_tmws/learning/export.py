"""Export: hand the promoted skills to an agent (`--claude`: Claude Code's `.claude/skills/`)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from hestai_tmws.errors import UsageError
from hestai_tmws.learning.skills import parse_skill, skill_rel, skill_slugs
from hestai_tmws.project import Project
from hestai_tmws.steward.atomic import atomic_write_bytes

CLAUDE_SKILLS = Path(".claude") / "skills"
ExportTarget = Literal["claude"]


class ExportResult(BaseModel):
    target: str  # relative to the project root
    written: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    skipped: dict[str, str] = Field(default_factory=dict)


def export_claude(project: Project) -> ExportResult:
    """Copy every promoted skill to `.claude/skills/<slug>/SKILL.md` (atomic plain writes).

    `.claude/` is outside project memory, so the Steward does not own it; the copy refuses
    to write through a symbolic link that leaves the project.
    """
    target_root = project.root / CLAUDE_SKILLS
    result = ExportResult(target=CLAUDE_SKILLS.as_posix())
    root_real = project.root.resolve()
    for slug in skill_slugs(project):
        source = project.memory_path(skill_rel(slug))
        try:
            data = source.read_bytes()
            parse_skill(data.decode("utf-8"), slug)
        except Exception as exc:
            result.skipped[slug] = str(getattr(exc, "message", exc))
            continue
        dest = target_root / slug / "SKILL.md"
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.parent.resolve().is_relative_to(root_real):
            raise UsageError(f"{dest.parent} leads outside the project; not exporting through it")
        shown = (CLAUDE_SKILLS / slug / "SKILL.md").as_posix()
        try:
            if dest.read_bytes() == data:
                result.unchanged.append(shown)
                continue
        except FileNotFoundError:
            pass
        atomic_write_bytes(dest, data)
        result.written.append(shown)
    return result


def remove_exported(project: Project, slug: str, pattern_id: str) -> list[str]:
    """Delete the exported copy of a skill from `.claude/skills/` (a deprecated skill must not
    stay active there). Only a copy that names the same pattern goes: a hand-written skill of
    the same name is left alone. Returns what was removed (paths from the project root)."""
    dest = project.root / CLAUDE_SKILLS / slug / "SKILL.md"
    try:
        owner = parse_skill(dest.read_text(encoding="utf-8"), slug).pattern_id
    except Exception:  # absent, unreadable, not ours: nothing to remove
        return []
    if owner != pattern_id:
        return []
    dest.unlink()
    with contextlib.suppress(OSError):
        dest.parent.rmdir()  # only when nothing else lives there
    return [(CLAUDE_SKILLS / slug / "SKILL.md").as_posix()]


def export_target(*, claude: bool) -> ExportTarget:
    """The target the options chose (today only Claude Code); UsageError when none."""
    if not claude:
        raise UsageError("choose a target", hint="`tmws learn export --claude`")
    return "claude"


def export_skills(project: Project, target: ExportTarget) -> ExportResult:
    """Export every promoted skill to `target`."""
    exporters = {"claude": export_claude}
    return exporters[target](project)

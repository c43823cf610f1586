"""Where the Steward may write: inside `.hestai/`, by the naming standard, with no way out.

These checks run before every write and delete, so no caller — CLI, MCP tool, hook — can
turn user input into a path outside project memory.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath

from hestai_tmws.errors import PathRejectedError
from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project

# One path segment: lowercase kebab-case words, dots for extensions. SKILL.md is the Agent
# Skills file name and the one upper-case exception.
SEGMENT = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")
SPECIAL_NAMES = {"SKILL.md"}
ALLOWED_SUFFIXES = (".oct.md", ".jsonl", ".json", ".md")
MAX_DEPTH = 6


def normalise_rel(rel: str | PurePosixPath) -> PurePosixPath:
    """Validate a path relative to `.hestai/` and return it in POSIX form."""
    text = str(rel)
    if not text or "\x00" in text:
        raise PathRejectedError("an empty path or one with a NUL byte cannot be written")
    if "\\" in text:
        raise PathRejectedError(f"{text!r}: use forward slashes in memory paths")
    if text.startswith(HESTAI + "/"):
        text = text[len(HESTAI) + 1 :]
    path = PurePosixPath(text)
    if path.is_absolute() or text.startswith("~"):
        raise PathRejectedError(
            f"{text!r}: absolute paths are not allowed; give a path inside .hestai/"
        )
    raw_parts = text.split("/")
    if any(p in ("..", ".", "") for p in raw_parts):
        raise PathRejectedError(
            f"{text!r}: '..', '.' and empty segments are not allowed in memory paths"
        )
    parts = path.parts
    if len(parts) > MAX_DEPTH:
        raise PathRejectedError(f"{text!r}: nested deeper than {MAX_DEPTH} folders")
    for part in parts:
        if part in SPECIAL_NAMES and part == parts[-1]:
            continue
        if not SEGMENT.match(part):
            raise PathRejectedError(
                f"{text!r}: {part!r} breaks the naming standard "
                "(lowercase letters, digits, '-', '.', '_')",
                hint="see .hestai-sys/governance/rules/naming-standard.oct.md",
            )
    if not parts[-1].endswith(ALLOWED_SUFFIXES):
        raise PathRejectedError(
            f"{text!r}: memory files end in one of {', '.join(ALLOWED_SUFFIXES)}"
        )
    return path


def resolve_target(project: Project, rel: PurePosixPath) -> Path:
    """Absolute target path; refuses any symlink on the way (including `.hestai` itself)."""
    current = project.root
    for part in (HESTAI, *rel.parts):
        current = current / part
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            break
        if stat.S_ISLNK(mode):
            shown = current.relative_to(project.root).as_posix()
            raise PathRejectedError(
                f"{shown} is a symbolic link; the Steward never writes through links",
                hint="replace the link with a real folder",
            )
    return project.hestai.joinpath(*rel.parts)


def is_checked_folder(project: Project, folder: Path) -> bool:
    """Whether `folder`, the parent of a target `resolve_target` has just accepted, is already
    an existing real folder inside `.hestai/`: the Steward then skips its three realpaths.

    `resolve_target` refused a link on every existing step below the root; with `folder`
    itself a real folder (links not followed) and the root still its own real path, the
    folder's real path is the root's plus those steps: inside `.hestai/` and the project, what
    the full check would find. Anything else (missing, not a folder, a moved root) is False.
    """
    try:
        if not stat.S_ISDIR(folder.lstat().st_mode):
            return False
    except OSError:
        return False
    return os.path.realpath(project.root) == str(project.root)


def folder_ready(project: Project, folder: Path) -> bool:
    """Whether `folder` (the parent of a target `resolve_target` has just accepted) is a
    checked folder already, or has just been made by this call inside one; False means: run
    the full check (which also makes missing folders and reports what is wrong)."""
    if is_checked_folder(project, folder):
        return True
    if not is_checked_folder(project, folder.parent):
        return False
    try:
        folder.mkdir()  # a new real folder in a checked one: inside, as the full check finds
    except OSError:
        return False  # there already (a file, a link, a racing writer) or not allowed
    return True

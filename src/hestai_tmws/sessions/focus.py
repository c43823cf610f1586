"""What a session is about: its focus, from an explicit value, the git branch, or a default.

The focus names the archive file and decides which sessions collide, so it is derived the
same way everywhere (CLI, MCP, reaping) from this one module.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

FocusSource = Literal["explicit", "branch", "default"]

DEFAULT_FOCUS = "general"
MAX_FOCUS_CHARS = 120
MAX_SLUG_CHARS = 48

# Branches that say nothing about the work in progress.
TRUNK_BRANCHES = frozenset({"main", "master", "develop", "development", "trunk", "head"})

_ISSUE_HASH = re.compile(r"#(\d+)")
_ISSUE_WORD = re.compile(r"(?:^|[/_.-])(?:issues?|gh)[-_/]?(\d+)(?:$|[/_.-])", re.IGNORECASE)
_PREFIXED = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)/(.+)$")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def focus_from_branch(branch: str | None) -> str | None:
    """The focus a branch name implies (`#12`/`issue-12` → `issue-12`, `feat/x` → `feat: x`)."""
    if not branch:
        return None
    name = branch.strip()
    if not name or name.lower() in TRUNK_BRANCHES:
        return None
    match = _ISSUE_HASH.search(name) or _ISSUE_WORD.search(name)
    if match:
        return f"issue-{int(match.group(1))}"
    prefixed = _PREFIXED.match(name)
    if prefixed:
        kind, rest = prefixed.group(1).lower(), prefixed.group(2).strip("/ ")
        if rest:
            return f"{kind}: {rest}"
    return None


def clean_focus(text: str) -> str:
    """A focus as given by a person, trimmed to one short line."""
    one_line = " ".join(_CONTROL.sub(" ", text).split())
    return one_line[:MAX_FOCUS_CHARS].rstrip()


def resolve_focus(explicit: str | None, branch: str | None) -> tuple[str, FocusSource]:
    """Explicit focus first, then the branch, then `general`."""
    if explicit is not None and clean_focus(explicit):
        return clean_focus(explicit), "explicit"
    from_branch = focus_from_branch(branch)
    if from_branch:
        return clean_focus(from_branch), "branch"
    return DEFAULT_FOCUS, "default"


@lru_cache(maxsize=4096)
def focus_key(focus: str) -> str:
    """What two focuses must share to be "the same focus" (case and spacing ignored).

    Cached: clock-in compares its focus with every open session's, every time."""
    return " ".join(focus.casefold().split())


def focus_slug(focus: str) -> str:
    """Kebab-case slug for file names (naming standard SLUG); `general` when nothing is left."""
    slug = _SLUG_JUNK.sub("-", focus.lower()).strip("-")
    if len(slug) > MAX_SLUG_CHARS:
        slug = slug[:MAX_SLUG_CHARS].rstrip("-")
    return slug or DEFAULT_FOCUS

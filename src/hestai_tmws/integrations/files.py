"""How every integration changes an agent's config files: merge, never clobber.

A change is planned as old text → new text (None: the file goes away), shown as a unified
diff with --dry-run, and written with an atomic replace (these files are outside `.hestai/`,
so not through the Steward). Planning from the file's own text makes a second run
byte-identical (idempotent), and a link is never written through.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from hestai_tmws.errors import ValidationError
from hestai_tmws.steward.atomic import atomic_write_bytes

Edit = Callable[[str | None], str | None]  # the file's text (None: absent) → new text


class FileChange(BaseModel):
    path: str  # relative to the root (or absolute, for a file in the user's home)
    changed: bool
    created: bool
    removed: bool = False
    diff: str = ""


class IntegrationResult(BaseModel):
    """What an integration changed (or would change, with --dry-run)."""

    root: str
    dry_run: bool
    agent: str = "claude-code"
    files: list[FileChange] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # machine-local state written beside them

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.files)

    def diff(self) -> str:
        return "".join(f.diff for f in self.files)


def load_json(text: str | None, rel: str) -> dict[str, Any]:
    """The JSON object in `text` (empty when absent); ValidationError rather than clobbering."""
    if text is None or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationError(
            f"{rel} is not valid JSON ({exc}); tmws will not overwrite it",
            hint=f"fix {rel} by hand, or move it away, and run the command again",
        ) from exc
    if not isinstance(data, dict):
        raise ValidationError(f"{rel} must hold a JSON object", hint=f"fix {rel} by hand first")
    return data


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def json_edit(rel: str, merge: Callable[[dict[str, Any]], dict[str, Any]]) -> Edit:
    """An Edit of a JSON file; an object left empty by a removal removes the file."""

    def edit(text: str | None) -> str | None:
        current = load_json(text, rel)
        merged = merge(json.loads(json.dumps(current)))  # a deep copy that keeps key order
        if merged == current and text is not None:
            return text  # nothing to do: the user's formatting stays as it is
        return render_json(merged) if merged else None

    return edit


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def plan(root: Path, rel: str, edit: Edit) -> tuple[FileChange, str | None]:
    """What `edit` would do to `root/rel`, with its diff."""
    old = _read(root / rel)
    new = edit(old)
    if new is None and old is None:
        return FileChange(path=rel, changed=False, created=False), None
    changed = new != old
    diff = ""
    if changed:
        diff = "".join(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"a/{rel}" if old is not None else "/dev/null",
                tofile=f"b/{rel}" if new is not None else "/dev/null",
            )
        )
    change = FileChange(
        path=rel, changed=changed, created=old is None, removed=new is None, diff=diff
    )
    return change, new


def apply(root: Path, result: IntegrationResult, edits: list[tuple[str, Edit]]) -> None:
    """Plan every edit, then (unless a dry run) write the changed files."""
    planned = [plan(root, rel, edit) for rel, edit in edits]
    for change, _ in planned:
        if change.changed and (root / change.path).is_symlink():
            raise ValidationError(
                f"{change.path} is a symbolic link; tmws does not write through links",
                hint="replace the link with a file, or add the entries by hand",
            )
    for change, text in planned:
        result.files.append(change)
        if not change.changed or result.dry_run:
            continue
        target = root / change.path
        if text is None:
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, text.encode("utf-8"))

"""Put the pre-commit hook in place, next to whatever hook was there before, and take it out.

The hooks folder comes from `git rev-parse --git-path hooks`, so `core.hooksPath` and linked
worktrees are honoured (we never set `core.hooksPath` ourselves). A hook we did not write is
never overwritten: it moves to `pre-commit.tmws-chained`, our hook runs it first, and
uninstall puts it back. The interpreter is recorded in the hook so that it works from GUIs and
virtualenvs that are not on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from hestai_tmws.errors import ConflictError, TmwsError, ValidationError
from hestai_tmws.guard.hook_script import render_hook
from hestai_tmws.project import Project
from hestai_tmws.steward.atomic import atomic_write_bytes

HOOK_NAME = "pre-commit"
CHAINED_NAME = HOOK_NAME + ".tmws-chained"
MARKER = "hestai-tmws pre-commit hook"
MERGE_HOOK_NAME = "pre-merge-commit"
MERGE_MARKER = "hestai-tmws pre-merge-commit hook"
# git runs pre-merge-commit (not pre-commit) for a merge it commits by itself; the same
# guard must see that index, so this hook hands over to our pre-commit hook.
MERGE_HOOK_TEXT = f"""#!/bin/sh
# {MERGE_MARKER}: a merge committed by git runs the same guard as any commit.
exec "$(dirname "$0")/{HOOK_NAME}" "$@"
"""
_PYTHON = re.compile(r"^TMWS_PYTHON='(.*)'$", re.M)
_VERSION = re.compile(r"^TMWS_HOOK_VERSION=(\d+)$", re.M)


class HookStatus(BaseModel):
    """Is the guard hook in place, current, and able to run?"""

    hooks_dir: str
    hook_path: str
    installed: bool  # our hook is the pre-commit hook
    foreign_hook: bool  # another tool's hook is the pre-commit hook (ours is not installed)
    chained: str | None = None  # the earlier hook ours runs first
    python: str | None = None  # interpreter recorded in our hook
    python_ok: bool = False  # it exists and imports hestai_tmws in isolated mode
    version: int | None = None
    current: bool = False  # identical to what `tmws hooks install` would write now


class HookInstallResult(BaseModel):
    hook_path: str
    action: Literal["installed", "updated", "unchanged"]
    chained: str | None = None
    python: str
    merge_hook: str | None = None  # our pre-merge-commit hook, when installed
    merge_hook_note: str | None = None  # why it was not installed


class HookUninstallResult(BaseModel):
    hook_path: str
    action: Literal["removed", "restored", "not-installed"]
    restored: str | None = None


def hooks_dir(project: Project) -> Path:
    return project.git.git_path("hooks")


def is_tmws_hook(path: Path, marker: str = MARKER) -> bool:
    """Whether `path` is a hook this tool wrote (a marker in its first lines)."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            head = fh.read(512)
    except OSError:
        return False
    return marker in head


def python_can_run_guard(python: str) -> bool:
    """The interpreter exists and imports the guard with `-I`, exactly as the hook runs it."""
    if not os.access(python, os.X_OK):
        return False
    try:
        proc = subprocess.run(
            [python, "-I", "-c", "import hestai_tmws.guard.precommit"],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except OSError:
        return False
    return proc.returncode == 0


def install_hook(project: Project, *, python: str | None = None) -> HookInstallResult:
    """Install (or refresh) the guard hook; an existing foreign hook is chained, not replaced."""
    interpreter = python or sys.executable
    if not os.path.isabs(interpreter):  # the hook must not depend on PATH at commit time
        interpreter = shutil.which(interpreter) or os.path.abspath(interpreter)
    if not python_can_run_guard(interpreter):
        raise ValidationError(
            f"{interpreter} cannot import hestai_tmws in isolated mode (-I)",
            hint="install hestai-tmws into that interpreter's environment (not via PYTHONPATH)",
        )
    folder = hooks_dir(project)
    folder.mkdir(parents=True, exist_ok=True)
    hook = folder / HOOK_NAME
    chained = folder / CHAINED_NAME
    text = render_hook(interpreter)
    action: Literal["installed", "updated", "unchanged"] = "installed"
    if hook.exists() or hook.is_symlink():
        if is_tmws_hook(hook) and not hook.is_symlink():
            if hook.read_text(encoding="utf-8") == text and os.access(hook, os.X_OK):
                return HookInstallResult(
                    hook_path=str(hook),
                    action="unchanged",
                    chained=str(chained) if chained.exists() else None,
                    python=interpreter,
                )
            action = "updated"
        else:
            if chained.exists() or chained.is_symlink():
                raise ConflictError(
                    f"{hook} is another tool's hook and {chained.name} is already taken",
                    hint=f"merge the two by hand, remove {chained}, then run `tmws hooks install`",
                )
            os.replace(hook, chained)
    atomic_write_bytes(hook, text.encode("utf-8"), mode=0o755)
    os.chmod(hook, 0o755)  # the umask may have masked the execute bits
    merge_hook, note = _install_merge_hook(folder)
    return HookInstallResult(
        hook_path=str(hook),
        action=action,
        chained=str(chained) if chained.exists() or chained.is_symlink() else None,
        python=interpreter,
        merge_hook=merge_hook,
        merge_hook_note=note,
    )


def _install_merge_hook(folder: Path) -> tuple[str | None, str | None]:
    """Put our pre-merge-commit hook in place unless another tool owns that name."""
    merge_hook = folder / MERGE_HOOK_NAME
    taken = merge_hook.exists() or merge_hook.is_symlink()
    if taken and not is_tmws_hook(merge_hook, MERGE_MARKER):
        return None, (
            f"{merge_hook} belongs to another tool: make it call {HOOK_NAME} so that merges "
            "committed by git are guarded too"
        )
    if not merge_hook.exists() or merge_hook.read_text(encoding="utf-8") != MERGE_HOOK_TEXT:
        atomic_write_bytes(merge_hook, MERGE_HOOK_TEXT.encode("utf-8"), mode=0o755)
        os.chmod(merge_hook, 0o755)
    return str(merge_hook), None


def uninstall_hook(project: Project) -> HookUninstallResult:
    """Remove our hook and put back the one it chained (if any); leave foreign hooks alone."""
    folder = hooks_dir(project)
    hook = folder / HOOK_NAME
    chained = folder / CHAINED_NAME
    merge_hook = folder / MERGE_HOOK_NAME
    if is_tmws_hook(merge_hook, MERGE_MARKER) and not merge_hook.is_symlink():
        merge_hook.unlink()
    if not is_tmws_hook(hook) or hook.is_symlink():
        return HookUninstallResult(hook_path=str(hook), action="not-installed")
    if chained.exists() or chained.is_symlink():
        os.replace(chained, hook)
        return HookUninstallResult(hook_path=str(hook), action="restored", restored=str(hook))
    try:
        hook.unlink()
    except OSError as exc:
        raise TmwsError(f"cannot remove {hook}: {exc.strerror}") from exc
    return HookUninstallResult(hook_path=str(hook), action="removed")


def hook_status(project: Project) -> HookStatus:
    folder = hooks_dir(project)
    hook = folder / HOOK_NAME
    chained = folder / CHAINED_NAME
    ours = is_tmws_hook(hook) and not hook.is_symlink()
    status = HookStatus(
        hooks_dir=str(folder),
        hook_path=str(hook),
        installed=ours,
        foreign_hook=(hook.exists() or hook.is_symlink()) and not ours,
        chained=str(chained) if chained.exists() or chained.is_symlink() else None,
    )
    if ours:
        text = hook.read_text(encoding="utf-8", errors="replace")
        m = _PYTHON.search(text)
        v = _VERSION.search(text)
        status.python = m.group(1).replace("'\\''", "'") if m else None
        status.version = int(v.group(1)) if v else None
        status.python_ok = bool(status.python) and python_can_run_guard(status.python or "")
        status.current = (
            status.python is not None
            and text == render_hook(status.python)
            and os.access(hook, os.X_OK)
        )
    return status

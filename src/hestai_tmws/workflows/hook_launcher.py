"""The machine-local Claude Code hook launcher: `<git common dir>/hestai-tmws/bin/claude-hook`.

The committed `.claude/settings.json` must read the same on every machine, yet the fast hook
needs this machine's interpreter by absolute path (`python -I -c …`, no console script). So
the committed line only looks for this small `sh` script, and the script, kept in the git
common dir (never in the work tree, so never staged; shared by the worktrees of one clone),
holds the path. The committed line finds it from `$CLAUDE_PROJECT_DIR/.git` with shell
built-ins alone, and falls back to `tmws hook claude <event>` on PATH when it is missing.

`tmws integrate claude-code` (re)writes it for the interpreter that runs tmws; `tmws init`
and clock-in write it when the project's Claude settings use it and it is missing or its
interpreter is gone, so a fresh clone is fast after its first tmws call.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from hestai_tmws.layout import STATE_DIR_NAME
from hestai_tmws.steward.atomic import atomic_write_bytes
from hestai_tmws.worktree import find_work_tree

LAUNCHER_REL = "bin/claude-hook"  # under <git common dir>/hestai-tmws/
LAUNCHER_MARKER = f"{STATE_DIR_NAME}/{LAUNCHER_REL}"  # what our committed lines contain
FAST_HOOK_MODULE = "hestai_tmws.integrations.claude.fast_hook"  # the `-I -c` entry
SETTINGS_FILES = (".claude/settings.json", ".claude/settings.local.json")
SKIPPED = "echo 'tmws is not installed; hook skipped' >&2"
_PY_PREFIX = "PY="
# The interpreter's program: the fast entry, or (tmws uninstalled from it) the full path on
# PATH, or the notice. Double quotes only: it sits inside single quotes in sh.
FAST_HOOK_CODE = (
    "import sys\n"
    "try:\n"
    f"    from {FAST_HOOK_MODULE} import main\n"
    "except ImportError:\n"
    "    import os\n"
    "    try:\n"
    '        os.execvp("tmws", ["tmws", "hook", "claude", *sys.argv[1:]])\n'
    "    except OSError:\n"
    '        sys.exit(print("tmws is not installed; hook skipped", file=sys.stderr))\n'
    "sys.exit(main())\n"
)

Action = Literal["created", "updated", "unchanged", "skipped", "removed"]
Probe = Callable[[str], str | None]


class LauncherState(BaseModel):
    """What became of the launcher: its path (None outside a git work tree) and interpreter."""

    path: str | None
    python: str | None
    action: Action
    reason: str = ""


def fast_hook_python(executable: str) -> str | None:
    """`executable` when `executable -I` imports the fast hook entry (an installed tmws, not
    one found only through PYTHONPATH or the current folder), else None."""
    try:
        done = subprocess.run(
            [executable, "-I", "-c", f"import {FAST_HOOK_MODULE}"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return executable if done.returncode == 0 else None


def committed_command(event: str) -> str:
    """The hook line for the committed settings: the same bytes on every machine.

    POSIX sh built-ins only (dash): `.git` is the common dir, or a `gitdir:` file whose
    target is `<common>/worktrees/<name>`. Every branch ends in `exec` (or the notice), so
    the fallback runs only when the launcher is absent, never after a hook that answered.
    """
    arg = shlex.quote(event)
    launcher = f'"$L/{LAUNCHER_MARKER}"'
    return (
        'L="$CLAUDE_PROJECT_DIR/.git"; '
        '[ -f "$L" ] && read -r L < "$L" && L="${L#gitdir: }/../.."; '
        f"if [ -x {launcher} ]; then exec {launcher} {arg}; "
        f"elif command -v tmws >/dev/null 2>&1; then exec tmws hook claude {arg}; "
        f"else {SKIPPED}; fi"
    )


def launcher_text(python: str) -> str:
    """The script for `python`: run it if it still exists, else tmws on PATH, else the notice."""
    return (
        "#!/bin/sh\n"
        "# Claude Code hook launcher written by tmws for this machine (never committed):\n"
        "# rewritten by `tmws integrate claude-code`, and by init or clock-in when stale.\n"
        f"{_PY_PREFIX}{shlex.quote(python)}\n"
        f'if [ -x "$PY" ]; then exec "$PY" -I -c {shlex.quote(FAST_HOOK_CODE)} "$@"; fi\n'
        'if command -v tmws >/dev/null 2>&1; then exec tmws hook claude "$@"; fi\n'
        f"{SKIPPED}\n"
    )


def launcher_path(root: Path) -> Path | None:
    """Where the launcher of the work tree at `root` lives (None: not a plain git work tree)."""
    found = find_work_tree(root.resolve())
    return None if found is None else found[2] / STATE_DIR_NAME / LAUNCHER_REL


def recorded_python(text: str) -> str | None:
    """The interpreter a launcher's text names (None: not one of ours)."""
    for line in text.split("\n"):  # not splitlines: a path may hold \x1c-\x1e, \x85…
        if line.startswith(_PY_PREFIX):
            try:
                words = shlex.split(line[len(_PY_PREFIX) :])
            except ValueError:
                return None
            return words[0] if len(words) == 1 else None
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def healthy(path: Path) -> bool:
    """The launcher at `path` is ours, current, executable and names a live interpreter."""
    text = _read(path)
    python = recorded_python(text) if text is not None else None
    return (
        python is not None
        and text == launcher_text(python)
        and os.access(path, os.X_OK)
        and os.access(python, os.X_OK)
    )


def settings_use_launcher(root: Path) -> bool:
    """Whether the Claude settings of `root` (committed or local) run the launcher."""
    return any(LAUNCHER_MARKER in (_read(root / rel) or "") for rel in SETTINGS_FILES)


def write_launcher(
    root: Path, python: str | None = None, *, probe: Probe | None = None
) -> LauncherState:
    """(Re)write the launcher for `python` (this interpreter by default) when it can run the
    fast entry under `-I`; a launcher that is already exactly that is left alone."""
    path = launcher_path(root)
    if path is None:
        return LauncherState(path=None, python=None, action="skipped", reason="not a git work tree")
    fast = (probe or fast_hook_python)(python or sys.executable)
    if fast is None:
        reason = "this interpreter cannot import hestai_tmws under -I (not installed)"
        return LauncherState(path=str(path), python=None, action="skipped", reason=reason)
    text = launcher_text(fast)
    old = _read(path)
    if old == text and os.access(path, os.X_OK):
        return LauncherState(path=str(path), python=fast, action="unchanged")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, text.encode("utf-8"), mode=0o755)
    return LauncherState(
        path=str(path), python=fast, action="created" if old is None else "updated"
    )


def ensure_launcher(root: Path, *, probe: Probe | None = None) -> LauncherState:
    """Init and clock-in: write the launcher only where the Claude settings use it and it is
    missing or stale (a stat and two small reads otherwise; the probe runs only to heal)."""
    if not settings_use_launcher(root):
        return LauncherState(path=None, python=None, action="skipped", reason="not used")
    path = launcher_path(root)
    if path is not None and healthy(path):
        return LauncherState(
            path=str(path), python=recorded_python(_read(path) or ""), action="unchanged"
        )
    return write_launcher(root, probe=probe)


def heal_launcher(root: Path, *, probe: Probe | None = None) -> str | None:
    """`ensure_launcher` for init and clock-in: a note when it wrote the launcher, and never
    an error (a launcher that cannot be written only means the slower fallback)."""
    try:
        state = ensure_launcher(root, probe=probe)
    except OSError as exc:
        return f"Claude hook launcher not written ({exc.strerror or exc}); hooks use tmws on PATH"
    if state.action in ("created", "updated"):
        return f"Claude hook launcher {state.action} for {state.python}"
    return None


def remove_launcher(root: Path) -> LauncherState:
    """`integrate --remove`: take the launcher away once no Claude settings file uses it."""
    path = launcher_path(root)
    if path is None or settings_use_launcher(root) or not path.is_file():
        return LauncherState(path=str(path) if path else None, python=None, action="unchanged")
    path.unlink()
    return LauncherState(path=str(path), python=None, action="removed")

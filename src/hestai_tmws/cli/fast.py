"""Answer `tmws --help` and `tmws status [--json]` without loading typer, rich or pydantic.

They are the calls people and agents make most after `--version`, and typer's import alone
costs several Python start-ups. `answer` handles only the exact forms below, with the global
options, and only when the result is certain to match the typer path byte for byte; for
anything else (another command, an odd option, an error, a terminal with colours, a
settings file) it returns False and typer does everything as before.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from hestai_tmws.cli import fast_help
from hestai_tmws.cli.views import plain, status_text
from hestai_tmws.governance.hub_read import bundled_hub_dir
from hestai_tmws.layout import CONFIG_FILE, ENV_PREFIX, ENV_PROJECT, ENV_SETTINGS
from hestai_tmws.workflows.status_facts import collect
from hestai_tmws.worktree import env_overrides_git, find_work_tree

# Variables that change how typer draws its help (width, colours, rich itself).
TYPER_ENV = (
    "TERMINAL_WIDTH",
    "GITHUB_ACTIONS",
    "FORCE_COLOR",
    "PY_COLORS",
    "_TYPER_FORCE_DISABLE_TERMINAL",
    "TYPER_USE_RICH",
)


def split_globals(args: list[str]) -> tuple[str | None, list[str]] | None:
    """(--project value, the rest) when `args` starts with plain global options, else None."""
    project: str | None = None
    seen: set[str] = set()
    rest = list(args)
    while rest and rest[0].startswith("-") and rest[0] not in ("--help", "--json"):
        flag = rest.pop(0)
        name, _, inline = flag.partition("=") if flag.startswith("--") else (flag, "", "")
        if name in seen:
            return None
        seen.add(name)
        if name == "--debug" and not inline:
            continue
        if name not in ("--project", "-C"):
            return None
        if not inline:
            if not rest:
                return None
            inline = rest.pop(0)
        if not inline or inline.startswith("-"):
            return None
        project = inline
    return project, rest


def answer(args: list[str]) -> bool:
    """Print the answer to `tmws <args>` and return True, or return False to let typer answer."""
    if not args:  # typer shows the help and exits 2
        if _help():
            raise SystemExit(2)
        return False
    split = split_globals(args)
    if split is None:
        return False
    project, rest = split
    if rest == ["--help"]:
        return _help(final_newline=True)
    if rest in (["status"], ["status", "--json"]):
        return _status(project, as_json=len(rest) == 2)
    return False


def _help(*, final_newline: bool = False) -> bool:
    width = plain.plain_width()
    if width is None or any(os.environ.get(name) is not None for name in TYPER_ENV):
        return False
    text = fast_help.render(width)
    if text is None:
        return False
    sys.stdout.write(text + ("\n" if final_newline else ""))  # click echoes one more line
    return True


def _status(project: str | None, *, as_json: bool) -> bool:
    width = None if as_json else plain.plain_width()
    if not as_json and width is None:
        return False
    try:
        facts = status_facts(project)
    except Exception:  # an error is typer's to report, with its wording and exit code
        return False
    if facts is None or not status_text.printable(facts):
        return False
    if as_json:
        sys.stdout.write(json.dumps(facts, indent=2, ensure_ascii=False) + "\n")
        return True
    text = status_text.render(facts, width or 80)
    if text is None:
        return False
    sys.stdout.write(text)
    return True


def status_facts(project: str | None) -> dict[str, Any] | None:
    """The facts of `tmws status` for the usual case: a plain git work tree, the bundled hub.

    None for what only the full path handles: GIT_DIR and friends, a layout gitpython must
    read, a settings file or TMWS_* settings, a missing bundled hub.
    """
    if env_overrides_git() or any(os.environ.get(ENV_PREFIX + env) for env in ENV_SETTINGS):
        return None
    start = Path(project or os.environ.get(ENV_PROJECT) or os.getcwd()).resolve()
    located = find_work_tree(start) if start.exists() else None
    hub = bundled_hub_dir()
    if located is None or hub is None:
        return None
    root = located[0]
    if (root / CONFIG_FILE).exists():
        return None
    return collect(root, (hub, "bundled"), None)

"""The typer-free `tmws status [--json]` (`cli.fast`): the usual case, exactly as typer has it."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from hestai_tmws.cli.views import plain, status_text
from hestai_tmws.governance.hub_read import bundled_hub_dir
from hestai_tmws.layout import CONFIG_FILE, ENV_PREFIX, ENV_PROJECT, ENV_SETTINGS
from hestai_tmws.workflows.status_facts import collect
from hestai_tmws.worktree import env_overrides_git, find_work_tree

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~7 ms)
if TYPE_CHECKING:
    from typing import Any


def answer(project: str | None, *, as_json: bool) -> bool:
    """Print `tmws [-C project] status [--json]` and return True, or False for typer to do it."""
    console = None if as_json else plain.console_style()
    if not as_json and console is None:
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
    width, styled = console or (80, False)
    text = status_text.render(facts, width, styled=styled)
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

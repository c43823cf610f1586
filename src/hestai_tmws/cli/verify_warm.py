"""`tmws verify` when nothing changed: print the last clean report without loading typer.

`app.main` asks `serve` first for a plain `tmws verify` or `tmws verify --json`; it answers
from `workflows.verify_cache` (standard library only) or says no, and the full command runs.
`remember` is the other half, called by the full command after a clean run: it renders the
report in each form this module may print, exactly as `verify_cmd` prints it.
"""

from __future__ import annotations

import os
import sys

from hestai_tmws.workflows import verify_cache

WARM_ARGS = (["verify"], ["verify", "--json"])
# Environment that changes how rich draws on a terminal: the stored renderings may not match.
_RICH_ENV = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS")


def output_kind(as_json: bool) -> str | None:
    """Which stored rendering the full command would print here; None when unsure."""
    if as_json:
        return "json"
    if any(os.environ.get(name) for name in _RICH_ENV):
        return None
    if os.environ.get("NO_COLOR"):
        return "plain"
    try:
        tty = os.isatty(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        return None
    if not tty:
        return "plain"
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        return None
    return "tty"


def serve(args: list[str]) -> bool:
    """Print the cached report for `args` and return True, or return False to run in full."""
    if args not in WARM_ARGS:
        return False
    kind = output_kind(as_json="--json" in args)
    try:
        repo = verify_cache.Repo.find() if kind is not None else None
        text = verify_cache.cached_output(repo, kind) if repo is not None and kind else None
    except Exception:  # a cache never fails verify: anything odd means the full run
        return False
    if text is None:
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True

"""Answer `tmws --help` and `tmws status [--json]` without loading typer, rich or pydantic.

They are the calls people and agents make most after `--version`, and typer's import alone
costs several Python start-ups. `answer` handles only the exact forms below, with the global
options, and only when the result is certain to match the typer path byte for byte; for
anything else (another command, an odd option, an error, an unusual terminal, a
settings file) it returns False and typer does everything as before. `tmws --version` and
the hooks import this module too, so it loads its two halves only when they answer.
"""

from __future__ import annotations

import os
import sys

from hestai_tmws.cli.views import plain

# Variables that change how typer draws its help (width, colours, rich itself).
TYPER_ENV = (
    "TERMINAL_WIDTH",
    "GITHUB_ACTIONS",
    "PY_COLORS",
    "TTY_COMPATIBLE",  # typer forces a terminal on FORCE_COLOR, whatever this one says
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
    from hestai_tmws.cli import fast_help  # lazy: the help's text, not for status

    console = plain.console_style()
    if console is None or any(os.environ.get(name) is not None for name in TYPER_ENV):
        return False
    width, styled = console
    text = fast_help.render(width, styled=styled)
    if text is None:
        return False
    sys.stdout.write(text + ("\n" if final_newline else ""))  # click echoes one more line
    return True


def _status(project: str | None, *, as_json: bool) -> bool:
    from hestai_tmws.cli import fast_status  # lazy: the status modules, not for --help

    return fast_status.answer(project, as_json=as_json)

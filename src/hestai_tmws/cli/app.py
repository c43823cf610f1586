"""The `tmws` typer application: global options and the lazily loaded commands.

`main()` answers `--version`, `--help`, `status` (`cli.fast`) and the agent hooks before
importing typer or any service, so that the most frequent scripted calls stay within a few
Python start-ups; every other command loads only its own module (`cli.lazy_group`).
"""

from __future__ import annotations

import os
import sys

from hestai_tmws.cli import __path__ as cli_path
from hestai_tmws.cli import fast
from hestai_tmws.cli.version import version_line

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, re and enum (~7 ms)
if TYPE_CHECKING:
    from typing import Any

HOOK_AGENTS = ("claude", "gemini", "cursor")  # `tmws hook <agent> <event>`, without typer


def command_modules() -> list[str]:
    """Every `*_cmd` module of this package, in name order; each exposes `register(app)`."""
    # os.listdir, not pkgutil: pkgutil costs a Python start-up of imports on every call
    names = (name for folder in cli_path for name in os.listdir(folder))
    return sorted({name[:-3] for name in names if name.endswith("_cmd.py")})


def build_app() -> Any:
    """The typer app; typer and rich load here, never for `--version` or the agent hooks."""
    from hestai_tmws.cli.typer_app import typer_app  # lazy: typer and rich, not for --version

    return typer_app()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        sys.stdout.write(version_line())
        return
    if fast.answer(args):  # --help and status without typer (cli/fast.py)
        return
    hook = args[:1] == ["hook"] and len(args) == 3 and args[1] in HOOK_AGENTS
    if hook and not args[2].startswith("-"):
        # Agent hooks run on every tool call: skip typer (about 6x the start-up) for them.
        from hestai_tmws.integrations.claude.fast_hook import (  # lazy: only the hook paths
            agent_main as hook_main,
        )

        raise SystemExit(hook_main(args[1:]))
    if args[:1] == ["verify"]:
        # Nothing changed since the last clean verify: its report, without typer (~6x).
        from hestai_tmws.cli.verify_warm import serve  # lazy: only `tmws verify`

        if serve(args):
            return
    app = build_app()
    app(args=args, prog_name="tmws")


if __name__ == "__main__":
    main()

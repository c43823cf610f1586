"""The `tmws` typer application: global options and the registry of command modules.

`main()` answers `--version` before importing typer or any service, so that the most
frequent scripted call stays within a few Python start-ups.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any


def command_modules() -> list[str]:
    """Every `*_cmd` module of this package, in name order; each exposes `register(app)`."""
    import pkgutil

    from hestai_tmws.cli import __path__ as cli_path

    return sorted(m.name for m in pkgutil.iter_modules(cli_path) if m.name.endswith("_cmd"))


def build_app() -> Any:
    import os

    import typer
    import typer.rich_utils

    from hestai_tmws.cli.root import root

    if os.environ.get("NO_COLOR"):  # typer's own help and usage errors: no styles either
        typer.rich_utils.COLOR_SYSTEM = None

    app = typer.Typer(
        name="tmws",
        help="hestai-tmws: git-native governance and project memory for AI coding agents.",
        no_args_is_help=True,
        rich_markup_mode="rich",
        pretty_exceptions_enable=False,
    )
    app.callback()(root)
    for name in command_modules():
        import_module(f"{__package__}.{name}").register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from hestai_tmws import __version__

        sys.stdout.write(f"tmws {__version__}\n")
        return
    if args[:2] == ["hook", "claude"] and len(args) == 3 and not args[2].startswith("-"):
        # Agent hooks run on every tool call: skip typer (about 6x the start-up) for them.
        from hestai_tmws.integrations.claude.hooks import main as hook_main

        raise SystemExit(hook_main(args[2:]))
    app = build_app()
    app(args=args, prog_name="tmws")


if __name__ == "__main__":
    main()

"""The application: every `*_cmd` module registers its commands; --version needs no typer."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from hestai_tmws import __version__
from hestai_tmws.cli.app import build_app, command_modules
from hestai_tmws.layout import bundled_hub_version
from tests.paths import SRC


def test_every_command_module_is_found_and_registered() -> None:
    modules = command_modules()
    assert "clock_cmd" in modules and "status_cmd" in modules
    assert all(name.endswith("_cmd") for name in modules) and modules == sorted(modules)
    help_text = CliRunner().invoke(build_app(), ["--help"]).stdout
    for command in ("clock-in", "clock-out", "status", "verify", "sessions", "context"):
        assert command in help_text


def test_version_does_not_import_typer() -> None:
    code = (
        "import sys; from hestai_tmws.cli.app import main; main(['--version']);"
        "print('typer' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(SRC)}
    ).stdout
    assert out.splitlines() == [
        f"tmws {__version__} (governance hub {bundled_hub_version()})",
        "False",
    ]

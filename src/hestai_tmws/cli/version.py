"""The `tmws --version` line, shared by the typer-free fast path and the typer option."""

from __future__ import annotations

from hestai_tmws import __version__
from hestai_tmws.layout import bundled_hub_version


def version_line() -> str:
    """`tmws 0.1.0 (governance hub 1.0.0)`: the package and the hub it injects."""
    return f"tmws {__version__} (governance hub {bundled_hub_version() or 'missing'})\n"

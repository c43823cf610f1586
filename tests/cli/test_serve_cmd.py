"""`tmws serve` outside a repository: one clear error, no traceback."""

from __future__ import annotations

from pathlib import Path

from tests.cli.cli_support import tmws


def test_serve_outside_a_repository(tmp_path: Path) -> None:
    result = tmws(tmp_path, "serve", "--project", str(tmp_path))
    assert result.exit_code != 0
    assert "error:" in result.stderr and "Traceback" not in result.stderr

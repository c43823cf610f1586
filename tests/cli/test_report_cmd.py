"""`tmws report` through the command line: the page is written, never into .hestai/."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.memory.archive_support import write_archive

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_writes_a_page_and_refuses_memory(ready: Project, tmp_path: Path) -> None:
    write_archive(ready, "abcd1234ef56", summary="work")
    page = tmp_path / "memory.html"
    result = tmws(ready.root, "report", "--html", str(page))
    assert result.exit_code == 0, result.stdout
    assert "Sessions per day (1 archived)" in page.read_text()
    refused = tmws(ready.root, "report", "--html", str(ready.hestai / "x.html"))
    assert refused.exit_code == 2 and not (ready.hestai / "x.html").exists()
    data = json.loads(tmws(ready.root, "report", "--json").stdout)
    assert data["sessions"] == 1


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (apt-get install chromium)")
def test_a_headless_browser_renders_the_page(ready: Project, tmp_path: Path) -> None:
    write_archive(ready, "abcd1234ef56", summary="work")
    page = tmp_path / "memory.html"
    assert tmws(ready.root, "report", "--html", str(page)).exit_code == 0
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--screenshot={shot}",
            "--window-size=1280,900",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 10_000  # a rendered page, not a blank one

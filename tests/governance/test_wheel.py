"""The wheel carries the bundled hub where `bundled_hub_path()` looks for it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.governance.conftest import BUNDLED


def test_wheel_contains_every_bundled_hub_file(tmp_path: Path) -> None:
    # --no-isolation: build with the hatchling already installed (CI may have no network).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(REPO_ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    wheels = list(tmp_path.glob("hestai_tmws-*.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as zf:
        names = set(zf.namelist())
        expected = {
            f"hestai_tmws/_bundled_hub/{p.relative_to(BUNDLED).as_posix()}"
            for p in BUNDLED.rglob("*")
            if p.is_file()
        }
        assert expected and expected <= names
        for name in expected:
            source = BUNDLED / name.removeprefix("hestai_tmws/_bundled_hub/")
            assert zf.read(name) == source.read_bytes(), name
        assert "hestai_tmws/governance/hub.py" in names
        target = tmp_path / "site"
        zf.extractall(target)
    # Installed layout: the package finds its hub inside itself, and the hub validates.
    probe = (
        "from hestai_tmws.governance.hub import bundled_hub_path, validate_hub;"
        "p = bundled_hub_path(); print(p); print(validate_hub(p).version)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    ).stdout.split()
    assert out == [str(target / "hestai_tmws" / "_bundled_hub"), "1.0.0"]

"""The GitHub Actions example in docs/ci.md works as written: its steps, run in order.

The workflow is read from the document, its `run:` steps are executed by bash with the
workflow's own `env:` (only TMWS_SOURCE points at this checkout instead of a git URL), in a
fresh clone of a project whose memory was committed, with a new virtual environment's
`pip` and `tmws` first on PATH. Offline: pip may use no index, and the new environment sees
the test environment's packages for the dependencies.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import git, make_repo
from tests.paths import REPO_ROOT

CI_DOC = REPO_ROOT / "docs" / "ci.md"
_YAML_BLOCK = re.compile(r"```yaml\n(name: tmws verify\n.*?)```", re.S)


def workflow() -> Any:
    match = _YAML_BLOCK.search(CI_DOC.read_text(encoding="utf-8"))
    assert match, "docs/ci.md has no `name: tmws verify` workflow"
    return YAML(typ="safe").load(match.group(1))


def test_the_example_installs_injects_and_verifies() -> None:
    flow = workflow()
    runs = [step["run"] for step in flow["jobs"]["verify"]["steps"] if "run" in step]
    assert runs[:3] == ['pip install "$TMWS_SOURCE"', "tmws inject", "tmws verify"]
    assert "TMWS_SOURCE" in flow["env"]


@pytest.mark.slow
def test_the_steps_pass_on_a_fresh_clone(tmp_path: Path) -> None:
    flow = workflow()
    project = make_repo(tmp_path / "project")
    env_src = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "hestai_tmws.cli.app", "init"],
        cwd=project,
        env=env_src,
        check=True,
        capture_output=True,
    )
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "memory")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(project), str(clone))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = next(venv.glob("lib/python*/site-packages"))
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # the dependencies
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({k: str(v) for k, v in flow["env"].items()})
    env.update(
        TMWS_SOURCE=str(REPO_ROOT),
        PATH=f"{venv / 'bin'}{os.pathsep}{env['PATH']}",
        PIP_NO_INDEX="1",
        PIP_NO_BUILD_ISOLATION="0",  # pip's spelling of "do not isolate the build"
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    branch = git(clone, "rev-parse", "--abbrev-ref", "HEAD").strip()
    failure: str | None = None
    for step in flow["jobs"]["verify"]["steps"]:
        if "run" not in step or step.get("if") == "failure()":
            continue
        # run as on a pull request against the branch it was cloned from (an empty range)
        script = step["run"].replace("${{ github.base_ref }}", branch)
        proc = subprocess.run(
            ["bash", "-e", "-c", script], cwd=clone, env=env, capture_output=True, text=True
        )
        if proc.returncode != 0:
            failure = f"{step['run']}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}"
            break
    assert failure is None, failure

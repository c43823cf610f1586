"""The stable entry of hook commands: `python -m hestai_tmws.integrations.claude_hooks`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hestai_tmws.integrations import claude_hooks
from hestai_tmws.integrations.claude import hooks
from tests.mcpserver.conftest import subprocess_env


def test_it_is_the_hooks_main() -> None:
    assert claude_hooks.main is hooks.main


def test_the_module_runs_as_a_hook_command(tmp_path: Path) -> None:
    payload = {"tool_name": "Write", "tool_input": {"file_path": ".hestai/x.md"}}
    proc = subprocess.run(
        [sys.executable, "-m", "hestai_tmws.integrations.claude_hooks", "pre-tool-use"],
        input=json.dumps(payload | {"cwd": str(tmp_path)}),
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["hookSpecificOutput"]["permissionDecision"] == "deny"

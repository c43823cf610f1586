"""`tmws hook claude|gemini|cursor <event>`: garbage on stdin never blocks the agent (exit 0)."""

from __future__ import annotations

import json
import subprocess
import sys

from hestai_tmws.project import Project
from tests.cli.cli_support import tmws
from tests.mcpserver.conftest import subprocess_env


def test_an_unknown_event_and_garbage_are_ignored(ready: Project) -> None:
    result = tmws(ready.root, "hook", "claude", "no-such-event", stdin="{not json")
    assert result.exit_code == 0
    assert "unknown hook event" in result.stderr


def test_gemini_and_cursor_hooks_answer_json_through_the_cli(ready: Project) -> None:
    """Both agents parse stdout as JSON: even a garbage payload gets `{}`, exit 0."""
    for agent, event in (("gemini", "after-tool"), ("cursor", "after-file-edit")):
        result = tmws(ready.root, "hook", agent, event, stdin="{not json")
        assert result.exit_code == 0 and json.loads(result.stdout) == {}


def test_the_hook_shortcut_skips_typer_for_every_agent(ready: Project) -> None:
    """`tmws hook gemini …` starts as fast as `tmws hook claude …`: no typer in the process."""
    code = (
        "import sys\nfrom hestai_tmws.cli.app import main\n"
        "try:\n    main(['hook', 'gemini', 'after-tool'])\n"
        "except SystemExit as done:\n"
        "    print(done.code, 'typer' in sys.modules, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        input="{}",
        capture_output=True,
        text=True,
        cwd=ready.root,
        env=subprocess_env(),
        check=True,
    )
    assert json.loads(proc.stdout) == {} and proc.stderr.split()[-2:] == ["0", "False"]

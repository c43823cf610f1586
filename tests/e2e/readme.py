"""Reading the README's quick start: the commands a newcomer is told to run, exactly."""

from __future__ import annotations

import re

QUICK_START = "## Quick start"
# What the e2e test knows how to check: command 1 is run for real in a fresh clone;
# command 2 (the whole suite) is checked to be the CI entry instead of recursing into it.
TEST_COMMAND = "bash scripts/test.sh"
DEMO_SUFFIX = "tmws demo"

_FENCE = re.compile(r"^```(\w*)\s*$")


def quick_start_commands(readme: str) -> list[str]:
    """The non-comment lines of the first ```bash block under "## Quick start"."""
    lines = readme.splitlines()
    try:
        start = lines.index(QUICK_START)
    except ValueError:
        raise AssertionError(f"README has no {QUICK_START!r} heading") from None
    commands: list[str] = []
    in_block = False
    for line in lines[start + 1 :]:
        if not in_block and line.startswith("## "):
            break
        fence = _FENCE.match(line.strip())
        if fence:
            if in_block:
                return commands
            if fence.group(1) in ("bash", "sh", "shell", "console"):
                in_block = True
            continue
        if in_block and line.strip() and not line.strip().startswith("#"):
            commands.append(line.strip())
    raise AssertionError("README's quick start has no ```bash block")

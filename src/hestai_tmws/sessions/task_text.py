"""A session's task in a person's words: its first request, without the wrappers around it.

Agent front-ends wrap the prompt in machine text (`<system_instruction>` blocks of
Conductor, `<command-name>` tags of slash commands, reminders); what the person asked for
is what is left. Pure.
"""

from __future__ import annotations

import re

TASK_MAX = 160
_BLOCK = re.compile(
    r"<(system[-_]instruction|system-reminder|local-command-stdout|command-message|"
    r"command-args|ide_opened_file|ide_selection)>.*?</\1>",
    re.DOTALL | re.IGNORECASE,
)
# an opening wrapper whose end was cut off (a shortened prompt): nothing after it is the task
_OPEN_BLOCK = re.compile(
    r"<(system[-_]instruction|system-reminder|local-command-stdout)>.*\Z",
    re.DOTALL | re.IGNORECASE,
)
_LONE_COMMAND = re.compile(r"^/[\w:.-]+$")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(\s[^<>]*)?>")


def task_text(prompt: str, limit: int = TASK_MAX) -> str:
    """The request with machine wrappers removed, on one line, at most `limit` characters."""
    text = _TAG.sub(" ", _OPEN_BLOCK.sub(" ", _BLOCK.sub(" ", prompt)))
    text = " ".join(text.split())
    if _LONE_COMMAND.match(text):
        return ""  # `/clear`, `/compact`: a front-end command, not a task
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"

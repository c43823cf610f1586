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
_TAG = re.compile(r"</?[A-Za-z][\w-]*(\s[^<>]*)?>")


def task_text(prompt: str, limit: int = TASK_MAX) -> str:
    """The request with machine wrappers removed, on one line, at most `limit` characters."""
    text = _TAG.sub(" ", _BLOCK.sub(" ", prompt))
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"

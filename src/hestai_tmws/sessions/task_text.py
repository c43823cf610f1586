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
# "Implement the following plan: # Plan: Add X ## Context ..." -> "Add X"
_PLAN_PREAMBLE = re.compile(
    r"^(implement the following plan:?\s*)?(#+\s*)?((plan|fix|bug fix|feature|task):\s*)?",
    re.IGNORECASE,
)
_NEXT_SECTION = re.compile(r"\s#{1,6}\s")
_LONE_COMMAND = re.compile(r"^/[\w:.-]+$")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(\s[^<>]*)?>")


def strip_wrappers(prompt: str) -> str:
    """The prompt without front-end wrappers, on one line ("" for a lone `/command`)."""
    text = _TAG.sub(" ", _OPEN_BLOCK.sub(" ", _BLOCK.sub(" ", prompt)))
    text = " ".join(text.split())
    return "" if _LONE_COMMAND.match(text) else text


def task_text(prompt: str, limit: int = TASK_MAX) -> str:
    """The task itself: wrappers, a plan's preamble and its later sections removed, at most
    `limit` characters ("Implement the following plan: # Plan: Add X ## Context …" → "Add X")."""
    text = strip_wrappers(prompt)
    text = _NEXT_SECTION.split(_PLAN_PREAMBLE.sub("", text), maxsplit=1)[0].strip()
    return clip_words(text, limit)


def clip_words(text: str, limit: int) -> str:
    """`text` cut at a word to at most `limit` characters (plus an ellipsis)."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:") + "…"

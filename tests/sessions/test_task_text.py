"""A session's task in a person's words: wrappers, plan preambles and slash commands removed."""

from __future__ import annotations

import pytest

from hestai_tmws.sessions.task_text import strip_wrappers, task_text

CONDUCTOR = (
    "<system_instruction>\nYou are working inside Conductor\n</system_instruction>\n\n"
    "<system-instruction>\nRename the branch\n</system-instruction>\n\n"
    "implement Rec 01: Typed Flag Parser"
)


@pytest.mark.parametrize(
    ("prompt", "task"),
    [
        (CONDUCTOR, "implement Rec 01: Typed Flag Parser"),
        ("<system_instruction>\nYou are in Conductor, cut off…", ""),
        ("<command-name>/clear</command-name>", ""),
        ("Implement the following plan: # Plan: Add X ## Context long text", "Add X"),
        ("fix failing go test in checkout", "fix failing go test in checkout"),
    ],
)
def test_task_text(prompt: str, task: str) -> None:
    assert task_text(prompt) == task


def test_long_tasks_are_cut_at_a_word() -> None:
    text = task_text("word " * 100, limit=22)
    assert text == "word word word word…"


def test_strip_wrappers_keeps_the_plan() -> None:
    plan = "Implement the following plan: # Plan: Add X ## Context long text"
    assert strip_wrappers(plan) == plan

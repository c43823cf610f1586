"""What every hook shares: event names, the JSON payload, where the project is."""

from __future__ import annotations

from pathlib import Path

import pytest

from hestai_tmws.integrations.claude.payload import (
    normalise_event,
    parse_payload,
    payload_str,
    project_dir,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("session-start", "session-start"),
        ("SessionStart", "session-start"),
        ("pre_tool_use", "pre-tool-use"),
        ("PostToolUse", "post-tool-use"),
        ("PostToolUseFailure", "post-tool-use-failure"),
        ("SESSION-END", "session-end"),
        ("Stop", None),
        ("", None),
    ],
)
def test_event_names(name: str, expected: str | None) -> None:
    assert normalise_event(name) == expected


@pytest.mark.parametrize("raw", ["", "   ", "not json", "[1, 2]", "42", '"text"', b"\xff\xfe", "{"])
def test_garbage_is_an_empty_payload(raw: str | bytes) -> None:
    assert parse_payload(raw) == {}


def test_payload_strings_must_be_non_empty_strings() -> None:
    payload = {"a": "x", "b": "", "c": 3}
    assert [payload_str(payload, k) for k in "abcd"] == ["x", None, None, None]


def test_the_project_folder_by_precedence(tmp_path: Path) -> None:
    payload = {"cwd": "/from/payload"}
    env = {"TMWS_PROJECT": "/tmws", "CLAUDE_PROJECT_DIR": "/claude"}
    assert project_dir(payload, env) == "/tmws"
    assert project_dir(payload, {"CLAUDE_PROJECT_DIR": "/claude"}) == "/claude"
    assert project_dir(payload, {}) == "/from/payload"
    assert project_dir({}, {}) == str(Path.cwd())

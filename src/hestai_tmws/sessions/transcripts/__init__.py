"""Read agent session transcripts (Claude Code JSONL, plain logs) into one typed summary."""

from __future__ import annotations

from hestai_tmws.sessions.transcripts.claude_code import read_claude_code
from hestai_tmws.sessions.transcripts.locate import (
    claude_projects_dir,
    find_transcript,
    project_slug,
)
from hestai_tmws.sessions.transcripts.model import Markers, ToolCall, Transcript
from hestai_tmws.sessions.transcripts.plain import read_plain, read_transcript, sniff_format

__all__ = [
    "Markers",
    "ToolCall",
    "Transcript",
    "claude_projects_dir",
    "find_transcript",
    "project_slug",
    "read_claude_code",
    "read_plain",
    "read_transcript",
    "sniff_format",
]

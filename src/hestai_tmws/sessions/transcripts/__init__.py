"""Read agent session transcripts (Claude Code, Codex, Gemini CLI, plain logs) into one summary."""

from __future__ import annotations

from hestai_tmws.sessions.transcripts.claude_code import read_claude_code
from hestai_tmws.sessions.transcripts.codex import read_codex
from hestai_tmws.sessions.transcripts.gemini import read_gemini
from hestai_tmws.sessions.transcripts.locate import (
    claude_projects_dir,
    find_transcript,
    project_slug,
)
from hestai_tmws.sessions.transcripts.model import Markers, ToolCall, Transcript
from hestai_tmws.sessions.transcripts.plain import read_plain, read_transcript, sniff_format
from hestai_tmws.sessions.transcripts.sniff import detect_format

__all__ = [
    "Markers",
    "ToolCall",
    "Transcript",
    "claude_projects_dir",
    "detect_format",
    "find_transcript",
    "project_slug",
    "read_claude_code",
    "read_codex",
    "read_gemini",
    "read_plain",
    "read_transcript",
    "sniff_format",
]

"""What a transcript reader returns: one typed summary, whatever the source format.

Readers keep only bounded amounts of text (see the limits below) so that a pathological
transcript (a 50 MB line) cannot blow up memory or the archive. Digest fields are redacted
at read time because they are display-ready; the other text fields are raw and must go
through `Transcript.redacted()` (or the redaction module) before anything is written.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from hestai_tmws.secrets import redaction  # looked up at call time: a patched redactor is honoured

# -- limits: what a reader keeps per item -------------------------------------------------
DIGEST_MAX = 200
PROMPT_MAX = 2_000
TEXT_MAX = 2_000
ERROR_MAX = 300
COMMAND_MAX = 2_000
MARKER_MAX = 500
INPUT_STR_MAX = 20_000
ERRORS_KEPT = 50
MALFORMED_EXAMPLES_KEPT = 20

ELLIPSIS = "…"
_TRAILING_TOKEN = re.compile(r"\S+\Z")

TranscriptFormat = Literal["claude-code", "codex", "gemini", "plain"]


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters (plus an ellipsis).

    The cut drops the trailing partial token, so a clipped secret never survives as a
    fragment that the redaction patterns could no longer recognise.
    """
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if not text[limit].isspace():
        cut = _TRAILING_TOKEN.sub("", cut)
    return cut.rstrip() + ELLIPSIS


def clip_obj(obj: Any, limit: int = INPUT_STR_MAX) -> Any:
    """JSON-like `obj` with every string clipped to `limit` characters."""
    if isinstance(obj, str):
        return clip(obj, limit)
    if isinstance(obj, dict):
        return {str(k): clip_obj(v, limit) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [clip_obj(v, limit) for v in obj]
    return obj


class ToolCall(BaseModel):
    """One tool invocation and, when seen, its result."""

    index: int
    name: str
    tool_use_id: str
    input: dict[str, Any] = Field(default_factory=dict)
    input_digest: str = ""
    ok: bool | None = None
    error_text: str | None = None
    started_at: datetime | None = None
    duration_ms: float | None = None
    sidechain: bool = False
    agent_id: str | None = None


class Markers(BaseModel):
    """`DECISION:` / `BLOCKER:` / `LEARNING:` lines, in order of appearance."""

    decisions: list[str] = Field(default_factory=list)
    blockers: list[str] = Field(default_factory=list)
    learnings: list[str] = Field(default_factory=list)


class Transcript(BaseModel):
    """The summary of one agent session, read from a Claude Code JSONL or a plain log."""

    source: Path
    sha256: str
    format: TranscriptFormat
    session_id: str | None = None
    cwd: str | None = None
    git_branch: str | None = None
    version: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    user_prompts: list[str] = Field(default_factory=list)
    assistant_texts: list[str] = Field(default_factory=list)
    markers: Markers = Field(default_factory=Markers)
    files_read: list[str] = Field(default_factory=list)
    files_changed: list[str] = Field(default_factory=list)
    commands: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    record_counts: dict[str, int] = Field(default_factory=dict)
    unknown_types: dict[str, int] = Field(default_factory=dict)
    malformed_lines: int = 0
    malformed_examples: list[int] = Field(default_factory=list)
    subagent_files: list[Path] = Field(default_factory=list)

    @property
    def tool_names(self) -> list[str]:
        return [call.name for call in self.tool_calls]

    def redacted(self) -> Transcript:
        """A copy whose every free-text field went through redaction (fails closed).

        Everything is redacted in one batch (much faster than string by string); tool
        inputs additionally get secret-named keys (`password`, `token`...) blanked whole.
        """
        calls = self.tool_calls
        clean = redaction.redact_obj(
            {
                "cwd": self.cwd,
                "git_branch": self.git_branch,
                "inputs": [c.input for c in calls],
                "digests": [c.input_digest for c in calls],
                "error_texts": [c.error_text for c in calls],
                "user_prompts": self.user_prompts,
                "assistant_texts": self.assistant_texts,
                "decisions": self.markers.decisions,
                "blockers": self.markers.blockers,
                "learnings": self.markers.learnings,
                "files_read": self.files_read,
                "files_changed": self.files_changed,
                "commands": self.commands,
                "errors": self.errors,
            }
        )
        new_calls = [
            call.model_copy(update={"input": data, "input_digest": digest, "error_text": error})
            for call, data, digest, error in zip(
                calls, clean["inputs"], clean["digests"], clean["error_texts"], strict=True
            )
        ]
        markers = Markers(
            decisions=clean["decisions"], blockers=clean["blockers"], learnings=clean["learnings"]
        )
        return self.model_copy(
            update={
                "cwd": clean["cwd"],
                "git_branch": clean["git_branch"],
                "tool_calls": new_calls,
                "user_prompts": clean["user_prompts"],
                "assistant_texts": clean["assistant_texts"],
                "markers": markers,
                "files_read": clean["files_read"],
                "files_changed": clean["files_changed"],
                "commands": clean["commands"],
                "errors": clean["errors"],
            }
        )

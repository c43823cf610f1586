"""What a session archive holds: its metadata, summary, tool calls and traces."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    pass

ENVELOPE = "SESSION_ARCHIVE"
FORMAT_VERSION = "1.0"
MAX_ARCHIVE_BYTES = 512 * 1024  # the routing table's limit for one archive

ArchiveStatus = Literal["completed", "abandoned"]
SummarySource = Literal["arguments", "derived", "none"]


# -- the data an archive holds ------------------------------------------------------------------


class ToolCallEntry(BaseModel):
    """One tool call as the archive keeps it (what the learning miner reads)."""

    tool: str
    digest: str = ""
    ok: bool | None = None
    duration_ms: int | None = None
    sidechain: bool = False


class TraceEntry(BaseModel):
    """One MCP / hook trace folded into the archive."""

    tool: str
    source: str = "mcp"
    ok: bool = True
    duration_ms: int | None = None
    summary: str = ""
    error_class: str | None = None
    args: str = ""  # first 12 hex digits of the args digest
    at: str = ""  # ISO time (UTC)


class ArchiveMeta(BaseModel):
    session_id: str
    status: ArchiveStatus = "completed"
    role: str
    focus: str
    focus_source: str = "default"
    branch: str | None = None
    head: str | None = None
    started_at: datetime
    ended_at: datetime
    duration_s: int = 0
    governance_version: str | None = None
    namespace: str | None = None
    transcript: str | None = None
    transcript_format: str | None = None
    transcript_sha256: str | None = None
    claude_session_id: str | None = None
    tool_call_count: int = 0
    failed_call_count: int = 0
    sidechain_call_count: int = 0
    prompt_count: int = 0
    files_read_count: int = 0
    files_changed_count: int = 0
    command_count: int = 0
    error_count: int = 0
    decision_count: int = 0
    blocker_count: int = 0
    learning_count: int = 0
    trace_count: int = 0
    malformed_lines: int = 0

    @property
    def id8(self) -> str:
        return self.session_id[:8]


class ArchiveSummary(BaseModel):
    text: str = ""
    request: str = ""
    conclusion: str = ""
    source: SummarySource = "none"
    notes: list[str] = Field(default_factory=list)


class ArchiveData(BaseModel):
    """Everything one archive says, typed (what `read_archive` returns)."""

    meta: ArchiveMeta
    summary: ArchiveSummary = Field(default_factory=ArchiveSummary)
    tool_calls: list[ToolCallEntry] = Field(default_factory=list)
    files_read: list[str] = Field(default_factory=list)
    files_changed: list[str] = Field(default_factory=list)
    commands: list[str] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    decisions: list[str] = Field(default_factory=list)
    blockers: list[str] = Field(default_factory=list)
    learnings: list[str] = Field(default_factory=list)
    prompts: list[str] = Field(default_factory=list)
    prompts_omitted: int = 0
    traces: list[TraceEntry] = Field(default_factory=list)
    trace_recording_errors: int = 0
    trace_note: str = ""


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: Any, fallback: datetime) -> datetime:
    if not isinstance(text, str) or not text:
        return fallback
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return fallback
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

"""The record of an open work session (`sessions/active/<id>/session.json`).

One pydantic model shared by clock-in, clock-out, reaping, traces, anchors and the MCP
server, so that every reader agrees on what a session is.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hestai_tmws.errors import UsageError
from hestai_tmws.sessions.focus import FocusSource
from hestai_tmws.sessions.lookup import is_session_id


def new_session_id() -> str:
    """12 random lowercase hex digits; the first 8 (id8) name the archive."""
    return secrets.token_hex(6)


def check_session_id(text: str) -> str:
    """Refuse anything that is not a session id before it becomes part of a path."""
    if not is_session_id(text):
        raise UsageError(
            f"{text!r} is not a session id",
            hint="session ids are 12 lowercase hex digits; `tmws sessions` lists them",
        )
    return text


def utc_now() -> datetime:
    return datetime.now(UTC)


class AnchorRecord(BaseModel):
    """The compact anchor result kept in session.json: what `require_anchor` checks later."""

    model_config = ConfigDict(extra="ignore")

    passed: bool
    role: str
    governance_version: str | None = None
    expected_version: str | None = None
    threshold: float | None = None
    focus: str | None = None
    checked_at: str | None = None
    min_score: float | None = None
    failures: list[str] = Field(default_factory=list)


class Suggestion(BaseModel):
    """One suggested skill, with the event id that feedback refers to (kept in session.json)."""

    id: str
    skill: str
    description: str
    score: float
    path: str  # relative to the project root
    pattern: str | None = None
    name: str = ""


class ActiveSession(BaseModel):
    """An open session: who clocked in, on what, where, and since when."""

    model_config = ConfigDict(extra="ignore")

    id: str
    role: str
    focus: str
    focus_source: FocusSource = "default"
    branch: str | None = None
    head: str | None = None
    started_at: datetime
    pid: int | None = None
    host: str | None = None
    cwd: str | None = None
    working_dir: str | None = None
    governance_version: str | None = None
    transcript_path: str | None = None
    claude_session_id: str | None = None
    anchor: AnchorRecord | None = None
    suggestions: list[Suggestion] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not is_session_id(value):
            raise ValueError("a session id is 12 lowercase hex digits")
        return value

    @field_validator("started_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    @property
    def id8(self) -> str:
        return self.id[:8]

    def age_hours(self, now: datetime | None = None) -> float:
        return max(0.0, ((now or utc_now()) - self.started_at).total_seconds() / 3600.0)

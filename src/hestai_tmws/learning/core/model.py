"""Data shapes of the learning core: the input sequences, the knobs, and the mined patterns.

Inputs (`Step`, `SessionSeq`) are slotted frozen dataclasses because the miner touches
hundreds of thousands of them; outputs (`MinedPattern`, `MiningConfig`) are pydantic models
because other services persist and serialise them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator


@dataclass(slots=True, unsafe_hash=True)
class Step:
    """One tool call, reduced to what the miner may use: never argument values.

    `action` is the meaningful action of a generic tool (for Bash the command's verb,
    e.g. ``git commit``), as produced by `tokens.action_of`; None for other tools.
    Treat it as immutable. It is not a frozen dataclass on purpose: frozen instances
    cost about ten times more to build, and a corpus holds hundreds of thousands.
    """

    tool: str
    action: str | None = None
    ok: bool | None = None
    duration_ms: float | None = None

    @property
    def token(self) -> str:
        """``tool`` or ``tool:action`` — the unit patterns are made of."""
        return token_of(self.tool, self.action)


def token_of(tool: str, action: str | None) -> str:
    return f"{tool}:{action}" if action else tool


@dataclass(frozen=True, slots=True)
class SessionSeq:
    """The tool calls of one archived session, in order."""

    session_id: str
    day: date
    namespace: str
    steps: tuple[Step, ...]


class MiningConfig(BaseModel):
    """Thresholds of mining and validation; the defaults match the documented behaviour."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    namespace: str | None = None  # None: mine every namespace present, each on its own
    min_support: int = Field(default=3, ge=1)
    min_days: int = Field(default=2, ge=1)
    min_len: int = Field(default=3, ge=1)
    max_len: int = Field(default=20, ge=1)
    max_gap: int = Field(default=2, ge=0)  # gapped procedures (`gapped`); 0 switches them off
    min_lift: float = Field(default=1.5, ge=0.0)
    closure_ratio: float = Field(default=0.9, gt=0.0, le=1.0)
    significance: float = Field(default=0.01, gt=0.0, le=1.0)  # family-wise, Bonferroni
    cluster_similarity: float = Field(default=0.8, ge=0.0, le=1.0)
    min_success_rate: float = Field(default=0.75, ge=0.0, le=1.0)
    min_wilson_lower: float = Field(default=0.4, ge=0.0, le=1.0)  # 3 of 3 passes, 3 of 4 not
    stability_weeks: int = Field(default=8, ge=1)
    as_of: date | None = None  # reference day for stability; default: latest day mined

    @model_validator(mode="after")
    def _lengths(self) -> MiningConfig:
        if self.min_len > self.max_len:
            raise ValueError(f"min_len {self.min_len} is greater than max_len {self.max_len}")
        return self


class Variant(BaseModel):
    """A near-duplicate of a cluster's representative, with its own support."""

    model_config = ConfigDict(frozen=True)

    id: str
    tokens: tuple[str, ...]
    support: int


class MinedPattern(BaseModel):
    """A recurring contiguous tool sequence and the statistics recomputed on every run."""

    model_config = ConfigDict(frozen=True)

    id: str
    namespace: str
    tokens: tuple[str, ...]
    support: int  # distinct sessions
    session_ids: tuple[str, ...]
    days: tuple[date, ...]
    first_seen: date
    last_seen: date
    occurrences: int
    successes: int
    outcomes_known: int  # occurrences whose every call reported ok or failed
    success_rate: float
    wilson_lower: float
    mean_duration_ms: float | None
    stability: float
    confidence: float
    lift: float
    expected_support: float
    variants: tuple[Variant, ...] = ()
    failed_steps: tuple[int, ...]  # failed calls per position, over all occurrences
    evidence_namespaces: tuple[str, ...]
    gap: int = 0  # foreign steps allowed between its steps (0: contiguous; see `gapped`)

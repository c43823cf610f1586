"""The life cycle of a pattern, as an explicit transition table.

DETECTED -> VALIDATED | REJECTED happens automatically (the checks decide);
VALIDATED -> APPROVED needs a person or a configured policy; APPROVED -> PROMOTED ->
DEPRECATED follow. A REJECTED pattern reopens (-> DETECTED) only once its support has
doubled since the rejection, so a refused pattern cannot come back on noise alone.
Anything else raises `PolicyError` with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from hestai_tmws.errors import PolicyError, UsageError
from hestai_tmws.learning.core.checks import ValidationReport


class PatternState(StrEnum):
    DETECTED = "DETECTED"
    VALIDATED = "VALIDATED"
    REJECTED = "REJECTED"
    APPROVED = "APPROVED"
    PROMOTED = "PROMOTED"
    DEPRECATED = "DEPRECATED"


TRANSITIONS: dict[PatternState, frozenset[PatternState]] = {
    PatternState.DETECTED: frozenset({PatternState.VALIDATED, PatternState.REJECTED}),
    # A person may also turn a validated pattern down (the checks passed, the idea did not).
    PatternState.VALIDATED: frozenset({PatternState.APPROVED, PatternState.REJECTED}),
    PatternState.APPROVED: frozenset({PatternState.PROMOTED}),
    PatternState.PROMOTED: frozenset({PatternState.DEPRECATED}),
    PatternState.REJECTED: frozenset({PatternState.DETECTED}),
    PatternState.DEPRECATED: frozenset(),
}

SYSTEM_ACTOR = "system"
# Who may approve: a person ("person:<name>") or a configured policy ("policy:<name>").
APPROVER_PREFIXES = ("person:", "policy:")


class StateChange(BaseModel):
    """One entry of a pattern's history: what changed, when, by whom, and on what evidence.

    The one shape of a state transition: records keep a list of them, and every report of a
    move (`PatternTransition`) is built from one. `from_state` None: the record was created.
    """

    model_config = ConfigDict(frozen=True)

    from_state: PatternState | None
    to_state: PatternState
    at: datetime
    actor: str
    support: int
    reason: str = ""

    @property
    def arrow(self) -> str:
        """`DETECTED → VALIDATED` (`NEW → DETECTED` for a creation), as people read it."""
        return f"{state_label(self.from_state)} → {self.to_state.value}"


class PatternTransition(BaseModel):
    """A state change as reported for one pattern (mine reports, review results)."""

    pattern_id: str
    from_state: PatternState | None
    to_state: PatternState
    actor: str
    reason: str = ""

    @classmethod
    def of(cls, pattern_id: str, change: StateChange) -> PatternTransition:
        return cls(
            pattern_id=pattern_id,
            from_state=change.from_state,
            to_state=change.to_state,
            actor=change.actor,
            reason=change.reason,
        )

    @property
    def arrow(self) -> str:
        return f"{state_label(self.from_state)} → {self.to_state.value}"


def state_label(state: PatternState | None) -> str:
    """A state's name; `NEW` before the record existed."""
    return "NEW" if state is None else state.value


def transition(
    current: PatternState | None,
    target: PatternState,
    *,
    support: int,
    support_at_rejection: int | None = None,
    actor: str = SYSTEM_ACTOR,
    reason: str = "",
    at: datetime | None = None,
) -> StateChange:
    """Check that `current -> target` is allowed and return its history entry.

    `current` None creates a record (only into DETECTED). The time is kept to the second,
    as records keep it. Raises PolicyError (with the rule that was broken) for any other move.
    """
    if current is None:
        if target is not PatternState.DETECTED:
            raise PolicyError(
                f"a new pattern starts as DETECTED, not {target}",
                hint="new records enter the life cycle at DETECTED",
            )
    elif target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (final state)"
        raise PolicyError(
            f"illegal pattern transition {current} -> {target}",
            hint=f"from {current} a pattern may move to: {allowed}",
        )
    if target is PatternState.APPROVED and not actor.startswith(APPROVER_PREFIXES):
        raise PolicyError(
            f"approval needs a person or a configured policy, not {actor!r}",
            hint="pass actor='person:<name>' or actor='policy:<name>'",
        )
    if (
        current is PatternState.VALIDATED
        and target is PatternState.REJECTED
        and not actor.startswith(APPROVER_PREFIXES)
    ):
        raise PolicyError(
            f"only a person or a configured policy may reject a validated pattern, not {actor!r}",
            hint="pass actor='person:<name>' or actor='policy:<name>'",
        )
    if current is PatternState.REJECTED:
        if support_at_rejection is None:
            raise PolicyError(
                "cannot reopen a rejected pattern without its support at rejection",
                hint="pass support_at_rejection from the REJECTED history entry",
            )
        needed = 2 * support_at_rejection
        if support < needed:
            raise PolicyError(
                f"support {support} has not doubled since rejection at "
                f"{support_at_rejection} (needs >= {needed})"
            )
    return StateChange(
        from_state=current,
        to_state=target,
        at=(at or datetime.now(UTC)).replace(microsecond=0),
        actor=actor,
        support=support,
        reason=reason,
    )


def automatic_state(report: ValidationReport) -> PatternState:
    """Where the checks send a DETECTED pattern: VALIDATED if all pass, else REJECTED."""
    return PatternState.VALIDATED if report.passed else PatternState.REJECTED


def rejection_reason(report: ValidationReport) -> str:
    """One line naming the failed checks and why, for the REJECTED history entry."""
    failed = [f"{c.code}: {c.reason}" for c in report.checks if not c.passed]
    return "; ".join(failed)


def parse_state(value: str) -> PatternState:
    """The state a person typed (any case); UsageError naming the states otherwise."""
    try:
        return PatternState(value.upper())
    except ValueError:
        raise UsageError(
            f"unknown state {value!r}", hint="one of: " + ", ".join(s.value for s in PatternState)
        ) from None

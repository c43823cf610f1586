"""`tmws learn prune`: remove rejected pattern records older than 30 days.

Git history keeps every removed record; if the sequence is still mined later it comes back
as a new record (and goes through the checks again).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.store import load_records
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward

DEFAULT_AGE_DAYS = 30


class PruneResult(BaseModel):
    removed: list[str] = Field(default_factory=list)  # paths relative to the project root
    kept_rejected: int = 0  # rejected, but not old enough yet
    older_than_days: int
    dry_run: bool = False


def prune(
    project: Project,
    *,
    older_than_days: int = DEFAULT_AGE_DAYS,
    now: datetime | None = None,
    dry_run: bool = False,
) -> PruneResult:
    """Delete (through the Steward) every record REJECTED for more than `older_than_days`."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=older_than_days)
    settings = load_settings(project)
    result = PruneResult(older_than_days=older_than_days, dry_run=dry_run)
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    with steward.transaction("learning: prune", stage=settings.stage_writes):
        for record in load_records(project).records.values():
            if record.state is not PatternState.REJECTED:
                continue
            if record.state_since() > cutoff:
                result.kept_rejected += 1
                continue
            if dry_run or steward.delete(record.rel, reason=f"prune rejected {record.id}"):
                result.removed.append(f".hestai/{record.rel}")
    result.removed.sort()
    return result

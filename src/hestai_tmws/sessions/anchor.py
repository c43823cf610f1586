"""anchor_submit: an agent restates who it is, and the Steward checks it against its role.

An agent that can restate its role's commitments in its own words has at least read them;
one that cannot (wrong role, stale governance, a forgotten must-never) is told exactly which
point failed before it writes anything. The result is kept in the session record, and a
project can require a passing anchor before document_submit and context_update.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from hestai_tmws.config import load_settings
from hestai_tmws.errors import NotFoundError, PolicyError, UsageError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.governance.rules import load_agents
from hestai_tmws.project import Project
from hestai_tmws.sessions.commitments import (
    SCORER,
    CommitmentCheck,
    check_commitments,
)
from hestai_tmws.sessions.model import AnchorRecord
from hestai_tmws.sessions.store import resolve_session, save_session
from hestai_tmws.steward import Steward

FailurePoint = Literal["role", "session_role", "governance_version", "must_always", "must_never"]

STATEMENT_MAX = 500
STATEMENTS_MAX = 50
SYS_VERSION_FILE = ".version"


class AnchorFailure(BaseModel):
    point: FailurePoint
    message: str
    expected: str | None = None
    got: str | None = None
    score: float | None = None


class AnchorResult(BaseModel):
    """The verdict on one anchor; `failures` lists every point to fix before re-anchoring."""

    session_id: str
    role: str
    governance_version: str
    expected_version: str | None = None
    passed: bool
    threshold: float
    scorer: str = SCORER
    focus: str | None = None
    checks: list[CommitmentCheck] = Field(default_factory=list)
    failures: list[AnchorFailure] = Field(default_factory=list)
    checked_at: datetime
    recorded: bool = False


# -- governance version ------------------------------------------------------------------------


def injected_version(project: Project) -> str | None:
    """The governance version in `.hestai-sys/` (its `.version` file), None when not injected."""
    path = project.governance_path(SYS_VERSION_FILE)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text or None


def _same_version(a: str, b: str) -> bool:
    def norm(v: str) -> str:
        v = v.strip().lower()
        return v[1:] if v.startswith("v") else v

    return norm(a) == norm(b)


# -- the service -------------------------------------------------------------------------------


def _clean_statements(label: str, items: list[str] | tuple[str, ...]) -> list[str]:
    out = [" ".join(str(s).split()) for s in items if str(s).strip()]
    if len(out) > STATEMENTS_MAX:
        raise UsageError(f"{len(out)} {label} statements; at most {STATEMENTS_MAX}")
    for s in out:
        if len(s) > STATEMENT_MAX:
            raise UsageError(f"a {label} statement is {len(s)} characters; at most {STATEMENT_MAX}")
    return out


def submit_anchor(
    project: Project,
    *,
    session_id: str | None = None,
    role: str,
    governance_version: str,
    must_always: list[str] | tuple[str, ...],
    must_never: list[str] | tuple[str, ...],
    focus: str | None = None,
    now: datetime | None = None,
) -> AnchorResult:
    """Check an anchor against the role's definition and record the verdict in the session.

    Passes when the role is known and is the session's role, the version equals the injected
    governance version, and every MUST_ALWAYS and MUST_NEVER line of the definition is restated
    (score >= `anchor_threshold`, see `commitment_score`). Failing is not an error: the result
    lists the failed points so the agent can fix them and submit again.
    """
    settings = load_settings(project)
    threshold = float(settings.anchor_threshold)
    always = _clean_statements("must-always", must_always)
    never = _clean_statements("must-never", must_never)
    role = (role or "").strip()
    version = (governance_version or "").strip()
    if not role:
        raise UsageError("an anchor names the role it restates", hint="pass --role ROLE")
    session = resolve_session(project, session_id)
    failures: list[AnchorFailure] = []
    checks: list[CommitmentCheck] = []

    agents = load_agents(project)
    definition = agents.get(role)
    if definition is None:
        failures.append(
            AnchorFailure(
                point="role",
                message=f"role {role!r} has no agent definition; "
                f"known roles: {', '.join(sorted(agents))}",
                got=role,
            )
        )
    if session.role != role:
        failures.append(
            AnchorFailure(
                point="session_role",
                message=f"session {session.id8} was opened as {session.role}, not {role}",
                expected=session.role,
                got=role,
            )
        )
    expected = injected_version(project)
    if expected is None:
        failures.append(
            AnchorFailure(
                point="governance_version",
                message="governance is not injected into .hestai-sys; "
                "run `tmws inject` and read it",
                got=version,
            )
        )
    elif not _same_version(expected, version):
        failures.append(
            AnchorFailure(
                point="governance_version",
                message=f"governance version {version or '(none)'} is not the injected {expected}; "
                "re-read .hestai-sys",
                expected=expected,
                got=version,
            )
        )
    if definition is not None:
        checks = [
            *check_commitments("must_always", definition.must_always, always, threshold),
            *check_commitments("must_never", definition.must_never, never, threshold),
        ]
        for check in checks:
            if not check.passed:
                label = "MUST_ALWAYS" if check.kind == "must_always" else "MUST_NEVER"
                failures.append(
                    AnchorFailure(
                        point=check.kind,
                        message=f"{label} not restated: {check.commitment!r} "
                        f"(best match {check.score:.0f} < {threshold:.0f})",
                        expected=check.commitment,
                        got=check.best_statement,
                        score=check.score,
                    )
                )

    stamp = now or datetime.now(UTC)
    result = AnchorResult(
        session_id=session.id,
        role=role,
        governance_version=version,
        expected_version=expected,
        passed=not failures,
        threshold=threshold,
        focus=focus.strip() if focus and focus.strip() else None,
        checks=checks,
        failures=failures,
        checked_at=stamp,
    )
    steward = Steward(
        project, lock_timeout=settings.lock_timeout_seconds, placement=routing_placement(project)
    )
    with steward.transaction("anchor"):
        fresh = resolve_session(project, session.id)  # re-read under the lock: others may write it
        fresh.anchor = anchor_record(result)
        save_session(project, steward, fresh)
    result.recorded = True
    return result


def anchor_record(result: AnchorResult) -> AnchorRecord:
    """The compact form kept in session.json (and later in the session archive)."""
    return AnchorRecord(
        passed=result.passed,
        role=result.role,
        governance_version=result.governance_version,
        expected_version=result.expected_version,
        threshold=result.threshold,
        focus=result.focus,
        checked_at=result.checked_at.isoformat(),
        min_score=min((c.score for c in result.checks), default=None),
        failures=[f.message for f in result.failures],
    )


def require_anchor(project: Project, session_id: str | None) -> None:
    """Refuse (PolicyError) when the project requires an anchor and the session has no passing one.

    A passing anchor also goes stale when governance is re-injected with another version.
    """
    settings = load_settings(project)
    if not settings.anchor_required:
        return
    hint = (
        "run `tmws anchor --role ROLE --governance-version V --must-always ... --must-never ...` "
        "for your session"
    )
    try:
        session = resolve_session(project, session_id)
    except (NotFoundError, UsageError) as exc:
        raise PolicyError(
            f"this project requires an anchored session before writing memory: {exc.message}",
            hint="run `tmws clock-in`, then " + hint[4:],
        ) from exc
    anchor = session.anchor
    if anchor is None or not anchor.passed:
        state = "no anchor" if anchor is None else "a failed anchor"
        raise PolicyError(
            f"session {session.id8} has {state}; this project requires a passing anchor "
            "before document_submit and context_update",
            hint=hint,
        )
    if anchor.role != session.role:
        raise PolicyError(f"the anchor of session {session.id8} is for another role", hint=hint)
    current = injected_version(project)
    anchored = anchor.governance_version or ""
    if current is not None and not _same_version(current, anchored):
        raise PolicyError(
            f"governance changed to {current} since session {session.id8} anchored on {anchored}",
            hint="re-read .hestai-sys and " + hint[:1].lower() + hint[1:],
        )

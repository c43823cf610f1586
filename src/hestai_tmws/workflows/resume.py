"""Resume: a new connection takes over an open session it can prove is its own (or orphaned).

An MCP client that restarted, or one whose session was clocked in by a Claude Code hook,
continues that session instead of opening a second one on the same focus. The proof is
checked by `sessions.store.check_resumable`; the session record is rebound to the new
process so that liveness checks follow the new client.
"""

from __future__ import annotations

from hestai_tmws.layout import HESTAI
from hestai_tmws.project import Project
from hestai_tmws.sessions.store import check_resumable, rebind_session, resolve_session, session_rel
from hestai_tmws.workflows.clock_in import ClockInResult
from hestai_tmws.workflows.primer import gather_primer

# what the session record and a clock-in result share, by name
_KEPT = {
    "role",
    "focus",
    "focus_source",
    "branch",
    "head",
    "started_at",
    "working_dir",
    "transcript_path",
    "governance_version",
}


def resume_session(
    project: Project,
    session_id: str,
    *,
    pid: int,
    client_pids: tuple[int, ...] = (),
    agent_session_id: str | None = None,
) -> ClockInResult:
    """Bind the open session `session_id` (id or unique prefix) to process `pid`; its primer."""
    session = resolve_session(project, session_id)
    proof = check_resumable(session, client_pids=client_pids, agent_session_id=agent_session_id)
    session = rebind_session(project, session, pid)
    kept = session.model_dump(include=_KEPT)
    primer = gather_primer(project, session.role).model_dump()
    return ClockInResult(
        session_id=session.id,
        id8=session.id8,
        session_file=f"{HESTAI}/{session_rel(session.id)}",
        governance_action="resumed",
        suggested_skills=list(session.suggestions),
        notes=[f"resumed session {session.id8}: {proof}"],
        **kept,
        **primer,
    )

"""Who is writing a memory document: the session it is written for, if any, and its anchor.

A person may write without a session; an agent's session must be open and (when the project
requires it) anchored. Both context updates and document submissions ask the same question.
"""

from __future__ import annotations

from hestai_tmws.errors import NotFoundError, UsageError
from hestai_tmws.project import Project
from hestai_tmws.sessions.anchor import require_anchor
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.store import resolve_session


def optional_session(project: Project, session_id: str | None) -> ActiveSession | None:
    """The named session (errors if it is not open), else the only open one, else None.

    A person may submit without a session; the document then names no session or role.
    """
    if session_id:
        return resolve_session(project, session_id)
    try:
        return resolve_session(project, None)
    except (NotFoundError, UsageError):
        return None


def writing_session(
    project: Project, session_id: str | None, *, enforce_anchor: bool = True
) -> ActiveSession | None:
    """`optional_session`, refused (PolicyError) when the anchor the project requires is missing."""
    session = optional_session(project, session_id)
    if enforce_anchor:
        require_anchor(project, session.id if session else session_id)
    return session

"""The re-prime: what an agent needs again after its context was compacted or resumed.

A compacted agent has lost what clock-in told it. The re-prime gives it back the working
state, not the reading list: the open checklist, the recent decisions and a summary of the
project context, within REPRIME_MAX_BYTES (about 1,000 tokens at 4 bytes a token; measured
in tests/workflows/test_reprime.py on this repository's own memory).
"""

from __future__ import annotations

import contextlib
import re

from hestai_tmws.layout import DECISIONS
from hestai_tmws.project import Project
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.store import session_for_agent
from hestai_tmws.steward.atomic import atomic_write_bytes
from hestai_tmws.workflows.primer import north_star_paragraph, open_checklist
from hestai_tmws.workflows.reprime_cache import (
    REPRIME_MAX_BYTES as REPRIME_MAX_BYTES,
)
from hestai_tmws.workflows.reprime_cache import fingerprint, fit, head_line, record

RECENT_DECISIONS = 5
CONTEXT_SUMMARY_CHARS = 700
_SKIP = re.compile(r"^\s*(===|META:|TYPE:|VERSION:|STATUS:|PURPOSE:|---|//)")


def recent_decisions(project: Project, limit: int = RECENT_DECISIONS) -> list[str]:
    """The newest decision files by number, as `NNN title words`."""
    folder = project.memory_path(DECISIONS)
    try:
        names = sorted((p.name for p in folder.iterdir() if p.is_file()), reverse=True)
    except OSError:
        return []
    out = []
    for name in names[:limit]:
        stem = name.removesuffix(".oct.md").removesuffix(".md")
        number, _, slug = stem.partition("-")
        out.append(f"{number} {slug.replace('-', ' ')}".strip())
    return out


def context_summary(project: Project, limit: int = CONTEXT_SUMMARY_CHARS) -> str:
    """The first lines of the project context that say something (headers skipped)."""
    try:
        text = project.memory_path("context/project-context.oct.md").read_text(encoding="utf-8")
    except OSError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not _SKIP.match(line)]
    summary = " ".join(lines)
    return summary if len(summary) <= limit else summary[: limit - 1].rstrip() + "…"


def reprime_body(project: Project) -> list[str]:
    """Every line of the re-prime after the first (which names the session and the event)."""
    lines: list[str] = []
    checklist = open_checklist(project)
    if checklist:
        lines.append("Open checklist:")
        lines += [f"- {item}" for item in checklist[:12]]
        if len(checklist) > 12:
            lines.append(f"- (+{len(checklist) - 12} more: get_context)")
    decisions = recent_decisions(project)
    if decisions:
        lines.append("Recent decisions: " + "; ".join(decisions) + ".")
    summary = context_summary(project)
    if summary:
        lines.append("Project context: " + summary)
    north_star = north_star_paragraph(project)
    if north_star:
        lines.append("North star: " + north_star[:300])
    lines.append(
        "Memory is written only through the tmws tools (document_submit, context_update); "
        "clock_out ends the session."
    )
    return lines


def render_reprime(project: Project, session: ActiveSession, source: str) -> str:
    """The re-prime text for `session` after `source` (compact, resume…), within budget;
    remembered for the hook's fast path (`reprime_cache`) when its inputs are settled."""
    prints = fingerprint(str(project.hestai))
    body = reprime_body(project)
    head = (session.id8, session.role, session.focus)
    data = record(str(project.hestai), head, body, prints)
    target = project.cache_dir / "reprime" / f"{session.id}.json"
    with contextlib.suppress(OSError):  # a cache: failing to keep it changes nothing
        if data is None:
            target.unlink(missing_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data, durable=False)
    return fit([head_line(*head, source), *body])


def reprime_for_agent(project: Project, agent_session_id: str | None, source: str) -> str | None:
    """The re-prime of the session clocked in for this agent session; None when there is none
    (a new Claude session: the caller clocks in instead)."""
    if not agent_session_id:
        return None
    session = session_for_agent(project, agent_session_id)
    if session is None or session.claude_session_id != agent_session_id:
        return None
    return render_reprime(project, session, source)

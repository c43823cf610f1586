"""The re-prime after compaction or resume carries the working state, within its budget."""

from __future__ import annotations

from hestai_tmws.integrations.claude.hooks import dispatch
from hestai_tmws.project import Project
from hestai_tmws.sessions.model import ActiveSession, utc_now
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.reprime import REPRIME_MAX_BYTES, recent_decisions, render_reprime
from tests.paths import REPO_ROOT


def test_compaction_re_primes_checklist_decisions_and_context(ready: Project) -> None:
    opened = clock_in(ready, focus="compact me", claude_session_id="claude-1")
    environ = {"CLAUDE_PROJECT_DIR": str(ready.root)}
    payload = {"session_id": "claude-1", "source": "compact", "cwd": str(ready.root)}
    out = dispatch("session-start", payload, environ)
    assert out.exit_code == 0 and opened.id8 in out.stdout
    assert "continues after compact" in out.stdout
    assert "Open checklist:" in out.stdout or not opened.open_checklist_items
    before = dispatch("pre-compact", {**payload, "hook_event_name": "PreCompact"}, environ)
    assert "continues after compaction" in before.stdout
    assert len(out.stdout.encode()) <= REPRIME_MAX_BYTES


def test_the_budget_holds_on_this_repositorys_own_memory() -> None:
    """Measured on the project's real memory (.hestai/ of this checkout)."""
    project = Project.discover(REPO_ROOT)
    session = ActiveSession(
        id="0123456789ab", role="implementation-lead", focus="x", started_at=utc_now()
    )
    text = render_reprime(project, session, "compact")
    assert len(text.encode()) <= REPRIME_MAX_BYTES
    assert ("Recent decisions: " in text) is bool(recent_decisions(project))
    assert "Project context: " in text

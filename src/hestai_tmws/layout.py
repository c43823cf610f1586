"""Every path name of `.hestai/` and `.hestai-sys/`, in one place (standard library only).

The hooks' fast paths read these without importing the service stack, and no module joins
path segments of the layout by hand: they use these names, or ask a `Project`.
"""

from __future__ import annotations

HESTAI = ".hestai"
HESTAI_SYS = ".hestai-sys"
CONFIG_FILE = ".hestai-tmws.yaml"
ENV_PROJECT = "TMWS_PROJECT"
STATE_DIR_NAME = "hestai-tmws"  # under the git common dir: ledger, lock, caches

# Files inside STATE_DIR_NAME (never committed, shared by the worktrees of one clone).
LEDGER_FILE = "ledger.jsonl"
LEDGER_KEY_FILE = "ledger.key"
LOCK_FILE = "steward.lock"
CACHE_DIR = "cache"

# Relative paths inside .hestai/ (POSIX, as git and the routing rules see them).
CONTEXT = "context"
WORKFLOW = "workflow"
DECISIONS = "workflow/decisions"
SESSIONS_ACTIVE = "sessions/active"
SESSIONS_ARCHIVE = "sessions/archive"
REPORTS = "reports"
LEARNING = "learning"
PATTERNS = "learning/patterns"
SKILLS = "learning/skills"
NORTH_STAR = "workflow/000-project-north-star.oct.md"
#: ADR-0033: the index of session archives lives beside them.
LEARNINGS_INDEX = "sessions/archive/learnings-index.jsonl"
#: Where tmws before ADR-0033 kept it; moved automatically (sessions.archive.index_move).
LEGACY_LEARNINGS_INDEX = "learnings-index.jsonl"
SUGGESTIONS_LOG = "learning/suggestions.jsonl"
FEEDBACK_LOG = "learning/feedback.jsonl"
ADOPTIONS_LOG = "adoptions.jsonl"
#: Files of another tool kept verbatim by a migration: `legacy/<tool>/<their path>`, read-only.
LEGACY = "legacy"

CONTEXT_DOCS = (
    "project-context",
    "project-history",
    "project-roadmap",
    "project-checklist",
    "context-negatives",
)

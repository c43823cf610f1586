"""Every path name of `.hestai/` and `.hestai-sys/`, in one place (standard library only).

The hooks' fast paths read these without importing the service stack, and no module joins
path segments of the layout by hand: they use these names, or ask a `Project`.
"""

from __future__ import annotations

import os

HESTAI = ".hestai"
HESTAI_SYS = ".hestai-sys"
CONFIG_FILE = ".hestai-tmws.yaml"
ENV_PROJECT = "TMWS_PROJECT"
ENV_PREFIX = "TMWS_"
ENV_SETTINGS = {  # TMWS_<name> → setting of `.hestai-tmws.yaml` (config.py)
    "HUB": "hub",
    "ROLE": "default_role",
    "STALE_AFTER_HOURS": "stale_after_hours",
    "LOCK_TIMEOUT": "lock_timeout_seconds",
    "ANCHOR_REQUIRED": "anchor_required",
}
STATE_DIR_NAME = "hestai-tmws"  # under the git common dir: ledger, lock, caches

# Files inside STATE_DIR_NAME (never committed, shared by the worktrees of one clone).
LEDGER_FILE = "ledger.jsonl"
LEDGER_KEY_FILE = "ledger.key"
LOCK_FILE = "steward.lock"
CACHE_DIR = "cache"
# How the Steward names a file before its atomic rename (`steward.atomic`); never data.
TEMP_PREFIX = ".tmws-tmp-"

LEDGER_INDEX_FILE = "ledger-index.marshal"  # in CACHE_DIR: the guard's verified ledger index
SKILLS_CHANGED_FILE = "skills-changed"  # in CACHE_DIR: replaced on every Steward skill write

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

# The governance hub shipped with the package: in the wheel, else in the source checkout.
BUNDLED_HUB_DIRNAME = "_bundled_hub"
HUB_VERSION_FILE = "VERSION"
HUB_CHANGELOG_FILE = "CHANGELOG.md"


_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))  # once: every clock-in asks
_BUNDLED_HUB_CANDIDATES = (
    os.path.join(_PACKAGE_DIR, BUNDLED_HUB_DIRNAME),
    os.path.join(os.path.dirname(os.path.dirname(_PACKAGE_DIR)), BUNDLED_HUB_DIRNAME),
)


def bundled_hub_candidates() -> tuple[str, str]:
    """Where the bundled hub can be: inside the installed package, or beside `src/`.

    Plain `os.path` strings: the pre-commit fast path imports this module and must not pay
    for pathlib. Where this module's file is (links resolved) is found at import time."""
    return _BUNDLED_HUB_CANDIDATES


def bundled_hub_version() -> str | None:
    """The bundled hub's VERSION text, unchecked (for `tmws --version`; None when missing)."""
    for candidate in bundled_hub_candidates():
        try:
            with open(os.path.join(candidate, HUB_VERSION_FILE), encoding="utf-8") as fh:
                return fh.read().strip()
        except OSError:
            continue
    return None

"""The facts of `tmws status`, gathered with the standard library only.

`workflows.status` validates them into its pydantic report; the typer-free CLI path prints
them directly. One collector for both means `tmws status` cannot say two different things.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hestai_tmws.errors import TmwsError
from hestai_tmws.governance import tree
from hestai_tmws.governance.changelog import upgrade_notes
from hestai_tmws.governance.hub_read import digests_of, read_hub_files
from hestai_tmws.layout import HESTAI, HESTAI_SYS, SESSIONS_ACTIVE
from hestai_tmws.steward.memory_walk import walk_memory

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~7 ms)
if TYPE_CHECKING:
    from typing import Any


def read_hub_facts(path: Path, source: str) -> tree.HubFacts:
    """The hub at `path` as the tree check needs it; TmwsError when it cannot be read."""
    version, files = read_hub_files(path)
    return tree.HubFacts(path=str(path), source=source, version=version, digests=digests_of(files))


def collect(root: Path, hub: tuple[Path, str] | None, hub_error: str | None) -> dict[str, Any]:
    """The dashboard as plain data, in the field order of `workflows.status.StatusReport`.

    `hub` is where the hub is and which rule found it; `hub_error` why it could not be found.
    """
    facts: tree.HubFacts | None = None
    if hub is not None:
        try:
            facts = read_hub_facts(*hub)
        except TmwsError as exc:
            hub_error = exc.message
    hestai_sys = root / HESTAI_SYS
    gov = tree.check(hestai_sys, facts, hub_error)
    governance = {
        "injected": hestai_sys.is_dir(),
        "version": gov.version,
        "intact": gov.ok,
        "tampered": gov.tampered,
        "outdated": gov.outdated,
        "hub": gov.hub,
        "hub_source": gov.hub_source,
        "hub_version": gov.hub_version,
        "problems": [message for _, _, message in tree.problems(gov)],
        "upgrade": upgrade_notes(gov.version, gov.hub_version, gov.hub),
    }
    hestai = root / HESTAI
    by_folder: Counter[str] = Counter()
    total_bytes = 0
    count = 0
    for rel, path in walk_memory(hestai):
        count += 1
        total_bytes += path.stat().st_size
        by_folder[rel.rsplit("/", 1)[0] if "/" in rel else "."] += 1
    return {
        "project": str(root),
        "initialised": hestai.is_dir(),
        "governance": governance,
        "memory_files": count,
        "memory_by_folder": dict(sorted(by_folder.items())),
        "memory_bytes": total_bytes,
        "active_sessions": active_sessions(hestai / SESSIONS_ACTIVE),
    }


def active_sessions(folder: Path) -> list[dict[str, Any]]:
    """One entry per `<id>/session.json`; an unreadable one says so instead of failing."""
    out: list[dict[str, Any]] = []
    if not folder.is_dir():
        return out
    for meta in sorted(folder.glob("*/session.json")):
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            out.append(_session(meta.parent.name, focus="(unreadable session.json)"))
            continue
        out.append(
            _session(
                str(data.get("id", meta.parent.name)),
                role=str(data.get("role", "")),
                focus=str(data.get("focus", "")),
                started_at=str(data.get("started_at", "")),
                pid=data.get("pid"),
            )
        )
    return out


def _session(
    session_id: str, *, role: str = "", focus: str = "", started_at: str = "", pid: Any = None
) -> dict[str, Any]:
    return {"id": session_id, "role": role, "focus": focus, "started_at": started_at, "pid": pid}

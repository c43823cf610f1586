"""What changed between two governance versions, from the hub's CHANGELOG.md.

The changelog is Markdown: `## <version>` headings, newest first, each with `- ` entries.
Clock-in, `tmws status` and `tmws inject` quote the entries between the version a project has
injected and the hub's, so an upgrade never changes the rules silently.
"""

from __future__ import annotations

import re
from pathlib import Path

from hestai_tmws.layout import HUB_CHANGELOG_FILE

_HEADING = re.compile(r"^##\s+v?(\S+)\s*$")
_ENTRY = re.compile(r"^\s*[-*]\s+(.*)$")


def changes_between(changelog: str, since: str | None, until: str) -> list[str]:
    """`version: entry` lines of the versions after `since`, up to and including `until`.

    Entries continued on indented lines are joined. Nothing when `since` is unknown (a first
    inject) or equal to `until`.
    """
    if since is None or since == until:
        return []
    out: list[str] = []
    version: str | None = None
    collecting = False
    for line in changelog.splitlines():
        heading = _HEADING.match(line)
        if heading:
            version = heading.group(1)
            if version == since:
                break
            collecting = collecting or version == until
            continue
        if not collecting or version is None:
            continue
        entry = _ENTRY.match(line)
        if entry:
            out.append(f"{version}: {entry.group(1).strip()}")
        elif line.startswith("  ") and out:
            out[-1] += " " + line.strip()
    return out


def upgrade_notes(injected: str | None, hub_version: str | None, hub: str | None) -> list[str]:
    """What moving `.hestai-sys/` from `injected` to the hub's version changes (empty: same)."""
    if injected is None or hub_version is None or injected == hub_version or hub is None:
        return []
    try:
        text = (Path(hub) / HUB_CHANGELOG_FILE).read_text(encoding="utf-8")
    except OSError:
        text = ""
    return changes_between(text, injected, hub_version) or [
        f"{hub_version}: the hub's changelog lists no entries since {injected}"
    ]

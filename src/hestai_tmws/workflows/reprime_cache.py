"""The re-prime, remembered: a resumed Claude session gets it back without the service stack.

Rendering the re-prime parses the checklist and the north star (pydantic, the OCTAVE parser:
a few hundred ms of start-up). Its text changes only when those files change, so each render
stores its lines in the clone's cache (`<git common dir>/hestai-tmws/cache/reprime/<id>.json`)
with a fingerprint of every file it read (inode, size, mtime and ctime in ns; a folder for the
decisions' names). The SessionStart hook's fast path (`integrations.claude.fast_hook`) prints
the stored lines when every fingerprint still matches, and renders in full otherwise.

A file changed within RACY_SECONDS of a render could change again inside the same timestamp
tick unseen, so such a render is not stored (git's "racy" rule). Standard library only.
"""

from __future__ import annotations

import json
import os
import stat
import time

from hestai_tmws import __version__
from hestai_tmws.layout import CACHE_DIR, DECISIONS, NORTH_STAR, STATE_DIR_NAME

REPRIME_MAX_BYTES = 4000
CACHE_FORMAT = 1  # bump with any change to what render_reprime prints
RACY_SECONDS = 2.0
CHECKLIST = "context/project-checklist.oct.md"  # Project.context_doc("project-checklist")
CONTEXT = "context/project-context.oct.md"
INPUTS = (CHECKLIST, DECISIONS, CONTEXT, NORTH_STAR)  # what render_reprime reads, in .hestai/

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cache_path(common_dir: str, session_id: str) -> str:
    return os.path.join(common_dir, STATE_DIR_NAME, CACHE_DIR, "reprime", f"{session_id}.json")


def head_line(id8: str, role: str, focus: str, source: str) -> str:
    return f"hestai-tmws: session {id8} continues after {source} as {role} on focus {focus!r}."


def fit(lines: list[str]) -> str:
    """The re-prime's text within REPRIME_MAX_BYTES (cut at a character, with an ellipsis)."""
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if len(data) <= REPRIME_MAX_BYTES:
        return data.decode("utf-8")
    return data[: REPRIME_MAX_BYTES - 4].decode("utf-8", "ignore").rstrip() + "…\n"


def fingerprint(hestai_dir: str) -> list[list[int] | None] | None:
    """Each input's identity and times (None: missing); None when one is neither a plain file
    nor a plain folder (a link, say: the full path decides what to make of it)."""
    out: list[list[int] | None] = []
    for rel in INPUTS:
        try:
            st = os.lstat(os.path.join(hestai_dir, rel))
        except FileNotFoundError:
            out.append(None)
            continue
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            return None
        out.append([st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode])
    return out


def record(
    hestai_dir: str, head: tuple[str, str, str], body: list[str], prints: list[Any] | None
) -> bytes | None:
    """The cache file's bytes for a render whose inputs had `prints` before it read them;
    None when they changed meanwhile or too recently to trust their times."""
    if prints is None or fingerprint(hestai_dir) != prints:
        return None
    newest = max((t for p in prints if p is not None for t in p[2:4]), default=0)
    if newest >= time.time_ns() - int(RACY_SECONDS * 1e9):
        return None
    data = {"format": CACHE_FORMAT, "tmws": __version__, "head": list(head), "body": body}
    return json.dumps({**data, "inputs": prints}, ensure_ascii=False).encode("utf-8")


def cached(common_dir: str, hestai_dir: str, session: dict[str, Any], source: str) -> str | None:
    """The re-prime of `session` (its record's fields) from the cache, if still true."""
    try:
        with open(cache_path(common_dir, str(session["id"])), "rb") as fh:
            data = json.loads(fh.read())
    except (OSError, ValueError, KeyError):
        return None
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return None
    id8, role, focus = str(session.get("id", ""))[:8], session.get("role"), session.get("focus")
    if data.get("tmws") != __version__ or data.get("head") != [id8, role, focus]:
        return None
    body = data.get("body")
    if not isinstance(body, list) or data.get("inputs") != fingerprint(hestai_dir):
        return None
    return fit([head_line(id8, str(role), str(focus), source), *(str(line) for line in body)])

"""The tmws block in AGENTS.md: what every agent (Codex, Cursor, Gemini…) reads at start.

Only the text between the two markers is ours. Adding replaces that block in place (or
appends it, after one blank line), removing cuts it out with the blank line we added, and
the user's own text is never touched.
"""

from __future__ import annotations

import re

from hestai_tmws.errors import ValidationError

AGENTS_MD = "AGENTS.md"
BEGIN = "<!-- tmws:begin (managed by `tmws integrate`; edits here are replaced) -->"
END = "<!-- tmws:end -->"
_BLOCK = re.compile(r"<!-- tmws:begin[^\n]*-->\n.*?<!-- tmws:end -->\n?", re.S)

BODY = """\
## Project memory: hestai-tmws

This repository keeps its governance in `.hestai-sys/` (read-only) and its memory in
`.hestai/` (decisions, reports, context, session archives), both in git. They are written
only through the `tmws` MCP server (or the `tmws` command), never edited by hand.

1. Start with the `clock_in` tool (role, focus); read what its primer lists.
2. Submit your anchor with `anchor_submit`.
3. Record decisions and reports with `document_submit`; change context documents with
   `context_update`, passing the `base_hash` you read with `get_context`.
4. End with `clock_out` and a summary; your session's tool calls are archived.

A connection acts only on the sessions it opened. To continue one after a restart, call
`clock_in` with `resume=<session id>`.
"""


def block() -> str:
    return f"{BEGIN}\n{BODY}{END}\n"


def with_block(text: str | None, *, remove: bool = False) -> str | None:
    """`text` with our block added or refreshed (or removed); None: nothing is left."""
    current = text or ""
    found = _BLOCK.findall(current)
    if len(found) > 1:
        raise ValidationError(
            f"{AGENTS_MD} holds {len(found)} tmws blocks",
            hint="keep one block between the tmws markers, then run the command again",
        )
    if remove:
        if not found:
            return text
        before, after = current.split(found[0], 1)
        rest = before.removesuffix("\n") + after if before.endswith("\n\n") else before + after
        return rest if rest.strip() else None
    if found:
        return current.replace(found[0], block(), 1)
    if not current.strip():
        return block()
    return current + ("\n" if current.endswith("\n") else "\n\n") + block()

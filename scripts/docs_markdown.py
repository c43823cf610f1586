"""Markdown escaping shared by the generated references, so every table cell is safe."""

from __future__ import annotations


def escape_markdown(text: str) -> str:
    """`<` and `>` outside code spans would be read as HTML tags and vanish."""
    parts = text.split("`")
    for i in range(0, len(parts), 2):  # even parts are outside backticks
        parts[i] = parts[i].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)


def cell(text: str | None) -> str:
    """Help text made safe for one Markdown table cell."""
    return escape_markdown(" ".join((text or "").split())).replace("|", "\\|")

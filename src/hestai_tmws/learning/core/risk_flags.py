"""The flags that make a command destructive: kept in its token so that check V5 sees them.

`rm -rf`, `git push --force`, `git reset --hard`, `find -delete`, recursive `chmod`, and
destructive SQL given to a database client. Pure.
"""

from __future__ import annotations

import re

from hestai_tmws.learning.core.shell_words import SQL_CLIENTS

_SQL_RISK = re.compile(
    r"\b(drop\s+(?:table|database|schema)|truncate(?:\s+table)?|delete\s+from)\b", re.IGNORECASE
)


def risk_flags(parts: list[str], rest: list[str], raw: str) -> list[str]:
    """Flags that make a command destructive are part of its action (checked by V5)."""
    program = parts[0]
    sub = parts[1] if len(parts) > 1 else ""
    flags = _short_flags(rest)
    if program == "rm":
        recursive = bool(flags & {"-r", "-R", "--recursive"})
        force = bool(flags & {"-f", "--force"})
        if recursive and force:
            return ["-rf"]
        if recursive:
            return ["-r"]
        return ["-f"] if force else []
    if program == "git":
        if sub == "push" and (
            flags & {"-f", "--force", "--force-with-lease", "--force-if-includes", "--mirror"}
            or any(w.startswith("+") for w in rest)
        ):
            return ["--force"]
        if sub == "reset" and "--hard" in flags:
            return ["--hard"]
        if sub == "clean" and flags & {"-f", "--force"}:
            return ["-f"]
        deleting = bool(flags & {"-d", "--delete"})
        if sub == "branch" and ("-D" in flags or (deleting and flags & {"-f", "--force"})):
            return ["-D"]
        return []
    if program == "find" and ("-delete" in rest or ("-exec" in rest and "rm" in rest)):
        return ["-delete"]
    if program in ("chmod", "chown", "chgrp") and flags & {"-R", "--recursive"}:
        return ["-R"]
    if program in SQL_CLIENTS:
        found = _SQL_RISK.search(raw)
        if found:
            return [w.lower() for w in found.group(1).split()]
    return []


def _short_flags(rest: list[str]) -> set[str]:
    flags: set[str] = set()
    for word in rest:
        if word == "--":
            break
        if word.startswith("--"):
            flags.add(word.split("=", 1)[0])
        elif word.startswith("-") and len(word) > 1:
            flags.update(f"-{ch}" for ch in word[1:])
    return flags

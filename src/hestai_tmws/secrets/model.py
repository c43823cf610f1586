"""What the redactor reports and how it marks a removed value."""

from __future__ import annotations

from dataclasses import dataclass

from hestai_tmws.errors import TmwsError

DS_WINDOW = 4_096  # characters either side of a gate hit that a detect-secrets plugin sees
BATCH_SEP = "\n\x00\n"  # no detector matches across it (see the PEM rule's look-ahead)


class RedactionError(TmwsError):
    """Redaction failed or secret-like content survived it: nothing may be written."""


@dataclass(frozen=True)
class Finding:
    """A secret-like span of a text (the value itself is never kept)."""

    kind: str
    start: int
    end: int
    detector: str  # "pattern" | "detect-secrets" | "context" | "entropy"


def marker(kind: str) -> str:
    return f"[REDACTED:{kind}]"


MARKER_PREFIX = "[REDACTED"

"""The text side of traces, standard library only: redaction of summaries, argument digests.

Kept apart from `traces.py` (which needs pydantic) so that a Claude Code hook process, which
starts once per tool call, can record a trace without importing pydantic.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

TRACES_FILE = "traces.jsonl"
TRACE_ERRORS_FILE = "trace-errors.jsonl"
MAX_SUMMARY_CHARS = 240

# Cheap, conservative shapes of common credentials; the archive runs the full redactor later.
_QUICK_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?"
            r"(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)"
        ),
        "[REDACTED:private-key]",
    ),
    (re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b"), "[REDACTED:aws-key]"),
    (
        re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
        "[REDACTED:github-token]",
    ),
    (
        re.compile(r"\b(?:sk|rk|pk)[-_](?:live|test|proj|ant)?[-_]?[A-Za-z0-9_-]{16,}"),
        "[REDACTED:api-key]",
    ),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"), "[REDACTED:slack-token]"),
    (re.compile(r"\bAIza[0-9A-Za-z_-]{30,}"), "[REDACTED:google-key]"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), "[REDACTED:jwt]"),
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{12,}"), "Bearer [REDACTED]"),
    (re.compile(r"(://)[^/\s:@]+:[^/\s@]+@"), r"\1[REDACTED]@"),
    (
        re.compile(
            r"(?i)\b((?:[a-z0-9_]*_)?(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key"
            r"|private[_-]?key|auth|credential)s?[a-z0-9_]*)(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;]+)"
        ),
        r"\1\2[REDACTED]",
    ),
)


def clip_line(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters (cut, then an ellipsis)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quick_redact(text: str) -> str:
    """Mask obvious credentials with regexes only (microseconds, no library)."""
    for pattern, replacement in _QUICK_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest_args(args: Any, *, thorough: bool = True) -> str:
    """sha256 of the redacted canonical JSON of a tool's arguments (for the `args_digest` field).

    `thorough=False` uses the regex pass only: hook processes start once per tool call and
    would spend most of their time importing the full redactor for a digest that is only a
    hash. Only the hash is stored either way.
    """
    if not thorough:
        return hashlib.sha256(quick_redact(canonical_json(args)).encode("utf-8")).hexdigest()
    try:
        from hestai_tmws.secrets.redaction import (  # lazy: hooks' fast path runs without it
            redact_obj,
        )

        cleaned = redact_obj(args)
    except ImportError:  # redaction not installed yet: fall back to the quick pass
        cleaned = json.loads(quick_redact(canonical_json(args)))
    return hashlib.sha256(canonical_json(cleaned).encode("utf-8")).hexdigest()

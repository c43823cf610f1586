"""Conservative high-entropy strings: long, quoted or assigned, mixed letters and digits."""

from __future__ import annotations

import itertools
import math
import re

from hestai_tmws.secrets.plausibility import has_digit

ENTROPY_CANDIDATE = re.compile(r"[=:\"'`] ?(?P<v>[A-Za-z0-9+/_-]{32,}={0,2})(?![A-Za-z0-9+/_=-])")
_ID_PREFIX = re.compile(r"(?:[a-z]{2,12}_)+")  # toolu_, msg_, agent_msg_: ids, not secrets
_HEX = re.compile(r"[0-9a-fA-F]+")
_ENTROPY_LIMIT = 4.2


def _shannon(value: str) -> float:
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _has_run(value: str, length: int = 8) -> bool:
    """Whether `value` holds `length` consecutive ascending characters (an alphabet)."""
    run = 1
    for a, b in itertools.pairwise(value):
        run = run + 1 if ord(b) == ord(a) + 1 else 1
        if run >= length:
            return True
    return False


def entropy_ok(value: str) -> bool:
    m = _ID_PREFIX.match(value)
    if m is not None:
        value = value[m.end() :]
    for piece in value.split("/"):
        core = piece.rstrip("=")
        if len(core) < 32 or _HEX.fullmatch(core) or _has_run(core):
            continue  # SHAs, digests and alphabets (`ABC...xyz0123...`) stay readable
        has_lower = any(c.islower() for c in core)
        has_upper = any(c.isupper() for c in core)
        if not (has_lower and has_upper and has_digit(core)):
            continue
        if _shannon(core) >= _ENTROPY_LIMIT:
            return True
    return False

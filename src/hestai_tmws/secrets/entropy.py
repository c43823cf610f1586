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


def shannon(value: str) -> float:
    """Bits per character of `value` (Shannon entropy of its character counts)."""
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
        if len(core) < 32 or _HEX.fullmatch(core):
            continue  # SHAs and digests stay readable
        has_lower = any(c.islower() for c in core)
        has_upper = any(c.isupper() for c in core)
        if not (has_lower and has_upper and has_digit(core)):
            continue
        if shannon(core) >= _ENTROPY_LIMIT and not _has_run(core):
            return True  # (an alphabet run `ABC...xyz0123...` is a fixture, not a secret)
    return False


# Vetted exemptions: values whose context says "digest" or "identifier", never "credential".
_DIGEST_PREFIX = re.compile(r"(?:sha(?:1|224|256|384|512)-|h1:|sha256:|md5-|Qm|bafy)\Z")
_ID_KEY = re.compile(
    r"(?:^|[^A-Za-z])(?:[A-Za-z]*(?:[iI]d|ID|[hH]ash|[dD]igest|[cC]hecksum|[iI]ntegrity|[eE]tag|"
    r"[sS]ha\d*|[cC]id|[rR]evision|[sS]um|[fF]ingerprint|[vV]ersion))[\"'`]?\s*[:=]\s*[\"'`]?\Z"
)
_SECRET_WORD = re.compile(r"(?i)(?:secret|token|passw|pwd|key|auth|cred|cookie|session)")


def entropy_exempt(text: str, start: int, value: str) -> bool:
    """Whether the high-entropy `value` at `start` is a digest or an id by its context:
    an SRI/npm `sha384-`, a go.sum `h1:`, or the value of a key named like an id or hash
    (`buildId`, `"etag":`) that does not also name a secret."""
    before = text[max(0, start - 48) : start]
    if _DIGEST_PREFIX.search(before[-8:]) or _DIGEST_PREFIX.match(value[:4]):
        return True
    key = _ID_KEY.search(before)
    return key is not None and not _SECRET_WORD.search(key.group(0))

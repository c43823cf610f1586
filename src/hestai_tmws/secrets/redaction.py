"""Secret redaction for everything that leaves a transcript: fails closed.

Two detector families run over the same text and their hits are merged:

* explicit patterns for current credential formats (cloud keys, VCS tokens, JWTs, PEM
  blocks, credentials in URLs, `password=` style assignments, auth headers, ...), and
* the plugins of `detect-secrets`, run in-process on the lines that a cheap literal gate
  marks as candidates (running every plugin on every line costs seconds per megabyte).

High-entropy detection is deliberately conservative (≥ 32 characters, assignment or quote
context, mixed letters and digits, never pure hex) so that paths, git SHAs, UUIDs and
archive digests survive. Every hit becomes `[REDACTED:<kind>]`.

Failing closed: `redact` either returns fully redacted text or raises `RedactionError`
(any internal failure is converted to it); it never returns partially redacted text.
It re-scans its own output and raises if anything secret-like is still there.
`assert_clean` is the final check that callers run before anything is written.

This module scans and replaces and is the public door (callers look names up here at call
time, so a test that patches one is honoured); the detectors live in `rules` / `rule_checks` /
`plausibility` (explicit patterns), `entropy` and `detect_secrets_gate`; `model` holds what
they share.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from hestai_tmws.secrets.context_rules import CONTEXT_RULES
from hestai_tmws.secrets.detect_secrets_gate import ds_findings, ds_plugins
from hestai_tmws.secrets.encoded import base64_hits, continuation_hits
from hestai_tmws.secrets.entropy import ENTROPY_CANDIDATE, entropy_exempt, entropy_ok
from hestai_tmws.secrets.model import BATCH_SEP, MARKER_PREFIX, Finding, RedactionError, marker
from hestai_tmws.secrets.prefixes import PREFIX_RULE
from hestai_tmws.secrets.rules import RULES, rule_spans

__all__ = [
    "Finding",
    "RedactionError",
    "assert_clean",
    "is_clean",
    "marker",
    "redact",
    "redact_many",
    "redact_obj",
    "scan",
    "sensitive_key",
]

_MAX_PASSES = 3
ALL_RULES = (*RULES, *CONTEXT_RULES, PREFIX_RULE)
_BATCH_CHARS = 1 << 20

# --------------------------------------------------------------------------------------
# Scanning and replacing
# --------------------------------------------------------------------------------------
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _lower(text: str) -> str:
    """Lower-cased `text` with the same length, so offsets found in it apply to `text`."""
    lower = text.lower()
    if len(lower) != len(text):  # a few non-ASCII letters grow when lower-cased
        lower = text.translate(_ASCII_LOWER)
    return lower


@lru_cache(maxsize=1)
def _all_literals() -> tuple[str, ...]:
    literals = {t for rule in ALL_RULES for t in rule.triggers}
    literals.update(t for item in ds_plugins() for t in item.literals)
    return tuple(sorted(literals))


_MIN_SECRET_TEXT = 6  # `pwd=ab` is the shortest text any rule could flag
_PRESENCE_CHECK_MAX = 16_384


def _raw_findings(text: str) -> list[tuple[int, int, str, str]]:
    """Every detector's hits, plus those only a decoded or re-joined copy shows."""
    hits = _direct_findings(text)
    if len(text) >= _MIN_SECRET_TEXT:
        hits.extend(base64_hits(text, _direct_findings))
        hits.extend(continuation_hits(text, _direct_findings))
    return hits


def _direct_findings(text: str) -> list[tuple[int, int, str, str]]:
    if len(text) < _MIN_SECRET_TEXT:
        return []
    lower = _lower(text)
    # Which trigger literals occur: cheap for short texts, where it lets most rules be
    # skipped; on long texts the checks cost as much as just running every rule.
    present: frozenset[str] | None = None
    if len(text) <= _PRESENCE_CHECK_MAX:
        present = frozenset([t for t in _all_literals() if t in lower])
    hits: list[tuple[int, int, str, str]] = []
    for rule in ALL_RULES:
        if present is not None and rule.triggers and present.isdisjoint(rule.triggers):
            continue
        detector = "context" if rule in CONTEXT_RULES else "pattern"
        for start, end, kind in rule_spans(rule, text, lower):
            hits.append((start, end, kind, detector))
    for m in ENTROPY_CANDIDATE.finditer(text):
        value = m.group("v")
        if entropy_ok(value) and not entropy_exempt(text, m.start("v"), value):
            start = m.start("v") + len(value) - len(value.lstrip("/"))  # `://` is not secret
            hits.append((start, m.end("v"), "high_entropy", "entropy"))
    hits.extend(ds_findings(text, lower, present))
    spans = _marker_spans(text)
    if not spans:
        return hits
    return [h for h in hits if not _inside_marker(spans, h[0], h[1])]


_MARKER_RE = re.compile(r"\[REDACTED:[a-z0-9_]+\]")


def _marker_spans(text: str) -> list[tuple[int, int]]:
    if MARKER_PREFIX not in text:
        return []
    return [m.span() for m in _MARKER_RE.finditer(text)]


def _inside_marker(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """A hit that starts within a complete `[REDACTED:<kind>]` marker: the marker's own
    kind word (`password`) is not a keyword, and what it names is already gone."""
    return any(lo <= start < hi for lo, hi in spans)


_DETECTOR_RANK = {"pattern": 0, "detect-secrets": 1, "context": 2, "entropy": 3}


def _merge(hits: list[tuple[int, int, str, str]]) -> list[Finding]:
    """Overlapping hits become one finding covering them all, named by the most specific
    detector among them (explicit pattern, then detect-secrets, then entropy)."""
    merged: list[Finding] = []
    for start, end, kind, detector in sorted(hits, key=lambda h: (h[0], -h[1])):
        if merged and start < merged[-1].end:
            last = merged[-1]
            if _DETECTOR_RANK[detector] < _DETECTOR_RANK[last.detector]:
                last = Finding(kind, last.start, last.end, detector)
            merged[-1] = Finding(last.kind, last.start, max(end, last.end), last.detector)
            continue
        merged.append(Finding(kind, start, end, detector))
    return merged


_F = TypeVar("_F", bound=Callable[..., Any])


def _fail_closed(fn: _F) -> _F:
    """Any unexpected failure becomes a `RedactionError`: a bug must never look like "clean".

    The message names the exception type only: its text could quote the input.
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RedactionError:
            raise
        except Exception as exc:
            raise RedactionError(
                f"redaction failed: {type(exc).__name__}",
                hint="nothing was written; report the input shape",
            ) from exc

    return wrapper  # type: ignore[return-value]


@_fail_closed
def scan(text: str) -> list[Finding]:
    """Every secret-like span of `text`, in order (existing redaction markers excluded)."""
    if not text:
        return []
    return _merge(_raw_findings(text))


def _apply(text: str, findings: list[Finding]) -> str:
    parts: list[str] = []
    cursor = 0
    for f in findings:
        parts.append(text[cursor : f.start])
        parts.append(marker(f.kind))
        cursor = f.end
    parts.append(text[cursor:])
    return "".join(parts)


def _redact_text(text: str) -> str:
    """The core of `redact`. The public functions all call this (never each other), so
    replacing one public name, as a test does, does not change what the others do."""
    if not text:
        return text
    out = text
    for _ in range(_MAX_PASSES):
        findings = _merge(_raw_findings(out))
        if not findings:
            return out
        out = _apply(out, findings)
    if _raw_findings(out):
        raise RedactionError(
            "redaction did not converge: secret-like content remains",
            hint="report this input shape; nothing was written",
        )
    return out


@_fail_closed
def redact(text: str) -> str:
    """`text` with every secret replaced by `[REDACTED:<kind>]`.

    Raises `RedactionError` (never returns partially redacted text) when scanning fails
    or when secret-like content survives repeated passes.
    """
    return _redact_text(text)


@_fail_closed
def redact_many(texts: Iterable[str]) -> list[str]:
    """`[redact(t) for t in texts]`, much faster for many small strings.

    Strings are scanned in batches joined by a separator that no detector crosses; if a
    batch does not split back cleanly, its strings are redacted one by one instead.
    Same fail-closed contract as `redact`.
    """
    return _redact_many(texts)


def _redact_many(texts: Iterable[str]) -> list[str]:
    items = list(texts)
    out = list(items)
    batch: list[int] = []
    size = 0

    def flush() -> None:
        nonlocal batch, size
        if batch:
            for index, value in zip(batch, _redact_batch([items[i] for i in batch]), strict=True):
                out[index] = value
        batch, size = [], 0

    for index, text in enumerate(items):
        if not text or BATCH_SEP in text:
            out[index] = _redact_text(text)
            continue
        batch.append(index)
        size += len(text) + len(BATCH_SEP)
        if size >= _BATCH_CHARS:
            flush()
    flush()
    return out


def _redact_batch(texts: list[str]) -> list[str]:
    if len(texts) == 1:
        return [_redact_text(texts[0])]
    joined = BATCH_SEP.join(texts)
    redacted = _redact_text(joined)
    if redacted is joined or redacted == joined:
        return texts
    parts = redacted.split(BATCH_SEP)
    if len(parts) != len(texts):
        return [_redact_text(t) for t in texts]
    return parts


@_fail_closed
def is_clean(text: str) -> bool:
    return not _raw_findings(text) if text else True


@_fail_closed
def assert_clean(text: str, *, what: str = "text") -> None:
    """Raise `RedactionError` if `text` still contains anything secret-like."""
    findings = _merge(_raw_findings(text)) if text else []
    if findings:
        kinds = sorted({f.kind for f in findings})
        where = ", ".join(str(f.start) for f in findings[:5])
        raise RedactionError(
            f"{len(findings)} secret-like value(s) in {what} ({', '.join(kinds)}) "
            f"at offset {where}",
            hint="redact before writing; nothing was written",
        )


# --------------------------------------------------------------------------------------
# JSON-like data
# --------------------------------------------------------------------------------------
_SENSITIVE_KEY = re.compile(
    r"(?:^|_)(?P<word>password|passwd|pass|pwd|passphrase|secret|token|api_?key|apikey|"
    r"access_?key|secret_?key|private_?key|client_?secret|auth|authorization|"
    r"credentials?|cookie|set_cookie|x_api_key|bearer)$"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=4096)
def _key_kind(key: str) -> str | None:
    """The redaction kind for a sensitive key name (`GITHUB_TOKEN`, `apiKey`...), else None."""
    norm = re.sub(r"[^a-z0-9]+", "_", _CAMEL.sub("_", key).lower()).strip("_")
    m = _SENSITIVE_KEY.search(norm)
    if m is None:
        return None
    word = m.group("word")
    if word.startswith(("pass", "pwd")):
        return "password"
    if "key" in word:
        return "api_key"
    if word in ("auth", "authorization", "bearer"):
        return "auth"
    if word.startswith("cred"):
        return "credential"
    if "cookie" in word:
        return "cookie"
    return "token" if word == "token" else "secret"


def sensitive_key(key: str) -> str | None:
    """The redaction kind when a JSON key names a secret (`password`, `GITHUB_TOKEN`,
    `apiKey`, `Authorization`...), else None. Values of such keys are redacted whole."""
    return _key_kind(key)


def _wholesale(obj: Any, kind: str, keys: list[str]) -> Any:
    if isinstance(obj, str):
        return obj if not obj or obj.startswith(MARKER_PREFIX) else marker(kind)
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for k, v in obj.items():
            keys.append(str(k))
            out[_Slot(len(keys) - 1)] = _wholesale(v, kind, keys)
        return out
    if isinstance(obj, list | tuple):
        return [_wholesale(v, kind, keys) for v in obj]
    return obj  # numbers, booleans, None: token counts and flags are not secrets


class _Slot(int):
    """Where a string collected for batch redaction goes back (distinct from real ints)."""


def _collect(obj: Any, texts: list[str]) -> Any:
    """`obj` with every string to redact replaced by a `_Slot` into `texts`."""
    if isinstance(obj, str):
        texts.append(obj)
        return _Slot(len(texts) - 1)
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for key, value in obj.items():
            skey = str(key)
            kind = _key_kind(skey)
            texts.append(skey)
            slot = _Slot(len(texts) - 1)
            out[slot] = _wholesale(value, kind, texts) if kind else _collect(value, texts)
        return out
    if isinstance(obj, list | tuple):
        return [_collect(v, texts) for v in obj]
    return obj


def _fill(obj: Any, texts: list[str]) -> Any:
    if isinstance(obj, _Slot):
        return texts[obj]
    if isinstance(obj, dict):
        return {_fill(k, texts): _fill(v, texts) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_fill(v, texts) for v in obj]
    return obj


@_fail_closed
def redact_obj(obj: Any) -> Any:
    """A redacted copy of JSON-like data: values of secret-named keys are replaced wholesale,
    every other string (keys included) goes through `redact`. Tuples come back as lists."""
    texts: list[str] = []
    shape = _collect(obj, texts)
    return _fill(shape, _redact_many(texts))

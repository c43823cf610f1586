"""Secret redaction for everything that reaches memory: thorough, and never stuck.

The detectors (`scanner`: explicit patterns and vendor prefixes, context rules for CLI
arguments and prose, detect-secrets plugins, conservative entropy with vetted id/digest
exemptions, and decoded base64 / re-joined continuation lines) find secret-like spans;
every span becomes `[REDACTED:<kind>]`. The output is scanned again (after the first pass,
only around what changed); whatever still looks secret after every pass is widened: the
whole word, then the whole field becomes `[REDACTED:unverified]` (`widening_log` lets a
caller say so). So a benign id can cost a word, never a refused write.

Failing closed: an internal failure (a bug) raises `RedactionError`; it never returns
partially redacted text. `assert_clean` is the check for text that was not redacted here.
Callers look names up here at call time, so a test that patches one is honoured.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any, TypeVar

from hestai_tmws.secrets.model import (
    BATCH_SEP,
    DS_WINDOW,
    Finding,
    RedactionError,
    marker,
)
from hestai_tmws.secrets.scanner import merge as _merge
from hestai_tmws.secrets.scanner import raw_findings as _raw_findings
from hestai_tmws.secrets.shapes import Collected

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
    "widening_log",
]

_MAX_PASSES = 3
_BATCH_CHARS = 1 << 20

# --------------------------------------------------------------------------------------
# Texts known clean in this process
# --------------------------------------------------------------------------------------
# A clock-out or import scans the same strings several times (inputs, the built archive,
# the rendered text, then the Steward's gate). The detectors are pure functions of the text,
# so a text they found nothing in, or a text `redact` returned, need not be scanned again.
# Tied to the scanner in use: a patched `_raw_findings` starts from an empty memo.
_CLEAN_BUDGET = 1 << 23  # characters remembered (an import batch needs ~1M) before starting over
_clean: dict[str, None] = {}
_clean_state: list[Any] = [None, 0]  # [scanner the memo belongs to, characters held]


def _known_clean(text: str) -> bool:
    return _clean_state[0] is _raw_findings and text in _clean


def _remember_clean(text: str) -> None:
    if _clean_state[0] is not _raw_findings or _clean_state[1] + len(text) > _CLEAN_BUDGET:
        _clean.clear()
        _clean_state[:] = [_raw_findings, 0]
    if text not in _clean:
        _clean[text] = None
        _clean_state[1] += len(text)


# --------------------------------------------------------------------------------------
# Scanning and replacing
# --------------------------------------------------------------------------------------
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


def _apply(text: str, findings: list[Finding]) -> tuple[str, list[tuple[int, int]]]:
    """`text` with each finding replaced by its marker, and where the markers now are."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    cursor = length = 0
    for f in findings:
        parts.append(text[cursor : f.start])
        length += f.start - cursor
        mark = marker(f.kind)
        parts.append(mark)
        spans.append((length, length + len(mark)))
        length += len(mark)
        cursor = f.end
    parts.append(text[cursor:])
    return "".join(parts), spans


_FULL_RESCAN_MAX = 1 << 16
_RESCAN_MARGIN = 2 * DS_WINDOW


def _rescan(text: str, changed: list[tuple[int, int]] | None) -> list[Finding]:
    """The findings of `text`; after a pass, of the regions around what that pass changed
    only (the rest is the text already scanned clean, and every detector is local within
    `_RESCAN_MARGIN`), so a long transcript costs one full scan, not two."""
    if changed is None or len(text) <= _FULL_RESCAN_MAX:
        return _merge(_raw_findings(text))
    found: list[Finding] = []
    for lo, hi in _regions(text, changed):
        for f in _merge(_raw_findings(text[lo:hi])):
            found.append(Finding(f.kind, f.start + lo, f.end + lo, f.detector))
    return found


def _regions(text: str, changed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in changed:
        lo = text.rfind("\n", 0, max(0, start - _RESCAN_MARGIN)) + 1
        hi = text.find("\n", min(len(text), end + _RESCAN_MARGIN))
        hi = len(text) if hi == -1 else hi
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


_WIDE = marker("unverified")
_WIDENED: ContextVar[list[str] | None] = ContextVar("tmws_redaction_widened", default=None)


@contextmanager
def widening_log() -> Iterator[list[str]]:
    """Collect a note for every field whose redaction had to be widened inside the block."""
    log: list[str] = []
    token = _WIDENED.set(log)
    try:
        yield log
    finally:
        _WIDENED.reset(token)


def _widen(text: str, findings: list[Finding]) -> str:
    """Fail safe, never stuck: what still looks secret after every pass is removed with the
    whole whitespace-delimited word around it; if even that leaves something, the field."""
    log = _WIDENED.get()
    spans: list[tuple[int, int]] = []
    for f in findings:
        start, end = f.start, f.end
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        spans.append((start, end))
    merged = _merge([(s, e, "unverified", "pattern") for s, e in spans])
    out, _ = _apply(text, merged)
    if _merge(_raw_findings(out)):
        if log is not None:
            log.append("a field was replaced whole: its redaction could not be verified")
        return _WIDE
    if log is not None:
        log.append(f"{len(merged)} value(s) redacted whole-word: the first redaction left a trace")
    return out


def _redact_text(text: str) -> str:
    """The core of `redact`. The public functions all call this (never each other), so
    replacing one public name, as a test does, does not change what the others do."""
    if not text or _known_clean(text):
        return text
    out = text
    changed: list[tuple[int, int]] | None = None
    for _ in range(_MAX_PASSES):
        findings = _rescan(out, changed)
        if not findings:
            _remember_clean(out)
            return out
        out, changed = _apply(out, findings)
    findings = _rescan(out, changed)
    return _widen(out, findings) if findings else out


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
        if not text or _known_clean(text):
            continue
        if BATCH_SEP in text:
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
        parts = texts
    else:
        parts = redacted.split(BATCH_SEP)
        if len(parts) != len(texts):
            return [_redact_text(t) for t in texts]
    for part in parts:  # `redact_many` promises what `redact` does: each part is clean
        _remember_clean(part)
    return parts


@_fail_closed
def is_clean(text: str) -> bool:
    return not _raw_findings(text) if text else True


@_fail_closed
def assert_clean(text: str, *, what: str = "text") -> None:
    """Raise `RedactionError` if `text` still contains anything secret-like."""
    if not text or _known_clean(text):
        return
    findings = _merge(_raw_findings(text))
    if not findings:
        _remember_clean(text)
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


@_fail_closed
def redact_obj(obj: Any) -> Any:
    """A redacted copy of JSON-like data: values of secret-named keys are replaced wholesale,
    every other string (keys included) goes through `redact`. Tuples come back as lists."""
    collected = Collected(known_clean=_known_clean, key_kind=_key_kind, marker=marker)
    shape = collected.collect(obj)
    return collected.fill(shape, _redact_many(collected.texts))

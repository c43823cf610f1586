"""Where secrets are in a text: every detector run over it, hits merged into findings.

Detectors: explicit patterns (`rules`, `prefixes`), context rules (`context_rules`), the
detect-secrets plugins, conservative entropy, and the decoded/joined copies of `encoded`.
`redaction` turns the findings into markers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from hestai_tmws.secrets.context_rules import CONTEXT_RULES
from hestai_tmws.secrets.detect_secrets_gate import ds_findings, gate_literals
from hestai_tmws.secrets.encoded import base64_hits, continuation_hits
from hestai_tmws.secrets.entropy import ENTROPY_CANDIDATE, entropy_exempt, entropy_ok
from hestai_tmws.secrets.gating import trigger_sound
from hestai_tmws.secrets.literals import find_literals
from hestai_tmws.secrets.model import MARKER_PREFIX, Finding
from hestai_tmws.secrets.prefixes import PREFIX_RULE, SHAPE_RULES
from hestai_tmws.secrets.rules import RULES, rule_spans

ALL_RULES = (*RULES, *CONTEXT_RULES, PREFIX_RULE, *SHAPE_RULES)
Hit = tuple[int, int, str, str]

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
    literals.update(gate_literals())  # the plugins' literals, without loading them
    return tuple(sorted(literals))


@lru_cache(maxsize=1)
def _scan_literals() -> tuple[str, ...]:
    """Triggers, detect-secrets literals and anchors: all found in one pass per text."""
    anchors = {a for rule in ALL_RULES for a in rule.anchors}
    return tuple(sorted(anchors.union(_all_literals())))


@lru_cache(maxsize=1)
def _long_gated() -> tuple[bool, ...]:
    """Per rule of ALL_RULES: may it be skipped on a long text without its triggers?
    Only where `gating` proves every match contains one (worked out on the first long text)."""
    return tuple(trigger_sound(rule) for rule in ALL_RULES)


_MIN_SECRET_TEXT = 6  # `pwd=ab` is the shortest text any rule could flag
_PRESENCE_CHECK_MAX = 16_384


def raw_findings(text: str) -> list[tuple[int, int, str, str]]:
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
    found = find_literals(lower, _scan_literals())
    # Which trigger literals occur lets rules be skipped: on short texts every rule with
    # triggers, on long texts only those whose triggers `gating` shows every match contains.
    # detect-secrets' literal gating stays for short texts only.
    present = found.present().intersection(_all_literals())
    short = len(text) <= _PRESENCE_CHECK_MAX
    gated = None if short else _long_gated()
    hits: list[tuple[int, int, str, str]] = []
    for index, rule in enumerate(ALL_RULES):
        if rule.triggers and (gated is None or gated[index]) and present.isdisjoint(rule.triggers):
            continue
        detector = "context" if rule in CONTEXT_RULES else "pattern"
        for start, end, kind in rule_spans(rule, text, lower, found):
            hits.append((start, end, kind, detector))
    for m in ENTROPY_CANDIDATE.finditer(text):
        value = m.group("v")
        if entropy_ok(value) and not entropy_exempt(text, m.start("v"), value):
            start = m.start("v") + len(value) - len(value.lstrip("/"))  # `://` is not secret
            hits.append((start, m.end("v"), "high_entropy", "entropy"))
    hits.extend(ds_findings(text, lower, present if short else None, found))
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


def merge(hits: list[tuple[int, int, str, str]]) -> list[Finding]:
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

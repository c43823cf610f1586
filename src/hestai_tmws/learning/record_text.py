"""The OCTAVE text of a pattern record: render it canonically, read it back strictly.

The rendering is canonical and contains no run time stamp, so mining the same archives twice
writes nothing the second time (no churn in git).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

from hestai_tmws.errors import ValidationError
from hestai_tmws.learning.core.checks import CheckResult, ValidationReport
from hestai_tmws.learning.core.model import Variant
from hestai_tmws.learning.core.states import PatternState, StateChange
from hestai_tmws.learning.records import ENVELOPE, FORMAT_VERSION, PatternRecord, PatternStats
from hestai_tmws.octave import Document, Section, emit, parse


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- rendering ------------------------------------------------------------------------------


def render_record(record: PatternRecord) -> str:
    s = record.stats
    meta: dict[str, Any] = {
        "TYPE": ENVELOPE,
        "VERSION": FORMAT_VERSION,
        "ID": record.id,
        "STATE": record.state.value,
        "NAMESPACE": record.namespace,
        "CREATED": _iso(record.created_at),
        "SKILL": record.skill,
    }
    variants: dict[str, Any] = {}
    for n, v in enumerate(record.variants, 1):
        variants[f"V{n:02d}"] = {"ID": v.id, "SUPPORT": v.support, "TOKENS": list(v.tokens)}
    sequence: dict[str, Any] = {
        "LENGTH": len(record.tokens),
        "CHAIN": record.chain,
        "TOKENS": list(record.tokens),
        "VARIANT_COUNT": len(record.variants),
    }
    if record.gap:  # absent for contiguous patterns, so their records stay as they were
        sequence["GAP"] = record.gap
    if variants:
        sequence["VARIANTS"] = variants
    stats: dict[str, Any] = {
        "SUPPORT": s.support,
        "DAY_COUNT": len(s.days),
        "DAYS": " ".join(d.isoformat() for d in s.days),
        "FIRST_SEEN": s.first_seen.isoformat(),
        "LAST_SEEN": s.last_seen.isoformat(),
        "OCCURRENCES": s.occurrences,
        "SUCCESSES": s.successes,
        "OUTCOMES_KNOWN": s.outcomes_known,
        "SUCCESS_RATE": s.success_rate,
        "WILSON_LOWER": s.wilson_lower,
        "MEAN_DURATION_MS": s.mean_duration_ms,
        "STABILITY": s.stability,
        "CONFIDENCE": s.confidence,
        "LIFT": s.lift if math.isfinite(s.lift) else "inf",
        "EXPECTED_SUPPORT": s.expected_support,
        "FAILED_STEPS": list(s.failed_steps),
    }
    evidence: dict[str, Any] = {"SESSIONS": list(record.evidence), "NAMESPACE": record.namespace}
    validation: dict[str, Any] = {}
    if record.validation is not None:
        validation["PASSED"] = record.validation.passed
        validation["CHECKS"] = {
            c.code: {"PASSED": c.passed, "REASON": c.reason} for c in record.validation.checks
        }
    else:
        validation["PASSED"] = None
    width = max(3, len(str(len(record.history))))
    history: dict[str, Any] = {"COUNT": len(record.history)}
    for n, h in enumerate(record.history, 1):
        history[f"H{n:0{width}d}"] = {
            "FROM": None if h.from_state is None else h.from_state.value,
            "TO": h.to_state.value,
            "AT": _iso(h.at),
            "ACTOR": h.actor,
            "SUPPORT": h.support,
            "REASON": h.reason,
        }
    doc = Document(
        name=ENVELOPE,
        meta=meta,
        body={},
        sections=[
            Section(1, "SEQUENCE", sequence),
            Section(2, "STATISTICS", stats),
            Section(3, "EVIDENCE", evidence),
            Section(4, "VALIDATION", validation),
            Section(5, "HISTORY", history),
        ],
    )
    return emit(doc)


# -- reading --------------------------------------------------------------------------------


def _str(value: Any, what: str) -> str:
    if isinstance(value, str) and value:
        return value
    raise ValidationError(f"pattern record: {what} is missing or not text")


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"pattern record: {what} is not a number")
    return int(value)


def _float(value: Any, what: str) -> float:
    if value == "inf":
        return math.inf
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"pattern record: {what} is not a number")
    return float(value)


def _date(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(f"pattern record: {what} is not a date") from exc


def _time(value: Any, what: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationError(f"pattern record: {what} is not a time") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _state(value: Any, what: str) -> PatternState:
    try:
        return PatternState(str(value))
    except ValueError as exc:
        raise ValidationError(f"pattern record: {what} {value!r} is not a pattern state") from exc


def _strings(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(f"pattern record: {what} must be a list of strings")
    return list(value)


def _block(sections: dict[str, Any], name: str) -> dict[str, Any]:
    body = sections.get(name)
    if not isinstance(body, dict):
        raise ValidationError(f"pattern record: section {name} is missing")
    return body


def parse_record(text: str) -> PatternRecord:
    """Read a record back; ValidationError (with what is wrong) when it is not one."""
    doc = parse(text)
    if doc.name != ENVELOPE:
        raise ValidationError(f"not a pattern record (envelope ==={doc.name}===)")
    meta = doc.meta
    sections = {sec.name: sec.body for sec in doc.sections}
    seq = _block(sections, "SEQUENCE")
    st = _block(sections, "STATISTICS")
    ev = _block(sections, "EVIDENCE")
    val = _block(sections, "VALIDATION")
    hist = _block(sections, "HISTORY")
    pattern_id = _str(meta.get("ID"), "META.ID")
    variants: list[Variant] = []
    raw_variants = seq.get("VARIANTS") or {}
    if not isinstance(raw_variants, dict):
        raise ValidationError("pattern record: SEQUENCE.VARIANTS must be a block")
    for key, body in raw_variants.items():
        if not isinstance(body, dict):
            raise ValidationError(f"pattern record: variant {key} must be a block")
        variants.append(
            Variant(
                id=_str(body.get("ID"), f"{key}.ID"),
                tokens=tuple(_strings(body.get("TOKENS"), f"{key}.TOKENS")),
                support=_int(body.get("SUPPORT"), f"{key}.SUPPORT"),
            )
        )
    days_text = st.get("DAYS") or ""
    if not isinstance(days_text, str):
        raise ValidationError("pattern record: STATISTICS.DAYS must be text")
    mean = st.get("MEAN_DURATION_MS")
    stats = PatternStats(
        support=_int(st.get("SUPPORT"), "SUPPORT"),
        days=[_date(d, "DAYS") for d in days_text.split()],
        first_seen=_date(st.get("FIRST_SEEN"), "FIRST_SEEN"),
        last_seen=_date(st.get("LAST_SEEN"), "LAST_SEEN"),
        occurrences=_int(st.get("OCCURRENCES"), "OCCURRENCES"),
        successes=_int(st.get("SUCCESSES"), "SUCCESSES"),
        outcomes_known=_int(st.get("OUTCOMES_KNOWN"), "OUTCOMES_KNOWN"),
        success_rate=_float(st.get("SUCCESS_RATE"), "SUCCESS_RATE"),
        wilson_lower=_float(st.get("WILSON_LOWER"), "WILSON_LOWER"),
        mean_duration_ms=None if mean is None else _float(mean, "MEAN_DURATION_MS"),
        stability=_float(st.get("STABILITY"), "STABILITY"),
        confidence=_float(st.get("CONFIDENCE"), "CONFIDENCE"),
        lift=_float(st.get("LIFT"), "LIFT"),
        expected_support=_float(st.get("EXPECTED_SUPPORT"), "EXPECTED_SUPPORT"),
        failed_steps=[_int(v, "FAILED_STEPS") for v in (st.get("FAILED_STEPS") or [])],
    )
    validation: ValidationReport | None = None
    if val.get("PASSED") is not None:
        checks_body = val.get("CHECKS") or {}
        if not isinstance(checks_body, dict):
            raise ValidationError("pattern record: VALIDATION.CHECKS must be a block")
        checks = [
            CheckResult(
                code=code,
                passed=bool(body.get("PASSED")) if isinstance(body, dict) else False,
                reason=str(body.get("REASON", "")) if isinstance(body, dict) else "",
            )
            for code, body in checks_body.items()
        ]
        validation = ValidationReport(
            pattern_id=pattern_id, checks=checks, passed=bool(val.get("PASSED"))
        )
    history: list[StateChange] = []
    for key, body in hist.items():
        if not key.startswith("H") or not isinstance(body, dict):
            continue
        origin = body.get("FROM")
        history.append(
            StateChange(
                from_state=None if origin is None else _state(origin, f"{key}.FROM"),
                to_state=_state(body.get("TO"), f"{key}.TO"),
                at=_time(body.get("AT"), f"{key}.AT"),
                actor=str(body.get("ACTOR", "")),
                support=_int(body.get("SUPPORT", 0), f"{key}.SUPPORT"),
                reason=str(body.get("REASON", "") or ""),
            )
        )
    skill = meta.get("SKILL")
    return PatternRecord(
        id=pattern_id,
        state=_state(meta.get("STATE"), "META.STATE"),
        namespace=_str(meta.get("NAMESPACE"), "META.NAMESPACE"),
        tokens=_strings(seq.get("TOKENS"), "SEQUENCE.TOKENS"),
        variants=variants,
        gap=_int(seq.get("GAP", 0), "SEQUENCE.GAP"),
        stats=stats,
        evidence=_strings(ev.get("SESSIONS"), "EVIDENCE.SESSIONS"),
        validation=validation,
        history=history,
        skill=None if skill is None else str(skill),
        created_at=_time(meta.get("CREATED"), "META.CREATED"),
    )

"""Keep known patterns' statistics exact without re-mining everything.

A full mine (`mining.mine`) over 500,000 calls takes seconds; a clock-out may spend about
one. After every full mine the pipeline stores a *baseline* in the cache: the archives it
covered, each namespace's token counts and session-length histogram, and for each pattern
the raw counts its statistics are made of. An incremental run adds the new sessions' counts
and recomputes every statistic with the same functions the miner uses (`stats`), so a
known pattern's numbers equal what a full mine would report for it.

What an incremental run cannot do is find *new* patterns or re-cluster variants: the next
full run does that (`tmws learn mine`, or the automatic step whenever it fits its budget).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from hestai_tmws.learning.cache import SessionData, token_ids, unpack
from hestai_tmws.learning.core.gapped import gapped_probability
from hestai_tmws.learning.core.model import MinedPattern, MiningConfig, Variant
from hestai_tmws.learning.core.stats import (
    LengthHistogram,
    confidence,
    lift,
    stability,
    wilson_lower_bound,
)
from hestai_tmws.learning.pattern_match import SessionText, TokenNamer, occurrences

MAX_RECENT = 10


@dataclass
class Aggregate:
    """The raw counts behind one pattern's statistics."""

    id: str
    namespace: str
    tokens: tuple[str, ...]
    variants: tuple[Variant, ...] = ()
    support: int = 0
    occurrences: int = 0
    successes: int = 0
    known: int = 0
    failed: list[int] = field(default_factory=list)
    gap: int = 0  # 0: contiguous occurrences; else gapped (`core.gapped.embeddings`)
    dur_sum: float = 0.0
    dur_count: int = 0
    days: set[int] = field(default_factory=set)
    recent: list[tuple[int, str]] = field(default_factory=list)  # (day ordinal, session id)

    def __post_init__(self) -> None:
        if not self.failed:
            self.failed = [0] * len(self.tokens)

    @property
    def mean_duration_ms(self) -> float | None:
        return self.dur_sum / self.dur_count if self.dur_count else None

    def add_session(self, session: SessionData, starts: Sequence[Sequence[int]]) -> None:
        """Fold the occurrences at `starts` of one session into the counts (as the miner
        counts them: an occurrence's outcome is that of its last step that reported one, see
        `steps.occurrence_outcome`, and it is timed when every step has a duration). Each
        occurrence is the step index of each of the pattern's steps.
        """
        if not starts:
            return
        keys = unpack(session.packed)
        self.support += 1
        self.days.add(session.ordinal)
        self.recent.append((session.ordinal, session.session_id))
        if len(self.recent) > 4 * MAX_RECENT:
            self.recent = newest(self.recent)
        failed = self.failed
        for pos in starts:
            self.occurrences += 1
            timed = True
            total = 0
            last: int | None = None  # the outcome code of the last step that reported one
            for j, key in enumerate(keys[i] for i in pos):
                ok = (key >> 32) % 3  # 0 failed, 1 ok, 2 unknown
                if ok == 0:
                    failed[j] += 1
                if ok != 2:
                    last = ok
                dur = key & 0xFFFFFFFF
                if dur == 0:
                    timed = False
                else:
                    total += dur - 1
            if last is not None:
                self.known += 1
                self.successes += last
            if timed:
                self.dur_sum += float(total)
                self.dur_count += 1

    def evidence(self) -> list[str]:
        """Up to ten session ids, newest first (day, then id)."""
        return [sid for _, sid in newest(self.recent)]

    def to_marshal(self) -> tuple[Any, ...]:
        return (
            self.id,
            self.namespace,
            self.tokens,
            tuple((v.id, v.tokens, v.support) for v in self.variants),
            self.support,
            self.occurrences,
            self.successes,
            self.known,
            tuple(self.failed),
            self.dur_sum,
            self.dur_count,
            tuple(sorted(self.days)),
            tuple(newest(self.recent)),
            self.gap,
        )

    @classmethod
    def from_marshal(cls, raw: tuple[Any, ...]) -> Aggregate:
        (
            pid,
            ns,
            tokens,
            variants,
            support,
            occ,
            succ,
            known,
            failed,
            dsum,
            dcount,
            days,
            recent,
            *rest,
        ) = raw
        return cls(
            id=pid,
            namespace=ns,
            tokens=tuple(tokens),
            variants=tuple(Variant(id=v[0], tokens=tuple(v[1]), support=v[2]) for v in variants),
            support=support,
            occurrences=occ,
            successes=succ,
            known=known,
            failed=list(failed),
            dur_sum=dsum,
            dur_count=dcount,
            days=set(days),
            recent=[(int(o), str(s)) for o, s in recent],
            gap=int(rest[0]) if rest else 0,
        )


def newest(recent: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    unique = sorted(set(recent), key=lambda item: (-item[0], item[1]))
    return unique[:MAX_RECENT]


@dataclass
class NamespaceCounts:
    """What the independence model needs: calls per token and session lengths."""

    calls: Counter[str] = field(default_factory=Counter)
    lengths: Counter[int] = field(default_factory=Counter)
    max_day: int = 0


class _Counting:
    """Counts per namespace by token id while sessions stream by; named at the end."""

    def __init__(self) -> None:
        self.ids: dict[str, Counter[int]] = {}
        self.lengths: dict[str, Counter[int]] = {}
        self.max_day: dict[str, int] = {}

    def add(self, session: SessionData, tids: list[int]) -> None:
        ns = session.namespace
        self.ids.setdefault(ns, Counter()).update(tids)
        self.lengths.setdefault(ns, Counter())[len(tids)] += 1
        self.max_day[ns] = max(self.max_day.get(ns, 0), session.ordinal)

    def merge_into(self, target: dict[str, NamespaceCounts], name: TokenNamer) -> None:
        for ns, ids in self.ids.items():
            counts = target.setdefault(ns, NamespaceCounts())
            for tid, count in ids.items():
                counts.calls[name(tid)] += count
            counts.lengths.update(self.lengths[ns])
            counts.max_day = max(counts.max_day, self.max_day[ns])


@dataclass
class Baseline:
    """The state after the last full mine, brought forward by incremental runs."""

    config: str
    blobs: set[str]
    session_ids: set[str]
    namespaces: dict[str, NamespaceCounts]
    patterns: list[Aggregate]
    sessions_since_full: int = 0
    pending: set[str] = field(default_factory=set)  # patterns whose records are behind

    def to_marshal(self) -> dict[str, Any]:
        return {
            "config": self.config,
            "blobs": list(self.blobs),  # marshal sorts a set it writes: 50,000 ids, 110 ms
            "session_ids": list(self.session_ids),
            "namespaces": {
                ns: (dict(c.calls), dict(c.lengths), c.max_day) for ns, c in self.namespaces.items()
            },
            "patterns": [a.to_marshal() for a in self.patterns],
            "since_full": self.sessions_since_full,
            "pending": sorted(self.pending),
        }

    @classmethod
    def from_marshal(cls, raw: dict[str, Any]) -> Baseline:
        return cls(
            config=str(raw["config"]),
            blobs=set(raw["blobs"]),
            session_ids=set(raw["session_ids"]),
            namespaces={
                ns: NamespaceCounts(Counter(calls), Counter(lengths), int(max_day))
                for ns, (calls, lengths, max_day) in raw["namespaces"].items()
            },
            patterns=[Aggregate.from_marshal(p) for p in raw["patterns"]],
            sessions_since_full=int(raw.get("since_full", 0)),
            pending=set(raw.get("pending", ())),
        )


def config_key(config: MiningConfig) -> str:
    return config.model_dump_json()


def build_baseline(
    sessions: Sequence[SessionData],
    mined: Sequence[MinedPattern],
    config: MiningConfig,
    blobs: Iterable[str],
    name: TokenNamer,
) -> Baseline:
    """Aggregates of every mined pattern over the sessions a full mine just used."""
    counting = _Counting()
    text = SessionText(name)
    texts: dict[str, str] = {}
    wanted = {sid for p in mined for sid in p.session_ids}
    ids: dict[str, list[int]] = {}
    for session in sessions:
        tids = token_ids(session.packed)
        counting.add(session, tids)
        if session.session_id in wanted:
            texts[session.session_id] = text.session(tids)
            ids[session.session_id] = tids
    namespaces: dict[str, NamespaceCounts] = {}
    counting.merge_into(namespaces, name)
    by_id = {s.session_id: s for s in sessions}
    aggregates: list[Aggregate] = []
    for pattern in mined:
        agg = Aggregate(
            id=pattern.id,
            namespace=pattern.namespace,
            tokens=tuple(pattern.tokens),
            variants=tuple(pattern.variants),
            gap=pattern.gap,
        )
        for sid in pattern.session_ids:
            owner = by_id.get(sid)
            if owner is not None and sid in texts:
                agg.add_session(owner, occurrences(agg.tokens, agg.gap, text, ids[sid], texts[sid]))
        aggregates.append(agg)
    return Baseline(
        config=config_key(config),
        blobs=set(blobs),
        session_ids=set(by_id),
        namespaces=namespaces,
        patterns=aggregates,
        pending={a.id for a in aggregates},
    )


def apply_sessions(baseline: Baseline, sessions: Sequence[SessionData], name: TokenNamer) -> int:
    """Fold new sessions into the baseline; returns how many were new."""
    counting = _Counting()
    text = SessionText(name)
    fresh: list[tuple[SessionData, list[int], str]] = []
    for session in sessions:
        if session.session_id in baseline.session_ids:
            continue
        baseline.session_ids.add(session.session_id)
        tids = token_ids(session.packed)
        counting.add(session, tids)
        fresh.append((session, tids, text.session(tids)))
    counting.merge_into(baseline.namespaces, name)
    for agg in baseline.patterns:
        for session, tids, haystack in fresh:
            if session.namespace != agg.namespace:
                continue
            found = occurrences(agg.tokens, agg.gap, text, tids, haystack)
            if found:
                agg.add_session(session, found)
                baseline.pending.add(agg.id)  # its record needs the new numbers
    baseline.sessions_since_full += len(fresh)
    return len(fresh)


def to_mined(agg: Aggregate, counts: NamespaceCounts, config: MiningConfig) -> MinedPattern:
    """The pattern's statistics from its counts, by the miner's own definitions."""
    total = sum(counts.calls.values()) or 1
    q = gapped_probability(
        math.prod(counts.calls.get(t, 0) / total for t in agg.tokens), len(agg.tokens), agg.gap
    )
    expected = LengthHistogram(counts.lengths).expected_support(q, len(agg.tokens))
    days = sorted(date.fromordinal(o) for o in agg.days)
    as_of = config.as_of or date.fromordinal(counts.max_day or agg.recent[0][0])
    wilson = wilson_lower_bound(agg.successes, agg.known)
    evidence = agg.evidence()
    return MinedPattern(
        id=agg.id,
        namespace=agg.namespace,
        tokens=agg.tokens,
        support=agg.support,
        session_ids=tuple(sorted(evidence)),
        days=tuple(days),
        first_seen=days[0],
        last_seen=days[-1],
        occurrences=agg.occurrences,
        successes=agg.successes,
        outcomes_known=agg.known,
        success_rate=agg.successes / agg.known if agg.known else 0.0,
        wilson_lower=wilson,
        mean_duration_ms=agg.mean_duration_ms,
        stability=stability(days, as_of, config.stability_weeks),
        confidence=confidence(wilson, agg.support),
        lift=lift(agg.support, expected),
        expected_support=expected,
        variants=agg.variants,
        failed_steps=tuple(agg.failed),
        evidence_namespaces=(agg.namespace,),
        gap=agg.gap,
    )

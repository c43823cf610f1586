"""Find recurring contiguous tool sequences in archived sessions (pure, no I/O).

Algorithm (the full definitions are in `docs/learning.md`):

1. Per namespace, intern every token to one character, so a session is a `str` and an
   n-gram is a slice: hashing and counting then run in C.
2. Level-wise (apriori) counting of distinct-session support and occurrences: an n-gram
   at position i is a candidate only if the (n-1)-grams at i and i+1 are both frequent.
   Each level keeps, per session, the start positions of frequent n-grams.
3. Selection of frequent grams of allowed length that beat chance: lift against tools
   occurring independently >= `min_lift` and significant (Poisson, Bonferroni); every cut
   into prefix and suffix a real join (`_Chance.joins`); not covered by longer patterns
   (closure with tolerance).
4. Distinct days, clustering of near-duplicates (`clustering`), statistics from the
   occurrences (`stats`).
"""

from __future__ import annotations

import collections
import gc
import hashlib
import json
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat
from operator import attrgetter, eq, sub

from hestai_tmws.learning.core.clustering import cluster_sequences
from hestai_tmws.learning.core.model import (
    MinedPattern,
    MiningConfig,
    SessionSeq,
    Variant,
    token_of,
)
from hestai_tmws.learning.core.stats import (
    LengthHistogram,
    binomial_tail_bound,
    confidence,
    lift,
    poisson_tail_bound,
    stability,
    wilson_lower_bound,
)

__all__ = [
    "Level",
    "MinedPattern",
    "MiningConfig",
    "frequent_ngrams",
    "gc_paused",
    "mine",
    "pattern_id",
]

_SEPARATOR = "\x00"


def pattern_id(namespace: str, tokens: Sequence[str]) -> str:
    """Stable identity of a pattern: a hash of its namespace and tokens, nothing else.

    `pat-` + the first 16 hex digits of SHA-256 over the compact JSON `[namespace, tokens]`.
    """
    payload = json.dumps([namespace, list(tokens)], ensure_ascii=False, separators=(",", ":"))
    return "pat-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def mine(sessions: Iterable[SessionSeq], config: MiningConfig) -> list[MinedPattern]:
    """Mine every namespace (or only `config.namespace`) on its own; clusters, best first."""
    groups: dict[str, list[SessionSeq]] = {}
    for seq in sessions:
        if config.namespace is not None and seq.namespace != config.namespace:
            continue
        groups.setdefault(seq.namespace, []).append(seq)
    result: list[MinedPattern] = []
    with gc_paused():
        for namespace in sorted(groups):
            result.extend(_mine_namespace(namespace, groups[namespace], config))
    return result


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, restoring its previous state afterwards.

    Mining allocates hundreds of thousands of short-lived containers but creates no
    reference cycles; left on, the collector keeps re-walking every `Step` of the corpus.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Interner(dict[tuple[str, str | None], str]):
    """(tool, action) -> one character (never NUL, never a surrogate); remembers tokens."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: dict[str, str] = {}  # char -> token
        self._by_token: dict[str, str] = {}

    def __missing__(self, key: tuple[str, str | None]) -> str:
        token = token_of(*key)
        char = self._by_token.get(token)
        if char is None:
            code = len(self._by_token) + 1
            char = chr(code if code < 0xD800 else code + 0x800)
            self._by_token[token] = char
            self.tokens[char] = token
        self[key] = char
        return char


@dataclass(slots=True)
class _Corpus:
    """One namespace, encoded: sessions sorted by day, each a string of token characters."""

    seqs: list[SessionSeq]
    texts: list[str]
    day_ids: list[int]
    tokens: dict[str, str]  # char -> token
    calls: dict[str, int]  # char -> calls
    prob: dict[str, float]  # char -> share of all calls
    lengths: LengthHistogram


def _encode(seqs: list[SessionSeq]) -> _Corpus:
    seqs = sorted(seqs, key=lambda s: (s.day, s.session_id))
    interner = _Interner()
    get = interner.__getitem__
    pair = attrgetter("tool", "action")
    texts = ["".join(map(get, map(pair, seq.steps))) for seq in seqs]
    calls: Counter[str] = Counter()
    for text in texts:
        calls.update(text)
    total = sum(calls.values()) or 1
    day_index: dict[date, int] = {}
    day_ids = [day_index.setdefault(seq.day, len(day_index)) for seq in seqs]
    return _Corpus(
        seqs=seqs,
        texts=texts,
        day_ids=day_ids,
        tokens=interner.tokens,
        calls=dict(calls),
        prob={char: count / total for char, count in calls.items()},
        lengths=LengthHistogram(Counter(len(t) for t in texts)),
    )


@dataclass(slots=True)
class Level:
    """Frequent n-grams of one length: distinct-session support and occurrence counts."""

    support: dict[str, int]
    occurrences: dict[str, int]


def _count_fallback(counts: dict[str, int], items: Iterable[str]) -> None:
    get = counts.get
    for item in items:
        counts[item] = get(item, 0) + 1


# The C helper behind Counter.update, called directly: Counter.update pays an ABC
# isinstance check per call, which adds up over tens of thousands of sessions per level.
_count: Callable[[dict[str, int], Iterable[str]], None] = getattr(
    collections, "_count_elements", _count_fallback
)


def frequent_ngrams(texts: Sequence[str], min_support: int, max_len: int) -> list[Level]:
    """Every contiguous n-gram seen in >= `min_support` texts, per length (index 0 empty).

    Support only shrinks as a gram grows, so each level starts from the positions where
    the previous level's grams at i and i+1 were both frequent; texts with no such
    positions drop out. The inner loops run in C (`_count`, `compress`, `map`). A text
    whose grams are all distinct counts once, for support and occurrences alike; only
    texts with repeats pay for a second count.
    """
    levels: list[Level] = [Level({}, {})]
    if max_len < 1:
        return levels
    # Level 1: one set per text for support, one count over all texts for occurrences.
    token_support: dict[str, int] = {}
    token_calls: dict[str, int] = {}
    for text in texts:
        _count(token_support, set(text))
    _count(token_calls, "".join(texts))
    support = {g: c for g, c in token_support.items() if c >= min_support}
    levels.append(Level(support, {g: token_calls[g] for g in support}))
    everything = len(support) == len(token_support)
    work: list[tuple[int, Sequence[int]]] = []
    for k, text in enumerate(texts):
        if everything:
            nxt: Sequence[int] = range(len(text) - 1)
        else:
            nxt = _next_candidates(range(len(text)), text, support)
        if nxt:
            work.append((k, nxt))
    n = 2
    while work and n <= max_len:
        unique: dict[str, int] = {}  # texts without repeats: support == occurrences
        repeated: dict[str, int] = {}  # support from texts with repeats
        repeated_occ: dict[str, int] = {}  # occurrences in texts with repeats
        grams_of: list[list[str]] = []
        for k, cand in work:
            text = texts[k]
            grams = [text[i : i + n] for i in cand]
            distinct = set(grams)
            if len(distinct) == len(grams):
                _count(unique, grams)
            else:
                _count(repeated, distinct)
                _count(repeated_occ, grams)
            grams_of.append(grams)
        total = unique.copy()
        get = total.get
        for gram, count in repeated.items():
            total[gram] = get(gram, 0) + count
        support = {g: c for g, c in total.items() if c >= min_support}
        unique_get, repeated_get = unique.get, repeated_occ.get
        occurrences = {g: unique_get(g, 0) + repeated_get(g, 0) for g in support}
        levels.append(Level(support, occurrences))
        if not support:
            break
        next_work: list[tuple[int, Sequence[int]]] = []
        for (k, cand), grams in zip(work, grams_of, strict=True):
            nxt = _next_candidates(cand, grams, support)
            if nxt:
                next_work.append((k, nxt))
        work = next_work
        n += 1
    return levels


def _next_candidates(
    cand: Sequence[int], grams: Iterable[str], support: dict[str, int]
) -> list[int]:
    """Positions i whose gram and whose neighbour's gram (at i + 1) are both frequent."""
    alive = list(compress(cand, map(support.__contains__, grams)))
    if len(alive) < 2:
        return []
    return list(compress(alive, map(eq, map(sub, alive[1:], alive), repeat(1))))


def _mine_namespace(
    namespace: str, seqs: list[SessionSeq], config: MiningConfig
) -> list[MinedPattern]:
    corpus = _encode(seqs)
    levels = frequent_ngrams(corpus.texts, config.min_support, config.max_len)
    selected = _select(levels, corpus, config)
    occurrences = _Occurrences(corpus)
    found: dict[str, list[tuple[int, int]]] = {}
    for gram in selected:
        hits = occurrences.find(gram)
        if len({corpus.day_ids[k] for k, _ in hits}) >= config.min_days:
            found[gram] = hits
    if not found:
        return []
    grams = list(found)
    groups = cluster_sequences(
        grams,
        [levels[len(g)].support[g] for g in grams],
        config.cluster_similarity,
        order_keys=[_decode(g, corpus) for g in grams],
    )
    as_of = config.as_of or corpus.seqs[-1].day
    patterns: list[MinedPattern] = []
    for group in groups:
        rep = grams[group[0]]
        variants = tuple(
            Variant(
                id=pattern_id(namespace, _decode(grams[i], corpus)),
                tokens=_decode(grams[i], corpus),
                support=levels[len(grams[i])].support[grams[i]],
            )
            for i in group[1:]
        )
        patterns.append(
            _build_pattern(
                namespace, rep, selected[rep], variants, found[rep], corpus, config, as_of
            )
        )
    patterns.sort(key=lambda p: (-p.support, -p.confidence, -p.lift, -len(p.tokens), p.tokens))
    return patterns


def _decode(gram: str, corpus: _Corpus) -> tuple[str, ...]:
    return tuple(corpus.tokens[c] for c in gram)


@dataclass(frozen=True, slots=True)
class _Chance:
    """The thresholds that separate a real join of two parts from a chance adjacency."""

    min_lift: float
    dominance: float
    alpha: float
    calls: int

    def joins(self, together: int, left: int, right: int) -> bool:
        """Do `left` and `right` occur next to each other more than chance allows?

        If the two parts were placed independently, each occurrence of the rarer part
        would sit next to the commoner one with probability `commoner / calls`, so they
        would meet `rarer * commoner / calls` times. The join must beat that by
        `min_lift`, and either account for (almost) all occurrences of both parts
        (>= `dominance`) or beat chance significantly (binomial tail <= `alpha`): the first
        rule lets tiny corpora speak, the second keeps small counts in large corpora from
        passing by luck.
        """
        rarer, commoner = (left, right) if left <= right else (right, left)
        share = min(1.0, commoner / self.calls)
        if together < self.min_lift * rarer * share:
            return False
        if together >= self.dominance * commoner:
            return True
        return binomial_tail_bound(together, rarer, share) <= self.alpha


def _select(levels: list[Level], corpus: _Corpus, config: MiningConfig) -> dict[str, float]:
    """Frequent grams of allowed length that beat chance, are productive and closed.

    Returns gram -> expected support under independence (for the lift). The day rule is
    applied afterwards, on the occurrences of the few grams selected here.
    """
    prob = corpus.prob
    min_lift = config.min_lift
    min_support = config.min_support
    ratio = config.closure_ratio
    top = min(config.max_len, len(levels) - 1)
    low = config.min_len
    tests = sum(len(levels[n].support) for n in range(low, top + 1)) or 1
    # Bonferroni over the grams tested; significance 1.0 switches the gate off.
    alpha = 1.0 if config.significance >= 1.0 else config.significance / tests
    chance = _Chance(min_lift, ratio, alpha, sum(len(t) for t in corpus.texts))
    expected_support = corpus.lengths.expected_support
    selected: dict[str, float] = {}
    for n in range(low, top + 1):
        level = levels[n]
        candidates: dict[str, float] = {}
        for gram, support in level.support.items():
            expected = expected_support(math.prod(map(prob.__getitem__, gram)), n)
            if support < min_lift * expected or poisson_tail_bound(support, expected) > alpha:
                continue
            if not _productive(gram, levels, chance):
                continue
            candidates[gram] = expected
        if not candidates:
            continue
        longer = levels[n + 1] if n < top else Level({}, {})
        cover = _extension_cover(candidates, level, longer, levels[1], chance)
        for gram, expected in candidates.items():
            covered = cover.get(gram, 0)
            support = level.support[gram]
            # Absorbed: longer patterns explain its non-chance support, or what they leave
            # unexplained is fewer sessions than a pattern needs on its own.
            if covered and (
                covered >= ratio * (support - expected) or support - covered < min_support
            ):
                continue
            selected[gram] = expected
    return selected


def _productive(gram: str, levels: list[Level], chance: _Chance) -> bool:
    """Every cut of the gram into a prefix and a suffix is a real join (`_Chance.joins`).

    Without this, every strong pattern would drag along copies of itself with a common
    tool glued to one end (`Read` + workflow), or two patterns glued together by luck,
    each with a huge lift against independence.
    """
    n = len(gram)
    together = levels[n].occurrences[gram]
    for cut in range(1, n):
        left = levels[cut].occurrences[gram[:cut]]
        right = levels[n - cut].occurrences[gram[cut:]]
        if not chance.joins(together, left, right):
            return False
    return True


def _extension_cover(
    candidates: dict[str, float], level: Level, longer: Level, tokens: Level, chance: _Chance
) -> dict[str, int]:
    """How many of each candidate's sessions its frequent one-step extensions account for.

    An extension counts towards a sum when its added step really joins the candidate
    (`_Chance.joins`). Left and right extensions are summed separately; the cover is the
    larger sum, or the support of the best single extension if larger (the classical
    closed-pattern rule).
    """
    right: dict[str, int] = {}
    left: dict[str, int] = {}
    single: dict[str, int] = {}
    base_occ = level.occurrences
    longer_occ = longer.occurrences
    token_occ = tokens.occurrences
    for gram, support in longer.support.items():
        for part, added, sums in ((gram[:-1], gram[-1], right), (gram[1:], gram[0], left)):
            if part not in candidates:
                continue
            if chance.joins(longer_occ[gram], base_occ[part], token_occ[added]):
                sums[part] = sums.get(part, 0) + support
            if support > single.get(part, 0):
                single[part] = support
    cover = dict(single)
    for sums in (right, left):
        for gram, total in sums.items():
            if total > cover[gram]:
                cover[gram] = total
    return cover


class _Occurrences:
    """Locate every occurrence of a gram in the corpus joined into one string.

    A gram holding a rare token is found from that token's positions (a short list, built
    once per token by a C-level scan); a gram of common tokens only is found with one
    `str.find` loop over the whole corpus.
    """

    __slots__ = ("_calls", "_positions", "_rare", "_starts", "_text")

    def __init__(self, corpus: _Corpus, rare: int = 4096) -> None:
        # Up to `rare` calls, a token's position list beats a scan of the whole corpus.
        self._rare = rare
        starts: list[int] = []
        offset = 0
        for text in corpus.texts:
            starts.append(offset)
            offset += len(text) + 1
        self._starts = starts
        self._text = _SEPARATOR.join(corpus.texts)
        self._calls = corpus.calls
        self._positions: dict[str, list[int]] = {}

    def find(self, gram: str) -> list[tuple[int, int]]:
        """(session index, start position) of every occurrence, overlaps included."""
        rarest = min(range(len(gram)), key=lambda j: self._calls[gram[j]])
        if self._calls[gram[rarest]] <= self._rare:
            text = self._text
            at_starts = [
                p - rarest
                for p in self._token_positions(gram[rarest])
                if p >= rarest and text.startswith(gram, p - rarest)
            ]
        else:
            at_starts = self._scan(gram)
        starts = self._starts
        found: list[tuple[int, int]] = []
        for at in at_starts:
            k = bisect_right(starts, at) - 1
            found.append((k, at - starts[k]))
        return found

    def _token_positions(self, char: str) -> list[int]:
        positions = self._positions.get(char)
        if positions is None:
            positions = self._positions[char] = self._scan(char)
        return positions

    def _scan(self, gram: str) -> list[int]:
        text = self._text
        found: list[int] = []
        at = text.find(gram)
        while at >= 0:
            found.append(at)
            at = text.find(gram, at + 1)
        return found


def _build_pattern(
    namespace: str,
    gram: str,
    expected: float,
    variants: tuple[Variant, ...],
    found: list[tuple[int, int]],
    corpus: _Corpus,
    config: MiningConfig,
    as_of: date,
) -> MinedPattern:
    n = len(gram)
    tokens = _decode(gram, corpus)
    sessions: set[int] = set()
    failed = [0] * n
    successes = known = 0
    durations: list[float] = []
    for k, pos in found:
        sessions.add(k)
        steps = corpus.seqs[k].steps[pos : pos + n]
        ok_all = True
        unknown = False
        total_ms = 0.0
        timed = True
        for j, step in enumerate(steps):
            if step.ok is False:
                failed[j] += 1
                ok_all = False
            elif step.ok is None:
                unknown = True
            if step.duration_ms is None:
                timed = False
            else:
                total_ms += step.duration_ms
        if not ok_all:
            known += 1
        elif not unknown:
            known += 1
            successes += 1
        if timed:
            durations.append(total_ms)
    ordered = sorted(sessions)
    days = sorted({corpus.seqs[k].day for k in ordered})
    support = len(ordered)
    wilson = wilson_lower_bound(successes, known)
    return MinedPattern(
        id=pattern_id(namespace, tokens),
        namespace=namespace,
        tokens=tokens,
        support=support,
        session_ids=tuple(sorted(corpus.seqs[k].session_id for k in ordered)),
        days=tuple(days),
        first_seen=days[0],
        last_seen=days[-1],
        occurrences=len(found),
        successes=successes,
        outcomes_known=known,
        success_rate=successes / known if known else 0.0,
        wilson_lower=wilson,
        mean_duration_ms=sum(durations) / len(durations) if durations else None,
        stability=stability(days, as_of, config.stability_weeks),
        confidence=confidence(wilson, support),
        lift=lift(support, expected),
        expected_support=expected,
        variants=variants,
        failed_steps=tuple(failed),
        evidence_namespaces=(namespace,),
    )

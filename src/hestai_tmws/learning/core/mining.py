"""Find recurring tool sequences in archived sessions, contiguous or gapped (pure, no I/O).

Algorithm (the full definitions are in `docs/learning.md`):

1. Per namespace, intern every token to one character (`corpus`).
2. Level-wise (apriori) counting of distinct-session support and occurrences
   (`ngram_arrays`, the numpy form of `ngrams`).
3. Selection of the grams that beat chance, are productive and closed (`selection`).
4. Their occurrences (`occurrences`), distinct days, clustering of near-duplicates
   (`clustering`) and statistics (`stats`): this module.
5. Procedures run with up to `max_gap` foreign steps between their steps that no
   contiguous pattern already stands for (`gapped`).
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date

from hestai_tmws.learning.core.clustering import cluster_sequences
from hestai_tmws.learning.core.corpus import Corpus, decode, encode
from hestai_tmws.learning.core.fragments import merge_fragments
from hestai_tmws.learning.core.gapped import (
    GappedCorpus,
    GappedGram,
    mine_gapped,
    not_contiguous,
    one_per_routine,
)
from hestai_tmws.learning.core.model import MinedPattern, MiningConfig, SessionSeq, Variant
from hestai_tmws.learning.core.ngram_arrays import frequent_ngrams_arrays
from hestai_tmws.learning.core.ngrams import Level
from hestai_tmws.learning.core.occurrences import Occurrences
from hestai_tmws.learning.core.selection import select_grams
from hestai_tmws.learning.core.stats import confidence, lift, stability, wilson_lower_bound
from hestai_tmws.learning.core.steps import occurrence_outcome


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


def _mine_namespace(
    namespace: str, seqs: list[SessionSeq], config: MiningConfig
) -> list[MinedPattern]:
    corpus = encode(seqs)
    levels = frequent_ngrams_arrays(corpus.texts, config.min_support, config.max_len)
    selected = select_grams(levels, corpus, config)
    occurrences = Occurrences(corpus)
    found: dict[str, list[tuple[int, int]]] = {}
    for gram in selected:
        hits = occurrences.find(gram)
        if len({corpus.day_ids[k] for k, _ in hits}) >= config.min_days:
            found[gram] = hits
    as_of = config.as_of or corpus.seqs[-1].day
    patterns = _contiguous_patterns(namespace, corpus, levels, selected, found, config, as_of)
    del levels, selected, found, occurrences  # ~100 MB at 50,000 sessions: not needed below
    if config.max_gap > 0:
        plain = GappedCorpus(corpus)
        known = [p.tokens for p in patterns] + [v.tokens for p in patterns for v in p.variants]
        fresh = not_contiguous(mine_gapped(plain, config, config.max_gap, known), known)
        built = [_gapped_pattern(namespace, g, plain, config, as_of) for g in fresh]
        patterns.extend(one_per_routine(built, config))
    patterns.sort(key=lambda p: (-p.support, -p.confidence, -p.lift, -len(p.tokens), p.tokens))
    return patterns


def _contiguous_patterns(
    namespace: str,
    corpus: Corpus,
    levels: list[Level],
    selected: dict[str, float],
    found: dict[str, list[tuple[int, int]]],
    config: MiningConfig,
    as_of: date,
) -> list[MinedPattern]:
    if not found:
        return []
    grams = list(found)
    groups = cluster_sequences(
        grams,
        [levels[len(g)].support[g] for g in grams],
        config.cluster_similarity,
        order_keys=[decode(g, corpus) for g in grams],
    )
    groups = merge_fragments(
        groups, [decode(g, corpus) for g in grams], [levels[len(g)].support[g] for g in grams]
    )
    patterns: list[MinedPattern] = []
    for group in groups:
        rep = grams[group[0]]
        variants = tuple(
            Variant(
                id=pattern_id(namespace, decode(grams[i], corpus)),
                tokens=decode(grams[i], corpus),
                support=levels[len(grams[i])].support[grams[i]],
            )
            for i in group[1:]
        )
        n = len(rep)
        hits = [(k, tuple(range(pos, pos + n))) for k, pos in found[rep]]
        patterns.append(
            _build_pattern(
                namespace, decode(rep, corpus), selected[rep], variants, hits, corpus, config, as_of
            )
        )
    return patterns


def _gapped_pattern(
    namespace: str, gram: GappedGram, plain: GappedCorpus, config: MiningConfig, as_of: date
) -> MinedPattern:
    hits = plain.hits(gram, config.max_gap)
    pattern = _build_pattern(
        namespace, gram.tokens, gram.expected, (), hits, plain.corpus, config, as_of
    )
    return pattern.model_copy(update={"gap": config.max_gap})


def _build_pattern(
    namespace: str,
    tokens: tuple[str, ...],
    expected: float,
    variants: tuple[Variant, ...],
    found: list[tuple[int, tuple[int, ...]]],
    corpus: Corpus,
    config: MiningConfig,
    as_of: date,
) -> MinedPattern:
    """Statistics over the occurrences (session index, the step index of each step)."""
    n = len(tokens)
    sessions: set[int] = set()
    failed = [0] * n
    successes = known = 0
    durations: list[float] = []
    for k, at in found:
        sessions.add(k)
        all_steps = corpus.seqs[k].steps
        steps = [all_steps[i] for i in at]
        total_ms = 0.0
        timed = True
        for j, step in enumerate(steps):
            if step.ok is False:
                failed[j] += 1
            if step.duration_ms is None:
                timed = False
            else:
                total_ms += step.duration_ms
        outcome = occurrence_outcome(step.ok for step in steps)
        if outcome is not None:
            known += 1
            successes += outcome
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

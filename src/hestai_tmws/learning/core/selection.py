"""Which frequent n-grams are patterns: they beat chance, every cut is a real join, closed.

Lift against tools occurring independently >= `min_lift`, significant (Poisson,
Bonferroni); every cut into prefix and suffix a real join (`_Chance.joins`); not covered
by longer patterns (closure with tolerance). Pure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hestai_tmws.learning.core.corpus import Corpus
from hestai_tmws.learning.core.model import MiningConfig
from hestai_tmws.learning.core.ngrams import Level
from hestai_tmws.learning.core.stats import binomial_tail_bound, poisson_tail_bound


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


def select_grams(levels: list[Level], corpus: Corpus, config: MiningConfig) -> dict[str, float]:
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

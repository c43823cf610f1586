"""Procedures run with a few foreign steps in between: gapped support (pure).

People interleave: between `Edit` and `bun run typecheck` there is a `Read`, between the
type check and the tests a `bun install`. Contiguous counting never sees such a procedure
recur, so this pass counts sequences whose steps occur in order with at most `MAX_GAP`
foreign steps between consecutive ones, on the sessions' plain steps (loops opened up, as
the checks and the "used" rule read them).

Gapped counting multiplies what chance can produce, so it is kept narrow:

- a gapped procedure is made of steps that act or edit (`steps.step_kind`), never of
  exploration, bookkeeping or a `git status`/`diff`/`log`/`show` (those are what
  interleaves); each step once (repetition is a loop, which contiguous mining finds); at
  least two distinct acting steps; at most `MAX_LEN` steps;
- every consecutive pair must meet within the gap window `min_lift` times more often
  than independent placement predicts, and must not be two steps of one contiguous
  pattern; this is what keeps the level-wise growth from exploring the noise;
- the sequence itself must beat chance (lift; Poisson tail at `significance`, per
  sequence), be maximal (no one-step extension holds almost all of its sessions), pass
  the day rule, and not be a piece of a contiguous pattern's routine (`not_contiguous`);
  of the gapped pieces of one routine one is kept (`one_per_routine`).

`embeddings` is the one matching rule: the miner and the incremental baseline both use it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from operator import add

from hestai_tmws.learning.core.corpus import SEPARATOR, Corpus
from hestai_tmws.learning.core.model import MinedPattern, MiningConfig
from hestai_tmws.learning.core.ngram_arrays import window_pairs
from hestai_tmws.learning.core.stats import poisson_tail_bound
from hestai_tmws.learning.core.steps import (
    BARE_SHELLS,
    acts,
    loop_units,
    plain_tokens,
    step_kind,
)

MAX_GAP = 2  # foreign steps allowed between two consecutive steps of a procedure
MIN_ACTING = 2  # distinct acting steps a gapped procedure needs
MAX_LEN = 8  # a procedure taught as steps is short; longer runs are the contiguous miner's
# An occurrence: the collapsed step index of each of the procedure's steps.
Occurrence = tuple[int, ...]


# Read-only looks at the repository: between the steps of a procedure, they are what
# interleaves (a contiguous routine such as the commit review still has them as steps).
LOOKS = frozenset({"git status", "git diff", "git log", "git show"})


def eligible(token: str) -> bool:
    """A step a gapped procedure may consist of: one that acts or edits, and is not a
    read-only look at the repository (`LOOKS`)."""
    if loop_units(token) is not None or step_kind(token) not in ("act", "edit"):
        return False
    tool, _, action = token.partition(":")
    return not (tool in BARE_SHELLS and action in LOOKS)


@dataclass(slots=True)
class PlainText:
    """One session's plain steps as characters, and where each came from."""

    text: str
    origin: list[int]  # plain position -> collapsed step index


class PlainCorpus:
    """Sessions' plain steps (loops opened up), one character per plain token."""

    def __init__(self) -> None:
        self.chars: dict[str, str] = {}
        self.tokens: dict[str, str] = {}

    def char(self, token: str) -> str:
        found = self.chars.get(token)
        if found is None:
            code = len(self.chars) + 1
            found = self.chars[token] = chr(code if code < 0xD800 else code + 0x800)
            self.tokens[found] = token
        return found

    def session(self, tokens: Sequence[str]) -> PlainText:
        chars: list[str] = []
        origin: list[int] = []
        for index, token in enumerate(tokens):
            for unit in loop_units(token) or (token,):
                chars.append(self.char(unit))
                origin.append(index)
        return PlainText("".join(chars), origin)

    def pattern(self, tokens: Sequence[str]) -> str | None:
        """The pattern's characters, or None if one of its tokens never occurred."""
        out = [self.chars.get(t) for t in tokens]
        return None if any(c is None for c in out) else "".join(c for c in out if c)


def gapped_probability(q: float, n: int, gap: int) -> float:
    """Chance that an n-step sequence of contiguous probability `q` starts at a position
    with up to `gap` foreign steps between its steps (union bound over the placements)."""
    return min(1.0, q * float((gap + 1) ** (n - 1)))


def embeddings(text: str, gram: str, max_gap: int = MAX_GAP) -> list[tuple[int, ...]]:
    """Every start of `gram` in `text` with its earliest embedding (plain positions).

    An embedding puts the gram's steps in order with at most `max_gap` other steps
    between consecutive ones. For each start the earliest completion is taken (search
    with backtracking, so a later step can still be reached through a later middle step).
    """
    n = len(gram)
    found: list[tuple[int, ...]] = []
    if n == 0:
        return found
    at = text.find(gram[0])
    while at >= 0:
        path = _embed(text, gram, [at], max_gap)
        if path is not None:
            found.append(tuple(path))
        at = text.find(gram[0], at + 1)
    return found


def _embed(text: str, gram: str, path: list[int], max_gap: int) -> list[int] | None:
    j = len(path)
    if j == len(gram):
        return path
    last = path[-1]
    for q in range(last + 1, min(len(text), last + max_gap + 2)):
        if text[q] == gram[j]:
            done = _embed(text, gram, [*path, q], max_gap)
            if done is not None:
                return done
    return None


@dataclass(slots=True)
class GappedGram:
    """A gapped procedure that passed the gates: plain tokens, support, expected support."""

    tokens: tuple[str, ...]
    support: int
    expected: float
    sessions: list[int]  # corpus session indices
    gram: str  # in `GappedCorpus` characters


class GappedCorpus:
    """A `Corpus` with its loops opened up: one plain string per session.

    Built with `str.translate` from the corpus's own strings (a loop's character becomes
    its units' characters), so the pass costs C-level work per call, not Python.
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.plain = PlainCorpus()
        table: dict[int, str] = {}
        widths: dict[str, int] = {}
        for char, token in corpus.tokens.items():
            units = loop_units(token) or (token,)
            table[ord(char)] = "".join(self.plain.char(u) for u in units)
            widths[char] = len(units)
        self._widths = widths
        self.texts = [text.translate(table) for text in corpus.texts]

    def origin(self, k: int) -> list[int]:
        """Plain position -> recorded step index, for session `k`."""
        out: list[int] = []
        for index, char in enumerate(self.corpus.texts[k]):
            out.extend([index] * self._widths[char])
        return out

    def hits(self, gram: GappedGram, max_gap: int) -> list[tuple[int, Occurrence]]:
        """(session index, recorded step index of each step) of every occurrence."""
        out: list[tuple[int, Occurrence]] = []
        for k in gram.sessions:
            paths = embeddings(self.texts[k], gram.gram, max_gap)
            if paths:
                origin = self.origin(k)
                out.extend((k, tuple(origin[p] for p in path)) for path in paths)
        return out


def mine_gapped(
    gc: GappedCorpus,
    config: MiningConfig,
    max_gap: int = MAX_GAP,
    known: Sequence[Sequence[str]] = (),
) -> list[GappedGram]:
    """Gapped procedures of the corpus that pass the gates (see the module's docstring).

    `known` are the contiguous patterns: two steps that come in order in one of them are
    that pattern's routine, so no gapped procedure is grown through them (what it would
    give is a piece of that routine, which `not_contiguous` drops anyway).
    """
    plain, corpus = gc.plain, gc.corpus
    ok_char = {c for c, token in plain.tokens.items() if eligible(token)}
    acting = {c for c in ok_char if acts(plain.tokens[c])}
    joins = _pair_joins(gc.texts, ok_char, config, max_gap) - _routine_pairs(plain, known)
    if not joins:
        return []
    grams = _grow(gc.texts, joins, config, max_gap)
    # The chance model reads the sessions' steps as recorded (a loop is one step), as
    # contiguous mining and the incremental baseline do, so all three agree on lift.
    recorded = {corpus.tokens[c]: n for c, n in corpus.calls.items()}
    all_steps = sum(recorded.values()) or 1
    prob = {c: recorded.get(token, 0) / all_steps for c, token in plain.tokens.items()}
    # Each gram tested at `significance` itself, with no Bonferroni division: the pair gate
    # has already limited what is tested, and a small project's three sessions on two days
    # (the support policy) could never pass a family-wise test against a gap window.
    alpha = config.significance
    passing: dict[str, float] = {}
    for gram, sessions in grams.items():
        n = len(gram)
        if n < config.min_len or sum(1 for c in gram if c in acting) < MIN_ACTING:
            continue
        support = len(sessions)
        q = gapped_probability(math.prod(prob[c] for c in gram), n, max_gap)
        expected = corpus.lengths.expected_support(q, n)
        if support >= config.min_lift * expected and poisson_tail_bound(support, expected) <= alpha:
            passing[gram] = expected
    best_extension: dict[str, int] = {}
    for gram in passing:
        for part in (gram[1:], gram[:-1]):
            if len(grams[gram]) > best_extension.get(part, 0):
                best_extension[part] = len(grams[gram])
    out: list[GappedGram] = []
    for gram, expected in passing.items():
        support = len(grams[gram])
        if best_extension.get(gram, 0) >= config.closure_ratio * support:
            continue  # not maximal: a one-step extension holds almost all its sessions
        days = {corpus.day_ids[k] for k in grams[gram]}
        if len(days) < config.min_days:
            continue
        tokens = tuple(plain.tokens[c] for c in gram)
        out.append(GappedGram(tokens, support, expected, sorted(grams[gram]), gram))
    return out


def _routine_pairs(plain: PlainCorpus, known: Sequence[Sequence[str]]) -> set[str]:
    out: set[str] = set()
    for tokens in known:
        chars = [plain.chars[t] for t in plain_tokens(tokens) if t in plain.chars]
        out.update(a + b for i, a in enumerate(chars) for b in chars[i + 1 :] if a != b)
    return out


def _pair_joins(
    texts: Sequence[str], ok_char: set[str], config: MiningConfig, max_gap: int
) -> set[str]:
    """Two-step grams (as 2-char strings) that meet within the window beyond chance.

    Counted with numpy (`ngram_arrays.window_pairs`) over all sessions joined by a
    separator wide enough that no pair within the window spans two sessions.
    """
    joined = (SEPARATOR * (max_gap + 1)).join(texts)
    calls, together = window_pairs(joined, max_gap + 1, ok_char)
    calls.pop(SEPARATOR, None)
    total = sum(calls.values()) or 1
    window = max_gap + 1
    out: set[str] = set()
    for pair, count in together.items():
        a, b = pair[0], pair[1]
        if a == b or a not in ok_char or b not in ok_char or count < config.min_support:
            continue
        share = min(1.0, window * max(calls[a], calls[b]) / total)
        if count >= config.min_lift * min(calls[a], calls[b]) * share:
            out.add(pair)
    return out


def _grow(
    texts: Sequence[str], joins: set[str], config: MiningConfig, max_gap: int
) -> dict[str, set[int]]:
    """Level-wise: every gram of joined pairs seen in >= min_support sessions, with them."""
    level: dict[str, dict[int, set[tuple[int, int]]]] = {}
    firsts = {p[0] for p in joins}
    for k, text in enumerate(texts):
        if not firsts.intersection(text):
            continue
        for d in range(1, max_gap + 2):
            hit = map(joins.__contains__, map(add, text, text[d:]))
            for s in compress(range(len(text)), hit):
                level.setdefault(text[s] + text[s + d], {}).setdefault(k, set()).add((s, s + d))
    found: dict[str, set[int]] = {}
    level = {g: occ for g, occ in level.items() if len(occ) >= config.min_support}
    n = 2
    while level:
        for gram, occ in level.items():
            found[gram] = set(occ)
        if n >= min(config.max_len, MAX_LEN):
            break
        nxt: dict[str, dict[int, set[tuple[int, int]]]] = {}
        for gram, occ in level.items():
            for k, spans in occ.items():
                text = texts[k]
                for s, e in spans:
                    for q in range(e + 1, min(len(text), e + max_gap + 2)):
                        c = text[q]
                        if c not in gram and gram[-1] + c in joins and gram[1:] + c in level:
                            nxt.setdefault(gram + c, {}).setdefault(k, set()).add((s, q))
        level = {g: occ for g, occ in nxt.items() if len(occ) >= config.min_support}
        n += 1
    return found


def not_contiguous(
    gapped: Sequence[GappedGram], contiguous: Sequence[Sequence[str]]
) -> list[GappedGram]:
    """Drop the gapped grams that are a contiguous pattern's routine (`same_routine`).

    Most gapped grams are a known routine with a step skipped or added (`git diff → git
    add → git push` beside `git add → git push → GetWorkspaceDiff`): nothing new.
    """
    known = [plain_tokens(c) for c in contiguous]
    return [g for g in gapped if not any(same_routine(g.tokens, k) for k in known)]


def one_per_routine(gapped: Sequence[MinedPattern], config: MiningConfig) -> list[MinedPattern]:
    """Of gapped patterns that are pieces of one routine, keep one: a form that usually
    works before one that does not (that is the one worth teaching), then the one that
    explains most calls (support × length)."""

    def works(p: MinedPattern) -> bool:
        return (
            p.success_rate >= config.min_success_rate and p.wilson_lower >= config.min_wilson_lower
        )

    ranked = sorted(
        gapped, key=lambda p: (not works(p), -p.support * len(p.tokens), -p.support, p.tokens)
    )
    kept: list[MinedPattern] = []
    for pattern in ranked:
        if not any(same_routine(pattern.tokens, other.tokens) for other in kept):
            kept.append(pattern)
    return kept


def same_routine(a: Sequence[str], b: Sequence[str]) -> bool:
    """Pieces of one routine: at least half of the shorter one's steps (and at least two)
    are steps of the other, in whatever order (people reorder `git status` and the commit
    skill, or the type check and the linter)."""
    short, other = (set(a), set(b)) if len(set(a)) <= len(set(b)) else (set(b), set(a))
    return len(short & other) >= max(2, -(-len(short) // 2))

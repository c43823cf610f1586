"""Does a restated commitment match the role definition's? Fuzzy, deterministic, offline.

Scores are min(token_set_ratio, content-word coverage): word order and filler do not matter,
but every content word of the commitment must be there (stemmed, typo-tolerant).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel

CommitmentKind = Literal["must_always", "must_never"]

SCORER = "min(token_set_ratio, content-word coverage)"
TOKEN_MATCH = (
    80.0  # fuzz.ratio at which two words count as the same word (test/tests, behaviour/behavior)
)
# Words that carry no commitment of their own: articles, auxiliaries, and the modal framing
# ("I must always", "never", "without"/"unless") that the list a statement is in already says.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "nor",
        "but",
        "to",
        "of",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "as",
        "is",
        "are",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "will",
        "shall",
        "must",
        "should",
        "would",
        "can",
        "could",
        "may",
        "might",
        "do",
        "does",
        "did",
        "always",
        "never",
        "not",
        "no",
        "any",
        "every",
        "each",
        "all",
        "only",
        "own",
        "so",
        "than",
        "then",
        "when",
        "while",
        "before",
        "after",
        "without",
        "unless",
        "except",
        "also",
        "just",
        "very",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ing", "ed", "es", "s", "e", "ly")


class CommitmentCheck(BaseModel):
    """How well one commitment of the role definition was restated."""

    kind: CommitmentKind
    commitment: str
    best_statement: str | None = None
    score: float
    passed: bool


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _stem(word: str) -> str:
    """A crude suffix strip so that change/changing/changes and file/files meet."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _content_words(text: str) -> list[str]:
    return [_stem(w) for w in _words(text) if w not in STOPWORDS]


def _coverage(commitment: str, statement: str) -> float:
    """Share (0-100) of the commitment's content words that the statement also uses."""
    from rapidfuzz import fuzz, process  # lazy: heavy third-party, only when scoring

    wanted = list(dict.fromkeys(_content_words(commitment)))
    if not wanted:
        return 100.0
    have = list(dict.fromkeys(_stem(w) for w in _words(statement)))
    if not have:
        return 0.0
    hits = 0
    for word in wanted:
        match = process.extractOne(word, have, scorer=fuzz.ratio, score_cutoff=TOKEN_MATCH)
        if match is not None:
            hits += 1
    return 100.0 * hits / len(wanted)


def commitment_score(commitment: str, statement: str) -> float:
    """0-100: how well `statement` restates `commitment`.

    `rapidfuzz.fuzz.token_set_ratio` is the base: it ignores word order and extra words, so
    "Before calling any task done, I run the relevant tests and the linters" still scores
    ~95 against "Run the relevant test suite and linters before calling a task done". WRatio
    was rejected because its partial-ratio arm rewards a statement that merely shares a
    fragment with the commitment. token_set_ratio alone has the same hole in another form: it
    scores 100 for any statement whose words are a subset of the commitment ("test" would
    cover "Write or update a failing test before changing behaviour"). So the score is capped
    by coverage — the share of the commitment's content words (stop words and modal framing
    removed) that the statement uses, each word stemmed and matched with `fuzz.ratio` >= 80
    to accept inflections and spelling variants (behaviour/behavior). A paraphrase keeps
    most content words and passes; a fragment or an unrelated rule does not.
    """
    from rapidfuzz import fuzz  # lazy: heavy third-party, only when scoring
    from rapidfuzz.utils import default_process  # lazy: heavy third-party, only when scoring

    if not statement.strip() or not commitment.strip():
        return 0.0
    overall = float(fuzz.token_set_ratio(commitment, statement, processor=default_process))
    return round(min(overall, _coverage(commitment, statement)), 1)


def check_commitments(
    kind: CommitmentKind, commitments: list[str], statements: list[str], threshold: float
) -> list[CommitmentCheck]:
    """Each commitment of the definition against its best-matching statement of the same kind."""
    checks: list[CommitmentCheck] = []
    for commitment in commitments:
        best: str | None = None
        best_score = 0.0
        for statement in statements:
            score = commitment_score(commitment, statement)
            if score > best_score:
                best, best_score = statement, score
        checks.append(
            CommitmentCheck(
                kind=kind,
                commitment=commitment,
                best_statement=best,
                score=best_score,
                passed=best_score >= threshold,
            )
        )
    return checks

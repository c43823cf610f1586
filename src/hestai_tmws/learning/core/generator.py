"""Seeded synthetic sessions with planted workflows, for tests and benchmarks.

Noise follows a Zipf law over a realistic tool vocabulary (Read and Edit dominate, shell
verbs trail off), which is what makes lift necessary: common tools line up by chance all
the time. Planted workflows are 5–9 steps, some with a one-step variant, some with a step
that fails more often. Same seed, same corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from hestai_tmws.learning.core.clustering import similarity
from hestai_tmws.learning.core.mining import gc_paused
from hestai_tmws.learning.core.model import SessionSeq, Step

NOISE_TOKENS: tuple[str, ...] = (
    "Read",
    "Edit",
    "Bash:git status",
    "Grep",
    "Glob",
    "Bash:ls",
    "Write",
    "Bash:git diff",
    "TodoWrite",
    "Bash:cat",
    "Bash:grep",
    "MultiEdit",
    "Bash:pytest",
    "Bash:git log",
    "Bash:head",
    "Bash:find",
    "Task:general-purpose",
    "Bash:python",
    "WebSearch",
    "Bash:tail",
    "Bash:mkdir",
    "WebFetch",
    "Bash:echo",
    "Bash:wc",
    "Bash:git add",
    "Bash:git show",
    "Bash:ruff check",
    "Bash:uv sync",
    "Bash:npm test",
    "Bash:make",
    "Bash:curl",
    "Bash:sed",
    "Bash:git branch",
    "Bash:git checkout",
    "Bash:cp",
    "Bash:mv",
    "Bash:touch",
    "Bash:sort",
    "AskUserQuestion",
    "Bash:jq",
)

WORKFLOW_TOKENS: tuple[str, ...] = (
    "mcp__tmws__clock_in",
    "mcp__tmws__clock_out",
    "mcp__tmws__context_update",
    "mcp__tmws__document_submit",
    "mcp__tmws__anchor_submit",
    "Bash:git commit",
    "Bash:git push",
    "Bash:git fetch",
    "Bash:git rebase",
    "Bash:git stash",
    "Bash:mypy",
    "Bash:ruff format",
    "Bash:pre-commit run",
    "Bash:gh pr create",
    "Bash:gh pr view",
    "Bash:gh pr checks",
    "Bash:npm run build",
    "Bash:npm run lint",
    "Bash:docker compose up",
    "Bash:docker compose logs",
    "Bash:alembic upgrade",
    "Bash:pip install",
    "Bash:tox",
    "Bash:cargo build",
    "Bash:cargo test",
    "Bash:mix test",
    "Bash:mix format",
    "Bash:terraform plan",
    "Bash:kubectl apply",
    "Bash:helm upgrade",
)


@dataclass(frozen=True, slots=True)
class PlantedWorkflow:
    """A workflow the generator hid in the sessions, and how it was planted."""

    name: str
    tokens: tuple[str, ...]
    variant: tuple[str, ...] | None  # one middle step replaced, planted in ~20 % of uses
    weak_step: int | None  # index of a step that fails more often than the others
    weight: float


@dataclass(frozen=True, slots=True)
class GeneratedCorpus:
    sessions: list[SessionSeq]
    planted: tuple[PlantedWorkflow, ...]

    @property
    def calls(self) -> int:
        return sum(len(s.steps) for s in self.sessions)


def generate_corpus(
    seed: int,
    *,
    sessions: int = 600,
    mean_calls: int = 50,
    workflows: int = 5,
    namespace: str = "demo",
    start: date = date(2025, 1, 6),
    days: int = 56,
    plant_rate: float = 0.8,
    variant_rate: float = 0.2,
    failure_rate: float = 0.02,
    weak_failure_rate: float = 0.15,
    foreign_namespace: str | None = None,
    foreign_share: float = 0.0,
) -> GeneratedCorpus:
    """Sessions of `mean_calls` calls on average (exactly `sessions * mean_calls` in total).

    Each session holds on average `plant_rate` workflow occurrences at random positions;
    the rest is Zipf noise. A `foreign_share` of sessions (if `foreign_namespace` is set)
    belongs to another namespace and reuses the same workflows.
    """
    with gc_paused():
        return _generate(
            seed,
            sessions,
            mean_calls,
            workflows,
            namespace,
            start,
            days,
            plant_rate,
            variant_rate,
            failure_rate,
            weak_failure_rate,
            foreign_namespace,
            foreign_share,
        )


def _generate(
    seed: int,
    sessions: int,
    mean_calls: int,
    workflows: int,
    namespace: str,
    start: date,
    days: int,
    plant_rate: float,
    variant_rate: float,
    failure_rate: float,
    weak_failure_rate: float,
    foreign_namespace: str | None,
    foreign_share: float,
) -> GeneratedCorpus:
    rng = random.Random(seed)
    planted = _plant_workflows(rng, workflows)
    noise_cum = list(accumulate(1.0 / (rank + 1) for rank in range(len(NOISE_TOKENS))))
    flow_cum = list(accumulate(w.weight for w in planted))
    lengths = _lengths(rng, sessions, mean_calls)
    base_ms = {token: 50.0 + 40.0 * (i % 13) for i, token in enumerate(NOISE_TOKENS)}
    base_ms.update({token: 400.0 + 90.0 * (i % 7) for i, token in enumerate(WORKFLOW_TOKENS)})
    out: list[SessionSeq] = []
    for index, length in enumerate(lengths):
        tokens, weak = _session_tokens(
            rng, length, planted, flow_cum, noise_cum, plant_rate, variant_rate
        )
        steps = tuple(
            Step(
                tool=tok.split(":", 1)[0],
                action=tok.split(":", 1)[1] if ":" in tok else None,
                ok=rng.random() >= (weak_failure_rate if pos in weak else failure_rate),
                duration_ms=round(base_ms[tok] * rng.uniform(0.5, 1.5), 1),
            )
            for pos, tok in enumerate(tokens)
        )
        ns = namespace
        if foreign_namespace is not None and rng.random() < foreign_share:
            ns = foreign_namespace
        out.append(
            SessionSeq(
                session_id=f"s{seed}-{index:06d}",
                day=start + timedelta(days=rng.randrange(days)),
                namespace=ns,
                steps=steps,
            )
        )
    return GeneratedCorpus(sessions=out, planted=tuple(planted))


def _plant_workflows(rng: random.Random, count: int) -> list[PlantedWorkflow]:
    common = NOISE_TOKENS[:8]
    planted: list[PlantedWorkflow] = []
    attempts = 0
    while len(planted) < count:
        attempts += 1
        if attempts > 10_000:
            raise ValueError(f"cannot plant {count} distinct workflows")
        size = rng.randint(5, 9)
        tokens = tuple(
            rng.choice(common) if rng.random() < 0.2 else rng.choice(WORKFLOW_TOKENS)
            for _ in range(size)
        )
        if len(set(tokens)) < 3 or any(tokens[i] == tokens[i + 1] for i in range(size - 1)):
            continue
        if any(similarity(tokens, p.tokens) >= 0.5 for p in planted):
            continue
        variant: tuple[str, ...] | None = None
        if rng.random() < 0.5:
            at = rng.randrange(2, size - 2)
            replacement = rng.choice([t for t in WORKFLOW_TOKENS if t not in tokens])
            variant = (*tokens[:at], replacement, *tokens[at + 1 :])
        weak: int | None = None
        if rng.random() < 0.5:
            rng.randrange(size)  # still drawn, so that every seed gives the corpus it gave
            weak = size - 1  # the goal step: a weak workflow often fails to reach its goal
        planted.append(
            PlantedWorkflow(
                name=f"wf{len(planted) + 1}",
                tokens=tokens,
                variant=variant,
                weak_step=weak,
                weight=rng.uniform(0.5, 2.0),
            )
        )
    return planted


def _lengths(rng: random.Random, sessions: int, mean_calls: int) -> list[int]:
    low, high = max(1, mean_calls // 2), max(1, mean_calls * 3 // 2)
    lengths = [rng.randint(low, high) for _ in range(sessions)]
    gap = sessions * mean_calls - sum(lengths)
    step = 1 if gap > 0 else -1
    i = 0
    while gap:
        if lengths[i % sessions] + step >= 1:
            lengths[i % sessions] += step
            gap -= step
        i += 1
    return lengths


def _session_tokens(
    rng: random.Random,
    length: int,
    planted: list[PlantedWorkflow],
    flow_cum: list[float],
    noise_cum: list[float],
    plant_rate: float,
    variant_rate: float,
) -> tuple[list[str], set[int]]:
    """Noise of `length` calls with workflows written over random stretches of it."""
    tokens = rng.choices(NOISE_TOKENS, cum_weights=noise_cum, k=length)
    weak: set[int] = set()
    plants = int(plant_rate) + (1 if rng.random() < plant_rate - int(plant_rate) else 0)
    cursor = 0
    for _ in range(plants):
        flow = rng.choices(planted, cum_weights=flow_cum, k=1)[0]
        seq = flow.variant if flow.variant and rng.random() < variant_rate else flow.tokens
        room = length - cursor - len(seq)
        if room < 0:
            break
        at = cursor + rng.randint(0, room // 2)
        tokens[at : at + len(seq)] = seq
        if flow.weak_step is not None:
            weak.add(at + flow.weak_step)
        cursor = at + len(seq) + 1
    return tokens, weak


@dataclass(frozen=True, slots=True)
class PlantedScore:
    """How well the top clusters recover the planted workflows."""

    precision: float
    recall: float
    matched: tuple[str, ...]  # planted names found, in rank order


def score_against_planted(
    ranked: list[tuple[str, ...]], planted: tuple[PlantedWorkflow, ...], threshold: float = 0.8
) -> PlantedScore:
    """Precision and recall of the top-K ranked token sequences, K = number planted.

    A sequence matches a planted workflow when it is one of its forms (canonical or
    variant) or at least `threshold` similar to the canonical form; each workflow can be
    matched once.
    """
    top = ranked[: len(planted)]
    free = list(planted)
    matched: list[str] = []
    for tokens in top:
        for flow in free:
            close = similarity(tokens, flow.tokens) >= threshold - 1e-9
            if close or tokens in (flow.tokens, flow.variant):
                matched.append(flow.name)
                free.remove(flow)
                break
    precision = len(matched) / len(top) if top else 0.0
    recall = len(matched) / len(planted) if planted else 1.0
    return PlantedScore(precision=precision, recall=recall, matched=tuple(matched))

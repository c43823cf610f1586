"""Skill suggestion over 2,000 promoted skills: index build (cold / from the cache) and p95
of one suggestion (signature check + helpfulness weights + FTS5 BM25 query).

Setup writes SKILL.md files straight into `.hestai/learning/skills/` (setup speed only),
rendered exactly as promotion renders them, from patterns of a generated corpus' vocabulary.
Run: python benchmarks/bench_suggest.py [--skills N] [--queries Q] [--keep DIR]
(`--keep` writes the skills once into DIR and reuses them on later runs.)
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from _util import machine, percentile

from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.learning import suggest as suggest_mod
from hestai_tmws.learning.core.generator import NOISE_TOKENS, WORKFLOW_TOKENS
from hestai_tmws.learning.core.mining import pattern_id
from hestai_tmws.learning.core.model import MinedPattern
from hestai_tmws.learning.core.search_terms import query_terms
from hestai_tmws.learning.core.sop import draft_sop
from hestai_tmws.learning.core.states import PatternState
from hestai_tmws.learning.records import PatternRecord, stats_of
from hestai_tmws.learning.skills import render_skill, skill_rel, skill_slug
from hestai_tmws.project import Project

VOCAB = (*NOISE_TOKENS, *WORKFLOW_TOKENS)


def calibrate() -> float:
    """Seconds for a fixed pure-Python loop: how busy the machine is (≈0.3 s when idle)."""
    start = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.perf_counter() - start


def fake_pattern(rng: random.Random, index: int) -> MinedPattern:
    tokens = tuple(rng.sample(VOCAB, rng.randint(3, 8)))
    support = rng.randint(5, 200)
    day = date(2025, 1, 1)
    return MinedPattern(
        id=pattern_id(f"ns{index % 7}", (*tokens, str(index))),
        namespace=f"ns{index % 7}",
        tokens=tokens,
        support=support,
        session_ids=(f"{index:012x}",),
        days=(day,),
        first_seen=day,
        last_seen=day,
        occurrences=support,
        successes=support,
        outcomes_known=support,
        success_rate=1.0,
        wilson_lower=0.9,
        mean_duration_ms=1200.0,
        stability=0.5,
        confidence=0.8,
        lift=12.0,
        expected_support=1.0,
        failed_steps=(0,) * len(tokens),
        evidence_namespaces=(f"ns{index % 7}",),
    )


def write_skills(project: Project, count: int) -> None:
    rng = random.Random(7)
    for i in range(count):
        pattern = fake_pattern(rng, i)
        record = PatternRecord(
            id=pattern.id,
            state=PatternState.PROMOTED,
            namespace=pattern.namespace,
            tokens=list(pattern.tokens),
            stats=stats_of(pattern),
            created_at=datetime.now(UTC),
        )
        draft = draft_sop(pattern)
        slug = skill_slug(draft, record)
        path = project.memory_path(skill_rel(slug))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_skill(draft, record, slug), encoding="utf-8")


QUERIES = [
    "run pytest and commit the fix",
    "deploy with helm upgrade and kubectl apply",
    "docker compose up then check the logs",
    "rebase on main and push the branch",
    "open a pull request with gh pr create",
    "format with ruff and run mypy",
    "upgrade the database with alembic",
    "build the frontend: npm run build and lint",
    "cargo test after cargo build",
    "mix format and mix test",
    "terraform plan for the staging stack",
    "fix the flaky test in src/app/cli_main.py",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skills", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--cold-runs", type=int, default=3, help="cold index builds to time")
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep the skills here")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tmws-bench-suggest-"))
    try:
        root = args.keep or tmp / "repo"
        setup = 0.0
        if not (root / ".git").is_dir():
            root.mkdir(parents=True, exist_ok=True)
            subprocess.run(["git", "init", "-q", str(root)], check=True)
            t0 = time.perf_counter()
            write_skills(Project.discover(root), args.skills)
            setup = time.perf_counter() - t0
        project = Project.discover(root)

        cold: list[float] = []
        for _ in range(args.cold_runs):
            index_mod._MEMO.clear()
            (project.cache_dir / index_mod.INDEX_CACHE).unlink(missing_ok=True)
            (project.cache_dir / getattr(index_mod, "KEY_FILE", "none")).unlink(missing_ok=True)
            t = time.perf_counter()
            index = index_mod.load_index(project)
            cold.append(time.perf_counter() - t)
        index = index_mod.load_index(project)
        assert index.count == args.skills, index.broken
        cached: list[float] = []
        for _ in range(10):
            index_mod._MEMO.clear()
            t = time.perf_counter()
            index_mod.load_index(project)
            cached.append(time.perf_counter() - t)

        terms = [query_terms([q]) for q in QUERIES]
        calls: list[float] = []
        hits = 0
        for i in range(args.queries):
            t = time.perf_counter()
            batch = suggest_mod.suggest(project, terms[i % len(terms)], threshold=0.1)
            calls.append(time.perf_counter() - t)
            hits += bool(batch.suggestions)
        held = index_mod.load_index(project)
        raw: list[float] = []
        for i in range(args.queries):
            t = time.perf_counter()
            held.search(terms[i % len(terms)], {}, 3, 0.1)
            raw.append(time.perf_counter() - t)
        fresh: list[float] = []
        fresh_cpu: list[float] = []
        for i in range(args.queries):  # a new process: nothing held, the cache file is opened
            index_mod._MEMO.clear()
            t, c = time.perf_counter(), time.process_time()
            suggest_mod.suggest(project, terms[i % len(terms)], threshold=0.1)
            fresh.append(time.perf_counter() - t)
            fresh_cpu.append(time.process_time() - c)
        full: list[float] = []
        for i in range(10):  # a new process whose quick key is stale: every skill file statted
            index_mod._MEMO.clear()
            (project.cache_dir / getattr(index_mod, "KEY_FILE", "none")).unlink(missing_ok=True)
            t = time.perf_counter()
            suggest_mod.suggest(project, terms[i % len(terms)], threshold=0.1)
            full.append(time.perf_counter() - t)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def ms(values: list[float], pct: float) -> float:
        return percentile(values, pct) * 1000

    print(f"machine: {machine()}; calibration loop {calibrate():.2f} s (idle ≈ 0.3 s)")
    print(f"setup: {args.skills} SKILL.md files in {setup:.1f} s (0: reused from --keep)")
    if cold:
        print(f"index build, cold (parse {args.skills} files + FTS5): median {ms(cold, 50):.0f} ms")
    print(f"index from the on-disk cache: p50 {ms(cached, 50):.1f} ms  p95 {ms(cached, 95):.1f} ms")
    print(
        f"suggest (held index: signature + weights + BM25): n={args.queries}  "
        f"p50 {ms(calls, 50):.2f} ms  p95 {ms(calls, 95):.2f} ms  ({hits} with results)"
    )
    print(f"BM25 query alone: p50 {ms(raw, 50):.2f} ms  p95 {ms(raw, 95):.2f} ms")
    print(
        f"suggest in a fresh process (cache file read): p50 {ms(fresh, 50):.1f} ms  "
        f"p95 {ms(fresh, 95):.1f} ms  (n={len(fresh)}); CPU p50 {ms(fresh_cpu, 50):.1f} ms  "
        f"p95 {ms(fresh_cpu, 95):.1f} ms"
    )
    print(
        f"suggest in a fresh process, quick key stale (full stat check): p50 {ms(full, 50):.1f} ms"
        f"  p95 {ms(full, 95):.1f} ms  (n={len(full)})"
    )


if __name__ == "__main__":
    main()

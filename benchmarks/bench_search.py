"""Memory search at 10k archives: index build (cold), one query (warm, p50/p95, wall and CPU),
a query after one new archive (incremental), against a same-run baseline: reading every
archive and matching the words in Python, which is what a search without the index costs.

Setup composes archives exactly as clock-out does (tool calls, summary, decisions) from a
fixed vocabulary and writes them straight into `.hestai/sessions/archive/` (setup speed only).
Run: python benchmarks/bench_search.py [--archives N] [--queries Q]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _util import machine, percentile, temp_repo

from hestai_tmws.memory.search import search_memory
from hestai_tmws.project import Project
from hestai_tmws.sessions.archive import ArchiveInputs, archive_rel, compose_archive
from hestai_tmws.sessions.model import ActiveSession
from hestai_tmws.sessions.transcripts.model import ToolCall, Transcript

SYLLABLES = ("ka", "ro", "mi", "tes", "lun", "dar", "vo", "pe", "shi", "gal", "bren", "ux")
# project memory's words follow Zipf's law: a few are everywhere, most are rare
VOCAB = tuple(
    a + b + c for a in SYLLABLES for b in SYLLABLES for c in ("", "n", "t", "ster", "ing")
)[:3000]
WEIGHTS = tuple(1 / (rank + 1) for rank in range(len(VOCAB)))
TOOLS = ("Bash", "Read", "Edit", "Grep", "Write", "Glob")
START = datetime(2025, 1, 1, tzinfo=UTC)


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCAB, WEIGHTS, k=n))


def write_archives(project: Project, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for i in range(count):
        session = ActiveSession(
            id=f"{i:012x}",
            role="implementation-lead",
            focus=sentence(rng, 2),
            started_at=START + timedelta(hours=i),
        )
        calls = [
            ToolCall(
                index=j,
                name=rng.choice(TOOLS),
                tool_use_id=f"t{j}",
                input_digest=sentence(rng, 6),
                ok=True,
            )
            for j in range(rng.randint(10, 60))
        ]
        transcript = Transcript.model_validate(
            {
                "source": Path("/t.jsonl"),
                "sha256": "f" * 64,
                "format": "claude-code",
                "tool_calls": calls,
            }
        )
        inputs = ArchiveInputs(
            session=session,
            ended_at=session.started_at + timedelta(minutes=30),
            transcript=transcript,
            summary=sentence(rng, 25),
            decisions=[sentence(rng, 10)],
            learnings=[sentence(rng, 10)],
        )
        path = project.memory_path(archive_rel(session))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(compose_archive(inputs).text, encoding="utf-8")


def naive(project: Project, words: list[str]) -> int:
    """The baseline: read every archive and keep those containing every word."""
    hits = 0
    for path in project.memory_path("sessions/archive").iterdir():
        text = path.read_text(encoding="utf-8").lower()
        hits += all(w in text for w in words)
    return hits


def timed(fn: object) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--archives", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(1)
    with temp_repo() as root:
        project = Project.discover(root)
        t0 = time.perf_counter()
        write_archives(project, args.archives)
        setup = time.perf_counter() - t0
        settled = time.time() - 60  # archives of earlier sessions: their folder is not racy
        os.utime(project.memory_path("sessions/archive"), (settled, settled))
        size = sum(p.stat().st_size for p in project.memory_path("sessions/archive").iterdir())
        cold_wall, cold_cpu = timed(lambda: search_memory(project, VOCAB[5]))
        queries = [
            " ".join(rng.sample(VOCAB[:1000], rng.randint(1, 3))) for _ in range(args.queries)
        ]
        walls, cpus = [], []
        for q in queries:
            w, c = timed(lambda q=q: search_memory(project, q, limit=10))
            walls.append(w)
            cpus.append(c)
        base_walls, base_cpus = [], []
        for q in queries[:5]:
            w, c = timed(lambda q=q: naive(project, q.split()))
            base_walls.append(w)
            base_cpus.append(c)
        worst = [timed(lambda: search_memory(project, VOCAB[0])) for _ in range(20)]
        extra = Project.discover(root)
        path = extra.memory_path("sessions/archive/2030-01-01-new-ffffffff.oct.md")
        path.write_text(
            path.parent.joinpath(sorted(p.name for p in path.parent.iterdir())[0]).read_text(),
            encoding="utf-8",
        )
        inc_wall, inc_cpu = timed(lambda: search_memory(project, VOCAB[7]))
    ms = 1000
    p50, p95 = statistics.median(walls) * ms, percentile(walls, 95) * ms
    c50, c95 = statistics.median(cpus) * ms, percentile(cpus, 95) * ms
    b50, bc50 = statistics.median(base_walls) * ms, statistics.median(base_cpus) * ms
    print(f"machine: {machine()}")
    print(f"archives: {args.archives} ({size / 1e6:.1f} MB), setup {setup:.1f} s")
    print(f"cold build + first query: {cold_wall:.2f} s wall, {cold_cpu:.2f} s CPU")
    print(
        f"query ({args.queries}): wall p50 {p50:.2f} ms p95 {p95:.2f} ms "
        f"(min {min(walls) * ms:.2f} max {max(walls) * ms:.2f}); CPU p50 {c50:.2f} p95 {c95:.2f} ms"
    )
    w50 = statistics.median(w for w, _ in worst) * ms
    wc50 = statistics.median(c for _, c in worst) * ms
    print(
        f"worst case, the commonest word (in every archive), 20 queries: wall p50 {w50:.2f} ms, "
        f"CPU p50 {wc50:.2f} ms"
    )
    print(f"after one new archive: {inc_wall * ms:.1f} ms wall, {inc_cpu * ms:.1f} ms CPU")
    print(
        f"baseline (read every archive, match in Python), 5 queries: wall p50 {b50:.0f} ms, "
        f"CPU p50 {bc50:.0f} ms"
    )
    print(f"ratio query/baseline: wall {p50 / b50:.4f}, CPU {c50 / bc50:.4f}")


if __name__ == "__main__":
    main()

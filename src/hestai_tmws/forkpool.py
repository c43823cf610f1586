"""Spread pure per-item work over the machine's cores, keeping the output identical.

A cold `tmws verify` (the format check and secret scan of each memory file) and a cold mine
(reading and parsing each session archive) spend nearly all their time in pure functions of
one file. Each result depends on its input alone, so chunks of inputs can go to worker
processes and the answers come back in input order: the caller sees what the serial loop
gives, in the same order. Few items, one core, or no `fork` on this platform: the loop runs
in this process as before. Standard library only, so any layer may use it.

A chunk that fails in a worker (an exception, a killed worker) is run again here, so the
error raised is the one the serial loop raises, never a pickled copy. Workers never write
to the standard streams: a thread of this process (a progress bar) may have held their lock
at the fork, and the worker's exit flushes them.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items the pool's start-up (forking, pickling) costs more than it saves.
MIN_ITEMS = 200
_CHUNKS_PER_WORKER = 8  # small enough chunks to balance uneven files, few enough round trips

Mapper = Callable[[Callable[[T], R], Sequence[T]], Iterator[R]]


def available_cores() -> int:
    """The cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this platform starts workers by `fork` (they inherit the imported code)."""
    return "fork" in multiprocessing.get_all_start_methods()


def serial_map(fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    """The results of `fn` over `items`, in order, in this process."""
    return map(fn, items)


def _quiet() -> None:
    """Worker start: drop the inherited standard streams (`print` to None writes nothing;
    the exit flush then touches no lock another thread of the parent may have held)."""
    sys.stdout = None
    sys.stderr = None


def _run_chunk(fn: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [fn(item) for item in chunk]


class Pool:
    """A lazily started process pool with an order-keeping `map`; use as a context manager."""

    def __init__(
        self,
        jobs: int | None = None,
        min_items: int | None = None,
        before_fork: Callable[[], object] | None = None,
    ) -> None:
        """`before_fork` runs once here before the workers start: what it builds (say, the
        secret detectors) every worker inherits instead of building it again."""
        self.jobs = available_cores() if jobs is None else max(1, jobs)
        self.min_items = MIN_ITEMS if min_items is None else min_items
        self.before_fork = before_fork
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _start(self) -> ProcessPoolExecutor | None:
        if self._executor is None:
            if not can_fork():
                return None
            if self.before_fork is not None:
                self.before_fork()
            # fork: the workers inherit the imported code (no second start-up per worker)
            context = multiprocessing.get_context("fork")
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_quiet)
        return self._executor

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """`fn` over `items`, results in input order (`fn` must be a module-level function)."""
        if self.jobs < 2 or len(items) < self.min_items:
            return serial_map(fn, items)
        executor = self._start()
        if executor is None:
            return serial_map(fn, items)
        size = max(1, -(-len(items) // (self.jobs * _CHUNKS_PER_WORKER)))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        futures = [executor.submit(_run_chunk, fn, chunk) for chunk in chunks]
        return _collect(fn, chunks, futures)

    def map_stream(self, fn: Callable[[T], R], items: Iterable[T], total: int) -> Iterator[R]:
        """`map` over `items` as they are produced (at most `total`): each chunk goes to the
        workers once it is full, so they start while the rest is still being made. `items`
        is consumed before this returns; fewer than `min_items` run here, as `map` runs them."""
        head = list(islice(items, self.min_items))
        if self.jobs < 2 or len(head) < self.min_items:
            return serial_map(fn, [*head, *items])
        executor = self._start()
        if executor is None:
            return serial_map(fn, [*head, *items])
        size = max(1, -(-total // (self.jobs * _CHUNKS_PER_WORKER)))
        chunks: list[Sequence[T]] = []
        futures: list[Future[list[R]]] = []
        chunk: list[T] = []
        for item in chain(head, items):
            chunk.append(item)
            if len(chunk) == size:
                chunks.append(chunk)
                futures.append(executor.submit(_run_chunk, fn, chunk))
                chunk = []
        if chunk:
            chunks.append(chunk)
            futures.append(executor.submit(_run_chunk, fn, chunk))
        return _collect(fn, chunks, futures)


def _collect(
    fn: Callable[[T], R], chunks: list[Sequence[T]], futures: list[Future[list[R]]]
) -> Iterator[R]:
    """Each chunk's results in turn, let go once yielded (a cold mine's 50,000 parsed
    archives held to the end cost ~60 MB)."""
    pending = deque(zip(chunks, futures, strict=True))
    chunks.clear()
    futures.clear()
    while pending:
        chunk, future = pending.popleft()
        try:
            results = future.result()
        except Exception:  # re-run here: the serial loop's own error, if there is one
            results = _run_chunk(fn, chunk)
        del future
        yield from results

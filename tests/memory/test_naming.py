"""Naming of memory documents: context names and aliases, document types, titles, slugs."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import PolicyError, UsageError
from hestai_tmws.memory.documents import submit_document
from hestai_tmws.memory.naming import (
    HISTORY_REL,
    clean_title,
    normalise_doc_type,
    resolve_context_doc,
    safe_slug,
)
from hestai_tmws.project import Project
from tests.conftest import REPO_ROOT
from tests.memory.support import files_under, memory_text
from tests.octave_oracle import assert_oracle_clean

DECISION_NAME = re.compile(r"^[0-9]{3}-[a-z0-9]+(-[a-z0-9]+)*[.]oct[.]md$")


@pytest.mark.parametrize(
    "given_name",
    ["checklist", "project-checklist", "PROJECT_CHECKLIST", "context/project-checklist.oct.md"],
)
def test_every_spelling_of_a_context_doc_resolves_alike(given_name: str) -> None:
    assert resolve_context_doc(given_name) == (
        "project-checklist",
        "checklist",
        "context/project-checklist.oct.md",
    )


def test_history_is_a_context_doc_and_the_north_star_is_not() -> None:
    assert resolve_context_doc("history")[2] == HISTORY_REL
    with pytest.raises(PolicyError):
        resolve_context_doc("north-star")
    assert resolve_context_doc("north_star", allow_north_star=True)[0] == "north-star"
    with pytest.raises(UsageError):
        resolve_context_doc("secrets")


def test_doc_types_are_normalised_or_refused() -> None:
    assert normalise_doc_type(" North_Star ") == "north-star"
    with pytest.raises(UsageError):
        normalise_doc_type("../decision")


def test_titles_are_one_bounded_line() -> None:
    assert clean_title("  Use \n JSONL  ") == "Use JSONL"
    with pytest.raises(UsageError):
        clean_title("x" * 201)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.text(max_size=80))
def test_any_title_yields_a_valid_name_or_a_usage_error(title: str) -> None:
    try:
        slug = safe_slug(title)
    except UsageError:
        return
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= 48
    assert DECISION_NAME.match(f"001-{slug}.oct.md")


# -- concurrency -------------------------------------------------------------------------------


def test_decision_numbers_are_unique_across_threads(ready: Project) -> None:
    errors: list[BaseException] = []
    results: list[int] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            for k in range(3):
                r = submit_document(
                    ready,
                    doc_type="decision",
                    content=f"thread {n} item {k}\n",
                    title=f"t{n} k{k}",
                )
                with lock:
                    results.append(r.number)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == list(range(1, 19))
    names = files_under(ready, "workflow/decisions")
    assert len(names) == 18
    assert sorted(int(n[:3]) for n in names) == list(range(1, 19))


CHILD = """
import sys
from pathlib import Path
from hestai_tmws.memory.documents import submit_document
from hestai_tmws.project import Project
project = Project.discover(Path(sys.argv[1]))
numbers = []
for k in range(3):
    r = submit_document(project, doc_type="decision", title=f"p{sys.argv[2]} k{k}",
                        content=f"process {sys.argv[2]} item {k}")
    numbers.append(r.number)
print(",".join(str(n) for n in numbers))
"""


@pytest.mark.slow
def test_decision_numbers_are_unique_across_processes(ready: Project) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(ready.root), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO_ROOT,
        )
        for n in range(4)
    ]
    numbers: list[int] = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        numbers.extend(int(x) for x in out.strip().split(","))
    assert sorted(numbers) == list(range(1, 13))
    names = files_under(ready, "workflow/decisions")
    assert sorted(int(n[:3]) for n in names) == list(range(1, 13))
    for name in names:
        assert_oracle_clean(memory_text(ready, f"workflow/decisions/{name}"))

"""document_submit, context_update, show_context and anchor_submit: median / p95 per call.

Each call is a whole service call on an initialised project (settings, routing, session
lookup, redaction, OCTAVE emit, Steward lock + fsync + ledger + `git add`).

Run: python benchmarks/bench_documents.py [--repeat N]
"""

from __future__ import annotations

import argparse

from _util import machine, median_ms, percentile, temp_repo, time_calls

from hestai_tmws.governance.rules import load_agent
from hestai_tmws.memory.context import update_context
from hestai_tmws.memory.documents import submit_document
from hestai_tmws.memory.views import show_context
from hestai_tmws.project import Project
from hestai_tmws.sessions.anchor import submit_anchor
from hestai_tmws.sessions.commitments import commitment_score
from hestai_tmws.sessions.model import ActiveSession, new_session_id, utc_now
from hestai_tmws.sessions.store import save_session
from hestai_tmws.steward import Steward
from hestai_tmws.workflows.init import init_project

TEXT = "## Context\n\nWe keep logs as JSON Lines.\n\n- one record a line\n- union merge\n" * 4


def row(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return f"| {label} | {median_ms(seconds):.2f} | {percentile(ms, 95):.2f} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    n = args.repeat
    with temp_repo() as root:
        project = Project.discover(root)
        init_project(project)
        (root / ".hestai-tmws.yaml").write_text("context_max_lines: 60\n", encoding="utf-8")
        session = ActiveSession(
            id=new_session_id(), role="implementation-lead", focus="bench", started_at=utc_now()
        )
        save_session(project, Steward(project), session)
        counter = iter(range(10 * n))

        def decision() -> None:
            submit_document(
                project, doc_type="decision", title=f"choice {next(counter)}", content=TEXT
            )

        def report() -> None:
            submit_document(project, doc_type="report", title=f"gate {next(counter)}", content=TEXT)

        def append() -> None:
            update_context(
                project,
                document="context",
                changes=[
                    {
                        "op": "append",
                        "section": "LEARNINGS",
                        "key": "RECENT",
                        "value": f"learning {next(counter)}",
                    }
                ],
            )

        agent = load_agent(project, "implementation-lead")
        version = (project.hestai_sys / ".version").read_text().strip()

        def anchor() -> None:
            submit_anchor(
                project,
                role=agent.role,
                governance_version=version,
                must_always=agent.must_always,
                must_never=agent.must_never,
            )

        def score() -> None:
            for c in agent.commitments:
                commitment_score(c, c + " always, in every session")

        results = [
            row("document_submit decision (plain text, numbered)", time_calls(decision, n)),
            row("document_submit report", time_calls(report, n)),
            row("context_update append (cap 60 lines: moves to history)", time_calls(append, n)),
            row(
                "show_context (5 docs + north star + checklist)",
                time_calls(lambda: show_context(project), n),
            ),
            row("anchor_submit (10 commitments, session write)", time_calls(anchor, n)),
            row("commitment_score × 10", time_calls(score, n)),
        ]
    print(f"machine: {machine()}; repeat {n}")
    print("| operation | median ms | p95 ms |")
    print("|---|---:|---:|")
    for line in results:
        print(line)


if __name__ == "__main__":
    main()

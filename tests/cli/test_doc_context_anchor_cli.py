"""The CLI faces of document_submit, context_update/show and anchor_submit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app
from hestai_tmws.octave import parse
from hestai_tmws.project import Project
from hestai_tmws.steward.steward import content_hash
from tests.memory.support import (
    PARAPHRASED_ALWAYS,
    PARAPHRASED_NEVER,
    ROLE,
    governance_version,
    memory_text,
    open_session,
    write_settings,
)
from tests.octave_oracle import assert_oracle_clean

runner = CliRunner()
CTX = "context/project-context.oct.md"


def tmws(project: Project, *args: str, stdin: str | None = None) -> Any:
    return runner.invoke(build_app(), ["-C", str(project.root), *args], input=stdin)


# -- doc submit --------------------------------------------------------------------------------


def test_doc_submit_with_content_json(ready: Project) -> None:
    r = tmws(
        ready,
        "doc",
        "submit",
        "decision",
        "--title",
        "Use JSONL",
        "--content",
        "Because.",
        "--json",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["rel"] == "workflow/decisions/001-use-jsonl.oct.md"
    assert data["number"] == 1
    assert_oracle_clean(memory_text(ready, data["rel"]))


def test_doc_submit_from_file_and_stdin(ready: Project, tmp_path: Path) -> None:
    src = tmp_path / "report.md"
    src.write_text("# Gate\n\nAll green.\n", encoding="utf-8")
    r = tmws(ready, "doc", "submit", "report", "-t", "Gate B2", "--file", str(src))
    assert r.exit_code == 0, r.output
    assert "created .hestai/reports/" in r.stdout
    r = tmws(
        ready, "doc", "submit", "report", "-t", "From stdin", "--file", "-", stdin="piped text\n"
    )
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in (ready.hestai / "reports").iterdir())
    assert len(names) == 2 and any(n.endswith("-from-stdin.oct.md") for n in names)


def test_doc_submit_refusals_and_exit_codes(ready: Project) -> None:
    r = tmws(ready, "doc", "submit", "../decision", "-t", "x", "--content", "y")
    assert r.exit_code == 2 and "not a document type" in r.output
    r = tmws(ready, "doc", "submit", "session-archive", "-t", "x", "--content", "y")
    assert r.exit_code == 3 and "cannot be submitted" in r.output
    r = tmws(ready, "doc", "submit", "decision", "-t", "x", "--content", "y" * 70_000)
    assert r.exit_code == 1 and "65536" in r.output
    r = tmws(ready, "doc", "submit", "decision", "-t", "x", "--content", "y", "--file", "z")
    assert r.exit_code == 2
    r = tmws(ready, "doc", "submit", "decision", "-t", "x", "--file", "/nonexistent/file")
    assert r.exit_code == 2 and "does not exist" in r.output
    assert "Traceback" not in r.output


def test_doc_submit_blocked_by_anchor_policy(ready: Project) -> None:
    write_settings(ready, anchor_required=True)
    open_session(ready)
    r = tmws(ready, "doc", "submit", "report", "-t", "x", "--content", "y")
    assert r.exit_code == 3
    assert "tmws anchor" in r.output


# -- context -----------------------------------------------------------------------------------


def test_context_update_single_change(ready: Project) -> None:
    r = tmws(
        ready,
        "context",
        "update",
        "context",
        "--op",
        "append",
        "--section",
        "RISKS",
        "--key",
        "OPEN",
        "--value",
        "flaky CI",
        "--json",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["applied"] == ["appended to RISKS.OPEN"]
    assert data["sha256"] == content_hash(memory_text(ready, CTX))
    r = tmws(
        ready,
        "context",
        "update",
        "context",
        "--op",
        "add",
        "-s",
        "IDENTITY",
        "-k",
        "SIZE",
        "--value-json",
        "[1, 2]",
    )
    assert r.exit_code == 0, r.output
    assert "added IDENTITY.SIZE" in r.stdout
    body = parse(memory_text(ready, CTX)).section("IDENTITY").body  # type: ignore[union-attr]
    assert body["SIZE"] == [1, 2]


def test_context_update_changes_file(ready: Project, tmp_path: Path) -> None:
    changes = tmp_path / "changes.json"
    changes.write_text(
        json.dumps(
            [
                {"op": "replace", "section": "TASKS", "key": "T1/STATUS", "value": "DONE"},
                {
                    "op": "add",
                    "section": "TASKS",
                    "key": "T4",
                    "value": {"WHAT": "w", "STATUS": "OPEN"},
                },
            ]
        )
    )
    r = tmws(ready, "context", "update", "checklist", "--changes-file", str(changes), "--json")
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)["applied"]) == 2


def test_context_update_conflict_returns_current_content(ready: Project) -> None:
    r = tmws(
        ready,
        "context",
        "update",
        "context",
        "--op",
        "append",
        "-s",
        "RISKS",
        "-k",
        "OPEN",
        "--value",
        "x",
        "--base-hash",
        "0" * 64,
        "--json",
    )
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["error"] == "conflict"
    assert data["current"] == memory_text(ready, CTX)
    assert data["current_hash"] == content_hash(data["current"])
    r = tmws(
        ready,
        "context",
        "update",
        "context",
        "--op",
        "append",
        "-s",
        "RISKS",
        "-k",
        "OPEN",
        "--value",
        "x",
        "--base-hash",
        "0" * 64,
    )
    assert r.exit_code == 1
    assert "changed since it was read" in r.output and "current hash" in r.output


def test_context_update_usage_errors(ready: Project) -> None:
    r = tmws(ready, "context", "update", "context")
    assert r.exit_code == 2 and "--op" in r.output
    r = tmws(ready, "context", "update", "context", "--op", "explode", "-s", "RISKS")
    assert r.exit_code == 2
    r = tmws(
        ready,
        "context",
        "update",
        "context",
        "--op",
        "add",
        "-s",
        "X",
        "-k",
        "Y",
        "--value-json",
        "{not json",
    )
    assert r.exit_code == 2 and "not valid JSON" in r.output
    r = tmws(ready, "context", "update", "north-star", "--op", "add", "-s", "X", "-k", "Y")
    assert r.exit_code == 3


def test_context_show(ready: Project) -> None:
    r = tmws(ready, "context", "show", "--json")
    assert r.exit_code == 0, r.output
    view = json.loads(r.stdout)
    assert len(view["documents"]) == 5
    assert [i["key"] for i in view["open_items"]] == ["T1", "T2", "T3"]
    assert view["north_star"]["exists"]
    r = tmws(ready, "context", "show")
    assert r.exit_code == 0
    assert "project-context" in r.stdout and "open checklist items" in r.stdout
    r = tmws(ready, "context", "show", "roadmap", "--content")
    assert r.exit_code == 0 and "===PROJECT_ROADMAP===" in r.stdout


# -- anchor ------------------------------------------------------------------------------------


def anchor_args(project: Project, version: str | None = None) -> list[str]:
    args = [
        "anchor",
        "--role",
        ROLE,
        "--governance-version",
        version or governance_version(project),
    ]
    for s in PARAPHRASED_ALWAYS:
        args += ["--must-always", s]
    for s in PARAPHRASED_NEVER:
        args += ["--must-never", s]
    return args


def test_anchor_passes(ready: Project) -> None:
    open_session(ready)
    r = tmws(ready, *anchor_args(ready), "--focus", "tests")
    assert r.exit_code == 0, r.output
    assert "anchor passed" in r.stdout
    r = tmws(ready, *anchor_args(ready), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["passed"] is True


def test_anchor_fails_with_exit_code_3(ready: Project) -> None:
    session = open_session(ready)
    r = tmws(ready, *anchor_args(ready, version="0.0.1"), "--session", session.id)
    assert r.exit_code == 3
    assert "anchor failed" in r.stdout and "0.0.1" in r.stdout
    r = tmws(ready, "anchor", "--role", ROLE, "--governance-version", "1", "--json")
    assert r.exit_code == 3
    assert len(json.loads(r.stdout)["failures"]) >= 10


def test_anchor_without_session(ready: Project) -> None:
    r = tmws(ready, *anchor_args(ready))
    assert r.exit_code == 1 and "no open session" in r.output

"""`tmws learn …`: every command, `--json` on reads, exit code 3 for illegal transitions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from hestai_tmws.cli.app import build_app
from hestai_tmws.learning import skill_index as index_mod
from hestai_tmws.project import Project
from tests.learning.loop_support import (
    OTHER_WORKFLOW,
    WORKFLOW_TOKENS,
    init_repo,
    plant_sessions,
    plant_weak,
    write_archive,
)
from tests.paths import SRC

runner = CliRunner()


@pytest.fixture(autouse=True)
def _fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    index_mod._MEMO.clear()
    monkeypatch.setattr(index_mod, "RECHECK_S", 0.0)  # every call checks the files


def tmws(project: Project, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(build_app(), ["-C", str(project.root), *args])
    return result.exit_code, result.stdout, result.stderr


def tmws_json(project: Project, *args: str) -> Any:
    code, out, err = tmws(project, *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 6)
    plant_weak(project, start=50, workflow=OTHER_WORKFLOW)  # one of three runs failed
    return project


def test_mine_reports_counts_and_caches(project: Project) -> None:
    first = tmws_json(project, "learn", "mine")
    assert (first["mode"], first["archives"], first["archives_read"], first["patterns"]) == (
        "full",
        9,
        9,
        2,
    )
    second = tmws_json(project, "learn", "mine")
    assert (second["archives_read"], second["archives_cached"], second["created"]) == (0, 9, [])
    write_archive(project, 900, [("Read", "")], day=1)
    inc = tmws_json(project, "learn", "mine", "--incremental")
    assert (inc["mode"], inc["archives_read"], inc["new_sessions"]) == ("incremental", 1, 1)
    code, out, _ = tmws(project, "learn", "mine")
    assert code == 0 and "full mine: 10 archives (0 read, 10 cached)" in out


def test_review_promote_suggest_feedback_export(project: Project) -> None:
    tmws(project, "learn", "mine")
    listed = tmws_json(project, "learn", "patterns")["patterns"]
    states = {tuple(p["chain"].split(" → ")): p for p in listed}
    main = states[WORKFLOW_TOKENS]
    other = next(p for p in listed if p is not main)
    assert (main["state"], other["state"]) == ("VALIDATED", "REJECTED")
    assert [
        p["id"] for p in tmws_json(project, "learn", "patterns", "--state", "rejected")["patterns"]
    ] == [other["id"]]

    code, _, err = tmws(project, "learn", "promote", main["id"])
    assert code == 3 and "illegal pattern transition VALIDATED -> PROMOTED" in err
    assert "hint: from VALIDATED a pattern may move to: APPROVED" in err
    code, _, err = tmws(project, "learn", "approve", other["id"])
    assert code == 3 and "REJECTED -> APPROVED" in err

    approved = tmws_json(project, "learn", "approve", main["id"][:10], "--as", "Ada Lovelace")
    assert approved["to_state"] == "APPROVED" and approved["actor"] == "person:Ada Lovelace"
    code, _, err = tmws(project, "learn", "approve", main["id"])
    assert code == 3 and "APPROVED -> APPROVED" in err

    promoted = tmws_json(project, "learn", "promote", "--as", "Ada Lovelace")["promoted"]
    [item] = promoted
    assert (project.root / item["path"]).is_file()
    shown = tmws_json(project, "learn", "show", item["skill"])
    assert shown["state"] == "PROMOTED" and shown["skill"].endswith("/SKILL.md")
    code, out, _ = tmws(project, "learn", "show", main["id"])
    assert code == 0 and "V2 pass" in out and "APPROVED → PROMOTED by person:Ada Lovelace" in out

    batch = tmws_json(project, "learn", "suggest", "pytest and ruff", "--record")
    [suggestion] = batch["suggestions"]
    assert suggestion["skill"] == item["skill"] and batch["recorded"] is True
    assert tmws_json(project, "learn", "suggest", "pytest")["recorded"] is False
    fb = tmws_json(project, "learn", "feedback", suggestion["id"], "--not-helpful")
    assert fb["helpful"] is False and fb["stats"]["unhelpful"] == 1
    code, _, err = tmws(project, "learn", "feedback", "sg-000000000000", "--helpful")
    assert code == 1 and "no suggestion sg-000000000000" in err

    skills = tmws_json(project, "learn", "skills")["skills"]
    assert [(s["skill"], s["stats"]["suggested"]) for s in skills] == [(item["skill"], 1)]
    sops = tmws_json(project, "learn", "sops", "ruff")["sops"]
    assert [s["pattern_id"] for s in sops] == [main["id"]]

    exported = tmws_json(project, "learn", "export", "--claude")
    assert exported["written"] == [f".claude/skills/{item['skill']}/SKILL.md"]
    code, _, err = tmws(project, "learn", "export")
    assert code == 2 and "choose a target" in err

    status = tmws_json(project, "learn", "status")
    assert status["by_state"]["PROMOTED"] == 1 and status["by_state"]["REJECTED"] == 1
    assert (status["skills"], status["suggestions"], status["feedback"]) == (1, 1, 1)
    code, out, _ = tmws(project, "learn", "status")
    assert code == 0 and "promoted 1" in out

    deprecated = tmws_json(project, "learn", "deprecate", item["skill"], "--reason", "old")
    assert deprecated["to_state"] == "DEPRECATED"
    assert not (project.root / item["path"]).exists()


def test_prune_and_human_tables(project: Project) -> None:
    tmws(project, "learn", "mine")
    code, out, _ = tmws(project, "learn", "patterns")
    assert code == 0 and "VALIDATED" in out and "REJECTED" in out
    code, out, _ = tmws(project, "learn", "skills")
    assert code == 0 and "no promoted skills yet" in out
    dry = tmws_json(project, "learn", "prune", "--older-than-days", "0", "--dry-run")
    assert len(dry["removed"]) == 1 and dry["dry_run"] is True
    done = tmws_json(project, "learn", "prune", "--older-than-days", "0")
    assert done["removed"] == dry["removed"]
    assert not (project.root / done["removed"][0]).exists()


def test_unknown_ids_and_states_are_usage_errors(project: Project) -> None:
    tmws(project, "learn", "mine")
    code, _, err = tmws(project, "learn", "show", "pat-ffffffffffffffff")
    assert code == 1 and "no pattern" in err
    code, _, err = tmws(project, "learn", "show", "pat-")
    assert code == 2 and "matches 2 patterns" in err
    code, _, err = tmws(project, "learn", "patterns", "--state", "nope")
    assert code == 2 and "unknown state" in err


def test_long_cold_mine_shows_progress_and_still_prints_json(tmp_path: Path) -> None:
    project = init_repo(tmp_path / "repo")
    plant_sessions(project, 60)
    code, out, _ = tmws(project, "learn", "mine")
    assert code == 0 and "full mine: 60 archives (60 read, 0 cached)" in out


@pytest.mark.slow
def test_clock_out_no_learn_in_a_real_process(tmp_path: Path) -> None:
    import os

    project = init_repo(tmp_path / "repo")
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hestai_tmws.cli.app", "-C", str(project.root), *args],
            capture_output=True,
            text=True,
            env=env,
        )

    assert run("clock-in", "--focus", "one").returncode == 0
    out = run("clock-out", "--no-learn", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["learning"] is None
    assert run("clock-in", "--focus", "two").returncode == 0
    out = run("clock-out", "--json")
    assert out.returncode == 0, out.stderr
    learning = json.loads(out.stdout)["learning"]
    assert learning["ran"] is True and learning["archives_read"] == 2


def test_mine_explain_names_the_check_that_failed(project: Project) -> None:
    code, out, _ = tmws(project, "learn", "mine", "--explain")
    assert code == 0 and "nearest candidates (and what stopped them):" in out
    assert "V2: success 2/3" in out
    report = tmws_json(project, "learn", "mine", "--explain")
    assert report["explain"][0]["reasons"][0].startswith("V2: ")
    listed = tmws_json(project, "learn", "patterns")
    assert {"id", "state", "chain", "support", "days", "lift_text"} <= set(listed["patterns"][0])

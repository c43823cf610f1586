"""The one primer: what clock-in gathers, the full text a person reads, the compact one an agent
reads (and that the Claude Code hook prints)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.errors import PathRejectedError
from hestai_tmws.integrations.claude import hooks
from hestai_tmws.learning.suggest import Suggestion
from hestai_tmws.project import Project
from hestai_tmws.workflows import primer
from hestai_tmws.workflows.clock_in import clock_in
from hestai_tmws.workflows.primer import (
    PRIMER_MAX_BYTES,
    PrimerContent,
    RecentLearning,
    full_sections,
    gather_primer,
    render_compact,
    skill_label,
)

ROLE = "implementation-lead"
SKILL = Suggestion(
    id="sg-1", skill="run-tests", description="pytest then commit", score=1.0, path="x"
)


def test_the_hook_and_the_workflow_share_one_budget() -> None:
    assert hooks.PRIMER_MAX_BYTES == PRIMER_MAX_BYTES


def test_gathering_lists_existing_files_in_reading_order(ready: Project) -> None:
    content = gather_primer(ready, ROLE)
    assert content.context_files[:2] == [
        f".hestai-sys/agents/{ROLE}.oct.md",
        ".hestai/workflow/000-project-north-star.oct.md",
    ]
    assert all((ready.root / rel).is_file() for rel in content.context_files)
    assert gather_primer(ready, "no-such-role").context_files[0].startswith(".hestai/")


def test_clock_in_carries_what_the_primer_gathers(ready: Project) -> None:
    result = clock_in(ready, role=ROLE, focus="primer")
    assert result.primer() == gather_primer(ready, ROLE)


def test_recent_learnings_skip_broken_lines_and_stop_at_the_limit(ready: Project) -> None:
    lines = [
        json.dumps({"id": "aaaaaaaa1111", "date": "2026-01-01", "learnings": ["one", "two"]}),
        "not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "bbbbbbbb2222", "date": "2026-01-02", "learnings": ["three"]}),
    ]
    ready.memory_path("sessions/archive/learnings-index.jsonl").write_text("\n".join(lines) + "\n")
    assert [r.text for r in primer.recent_learnings(ready)] == ["three", "one", "two"]
    assert [r.session for r in primer.recent_learnings(ready, limit=2)] == ["bbbbbbbb", "aaaaaaaa"]


def test_a_skill_is_labelled_the_same_from_a_model_and_from_a_mapping() -> None:
    assert skill_label(SKILL) == ("run-tests", "pytest then commit")
    assert skill_label(SKILL.model_dump()) == ("run-tests", "pytest then commit")
    assert skill_label({"title": "t", "reason": "why"}) == ("t", "why")
    assert skill_label({}) == ("?", "")


def test_the_full_text_has_every_section_in_order() -> None:
    content = PrimerContent(
        context_files=["a.md"],
        open_checklist_items=["T1: do it"],
        recent_learnings=[RecentLearning(text="learnt", session="abcd1234", date="2026-01-01")],
    )
    sections = full_sections(content, [SKILL], ["a note"])
    assert sections == [
        ("Read first", ["a.md"]),
        ("Open checklist items", ["T1: do it"]),
        ("Recent learnings", ["2026-01-01 abcd1234: learnt"]),
        ("Suggested skills", ["run-tests: pytest then commit"]),
        ("Notes", ["a note"]),
    ]
    assert full_sections(PrimerContent(), [], [])[3] == ("Suggested skills", ["(none yet)"])


def test_the_compact_text_of_a_resumed_session_asks_for_no_anchor() -> None:
    text = render_compact(
        session_id="abcdef012345", role=ROLE, focus="f", governance_version=None, read_first=[]
    )
    assert "Anchor first" in text and "none yet for this focus" in text
    resumed = render_compact(
        session_id="abcdef012345",
        role=ROLE,
        focus="f",
        governance_version="1.0.0",
        read_first=["a.md"],
        resumed=True,
    )
    assert resumed.startswith("hestai-tmws: session abcdef01 continues as")
    assert "(governance 1.0.0)." in resumed and "Read first: a.md." in resumed
    assert "Anchor first" not in resumed and "Suggested skills" not in resumed


def test_the_hook_prints_the_workflows_compact_text() -> None:
    args = {
        "session_id": "abcdef012345",
        "role": ROLE,
        "focus": "f",
        "governance_version": "1.0.0",
        "read_first": ["a.md"],
        "north_star": "Build it.",
        "checklist": ["T1: x"],
        "skills": [SKILL],
        "notes": ["n"],
    }
    assert hooks.render_primer(**args) == render_compact(**args)
    assert "Suggested skills: run-tests — pytest then commit" in render_compact(**args)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    focus=st.text(max_size=400),
    north_star=st.text(max_size=3000),
    checklist=st.lists(st.text(max_size=300), max_size=30),
    notes=st.lists(st.text(max_size=500), max_size=5),
)
def test_the_compact_text_always_fits_its_budget(
    focus: str, north_star: str, checklist: list[str], notes: list[str]
) -> None:
    text = render_compact(
        session_id="abcdef012345",
        role=ROLE,
        focus=focus,
        governance_version="1.0.0",
        read_first=[f".hestai/context/doc-{i}.oct.md" for i in range(60)],
        north_star=north_star,
        checklist=checklist,
        skills=[SKILL] * 5,
        notes=notes,
    )
    assert len(text.encode("utf-8")) <= PRIMER_MAX_BYTES
    assert text.endswith("\n")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.text(st.characters(blacklist_characters="\n", blacklist_categories=["Cs"]), max_size=40),
        max_size=30,
    ),
    trailing=st.booleans(),
    block=st.integers(min_value=1, max_value=64),
)
def test_lines_from_end_are_the_lines_last_first(
    tmp_path: Path, lines: list[str], trailing: bool, block: int
) -> None:
    path = tmp_path / "index.jsonl"
    text = "\n".join(lines) + ("\n" if trailing and lines else "")
    path.write_bytes(text.encode("utf-8"))
    got = [line for line in primer.lines_from_end(path, block=block)]
    expected = text.split("\n")[::-1] if text else []
    assert got == expected


def test_recent_learnings_read_only_the_end_of_a_long_index(
    ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = ready.memory_path("sessions/archive/learnings-index.jsonl")
    records = [
        json.dumps({"id": f"{i:012x}", "date": "2026-01-01", "learnings": [f"learnt {i}"]})
        for i in range(5000)
    ]
    index.write_text("\n".join(records) + "\n", encoding="utf-8")
    primer._line_learnings.cache_clear()  # lines read before (another test) are kept
    parsed: list[str] = []
    real = primer._json_object
    monkeypatch.setattr(primer, "_json_object", lambda line: parsed.append(line) or real(line))
    got = primer.recent_learnings(ready, limit=3)
    assert [r.text for r in got] == ["learnt 4999", "learnt 4998", "learnt 4997"]
    assert len(parsed) <= 5  # the trailing empty line and the newest records, not all 5000


def test_a_history_without_learnings_is_skipped_unparsed(
    ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most sessions record no learning; the one learning at the start of 5,000 such lines
    is found without parsing them."""
    index = ready.memory_path("sessions/archive/learnings-index.jsonl")
    first = json.dumps({"id": "0" * 12, "date": "2026-01-01", "learnings": ["the old one"]})
    empty = [
        json.dumps({"id": f"{i:012x}", "date": "2026-01-02", "learnings": [], "focus": "x"})
        for i in range(1, 5000)
    ]
    index.write_text("\n".join([first, *empty]) + "\n", encoding="utf-8")
    primer._line_learnings.cache_clear()  # lines read before (another test) are kept
    parsed: list[str] = []
    real = primer._json_object
    monkeypatch.setattr(primer, "_json_object", lambda line: parsed.append(line) or real(line))
    assert [r.text for r in primer.recent_learnings(ready, limit=3)] == ["the old one"]
    assert parsed == [first]


def test_an_index_line_is_parsed_once_and_an_edited_one_anew(
    ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = ready.memory_path("sessions/archive/learnings-index.jsonl")
    record = {"id": "c" * 12, "date": "2026-01-03", "learnings": ["kept by its text"]}
    index.write_text(json.dumps(record) + "\n", encoding="utf-8")
    primer._line_learnings.cache_clear()
    parsed = calls_of(monkeypatch, "_json_object")
    assert [r.text for r in primer.recent_learnings(ready)] == ["kept by its text"]
    index.write_text(json.dumps(record) + "\n\n", encoding="utf-8")  # the same line, rewritten
    assert [r.text for r in primer.recent_learnings(ready)] == ["kept by its text"]
    assert len(parsed) == 1
    record["learnings"] = ["edited"]
    index.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert [r.text for r in primer.recent_learnings(ready)] == ["edited"]


def test_recent_learnings_follow_appends_and_replacements(ready: Project) -> None:
    index = ready.memory_path("sessions/archive/learnings-index.jsonl")

    def line(i: int) -> str:
        return json.dumps({"id": f"{i:012x}", "date": "2026-01-01", "learnings": [f"l{i}"]})

    index.write_text(line(1) + "\n", encoding="utf-8")
    assert [r.text for r in primer.recent_learnings(ready)] == ["l1"]
    with index.open("a", encoding="utf-8") as fh:
        fh.write(line(2) + "\n")
    assert [r.text for r in primer.recent_learnings(ready)] == ["l2", "l1"]
    replacement = index.with_name("index.tmp")
    replacement.write_text(line(3) + "\n", encoding="utf-8")
    os.replace(replacement, index)  # what an atomic rewrite does: same size, new inode
    assert [r.text for r in primer.recent_learnings(ready)] == ["l3"]
    index.unlink()
    assert primer.recent_learnings(ready) == []


def calls_of(monkeypatch: pytest.MonkeyPatch, name: str) -> list[object]:
    """The arguments of every call of `primer.<name>` from now on (it still does its work)."""
    seen: list[object] = []
    real = getattr(primer, name)
    monkeypatch.setattr(primer, name, lambda arg: seen.append(arg) or real(arg))
    return seen


def test_the_north_star_paragraph_is_kept_until_the_file_changes(
    ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ready.memory_path("workflow/000-project-north-star.oct.md")
    parsed = calls_of(monkeypatch, "north_star_summary")
    first = primer.north_star_paragraph(ready)
    assert "outcome this project exists to deliver" in first
    assert primer.north_star_paragraph(ready) == first and len(parsed) == 1  # not re-parsed
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("outcome this project", "result we"), encoding="utf-8")
    assert "result we exists to deliver" in primer.north_star_paragraph(ready)  # edited in place
    path.unlink()
    assert primer.north_star_paragraph(ready) == ""


def test_a_north_star_replaced_by_a_link_is_refused_even_when_kept(ready: Project) -> None:
    path = ready.memory_path("workflow/000-project-north-star.oct.md")
    assert primer.north_star_paragraph(ready)
    moved = ready.root / "elsewhere.oct.md"
    os.replace(path, moved)
    path.symlink_to(moved)  # the same file (inode, size, times) behind a link
    with pytest.raises(PathRejectedError):
        primer.north_star_paragraph(ready)


def test_the_open_checklist_is_kept_until_the_file_changes(
    ready: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = primer.open_checklist(ready)  # parsed, and kept
    parsed = calls_of(monkeypatch, "parse")
    assert [item.split(":")[0] for item in first] == ["T1", "T2", "T3"]
    first.append("a caller's change")  # each caller gets its own list
    assert [i.split(":")[0] for i in primer.open_checklist(ready)] == ["T1", "T2", "T3"]
    assert parsed == []
    path = ready.memory_path("context/project-checklist.oct.md")
    text = path.read_text(encoding="utf-8")
    done = text.replace("STATUS::OPEN", "STATUS::DONE", 1).replace("Write the", "Write all the")
    path.write_text(done, encoding="utf-8")  # in place, a different size
    assert [item.split(":")[0] for item in primer.open_checklist(ready)] == ["T2", "T3"]
    replacement = path.with_name("checklist.tmp")
    replacement.write_text(text, encoding="utf-8")
    os.replace(replacement, path)  # an atomic rewrite: a new inode
    assert [item.split(":")[0] for item in primer.open_checklist(ready)] == ["T1", "T2", "T3"]
    path.unlink()
    assert primer.open_checklist(ready) == []

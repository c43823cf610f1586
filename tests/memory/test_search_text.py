"""What is indexed of a record: ids that `tmws show` takes, titles, dates, plain text."""

from __future__ import annotations

from hestai_tmws.memory.search_text import extract


def test_a_decision_keeps_its_number_title_and_values_without_syntax() -> None:
    text = (
        '===DECISION===\nMETA:\n  TYPE::DECISION\n  TITLE::use-sqlite\n  DATE::"2026-11-02"\n'
        '---\n§1::DECISION\n  CHOICE::"SQLite FTS5"\n===END===\n'
    )
    got = extract("decision", "workflow/decisions/003-use-sqlite.oct.md", text, 0.0)
    assert (got.record_id, got.title, got.date) == ("003", "use-sqlite", "2026-11-02")
    assert "SQLite FTS5" in got.body and "::" not in got.body


def test_an_unparsable_file_is_indexed_as_text() -> None:
    got = extract("report", "reports/2026-01-05-notes.oct.md", "not octave at all", 0.0)
    assert got.body == "not octave at all" and got.date == "2026-01-05"


def test_a_skill_is_named_by_its_front_matter() -> None:
    text = "---\nname: run-tests\ndescription: how\n---\nRun pytest.\n"
    got = extract("skill", "learning/skills/run-tests/SKILL.md", text, 0.0)
    assert (got.record_id, got.title) == ("run-tests", "run-tests")

"""The one `validate`: placement by the routing table, the format a name promises, strict limits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.errors import PathRejectedError, ValidationError
from hestai_tmws.governance.placement import routing_placement
from hestai_tmws.governance.rules import load_routing, route
from hestai_tmws.octave import Document, OctaveError, emit
from hestai_tmws.project import Project
from hestai_tmws.steward import Steward
from hestai_tmws.steward.validate import Issue, check_content, check_placement, raise_first


@dataclass(frozen=True)
class Rule:
    doc_type: str = "thing"
    committed: bool = True
    envelope: str | None = "THING"
    max_bytes: int | None = 200
    format: str = "octave"
    append_only: bool = False


def codes(issues: list[Issue]) -> list[str]:
    return [i.code for i in issues]


def test_placement_without_a_table_accepts_everything() -> None:
    assert check_placement("anything/at/all.md", None) == (None, [])


def test_placement_by_the_table(ready: Project) -> None:
    placement = partial(route, load_routing(ready))
    rule, issues = check_placement("context/project-context.oct.md", placement)
    assert rule is not None and rule.doc_type == "context" and issues == []
    assert codes(check_placement("reports/a.json", placement)[1]) == ["MISPLACED"]
    _, active = check_placement("sessions/active/" + "a" * 32 + "/session.json", placement)
    assert codes(active) == ["NOT_COMMITTED_TYPE"]


def test_formats_are_checked_by_name_and_limits_only_when_strict() -> None:
    assert codes(check_content("a.json", "{", None, strict=False)) == ["JSON_INVALID"]
    assert codes(check_content("a.jsonl", '{}\n{"a":\n', None, strict=False)) == ["JSONL_INVALID"]
    octave = check_content("a.oct.md", "not octave", None, strict=False)
    assert codes(octave) == ["OCTAVE_INVALID"] and isinstance(octave[0].error, OctaveError)
    text = "===OTHER===\nMETA:\n  TYPE::OTHER\n===END===\n"
    assert check_content("a.oct.md", text, Rule(), strict=False) == []
    assert codes(check_content("a.oct.md", text, Rule(), strict=True)) == ["WRONG_ENVELOPE"]
    big = "x" * 300
    assert codes(check_content("SKILL.md", big, Rule(format="skill"), strict=True)) == [
        "TOO_BIG",
        "SKILL_FRONT_MATTER",
    ]
    assert codes(check_content("a.md", "a\n<<<<<<< ours\n", None, strict=True)) == [
        "CONFLICT_MARKERS"
    ]
    record = check_content(
        "a.jsonl", '{"a": "' + "y" * 20 + '"}\n', Rule(max_bytes=10, append_only=True), strict=True
    )
    assert codes(record) == ["RECORD_TOO_BIG"] and record[0].line == 1


def test_issues_become_the_errors_writers_raise() -> None:
    with pytest.raises(PathRejectedError, match=r"^\.hestai/x\.md: no routing rule") as info:
        raise_first(
            [Issue("MISPLACED", "no routing rule allows a file here", placement=True)],
            ".hestai/x.md",
        )
    assert info.value.hint
    with pytest.raises(ValidationError, match=r"^a\.jsonl:2: not a JSON line: bad$"):
        raise_first([Issue("JSONL_INVALID", "not a JSON line", line=2, detail="bad")], "a.jsonl")
    raise_first([], "nothing to raise")


@given(st.text(max_size=200))
def test_valid_json_lines_never_raise(text: str) -> None:
    lines = "".join(json.dumps(line) + "\n" for line in text.splitlines())
    assert check_content("log.jsonl", lines, None, strict=False) == []


def test_a_steward_given_the_table_refuses_misplaced_writes(ready: Project) -> None:
    steward = Steward(ready, placement=routing_placement(ready))
    with pytest.raises(PathRejectedError, match="no routing rule"):
        steward.write_text("reports/a.json", "{}")
    assert not (ready.hestai / "reports/a.json").exists()
    Steward(ready).write_text("reports/a.json", "{}")  # without the table: names only


def test_an_emitted_archive_skips_the_parse_but_not_the_envelope_check() -> None:
    rule = Rule(envelope="SESSION_ARCHIVE", max_bytes=None)
    other = emit(Document(name="OTHER", body={"KEY": "v"}))
    assert [
        i.code for i in check_content("sessions/archive/x.oct.md", other, rule, strict=True)
    ] == ["WRONG_ENVELOPE"]
    good = emit(Document(name="SESSION_ARCHIVE", body={"KEY": "v"}))
    assert check_content("sessions/archive/x.oct.md", good, rule, strict=True) == []


def test_a_text_not_emitted_here_is_still_parsed_and_refused_when_broken() -> None:
    text = emit(Document(name="SESSION_ARCHIVE", body={"KEY": "v"}))
    broken = text.replace("===END===", "")
    issues = check_content("sessions/archive/x.oct.md", broken, None, strict=False)
    assert [i.code for i in issues] == ["OCTAVE_INVALID"]

"""`octave.check`: every problem of a file with its line, not only the first."""

from __future__ import annotations

from pathlib import Path

from hestai_tmws.octave.check import check_file, check_files, problems

BAD = "===X===\nA::foo(bar)\nB::1\nC::2025-01-01\nD::[a,b(c)]\nE:\n  1::x\n===END===\n"


def test_lists_every_problem_with_its_line() -> None:
    found = problems(BAD)
    assert [p.line for p in found] == [2, 4, 5, 7]
    assert "'('" in found[0].message and "timestamp" in found[1].message
    assert "numeric key" in found[3].message and found[3].hint


def test_a_valid_text_has_no_problem() -> None:
    assert problems("===X===\nA::NEVER<A,B>\nS::DONE[all]\n===END===\n") == []


def test_stops_where_nothing_after_can_be_read() -> None:
    found = problems("not octave\n")
    assert len(found) == 1 and found[0].line == 1


def test_files(tmp_path: Path) -> None:
    good = tmp_path / "good.oct.md"
    good.write_text("===G===\nA::1\n===END===\n")
    bad = tmp_path / "bad.oct.md"
    bad.write_text(BAD)
    binary = tmp_path / "bin.oct.md"
    binary.write_bytes(b"\xff\xfe")
    report = check_files([good, bad, binary, tmp_path / "missing.oct.md"])
    assert not report.ok
    assert [f.ok for f in report.files] == [True, False, False, False]
    assert "UTF-8" in report.files[2].problems[0].message
    assert report.files[3].problems[0].line is None
    assert check_file(good).ok

"""`steward.provenance.parse_text`: records and malformed lines, kept for a few texts."""

from __future__ import annotations

from hestai_tmws.steward.provenance import ProvenanceRecord, parse_text

_GOOD = ProvenanceRecord(".hestai/a.md", "a" * 40, "write", "2025-01-01T00:00:00Z").to_line()


def test_records_and_bad_lines() -> None:
    records, bad = parse_text(_GOOD + "not json\n\n" + _GOOD.replace("a" * 40, "A" * 40))
    assert [r.path for r in records] == [".hestai/a.md"] and bad == [2, 4]


def test_another_text_gets_its_own_answer() -> None:
    assert parse_text(_GOOD)[1] == []
    assert parse_text(_GOOD + "{}\n")[1] == [2]  # the kept answer is for its text only
    assert parse_text(_GOOD.replace("a" * 40, "b" * 64))[0][0].blob == "b" * 64


def test_callers_get_their_own_lists() -> None:
    records, bad = parse_text(_GOOD + "x\n")
    records.clear()
    bad.append(99)
    assert len(parse_text(_GOOD + "x\n")[0]) == 1 and parse_text(_GOOD + "x\n")[1] == [2]


def test_object_ids_are_lower_case_hex_of_40_or_64() -> None:
    for blob, ok in (("a" * 40, True), ("0" * 64, True), ("a" * 41, False), ("g" * 40, False)):
        assert bool(parse_text(_GOOD.replace("a" * 40, blob))[0]) is ok

"""`read_lists`: a pair list is a dict only when nothing would be merged or dropped."""

from __future__ import annotations

from hestai_tmws.octave.read_lists import NOT_A_PAIR, finish_list, holds_map


def test_distinct_keys_make_a_dict() -> None:
    assert finish_list(["a", "b"], [1, 2]) == {"a": 1, "b": 2}


def test_repeated_keys_and_mixed_items_stay_a_list_of_one_pair_dicts() -> None:
    assert finish_list(["R", "R"], ["x", "y"]) == [{"R": "x"}, {"R": "y"}]
    assert finish_list([NOT_A_PAIR, "k", NOT_A_PAIR], ["a", "b", "c"]) == ["a", {"k": "b"}, "c"]
    assert finish_list([NOT_A_PAIR], ["a"]) == ["a"]


def test_holds_map() -> None:
    assert holds_map({"a": 1}) and holds_map([1, {"a": 1}])
    assert not holds_map([1, [2]]) and not holds_map("x")

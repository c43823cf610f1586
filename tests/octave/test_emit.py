"""The emitter writes the exact canonical bytes, one feature at a time."""

from __future__ import annotations

import math

import pytest

from hestai_tmws.octave import Document, Literal, OctaveError, Section, emit, parse
from tests.octave_oracle import assert_oracle_clean


def body(**values: object) -> Document:
    return Document("X", body=dict(values))


def lines_of(doc: Document) -> list[str]:
    """The body lines of the emitted text (between ``---`` and ``===END===``)."""
    text = emit(doc)
    assert_oracle_clean(text)
    assert parse(text) == doc
    out = text.split("\n")
    return out[out.index("---") + 1 : -2]


def test_envelope_meta_separator_and_end() -> None:
    doc = Document("SESSION_ARCHIVE", meta={"TYPE": "SESSION_ARCHIVE", "VERSION": "1.0"})
    text = emit(doc)
    assert text == (
        '===SESSION_ARCHIVE===\nMETA:\n  TYPE::SESSION_ARCHIVE\n  VERSION::"1.0"\n---\n===END===\n'
    )
    assert_oracle_clean(text)


def test_empty_meta_is_omitted_but_separator_stays() -> None:
    text = emit(Document("X", body={"A": 1}))
    assert text == "===X===\n---\nA::1\n===END===\n"
    assert_oracle_clean(text)


def test_scalars() -> None:
    assert lines_of(body(N=None, T=True, F=False, I=-42, BIG=10**30, FL=1.5, E=1e16, S=5e-324)) == [
        "N::null",
        "T::true",
        "F::false",
        "I::-42",
        "BIG::1000000000000000000000000000000",
        "FL::1.5",
        "E::1e+16",
        "S::5e-324",
    ]


def test_negative_zero_keeps_its_sign() -> None:
    back = parse(emit(body(Z=-0.0))).body["Z"]
    assert isinstance(back, float) and math.copysign(1.0, back) == -1.0


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_are_refused(bad: float) -> None:
    with pytest.raises(OctaveError, match="non-finite"):
        emit(body(V=bad))
    with pytest.raises(OctaveError, match="non-finite"):
        emit(body(V=[{"A": [bad]}, {}]))


def test_integers_too_long_for_str_are_refused() -> None:
    with pytest.raises(OctaveError, match="integer too large"):
        emit(body(V=10**5000))


def test_strings_that_look_like_other_types_stay_strings() -> None:
    assert lines_of(body(A="1", B="1.0", C="true", D="null", E="", F="-3")) == [
        'A::"1"',
        'B::"1.0"',
        'C::"true"',
        'D::"null"',
        'E::""',
        'F::"-3"',
    ]


def test_lists_one_line_up_to_two_scalars_else_one_item_a_line() -> None:
    assert lines_of(body(E=[], ONE=["a"], TWO=["a", 2], THREE=["a", "b c", None])) == [
        "E::[]",
        "ONE::[a]",
        "TWO::[a,2]",
        "THREE::[",
        "  a,",
        '  "b c",',
        "  null",
        "]",
    ]


def test_nested_lists_go_multiline_with_relative_indent() -> None:
    doc = Document("X", sections=[Section(1, "S", {"L": [[1], []]})])
    text = emit(doc)
    assert "\n".join(text.split("\n")[2:-2]) == "§1::S\n  L::[\n    [1],\n    []\n  ]"
    assert_oracle_clean(text)
    assert parse(text) == doc


def test_dict_in_a_list_is_a_bracketed_group() -> None:
    assert lines_of(
        body(CALLS=[{"TOOL": "Bash", "N": 2}, {"TOOL": "Edit", "FILES": ["a", "b", "c"]}])
    ) == [
        "CALLS::[",
        "  [",
        "    TOOL::Bash,",
        "    N::2",
        "  ],",
        "  [",
        "    TOOL::Edit,",
        "    FILES::[",
        "      a,",
        "      b,",
        "      c",
        "    ]",
        "  ]",
        "]",
    ]


def test_blocks_nest_with_two_spaces() -> None:
    assert lines_of(body(D1={"WHAT": "x y", "INNER": {"DEEP": {"K": 1}}})) == [
        "D1:",
        '  WHAT::"x y"',
        "  INNER:",
        "    DEEP:",
        "      K::1",
    ]


def test_sections_after_body() -> None:
    doc = Document(
        "X",
        body={"TOP": 1},
        sections=[Section(1, "CONTEXT", {"GOAL": "g"}), Section("2b", "MORE"), Section("REF", "R")],
    )
    text = emit(doc)
    assert text == ("===X===\n---\nTOP::1\n§1::CONTEXT\n  GOAL::g\n§2b::MORE\n§REF::R\n===END===\n")
    assert_oracle_clean(text)
    assert parse(text) == doc


def test_literal_zone() -> None:
    doc = Document("X", sections=[Section(1, "S", {"LOG": Literal("a\n\tb\n", "python")})])
    text = emit(doc)
    assert text == "===X===\n---\n§1::S\n  LOG::\n  ```python\na\n\tb\n\n  ```\n===END===\n"
    assert_oracle_clean(text)
    assert parse(text) == doc


def test_literal_fence_outgrows_fences_in_the_content() -> None:
    lit = Literal("```\n  `````py\n===END===", "")
    lines = lines_of(body(L=lit))
    assert lines == ["L::", "``````", "```", "  `````py", "===END===", "``````"]


def test_empty_literal_and_literal_of_one_newline() -> None:
    assert lines_of(body(E=Literal(""), N=Literal("\n"))) == [
        "E::",
        "```text",
        "```",
        "N::",
        "```text",
        "",
        "",
        "```",
    ]


def test_literal_in_meta_and_in_a_meta_block() -> None:
    doc = Document("X", meta={"L": Literal("x"), "B": {"M": Literal("y", "")}})
    text = emit(doc)
    assert text == (
        "===X===\nMETA:\n  L::\n  ```text\nx\n  ```\n  B:\n    M::\n    ```\ny\n    ```\n"
        "---\n===END===\n"
    )
    assert_oracle_clean(text)
    assert parse(text) == doc


def test_empty_dict_becomes_json_tag() -> None:
    assert lines_of(body(E={}, L=[{}], B={"E": {}})) == [
        'E::"~~json:{}"',
        'L::["~~json:{}"]',
        "B:",
        '  E::"~~json:{}"',
    ]


def test_meta_allows_one_block_level_then_json() -> None:
    doc = Document("X", meta={"B": {"C": {"D": 1}}})
    text = emit(doc)
    assert '    C::"~~json:{\\"D\\":1}"' in text.split("\n")
    assert_oracle_clean(text)
    assert parse(text) == doc


def test_dict_inside_a_group_falls_back_to_json() -> None:
    assert lines_of(body(L=[{"A": {"B": 1}}])) == ['L::["~~json:{\\"A\\":{\\"B\\":1}}"]']


def test_constructor_keys_in_groups() -> None:
    # TYPE with a bare value stays a group; quoted or PATTERN values would warn -> json.
    assert lines_of(body(L=[{"TYPE": "file"}, {"TYPE": "two words"}, {"PATTERN": "x"}])) == [
        "L::[",
        "  [",
        "    TYPE::file",
        "  ],",
        '  "~~json:{\\"TYPE\\":\\"two words\\"}",',
        '  "~~json:{\\"PATTERN\\":\\"x\\"}"',
        "]",
    ]


def test_pattern_and_regex_values_are_always_quoted_outside_meta() -> None:
    assert lines_of(body(PATTERN="abc", REGEX="A→B", OTHER="abc")) == [
        'PATTERN::"abc"',
        'REGEX::"A→B"',
        "OTHER::abc",
    ]
    doc = Document("X", meta={"PATTERN": "abc"})
    assert "  PATTERN::abc" in emit(doc).split("\n")
    assert_oracle_clean(emit(doc))


def test_lists_deeper_than_four_brackets_become_json() -> None:
    deep = [[[["x"]]]]
    assert lines_of(body(OK=deep)) == [
        "OK::[",
        "  [",
        "    [",
        "      [x]",
        "    ]",
        "  ]",
        "]",
    ]
    lines = lines_of(body(DEEP=[deep]))
    assert '      ["~~json:[\\"x\\"]"]' in lines


def test_very_deep_blocks_are_refused() -> None:
    deep: dict[str, object] = {"V": 1}
    for _ in range(95):
        deep = {"B": deep}
    with pytest.raises(OctaveError, match="blocks nested deeper than 90"):
        emit(body(D=deep))


def test_tuples_are_written_as_lists() -> None:
    text = emit(Document("X", body={"T": ("a", 1)}))
    assert "T::[a,1]" in text.split("\n")


@pytest.mark.parametrize("name", ["", "END", "1X", "A-B", "A B", "A:", ":B", "A::B", "Ä", None])
def test_bad_envelope_names(name: object) -> None:
    with pytest.raises(OctaveError, match="invalid envelope name"):
        emit(Document(name))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "key",
    [
        "",
        "1A",
        "A B",
        "A:B",
        "A-",
        "true",
        "vs",
        "True",
        "NULL",
        "DevSecOps",
        "true.x",
        "§A",
        3,
        None,
    ],
)
def test_bad_keys_are_refused_everywhere(key: object) -> None:
    for doc in (
        Document("X", meta={key: 1}),  # type: ignore[dict-item]
        Document("X", body={key: 1}),  # type: ignore[dict-item]
        Document("X", body={"B": {key: 1}}),  # type: ignore[dict-item]
        Document("X", body={"L": [{key: 1}]}),  # type: ignore[dict-item]
        Document("X", body={"L": [{"A": {key: 1}}]}),  # type: ignore[dict-item]
        Document("X", sections=[Section(1, "S", {key: 1})]),  # type: ignore[dict-item]
    ):
        with pytest.raises(OctaveError, match="invalid key"):
            emit(doc)


@pytest.mark.parametrize("number", [-1, "1", "", "2bb", "٣b", "A-B", "true", True, 1.5, None])
def test_bad_section_numbers(number: object) -> None:
    with pytest.raises(OctaveError, match="invalid section number"):
        emit(Document("X", sections=[Section(number, "S")]))  # type: ignore[arg-type]


def test_bad_section_name() -> None:
    with pytest.raises(OctaveError, match="invalid section name"):
        emit(Document("X", sections=[Section(1, "A B")]))


def test_literal_only_as_the_value_of_a_key() -> None:
    for doc in (
        body(L=[Literal("x")]),
        body(L=[{"A": Literal("x")}]),
        body(E={"A": {}, "B": [[[[[Literal("x")]]]]]}),
        Document("X", meta={"A": {"B": {"C": Literal("x")}}}),
    ):
        with pytest.raises(OctaveError, match="literal zone"):
            emit(doc)


@pytest.mark.parametrize("lang", ["a b", "a`b", "é", " py", None])
def test_bad_literal_language(lang: object) -> None:
    with pytest.raises(OctaveError, match="invalid literal language"):
        emit(body(L=Literal("x", lang)))  # type: ignore[arg-type]


def test_unknown_value_types_are_refused() -> None:
    with pytest.raises(OctaveError, match="type object"):
        emit(body(V=object()))
    with pytest.raises(OctaveError, match="type set"):
        emit(body(V=[set()]))


def test_emit_is_linear_in_entries() -> None:
    """A big archive-shaped document emits and reads back (speed lives in benchmarks/)."""
    entries = {f"E{i}": {"TOOL": "Bash", "INPUT": f"ls -la {i}", "OK": True} for i in range(500)}
    doc = Document("SESSION_ARCHIVE", body={"ENTRIES": entries})
    assert parse(emit(doc)) == doc

"""How each kind of str is written (bare, quoted, tagged), and that each form reads back."""

from __future__ import annotations

import pytest

from hestai_tmws.octave import Document, OctaveError, emit, is_bare_safe, parse, validate_key
from hestai_tmws.octave.lexical import decode_string, encode_str, tagged_json
from tests.octave_oracle import assert_oracle_clean

CASES = [
    # bare
    ("APPROVED", "APPROVED", "APPROVED"),
    ("implementation-lead", "implementation-lead", "implementation-lead"),
    ("src.main", "src.main", "src.main"),
    ("envs", "envs", "envs"),
    ("vsync", "vsync", "vsync"),
    ("true_x", "true_x", "true_x"),
    ("$VAR", "$VAR", "$VAR"),
    ("user@example.com", "user@example.com", "user@example.com"),
    ("A⊕B", "A⊕B", "A⊕B"),
    ("A⇌B", "A⇌B", "A⇌B"),
    # → is bare only inside a list; ∧ and chained ⇌ never
    ("read→plan", '"~~s:read→plan"', "read→plan"),
    ("p∧q", '"~~s:p∧q"', '"~~s:p∧q"'),
    ("a⇌b⇌c", '"~~s:a⇌b⇌c"', '"~~s:a⇌b⇌c"'),
    # quoted
    ("", '""', '""'),
    ("two words", '"two words"', '"two words"'),
    ("1.0", '"1.0"', '"1.0"'),
    ("true", '"true"', '"true"'),
    ("vs", '"vs"', '"vs"'),
    ("a -> b", '"a -> b"', '"a -> b"'),
    ("a\nb\tc", '"a\\nb\\tc"', '"a\\nb\\tc"'),
    ('say "hi" \\o/', '"say \\"hi\\" \\\\o/"', '"say \\"hi\\" \\\\o/"'),
    ("===END===", '"===END==="', '"===END==="'),
    ("```", '"```"', '"```"'),
    ("// no comment", '"// no comment"', '"// no comment"'),
    ("§1", '"§1"', '"§1"'),
    ("café", '"café"', '"café"'),
    ("100%", '"100%"', '"100%"'),
    # tagged
    ("True", '"~~s:True"', '"~~s:True"'),
    ("DevSecOps", '"~~s:DevSecOps"', '"~~s:DevSecOps"'),
    ("true.x", '"~~s:true.x"', '"~~s:true.x"'),
    ("NEVER<A,true>", '"~~s:NEVER<A,true>"', '"~~s:NEVER<A,true>"'),
    ("cr\r\nlf", '"~~s:cr%{0D}\\nlf"', '"~~s:cr%{0D}\\nlf"'),
    ("nul\x00", '"~~s:nul%{00}"', '"~~s:nul%{00}"'),
    ("50% e\u0301", '"~~s:50%{25} e%{301}"', '"~~s:50%{25} e%{301}"'),
    ("\n\u0301", '"~~s:\\n%{301}"', '"~~s:\\n%{301}"'),
    ("\u212b", '"~~s:%{212B}"', '"~~s:%{212B}"'),
    ("\u1100\u1161", '"~~s:%{1100}%{1161}"', '"~~s:%{1100}%{1161}"'),
    ("\u2028", '"~~s:%{2028}"', '"~~s:%{2028}"'),
    ("~~s:x", '"~~s:~~s:x"', '"~~s:~~s:x"'),
]


@pytest.mark.parametrize(("text", "as_value", "in_list"), CASES)
def test_string_forms(text: str, as_value: str, in_list: str) -> None:
    assert encode_str(text) == as_value
    assert encode_str(text, in_list=True) == in_list
    doc = Document("S", body={"V": text, "L": [text]})
    out = emit(doc)
    assert f"V::{as_value}" in out.split("\n")
    assert f"L::[{in_list}]" in out.split("\n")
    assert_oracle_clean(out)
    assert parse(out) == doc


@pytest.mark.parametrize("text", ["NAME<q>", "NEVER<A,B>", "X<a_1,B2>"])
def test_constructors_are_written_bare_one_item_a_line_in_lists(text: str) -> None:
    # The reference reads NAME<a,b> as this very str and puts such list items one a line.
    assert encode_str(text) == text and encode_str(text, in_list=True) == text
    doc = Document("S", body={"V": text, "L": [text]})
    out = emit(doc)
    assert f"V::{text}\nL::[\n  {text}\n]\n" in out
    assert_oracle_clean(out)
    assert parse(out) == doc


def test_force_quote_for_pattern_keys() -> None:
    assert encode_str("abc", force_quote=True) == '"abc"'
    assert encode_str("A→B", force_quote=True) == '"A→B"'
    assert encode_str("True", force_quote=True) == '"True"'
    assert encode_str("x\x01", force_quote=True) == '"~~s:x%{01}"'


def test_tagged_json_is_ascii_and_reads_back() -> None:
    value = {"A": ["é", "\x7f", 1.5, None, True], "B": {}}
    token = tagged_json(value)
    assert token.isascii() and "\x7f" not in token
    assert parse(f"===X===\nV::{token}\n===END===\n").body["V"] == value
    assert decode_string("~~json:[1]") == [1]


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ('"~~x:1"', "unknown tagged string"),
        ('"~~s:50%"', "bad %-escape"),
        ('"~~s:%{D800}"', "bad code point"),
        ('"~~s:%{110000}"', "bad code point"),
        ('"~~json:{"', "bad ~~json"),
        ('"~~json:NaN"', "bad ~~json"),
        ('"~~json:[1e400]"', "out of range"),
    ],
)
def test_bad_tags_are_errors_with_line(token: str, message: str) -> None:
    with pytest.raises(OctaveError, match=message) as info:
        parse(f"===X===\n---\nA::1\nV::{token}\n===END===\n")
    assert info.value.line == 4


def test_is_bare_safe_and_validate_key() -> None:
    assert is_bare_safe("A_b.c-d")
    for bad in ("A-", "-A", "true", "True", "vs", "null.x", "DevSecOps", "a b", ""):
        assert not is_bare_safe(bad)
    assert validate_key("GOAL") == "GOAL"
    with pytest.raises(OctaveError, match="invalid key 'a b'") as info:
        validate_key("a b")
    assert info.value.hint and "[A-Za-z_]" in info.value.hint

"""Every rejection names the offending line."""

from __future__ import annotations

import pytest

from hestai_tmws.errors import ValidationError
from hestai_tmws.octave import OctaveError, parse

CASES = [
    # (text, line, message fragment)
    ("", 1, "empty document"),
    ("// only a comment\n", 1, "empty document"),
    ("A::1\n===END===\n", 1, "expected the envelope"),
    ("===END===\n", 1, "expected the envelope"),
    ("===A B===\n===END===\n", 1, "expected the envelope"),
    ("\ufeff===X===\n===END===\n", 1, "byte-order mark"),
    ("===X===\nA::1\n", 2, "missing ===END==="),
    ("===X===\nA::1", 2, "missing ===END==="),
    ("===X===\nA::1\n===END===\nB::2\n", 4, "content after ===END==="),
    ("===X===\n===END===\n\n// trailing comment\n", 4, "content after ===END==="),
    ("===X===\nA::1\n===END===\n===Y===\n===END===\nB::2\n", 6, "content after ===END==="),
    ("===X===\nA::1\n===END===\n===Y===\nB::2\n", 5, "missing ===END==="),
    ("===X===\n\tA::1\n===END===\n", 2, "tab outside a literal zone"),
    ('===X===\nA::"a\tb"\n===END===\n', 2, "tab outside a literal zone"),
    ("===X===\r\nA::1\r\n===END===\r\n", 1, "carriage return outside a literal zone"),
    ("===X===\nA::1\nB: v\n===END===\n", 3, "single colon"),
    ("===X===\nB:\n  C:value\n===END===\n", 3, "single colon"),
    ("===X===\nA::1\nB::2\nA::3\n===END===\n", 4, "duplicate key 'A' (first at line 2)"),
    ("===X===\nB:\n  C::1\n  C:\n    D::1\n===END===\n", 4, "duplicate key 'C'"),
    ("===X===\nMETA:\n  V::1\n  V::2\n===END===\n", 4, "duplicate key 'V'"),
    ("===X===\n§1::S\n  A::1\n  A::1\n===END===\n", 4, "duplicate key 'A'"),
    (
        "===X===\nL::X[a b]\n===END===\n",
        2,
        "cannot be read without a change",
    ),
    ("===X===\nB:\nC::1\n===END===\n", 2, "block B: has no indented children"),
    (
        "===X===\nB:\n  C::1\n    D::2\n===END===\n",
        4,
        "bad indentation: expected 2 spaces, found 4",
    ),
    (
        "===X===\nB:\n    C::1\n  D::2\n===END===\n",
        4,
        "bad indentation: expected 4 spaces, found 2",
    ),
    ("===X===\n  A::1\n===END===\n", 2, "unexpected indentation at top level"),
    ("===X===\nL::[a, b\nM::1\n===END===\n", 3, "in the list opened at line 2, found 'M::1'"),
    ("===X===\nL::[\n  a,\n", 2, "'[' opened at line 2 is never closed"),
    ("===X===\nL::[a, [b]\n===END===\n", 2, "never closed"),
    ("===X===\nL::a]\n===END===\n", 2, "unexpected text after the value"),
    ("===X===\nL::[a]]\n===END===\n", 2, "unexpected text after the value"),
    ("===X===\nL::]\n===END===\n", 2, "unexpected"),
    ("===X===\nL::[a b c d\n  e]\n===END===\n", 3, "expected ',' or ']'"),
    ("===X===\nL::[a,\n  b\n  c]\n===END===\n", 4, "expected ',' or ']'"),
    ("===X===\nL::[a,,b]\n===END===\n", 2, "unexpected"),
    ("===X===\nL::2025-12-01\n===END===\n", 2, "unquoted date or timestamp"),
    ("===X===\nL::foo(bar)\n===END===\n", 2, "character '(' is not allowed"),
    ("===X===\nL::NEVER<A,B> more\n===END===\n", 2, "octave-mcp would read the value as a list"),
    ("===X===\nL::a[b][c]\n===END===\n", 2, "cannot be read without a change"),
    ("===X===\n1::x\n===END===\n", 2, "numeric key '1' outside a list"),
    ('===X===\nS::"abc\n===END===\n', 2, "unterminated string"),
    ('===X===\nS::"""abc\ndef"""\n===END===\n', 2, "multi-line triple-quoted string"),
    ('===X===\nS::""""\n===END===\n', 2, "unterminated or multi-line triple-quoted"),
    ('===X===\nS::"a" b\n===END===\n', 2, "unexpected text after the value"),
    ("===X===\nS::\nT::1\n===END===\n", 2, "missing value after S::"),
    ("===X===\nL::[k::]\n===END===\n", 2, "unexpected"),
    ("===X===\nL::\n```\nabc\n===END===\n", 3, "unterminated literal zone"),
    ("===X===\nL::\n```\n````\n```\n===END===\n", 4, "inside the literal zone opened at line 3"),
    ("===X===\nL::\n```\n``` trailing\n```\n===END===\n", 4, "inside the literal zone"),
    ("===X===\nA::1\n```\nx\n```\n===END===\n", 3, "a literal zone must follow KEY::"),
    ("===X===\nB:\n  ```\n  x\n  ```\n===END===\n", 3, "a literal zone must follow KEY::"),
    ("===X===\nL::[\n```\nx\n```\n]\n===END===\n", 3, "not allowed inside a list"),
    ("===X===\n§1::A B\n===END===\n", 2, "bad section header"),
    ("===X===\n§1::A[two words]\n===END===\n", 2, "cannot be read without a change"),
    ("===X===\n§1::A[]\n===END===\n", 2, "cannot be read without a change"),
    ("===X===\n§1::A[[a]]\n===END===\n", 2, "bad section header"),
    ("===X===\n§::A\n===END===\n", 2, "bad section header"),
    ("===X===\n§1::A-\n===END===\n", 2, "invalid section name"),
    ("===X===\n  §1::A\n===END===\n", 2, "unexpected indentation at top level"),
    ("===X===\nK:\n  §2::B\n===END===\n", 3, "expected KEY::value"),  # § only in a section
    ("===X===\nA-::1\n===END===\n", 2, "invalid key 'A-'"),
    ("===X===\nL::[A-::1]\n===END===\n", 2, "invalid key 'A-'"),
    ("===X===\n- item\n===END===\n", 2, "expected KEY::value"),
    ("===X===\nÜBER::1\n===END===\n", 2, "expected KEY::value"),
    ("===X===\nA::1\n---\n===END===\n", 3, "'---' is only allowed once"),
    ("===X===\n---\n---\n===END===\n", 3, "'---' is only allowed once"),
    ("===X===\nA::1\n===Y===\n===END===\n", 3, "unexpected envelope marker"),
    ("===X===\nA::1\n  // comment\nB::\n  x\n===END===\n", 4, "missing value after B::"),
    ("===X===\nA::1\nB::" + "9" * 5000 + "\n===END===\n", 3, "integer too long"),
    ("===X===\nL::[1,\n" + "9" * 5000 + "]\n===END===\n", 3, "integer too long"),
    ("===X===\nF::1e400\n===END===\n", 2, "out of range"),
    ("===X===\nL::" + "[" * 150 + "]" * 150 + "\n===END===\n", 2, "nesting deeper than 100"),
    (
        "===X===\n" + "".join(f"{' ' * (2 * k)}B{k}:\n" for k in range(120)) + "===END===\n",
        102,
        "nesting deeper than 100",
    ),
]


@pytest.mark.parametrize(("text", "line", "fragment"), CASES)
def test_errors_carry_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(OctaveError) as info:
        parse(text)
    err = info.value
    assert err.line == line
    assert fragment in str(err)
    assert str(err).startswith(f"line {line}: ")


def test_octave_error_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        parse("nope")
    err = OctaveError("boom", line=7, hint="do this")
    assert (err.line, err.detail, str(err), err.hint) == (7, "boom", "line 7: boom", "do this")
    assert str(OctaveError("boom")) == "boom"


def test_tab_inside_a_literal_zone_is_fine() -> None:
    assert parse("===X===\nL::\n```\n\tx\r\n```\n===END===\n").body["L"].text == "\tx\r"

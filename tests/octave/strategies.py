"""Hypothesis strategies for OCTAVE documents, and a type-strict equality check.

Plain `==` is too forgiving for round-trip tests (``1 == 1.0 == True``, dict order ignored),
so `assert_same_doc` compares types, key order and the sign of zero as well.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from hypothesis import strategies as st

from hestai_tmws.octave import Document, Literal, Section, is_bare_safe

TRICKY_STRINGS = [
    "",
    " ",
    "  lead",
    "trail  ",
    "true",
    "false",
    "null",
    "vs",
    "True",
    "FALSE",
    "Null",
    "None",
    "true.x",
    "null-y",
    "vs.z",
    "DevSecOps",
    "envs",
    "1",
    "-1",
    "1.0",
    "1e5",
    "0x1F",
    "2026-09-14",
    "2026-09-14T10:00:00Z",
    "A→B",
    "A->B",
    "a -> b",
    "A⊕B",
    "x⇌y",
    "p∧q",
    "p∨q",
    "a⧺b",
    "A@B",
    "a+b",
    "a|b",
    "a&b",
    "a~b",
    "a <-> b",
    "$VAR",
    "$1:name",
    "NAME<q>",
    "NEVER<A,B>",
    "A<b,,c>",
    "§1",
    "#x",
    "// not a comment",
    "http://example.com/a?b=c",
    "```",
    "````python",
    "===END===",
    "===X===",
    "---",
    "a\nb",
    "line\n===END===\nafter",
    "tab\there",
    "cr\rlf\r\n",
    "\x00\x01\x1f\x7f\x85",
    "\u2028\u2029",
    'quote " inside',
    "back\\slash",
    "\\n literal",
    "\\",
    "e\u0301",
    "\n\u0301",
    "\t\u0301",
    "\u212b",
    "\u1100\u1161",
    "caf\u00e9",
    "日本語",
    "😀 emoji",
    "~~",
    "~~s:x",
    "~~json:{}",
    "~/home/path",
    "100%",
    "%{41}",
    "[a,b]",
    "k::v",
    "KEY: v",
    "a,b",
    "]",
    "\ufeffbom",
    "\u200bzero width",
]

_ALPHABET = st.sampled_from(
    [
        *'aZ_09 .-,:[]"\\/`=§#$<>%~{}+|&@\n\t\r',
        *["→", "⊕", "⧺", "⇌", "∧", "∨", "\u0301", "\u00e9", "\u1100", "\u1161", "\x00", "\u2028"],
    ]
)

strings = st.one_of(
    st.sampled_from(TRICKY_STRINGS),
    st.text(_ALPHABET, max_size=12),
    st.text(max_size=8),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,10}", fullmatch=True),
)

keys = st.one_of(
    st.sampled_from(
        ["A", "KEY", "META", "TYPE", "PATTERN", "REGEX", "ENUM", "NEVER", "a.b", "x-y", "_", "GOAL"]
    ),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(is_bare_safe),
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    strings,
)

#: A dict that fits a ``[k::v,...]`` group (unless a constructor key forces ~~json).
groups = st.dictionaries(
    keys, st.one_of(scalars, st.lists(scalars, max_size=4)), min_size=1, max_size=3
)

#: Values allowed anywhere, including inside lists (no literal zones).
list_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(groups, min_size=1, max_size=3),
        st.dictionaries(keys, inner, max_size=3),
    ),
    max_leaves=10,
)

literals = st.builds(
    Literal,
    text=st.one_of(
        st.text(st.sampled_from(list("ab `\t\r\n=ENDxyz§/")), max_size=30),
        st.sampled_from(["", "\n", "```", "```\n````\n", "===END===", "  ```text\n", "a\n\n"]),
        st.text(max_size=10),
    ),
    lang=st.sampled_from(["text", "", "python", "octave-b64", "c++", "x.y"]),
)

#: Values of a key in the body or a section: anything, blocks nest freely.
entry_values = st.recursive(
    st.one_of(list_values, literals),
    lambda inner: st.dictionaries(keys, inner, max_size=3),
    max_leaves=12,
)

#: META nests one block level in the reference; deeper dicts become ~~json (no literals there).
meta_values = st.one_of(
    list_values,
    literals,
    st.dictionaries(
        keys,
        st.one_of(list_values, literals, st.dictionaries(keys, list_values, max_size=2)),
        max_size=3,
    ),
)

section_numbers = st.one_of(
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(["2b", "10a", "CONTEXT", "x_1", "_"]),
)

_annotation_quoted = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters='"[]\\\u2028\u2029'),
    max_size=8,
).map(lambda t: f'"{t}"')
#: Section annotations our writer accepts: bare-safe words and plain quoted strings.
annotations = st.one_of(
    st.none(),
    st.lists(st.one_of(keys, _annotation_quoted), min_size=1, max_size=3)
    .map(",".join)
    .filter(lambda t: unicodedata.is_normalized("NFC", t)),
)

_leaf_sections = st.builds(
    Section,
    number=section_numbers,
    name=keys,
    body=st.dictionaries(keys, entry_values, max_size=3),
    annotation=annotations,
)
sections = st.builds(
    Section,
    number=section_numbers,
    name=keys,
    body=st.dictionaries(keys, entry_values, max_size=3),
    annotation=annotations,
    # an empty nested section would swallow the next one in the reference (the writer refuses)
    sections=st.lists(_leaf_sections, max_size=2).filter(
        lambda subs: all(x.body for x in subs[:-1])
    ),
)

_envelope_names = st.one_of(
    st.sampled_from(["SESSION_ARCHIVE", "X", "doc_1", "True", "DEVSERVER", "META"]),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True).filter(lambda s: s != "END"),
)
_single_envelopes = st.builds(
    Document,
    name=_envelope_names,
    meta=st.dictionaries(keys, meta_values, max_size=3),
    body=st.dictionaries(keys, entry_values, max_size=4),
    sections=st.lists(sections, max_size=3),
)
documents = st.builds(
    Document,
    name=_envelope_names,
    meta=st.dictionaries(keys, meta_values, max_size=3),
    body=st.dictionaries(keys, entry_values, max_size=4),
    sections=st.lists(sections, max_size=3),
    envelopes=st.lists(_single_envelopes, max_size=2),
)


def same(a: Any, b: Any) -> bool:
    """Equality that also checks types, key order and the sign of zero."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return bool(a == b)


def assert_same_doc(actual: Document, expected: Document) -> None:
    """Fail with a readable message unless the two documents are strictly identical."""
    assert actual.name == expected.name
    assert same(actual.meta, expected.meta), (actual.meta, expected.meta)
    assert same(actual.body, expected.body), (actual.body, expected.body)
    assert len(actual.sections) == len(expected.sections)
    for got, want in zip(actual.sections, expected.sections, strict=True):
        assert type(got.number) is type(want.number) and got.number == want.number
        assert got.name == want.name and got.annotation == want.annotation
        assert same(got.body, want.body), (got.body, want.body)
        assert got.sections == want.sections
    assert len(actual.envelopes) == len(expected.envelopes)
    for got_env, want_env in zip(actual.envelopes, expected.envelopes, strict=True):
        assert_same_doc(got_env, want_env)
    assert actual == expected

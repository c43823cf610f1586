"""The reader reads what octave-mcp strict reads, with equal values, and never changes a value.

Three kinds of evidence, all against the reference parser (octave-mcp 1.16.0):
- a corpus of small files written for these tests, one per construct HestAI files use;
- texts the reference drops or rewrites silently, or refuses: we refuse them, with the line;
- generated values (hypothesis): whenever we accept a text, the reference reads equal values;
- (slow) the real files of HestAI-MCP and octave-mcp when a local mirror is present.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hestai_tmws.octave import Document, OctaveError, Section, emit, parse
from tests.octave import real_corpus
from tests.octave.reference_model import Unmappable, reference_read
from tests.octave.strategies import same
from tests.octave_oracle import assert_oracle_clean, reference


def _doc(body: str, name: str = "A") -> str:
    return f"==={name}===\n{body}===END===\n"


def _same_sections(a: list[Section], b: list[Section]) -> bool:
    return [(s.number, s.name, s.annotation) for s in a] == [
        (s.number, s.name, s.annotation) for s in b
    ] and all(
        same(x.body, y.body) and _same_sections(x.sections, y.sections)
        for x, y in zip(a, b, strict=True)
    )


def _same_doc(a: Document, b: Document) -> bool:
    return (
        a.name == b.name
        and same(a.meta, b.meta)
        and same(a.body, b.body)
        and _same_sections(a.sections, b.sections)
        and len(a.envelopes) == len(b.envelopes)
        and all(_same_doc(x, y) for x, y in zip(a.envelopes, b.envelopes, strict=True))
    )


CONSTRUCTS = {
    "constructor with commas": "GATES::NEVER<DESIGN_FIRST,BEAUTY_OVER_FUNCTION>\n"
    "L::[NEVER<A,B>,ALWAYS<C,D,E>]\nONE::TYPE<STRING>\n",
    "annotation": "STATUS::EXECUTED[all_done]\nPAIR::DONE[a,b]\nL::[PENDING[waiting],DONE]\n"
    "CTOR_AND_NOTE::NEVER<A,B>[why]\n",
    "pair list with repeated keys": (
        'MUST_USE::[\n  REGEX::"^VERDICT:",\n  REGEX::"^\\\\[E\\\\]"\n]\n'
        "MATCH::[\n  context::v9_review,\n  context::v9_audit\n]\n"
    ),
    "pairs and items mixed": "L::[first,kind::note,last]\n",
    "numeric keys in a list": "STEPS::[\n  1::rank<low_risk_first>,\n  2::remove_one,\n"
    '  3::"verify<tests⊕integration>",\n  4::if_broken→rollback⊕reclassify\n]\n',
    "pair list with distinct keys": "MAP::[a::1,b::two]\n",
    "nested blocks and sections": "META:\n  TYPE::AGENT\n  INFO:\n    V::1\n---\n"
    "§1::IDENTITY\n  ROLE::critical-engineer\n  BLOCK:\n    DEEP:\n      X::[a,b]\n"
    '§2::RULES\n  NOTE::"two words"\n',
    "section annotations": '§CONTEXT::IMPORT["@test/vocabulary", "1.0.0"]\n'
    "§1::POSITIVE_CASES [must_trigger]\n  K::v\n§2::PLAIN[a,b]  // note\n  K::w\n",
    "nested sections": "§1::A\n  K::v\n  §1a::B[x]\n    J::w\n    §1b::C\n      Z::1\n  L::2\n"
    "§2::D\n  §2a::E\n",
    "constructor inside an expression": "L::[DRAFT→REVIEW→APPROVED<final>]\nE::A⊕B<c>\n",
    "triple-quoted strings": 'E::""""""\nT::"""say "hi" \\n twice"""\nL::["""x""",y]\n',
    "words, urls, versions, variables": "A::several bare words\nB::https://example.com/x\n"
    'C::1.2.3\nD::$VAR_1\nE::3rd\nF::a→b\nG::user@host.org\nH::"2025-12-01"\n',
}


@pytest.mark.parametrize("name", list(CONSTRUCTS))
def test_constructs_read_like_the_reference(name: str) -> None:
    text = _doc(CONSTRUCTS[name])
    ref = reference_read(text)
    assert ref is not None, "the reference must read every file of this corpus"
    ours = parse(text)
    assert _same_doc(ours, ref), (ours, ref)
    again = emit(ours)  # the writer keeps such values, in its canonical subset
    assert_oracle_clean(again)
    assert _same_doc(parse(again), ours)


def test_several_envelopes_read_like_the_reference() -> None:
    text = (
        "===META===\nTYPE::FRAME_CARD\n===END===\n\n// between\n===EXACT===\n"
        "META:\n  V::1\n---\nIDS::[A, B, C]\n§1::S[x]\n  K::v\n===END===\n===EDGES===\n===END===\n"
    )
    ref = reference_read(text)
    assert ref is not None and [e.name for e in ref.envelopes] == ["EXACT", "EDGES"]
    ours = parse(text)
    assert _same_doc(ours, ref), (ours, ref)
    assert ours.envelopes[0].body["IDS"] == ["A", "B", "C"]
    again = emit(ours)
    assert_oracle_clean(again)
    assert _same_doc(parse(again), ours)


def test_envelope_names_with_a_colon() -> None:
    text = "===PATTERN:MINIMAL===\nA::1\n===END===\n"
    ref = reference_read(text)
    assert ref is not None and ref.name == "PATTERN:MINIMAL"
    assert parse(text).name == "PATTERN:MINIMAL"
    assert_oracle_clean(emit(parse(text)))


def test_values_the_issue_names() -> None:
    doc = parse(_doc(CONSTRUCTS["constructor with commas"] + "S::EXECUTED[all_done]\n"))
    assert doc.body["GATES"] == "NEVER<DESIGN_FIRST,BEAUTY_OVER_FUNCTION>"  # one str, not split
    assert doc.body["L"] == ["NEVER<A,B>", "ALWAYS<C,D,E>"]
    assert doc.body["S"] == "EXECUTED<all_done>"
    pairs = parse(_doc(CONSTRUCTS["pair list with repeated keys"])).body
    assert pairs["MUST_USE"] == [{"REGEX": "^VERDICT:"}, {"REGEX": "^\\[E\\]"}]
    assert parse(_doc("L::[1::a,2::b]\n")).body["L"] == {"1": "a", "2": "b"}


# (text, line, message fragment): the reference drops or rewrites part of these silently.
CHANGED_BY_REFERENCE = [
    ("B::STATUS::EXECUTED[x]\n", 2, "'::'"),
    ("1::x\n", 2, "numeric key '1' outside a list"),
    ("K:\n  1::a\n", 3, "numeric key '1' outside a list"),
    ("A::a[b][c]\n", 2, "cannot be read without a change"),
    ("A::X[a b]\n", 2, "cannot be read without a change"),
    ("A::6[note]\n", 2, "unexpected text"),
    ("A::X<a,b> tail\n", 2, "would read the value as a list"),
    ("A::a⊕b 1\n", 2, "a word after an A→B expression"),
    ("A::[a⊕b c]\n", 2, "a word after an A→B expression"),
    ("A::X_⊕null\n", 2, "joined by an operator"),
    ("A::1+1\n", 2, "joined by an operator"),
    ("A::true-1\n", 2, "true/false/null/vs inside a word"),
    ("A::+x\n", 2, "an operator without a word before it"),
    ("A::[$a b]\n", 2, "'[$]' next to other words"),
    ("§1::X[a b]\n", 2, "annotation .a b. cannot be read without a change"),
    ("§1::X[a->b]\n", 2, "annotation .a->b. cannot be read without a change"),
    ("A::1\n===END===\nB::2\n", 4, "content after ===END==="),
    ("§1::S\n  [a::1,b::2]\n", 3, "a list without a key"),
    ("A::[A→B<c> x]\n", 2, "not allowed"),  # the reference glues: A→B<c>x
    ("§0::A\n  §1::B\n  §2::C\n    K::v\n", 3, "empty nested section"),  # C nested in B
    ("§0::A\n  §1::B\n    §2::E\n  §3::C\n", 4, "empty nested section"),  # C nested in E
    ("§1::A\n    L::1\n  // note\n    J::w\n", 4, "a comment indented less"),  # J lifted
    ("§1::S [a b]\n", 2, "annotation .a b. cannot be read without a change"),
]
# The reference refuses these in strict mode; so do we.
REFUSED_BY_REFERENCE = [
    ("A::2025-12-01\n", 2, "unquoted date or timestamp"),
    ("A::2025-12-01T10:00:00Z\n", 2, "unquoted date or timestamp"),
    ("A::foo(bar)\n", 2, "character '(' is not allowed"),
    ("A::a<b\n", 2, "character '<' is not allowed"),
    ("A::[k::[a::1]]\n", 2, "E_NESTED_INLINE_MAP"),
    ("A::x;y\n", 2, "character ';' is not allowed"),
]


@pytest.mark.parametrize(("body", "line", "fragment"), CHANGED_BY_REFERENCE)
def test_what_the_reference_would_change_is_refused_with_its_line(
    body: str, line: int, fragment: str
) -> None:
    text = _doc(body)
    assert reference_read(text) is not None  # the reference takes it, changing a value
    with pytest.raises(OctaveError, match=fragment.replace("(", r"\(").replace("+", r"\+")) as e:
        parse(text)
    assert e.value.line == line


@pytest.mark.parametrize(("body", "line", "fragment"), REFUSED_BY_REFERENCE)
def test_as_strict_as_the_reference(body: str, line: int, fragment: str) -> None:
    text = _doc(body)
    assert reference_read(text) is None
    with pytest.raises(OctaveError, match=fragment.replace("(", r"\(")) as e:
        parse(text)
    assert e.value.line == line


_PIECES = [*"aBX19 <>[](),:-_.@→⊕~|&+\"$#§/%{}'✓é*=!?;"]
_PIECES += ["://", "//", "A<b>", "[x]", "e+5", "1.5", "k::v", "null", "-1", "§1", "NEVER<A,B>"]
_PIECES += [
    "A→B<c>",
    "<final>",
    "X[a]",
    "2025-12-01",
    "vs",
    "true",
    "->",
    "<->",
    "k::",
    "::",
    "\\",
    "  ",
    '"""',
]
_VALUES = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=7).map("".join)


def _both_read(text: str) -> tuple[Document, Document] | None:
    """(ours, the reference's) when we accept `text` and the model can hold the reference's
    reading; fails when we accept what the reference refuses."""
    try:
        ours = parse(text)
    except OctaveError:
        return None
    try:
        ref = reference_read(text)
    except Unmappable:
        return None
    assert ref is not None, f"we accept what the reference refuses: {text!r}"
    return ours, ref


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(_VALUES, st.sampled_from(["K::{}", "K::[{}]", "K::[a,{}]", "K::[k::{}]"]))
def test_never_a_silent_change(value: str, shape: str) -> None:
    """Whatever we accept, the reference reads with exactly the same values."""
    reference()
    text = _doc(shape.format(value) + "\n")
    pair = _both_read(text)
    if pair is not None:
        assert same(pair[0].body, pair[1].body), (text, *pair)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from([*_PIECES, ", ", '"a b"']), min_size=0, max_size=5).map("".join))
def test_section_annotations_never_change(inner: str) -> None:
    """Whatever annotation we accept, the reference reads the same text."""
    reference()
    text = _doc(f"§1::S[{inner}]\n  K::v\n")
    pair = _both_read(text)
    if pair is not None:
        assert _same_doc(*pair), (text, *pair)


_LAYOUT_LINES = ["§1::A", "  §2::B", "  K::v", "    J::w", "§3::C[x]", "  §4::D", "    §5::E"]
_LAYOUT_LINES += ["      Z::1", "    L::[a,b]", "T::top", "  // note", ""]


@settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.sampled_from(_LAYOUT_LINES), min_size=1, max_size=8))
@example(["§1::A", "  §2::B", "  // note", "    J::w", "  §2::B"])  # found by a CI run
def test_nested_sections_never_change(lines: list[str]) -> None:
    """Whatever layout of nested sections we accept, the reference reads the same tree."""
    reference()
    text = _doc("".join(f"{line}\n" for line in lines))
    pair = _both_read(text)
    if pair is not None:
        assert _same_doc(*pair), (text, *pair)


@pytest.mark.slow
@pytest.mark.parametrize("project", list(real_corpus.MIRRORS))
def test_real_files(project: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Every real file: never looser than the reference, never a different value."""
    reference()
    corpus = real_corpus.files(project)
    if not corpus:
        pytest.skip(f"no local mirror of {project}")
    read_by_ref = read_equal = 0
    for name, data in corpus:
        text = data.decode("utf-8")
        try:
            ref = reference_read(text)
        except Unmappable:  # read by the reference, but nothing in our model can hold it
            with pytest.raises(OctaveError):
                parse(text)
            read_by_ref += 1
            continue
        try:
            ours = parse(text)
        except OctaveError as exc:
            assert exc.line is not None, name
            read_by_ref += ref is not None
            continue
        assert ref is not None, f"{name}: we accept a file the reference refuses"
        read_by_ref += 1
        assert _same_doc(ours, ref), name
        read_equal += 1
        assert _same_doc(parse(emit(ours)), ours), name
    with capsys.disabled():
        print(
            f"\n{project}: {len(corpus)} files; reference reads {read_by_ref}; "
            f"tmws reads {read_equal} of those with equal values"
        )
    assert read_equal > 0

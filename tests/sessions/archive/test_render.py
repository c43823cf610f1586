"""The archive as OCTAVE: fixed sections, zero-padded call keys."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.octave import parse
from hestai_tmws.octave.emitted import emitted_envelope
from hestai_tmws.sessions.archive.build import build_archive
from hestai_tmws.sessions.archive.read import archive_from_document, read_archive
from hestai_tmws.sessions.archive.render import render_archive, to_document
from hestai_tmws.sessions.transcripts.model import Markers
from hestai_tmws.steward.validate import check_content
from tests.sessions.test_archive import call, inputs, transcript


def test_sections_are_numbered_in_a_fixed_order() -> None:
    doc = to_document(build_archive(inputs(transcript([call(0)]))))
    assert [s.name for s in doc.sections][:3] == ["SUMMARY", "TOOL_CALLS", "FILES"]
    assert doc.meta["TYPE"] == "SESSION_ARCHIVE"


def test_call_keys_widen_with_the_count() -> None:
    text = render_archive(build_archive(inputs(transcript([call(i) for i in range(1000)]))))
    assert "C0001:" in text and "C1000:" in text


_free = st.text(max_size=60)  # any Unicode: quotes, newlines, brackets, `::`, surrogates aside


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    digests=st.lists(_free, min_size=1, max_size=5),
    prompts=st.lists(_free, max_size=3),
    paths=st.lists(_free, max_size=3),
    commands=st.lists(_free, max_size=3),
    errors=st.lists(_free, max_size=2),
    decisions=st.lists(_free, max_size=2),
)
def test_every_rendered_archive_parses_back(
    digests: list[str],
    prompts: list[str],
    paths: list[str],
    commands: list[str],
    errors: list[str],
    decisions: list[str],
) -> None:
    """What lets the Steward skip its parse of an archive `emit` just rendered
    (`octave.emitted`): the rendered text always parses, to the same envelope and calls."""
    tr = transcript(
        [call(i, digest=d or "-") for i, d in enumerate(digests)],
        user_prompts=prompts,
        files_read=paths,
        files_changed=paths[::-1],
        commands=commands,
        errors=errors,
        markers=Markers(decisions=decisions, learnings=prompts[:1]),
    )
    data = build_archive(inputs(tr, summary=" ".join(prompts) or None, notes=errors))
    text = render_archive(data)  # no redaction: this checks the codec path only
    assert parse(text).name == "SESSION_ARCHIVE"
    assert emitted_envelope(text) == "SESSION_ARCHIVE"
    assert check_content("sessions/archive/x.oct.md", text, None, strict=False) == []
    back = read_archive(text)
    assert [c.digest for c in back.tool_calls] == [c.digest for c in data.tool_calls]
    assert back.prompts == data.prompts
    # what lets clock-out skip its read-back parse (`compose.read_back`): the rendered
    # document reads as the text does, down to every value's type
    known = archive_from_document(to_document(data))
    assert known == back and known.model_dump_json() == back.model_dump_json()

"""The one set of rules for "which open session is this for"."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.lookup import (
    by_prefix,
    for_agent,
    is_session_id,
    normalise_id,
    open_session_ids,
)

ids = st.from_regex(r"[0-9a-f]{12}", fullmatch=True)
agents = st.one_of(st.none(), st.sampled_from(["claude-a", "claude-b", ""]))


def test_session_ids_are_twelve_lower_hex_digits() -> None:
    assert is_session_id("0123456789ab")
    assert not is_session_id("0123456789AB") and not is_session_id("0123456789a")
    assert normalise_id("  ABCDEF ") == "abcdef"


def test_open_ids_skip_links_files_and_other_names(tmp_path: Path) -> None:
    assert open_session_ids(tmp_path / "missing") == []
    for name in ("bbbbbbbbbbbb", "aaaaaaaaaaaa", "not-a-session"):
        (tmp_path / name).mkdir()
    (tmp_path / "cccccccccccc").write_text("x")
    (tmp_path / "dddddddddddd").symlink_to(tmp_path / "aaaaaaaaaaaa")
    assert open_session_ids(tmp_path) == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]


@given(st.lists(ids, unique=True), st.text(alphabet="0123456789abcdef", max_size=12))
def test_prefix_matches_are_exactly_the_ids_it_starts(pool: list[str], wanted: str) -> None:
    found = by_prefix(pool, wanted, str)
    if len(wanted) < 4:
        assert found == []
    else:
        assert found == [i for i in pool if i.startswith(wanted)]


@given(st.lists(st.tuples(ids, agents), max_size=4), agents)
def test_agent_candidates_follow_the_rule(
    sessions: list[tuple[str, str | None]], agent: str | None
) -> None:
    found = for_agent(sessions, agent, lambda s: s[1])
    mine = [s for s in sessions if agent and s[1] == agent]
    if mine:
        assert found == mine
    elif len(sessions) == 1 and not (sessions[0][1] and agent):
        assert found == sessions
    else:
        assert found == []


def test_another_agents_only_session_is_not_ours() -> None:
    only = [("aaaaaaaaaaaa", "claude-b")]
    assert for_agent(only, "claude-a", lambda s: s[1]) == []
    assert for_agent(only, None, lambda s: s[1]) == only

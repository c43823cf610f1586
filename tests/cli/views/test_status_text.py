"""`views.status_text`: the plain `tmws status` equals what the rich view prints."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestai_tmws.cli.views import project as rich_view
from hestai_tmws.cli.views import status_text
from hestai_tmws.workflows.status import StatusReport
from tests.cli.fast_support import COLOUR_TERMINALS, colour_terminal

TEXT = st.text(st.sampled_from("ab -/:.[]\\é…"), max_size=30)
SESSION = st.fixed_dictionaries(
    {
        "id": TEXT,
        "role": TEXT,
        "focus": TEXT,
        "started_at": TEXT,
        "pid": st.none() | st.integers(0, 99999),
    }
)
FACTS = st.fixed_dictionaries(
    {
        "project": TEXT,
        "initialised": st.booleans(),
        "governance": st.fixed_dictionaries(
            {
                "injected": st.booleans(),
                "version": st.none() | TEXT,
                "intact": st.booleans(),
                "tampered": st.booleans(),
                "outdated": st.booleans(),
                "hub": st.none() | TEXT,
                "hub_source": st.none() | TEXT,
                "hub_version": st.none() | TEXT,
                "problems": st.lists(TEXT, max_size=3),
                "upgrade": st.lists(TEXT, max_size=3),
            }
        ),
        "memory_files": st.integers(0, 10**6),
        "memory_by_folder": st.dictionaries(TEXT, st.integers(0, 999), max_size=4),
        "memory_bytes": st.integers(0, 10**9),
        "active_sessions": st.lists(SESSION, max_size=3),
    }
)


def _rich(facts: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    rich_view.status_report(StatusReport.model_validate(facts))
    return capsys.readouterr().out


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(facts=FACTS, width=st.integers(20, 160))
def test_plain_status_is_what_rich_prints(
    facts: dict[str, Any], width: int, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = status_text.render(facts, width)
    if mine is None:  # a table column narrower than one cell
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COLUMNS", str(width))
        assert mine == _rich(facts, capsys)


def test_unprintable_facts_are_left_to_rich() -> None:
    facts = {
        "project": "/p\tq",
        "initialised": True,
        "governance": {"problems": [], "upgrade": []},
        "memory_by_folder": {},
        "active_sessions": [],
    }
    assert not status_text.printable(facts)
    assert status_text.render(facts, 80) is None
    facts["project"] = "/p"
    facts["active_sessions"] = [{"pid": "12"}]
    assert not status_text.printable(facts)  # pydantic would turn it into 12


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(facts=FACTS, width=st.integers(20, 160), terminal=st.sampled_from(COLOUR_TERMINALS))
def test_styled_status_is_what_rich_prints_on_a_terminal(
    facts: dict[str, Any],
    width: int,
    terminal: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    term, colorterm = terminal
    dumb = term == "dumb"
    mine = status_text.render(facts, 80 if dumb else width, styled=not dumb)
    if mine is None:  # a column narrower than its header, or than one cell
        return
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COLUMNS", str(width))
        colour_terminal(mp, term, colorterm)
        assert mine == _rich(facts, capsys)


def test_styled_status_has_escapes_and_resets() -> None:
    facts = {
        "project": "/p",
        "initialised": True,
        "governance": {
            "version": "1",
            "intact": False,
            "outdated": False,
            "hub": None,
            "problems": ["gone"],
            "upgrade": [],
        },
        "memory_files": 0,
        "memory_bytes": 0,
        "memory_by_folder": {},
        "active_sessions": [],
    }
    text = status_text.render(facts, 80, styled=True) or ""
    assert text.startswith("\x1b[1m/p\x1b[0m\n")
    assert "\x1b[31mTAMPERED or missing\x1b[0m" in text and "  \x1b[31m-\x1b[0m gone" in text


def test_a_right_aligned_header_keeps_its_padding_in_the_bold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    facts = {
        "project": "/p",
        "initialised": True,
        "governance": {
            **dict.fromkeys(("hub", "hub_source", "hub_version"), None),
            **dict.fromkeys(("injected", "intact"), True),
            **dict.fromkeys(("tampered", "outdated"), False),
            "version": "1",
            "problems": [],
            "upgrade": [],
        },
        "memory_files": 1,
        "memory_bytes": 9,
        "memory_by_folder": {"a": 12345678},
        "active_sessions": [],
    }
    text = status_text.render(facts, 80, styled=True)
    assert text is not None and "\x1b[1m   files\x1b[0m" in text
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COLUMNS", "80")
        colour_terminal(mp, "xterm", "")
        assert text == _rich(facts, capsys)

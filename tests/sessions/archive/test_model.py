"""The archive's data: ISO times round-trip, bad ones fall back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from hestai_tmws.sessions.archive.model import ArchiveSummary, iso, parse_iso

EPOCH = datetime.fromtimestamp(0, UTC)


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2999, 1, 1)))
def test_iso_round_trips_to_the_second(moment: datetime) -> None:
    aware = moment.replace(tzinfo=UTC, microsecond=0)
    assert parse_iso(iso(aware), EPOCH) == aware


def test_iso_is_utc_with_a_z() -> None:
    moment = datetime(2026, 3, 2, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    assert iso(moment) == "2026-03-02T09:30:00Z"


def test_unreadable_times_fall_back() -> None:
    assert parse_iso("not a time", EPOCH) == EPOCH
    assert parse_iso(None, EPOCH) == EPOCH
    assert parse_iso("2026-03-02T09:30:00", EPOCH).tzinfo is not None


def test_a_summary_defaults_to_nothing_known() -> None:
    assert ArchiveSummary().source == "none"

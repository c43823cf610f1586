"""Baselines: pattern counts survive the cache's marshal form, evidence is newest first."""

from __future__ import annotations

import marshal

from hestai_tmws.learning.core.model import MiningConfig, Variant
from hestai_tmws.learning.incremental import MAX_RECENT, Aggregate, config_key, newest


def test_an_aggregate_round_trips_through_marshal() -> None:
    agg = Aggregate(
        id="pat-1",
        namespace="ns",
        tokens=("Read", "Edit"),
        variants=(Variant(id="pat-2", tokens=("Read", "Grep"), support=3),),
        support=4,
        occurrences=5,
        successes=4,
        known=5,
        dur_sum=10.0,
        dur_count=2,
        days={738000, 738001},
        recent=[(738001, "b"), (738000, "a")],
    )
    back = Aggregate.from_marshal(marshal.loads(marshal.dumps(agg.to_marshal())))
    assert back == agg
    assert back.failed == [0, 0] and back.mean_duration_ms == 5.0


def test_newest_evidence_is_distinct_and_capped() -> None:
    recent = [(day, f"s{day}") for day in range(30)] + [(29, "s29")]
    kept = newest(recent)
    assert len(kept) == MAX_RECENT and kept[0] == (29, "s29") and len(set(kept)) == len(kept)


def test_config_key_changes_with_the_config() -> None:
    assert config_key(MiningConfig()) == config_key(MiningConfig())
    assert config_key(MiningConfig()) != config_key(MiningConfig(min_support=4))

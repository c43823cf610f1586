"""The hint table: every core tool has hints, and they become the SDK's annotations."""

from __future__ import annotations

from hestai_tmws.mcpserver.catalog import TOOL_HINTS, Hints, annotations_for
from hestai_tmws.mcpserver.tools import TOOL_MODULES


def test_every_tool_reaches_no_network_and_reads_are_idempotent() -> None:
    for name, hints in TOOL_HINTS.items():
        a = annotations_for(name)
        assert (a.title, a.read_only_hint, a.destructive_hint, a.idempotent_hint) == hints
        assert a.open_world_hint is False
        assert not (hints.read_only and hints.destructive), name
        assert hints.idempotent or not hints.read_only, name
    assert TOOL_MODULES[0] == "clock_in"


def test_a_plug_in_gives_its_own_hints() -> None:
    a = annotations_for("anything", Hints("Mine", True, False, True))
    assert (a.title, a.read_only_hint) == ("Mine", True)

"""The governance routing table as the Steward's placement check.

The Steward (a lower layer) cannot import governance, so the services that write committed
memory build their Steward with `placement=routing_placement(project)`: the routing table as
a `steward.validate.Placement`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hestai_tmws.errors import NotFoundError, ValidationError
from hestai_tmws.governance.rules import Router, RoutingRule, load_routing
from hestai_tmws.project import Project
from hestai_tmws.steward.validate import Placement


def placement_from(routing: Mapping[str, RoutingRule]) -> Placement:
    """path → routing rule by `routing` (an empty table places nothing), as `rules.route`
    gives it for the table as it is now (`load_routing` hands each caller its own dict)."""
    return Router(routing)


def routed_folders(routing: Mapping[str, RoutingRule]) -> list[str]:
    """Every folder the routing table sends documents to, sorted (init creates them)."""
    return sorted({rule.folder for rule in routing.values() if rule.folder})


def routing_placement(source: Project | Path) -> Placement | None:
    """path → routing rule for a project (its hub) or a hub folder, or None when that hub has
    no readable routing table."""
    try:
        routing = load_routing(source)
    except (NotFoundError, ValidationError, OSError):
        return None
    return placement_from(routing) if routing else None

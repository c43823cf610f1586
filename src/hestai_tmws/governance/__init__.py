"""Governance: the read-only hub (rules, agents, templates) and its injection into .hestai-sys.

Exports are resolved lazily (PEP 562) so that importing a standard-library leaf such as
`governance.tree` (the typer-free `tmws status`) does not pay for pydantic and the OCTAVE
parser that the rest of the package needs. `inject` is not re-exported: the name is also
the submodule, which would shadow the function once imported.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~7 ms)
if TYPE_CHECKING:
    from typing import Any

    from hestai_tmws.governance.hub import HubInfo, validate_hub
    from hestai_tmws.governance.inject import InjectResult
    from hestai_tmws.governance.locate import HubLocation, bundled_hub_path, locate_hub
    from hestai_tmws.governance.rules import (
        AgentDefinition,
        RoutingRule,
        load_agent,
        load_agents,
        load_routing,
        naming_patterns,
        route,
        slugify,
    )
    from hestai_tmws.governance.status import GovernanceStatus, verify_governance

_EXPORTS = {
    "AgentDefinition": ".rules",
    "GovernanceStatus": ".status",
    "HubInfo": ".hub",
    "HubLocation": ".locate",
    "InjectResult": ".inject",
    "RoutingRule": ".rules",
    "bundled_hub_path": ".locate",
    "load_agent": ".rules",
    "load_agents": ".rules",
    "load_routing": ".rules",
    "locate_hub": ".locate",
    "naming_patterns": ".rules",
    "route": ".rules",
    "slugify": ".rules",
    "validate_hub": ".hub",
    "verify_governance": ".status",
}

__all__ = [
    "AgentDefinition",
    "GovernanceStatus",
    "HubInfo",
    "HubLocation",
    "InjectResult",
    "RoutingRule",
    "bundled_hub_path",
    "load_agent",
    "load_agents",
    "load_routing",
    "locate_hub",
    "naming_patterns",
    "route",
    "slugify",
    "validate_hub",
    "verify_governance",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module, __name__), name)

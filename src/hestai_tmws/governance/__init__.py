"""Governance: the read-only hub (rules, agents, templates) and its injection into .hestai-sys."""

from __future__ import annotations

from hestai_tmws.governance.hub import (
    HubInfo,
    HubLocation,
    bundled_hub_path,
    locate_hub,
    validate_hub,
)
from hestai_tmws.governance.inject import GovernanceStatus, InjectResult, inject, verify_governance
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

__all__ = [
    "AgentDefinition",
    "GovernanceStatus",
    "HubInfo",
    "HubLocation",
    "InjectResult",
    "RoutingRule",
    "bundled_hub_path",
    "inject",
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

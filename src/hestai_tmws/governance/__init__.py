"""Governance: the read-only hub (rules, agents, templates) and its injection into .hestai-sys."""

from __future__ import annotations

from hestai_tmws.governance.hub import HubInfo, validate_hub
from hestai_tmws.governance.inject import InjectResult, inject
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

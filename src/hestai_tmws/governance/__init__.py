"""Governance: the read-only hub (rules, agents, templates) and its injection into .hestai-sys."""

from __future__ import annotations

from .hub import HubInfo, HubLocation, bundled_hub_path, locate_hub, validate_hub
from .inject import GovernanceStatus, InjectResult, inject, verify_governance
from .rules import (
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

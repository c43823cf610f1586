"""Integrations with agent tools (Claude Code): hook handlers and settings writers.

Kept import-free: hook commands start a fresh Python for every tool call the agent makes.
"""

from __future__ import annotations

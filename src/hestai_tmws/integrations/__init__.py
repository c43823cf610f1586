"""Integrations with agent tools, one package per agent (`claude/`), beside their stable entries.

Kept import-free: hook commands start a fresh Python for every tool call the agent makes.
"""

from __future__ import annotations

"""Renderers of the CLI: turn a service's result model into text (rich), one module per area."""

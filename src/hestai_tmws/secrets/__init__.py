"""Secrets: detect and redact credentials before any text reaches committed memory."""

"""Claude Code integration: hook handlers (`hooks`), the PreToolUse rule (`guard`) and the
settings writer (`settings`, for `tmws integrate claude-code`).

Import-free on purpose: a hook process imports only the module it needs. The stable entry of
hook commands is `python -m hestai_tmws.integrations.claude_hooks <event>`.
"""

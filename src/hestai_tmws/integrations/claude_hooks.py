"""Stable entry of Claude Code hook commands: `python -m hestai_tmws.integrations.claude_hooks`.

`tmws integrate claude-code` writes this module name into `.claude/settings.json`, so it stays
put while the handlers live in `integrations.claude.hooks`.
"""

from __future__ import annotations

import sys

from hestai_tmws.integrations.claude.hooks import main

if __name__ == "__main__":
    sys.exit(main())

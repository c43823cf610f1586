"""`python -m hestai_tmws.mcpserver [PROJECT]`: the stdio server without the CLI's start-up cost."""

from __future__ import annotations

import sys

from hestai_tmws.mcpserver.boot import serve

if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 else None)

"""Regenerate the CLI and MCP references and the generated parts of docs/architecture.md.

Usage: python scripts/gen_docs.py [--check]
  --check  write nothing; exit 1 and name the stale files when a reference is out of date.
Run it with the Python that has hestai-tmws and its dependencies (e.g. `.venv/bin/python`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # the working tree's code, even if another copy is installed

from docsgen import stale_references, write_references  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale references")
    args = parser.parse_args(argv)
    docs = ROOT / "docs"
    if args.check:
        stale = stale_references(docs)
        for name in stale:
            print(f"docs/{name} is out of date; run `python scripts/gen_docs.py`")
        return 1 if stale else 0
    for name, changed in write_references(docs).items():
        print(f"docs/{name}: {'written' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

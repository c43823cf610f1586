"""Fast entry of the git hook: `python -I -m hestai_tmws.guard pre-commit`.

No typer, rich or pydantic here: a clean commit costs a Python start-up, two git calls and a
ledger read (`fast`); anything else goes to the full check (`precommit`), which explains.
`-I` (set by the hook) keeps PYTHONPATH, user site-packages and the current folder out of
`sys.path`, so nothing in the environment or the work tree can replace us.
"""

from __future__ import annotations

import sys

from hestai_tmws.guard.fast import main as guard_main

USAGE = "usage: python -m hestai_tmws.guard pre-commit\n"


def main(argv: list[str]) -> int:
    if argv[:1] != ["pre-commit"] or len(argv) > 1:
        sys.stderr.write(USAGE)
        return 2
    return guard_main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

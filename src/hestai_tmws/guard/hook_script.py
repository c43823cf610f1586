"""The text of the pre-commit hook `tmws hooks install` writes (`hooks/pre-commit` is a copy).

Kept as a constant so that the hook is available from an installed wheel, where the
repository's `hooks/` folder does not exist; a test keeps the two byte-identical.
"""

from __future__ import annotations

HOOK_TEMPLATE = r"""#!/bin/sh
# hestai-tmws pre-commit hook: installed by `tmws hooks install`, removed by `tmws hooks uninstall`.
#
# Refuses a commit whose staged changes under .hestai/ were not written by the Steward (use
# `tmws adopt PATH --reason ...` to take a hand edit in), or that adds .hestai-sys/ or an active
# session. No environment variable turns it off. A hook that was here before tmws is kept as
# pre-commit.tmws-chained and runs first; its failure still blocks the commit.
TMWS_HOOK_VERSION=1
TMWS_PYTHON=''

case $0 in */*) hook_dir=${0%/*} ;; *) hook_dir=. ;; esac
chained="$hook_dir/pre-commit.tmws-chained"
if [ -f "$chained" ] && [ -x "$chained" ]; then
    "$chained" "$@" || exit $?
fi

if [ -n "$TMWS_PYTHON" ]; then
    if [ ! -x "$TMWS_PYTHON" ]; then
        echo "tmws guard: $TMWS_PYTHON (the Python with hestai-tmws) is gone; commit blocked." >&2
        echo "hint: reinstall hestai-tmws, then run 'tmws hooks install' again" >&2
        exit 1
    fi
    # -I: no PYTHONPATH, user site or current folder on sys.path; -c skips runpy's start-up
    "$TMWS_PYTHON" -I -c 'import sys; from hestai_tmws.guard.fast import main; sys.exit(main())'
    status=$?
elif command -v tmws >/dev/null 2>&1; then
    tmws guard pre-commit
    status=$?
else
    echo "tmws guard: cannot find hestai-tmws ('tmws' is not on PATH); commit blocked." >&2
    echo "hint: install hestai-tmws, then run 'tmws hooks install'" >&2
    exit 1
fi

case $status in
    0) exit 0 ;;
    3) exit 1 ;;
    *)
        echo "tmws guard: the check could not run (exit $status); commit blocked." >&2
        echo "hint: 'tmws guard pre-commit' shows why; 'tmws hooks install' repairs the hook" >&2
        exit 1
        ;;
esac
"""

PYTHON_LINE = "TMWS_PYTHON=''"


def render_hook(python: str) -> str:
    """The hook with `python` recorded as the interpreter that runs the guard."""
    quoted = "'" + python.replace("'", "'\\''") + "'"
    return HOOK_TEMPLATE.replace(PYTHON_LINE + "\n", f"TMWS_PYTHON={quoted}\n", 1)

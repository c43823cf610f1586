"""The single-writer guard and git-native collaboration.

`precommit` (the hook's check), `incoming` (content that arrives from merged or picked
commits), `hooks_install` (put the hook in place, chained), `adopt` (take a hand edit in,
logged), `merge_driver` (3-way OCTAVE merge), `watch` (warn on hand edits as they happen),
`ci_checks` (what `tmws verify` adds for collaboration).

This package's `__init__` imports nothing: `python -m hestai_tmws.guard pre-commit` runs on
every commit and must start fast.
"""

from __future__ import annotations

"""The learning loop: find recurring tool sequences in archived sessions, turn them into skills.

Pure core, no I/O, in `core/` (see `docs/learning.md`): `tokens` (tool call -> token), `mining`
(frequent, significant, closed contiguous sequences), `clustering` (near-duplicates),
`stats`, `checks` (V1..V6), `states` (life cycle), `sop` (deterministic SOP drafts) and
`generator` (seeded corpora for tests and benchmarks). The other modules of this package
wire the core to `.hestai/` through the Steward.
"""

from __future__ import annotations

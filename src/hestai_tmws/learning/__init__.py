"""The learning loop: find recurring tool sequences in archived sessions, turn them into skills.

Pure core, no I/O, in `core/` (see `docs/learning.md`): `tokens` (tool call -> token, with
`shell_lexer`, `shell_words` and `risk_flags`), `mining` (frequent, significant, closed
contiguous sequences: `corpus`, `ngrams`, `selection`, `occurrences`), `clustering`
(near-duplicates), `stats`, `checks` (V1..V6), `states` (life cycle and the one shape of a
transition), `sop` (deterministic SOP drafts), `search_terms` and `index_background` (for
suggestions) and `generator` (seeded corpora for tests and benchmarks). The other modules of
this package wire the core to `.hestai/` through the Steward.
"""

from __future__ import annotations

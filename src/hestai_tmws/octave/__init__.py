"""OCTAVE: the canonical subset hestai-tmws writes, and a strict reader for it.

`emit(doc)` writes exactly what octave-mcp 1.16.0 would re-emit (so the reference parses it
with no warnings and `emit(parse(text)) == text` there too); `parse(emit(doc)) == doc` holds for
every document `emit` accepts. See `docs/octave-subset.md` for the rules and encodings.
"""

from __future__ import annotations

from hestai_tmws.octave.emit import emit
from hestai_tmws.octave.errors import OctaveError
from hestai_tmws.octave.lexical import is_bare_safe, validate_key
from hestai_tmws.octave.model import Document, Literal, Scalar, Section, Value
from hestai_tmws.octave.read import parse, parse_file

__all__ = [
    "Document",
    "Literal",
    "OctaveError",
    "Scalar",
    "Section",
    "Value",
    "emit",
    "is_bare_safe",
    "parse",
    "parse_file",
    "validate_key",
]

"""Bare values as the reader turns them into Python: words, numbers, normalised operator text.

Shared by every place the reader meets an unquoted value (block entries, lists, fast paths),
so a bare ``true``, ``1e3`` or ``a -> b`` reads the same wherever it stands.
"""

from __future__ import annotations

import re
from typing import Any

from hestai_tmws.octave.errors import OctaveError

_NUMBER = re.compile(r"-?[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?\Z")
_NEEDS_NORM = re.compile(r"[→⊕⧺⇌∧∨@+~|&#]|->|\Avs\Z")
_BARE_PIECE = re.compile(r"( +)|(<->|->|[→⊕⧺⇌∧∨@+~|&])|((?:[^ →⊕⧺⇌∧∨@+~|&<\-]|<(?!->)|-(?!>))+)")
_ASCII_OPS = {"->": "→", "<->": "⇌", "+": "⊕", "~": "⧺", "|": "∨", "&": "∧"}
_WORDS = {"true": True, "false": False, "null": None}
_INF = float("inf")


def normalize_bare(run: str) -> str:
    """Bare text as the reference reads it: Unicode operators, words joined by one space."""
    out: list[str] = []
    last_word = False
    for m in _BARE_PIECE.finditer(run):
        if m.group(1):
            continue
        op = m.group(2)
        if op is None and m.group(3) == "vs":
            op = "⇌"
        if op is not None:
            out.append(_ASCII_OPS.get(op, op))
            last_word = False
            continue
        word = m.group(3)
        if word.startswith("#"):
            word = "§" + word[1:]
        if last_word:
            out.append(" ")
        out.append(word)
        last_word = True
    return "".join(out)


def bare_value(run: str, line: int) -> Any:
    """An unquoted value: true/false/null, a number, or text (normalised when needed)."""
    if " " not in run:
        if run in _WORDS:
            return _WORDS[run]
        if _NUMBER.match(run):
            if "." in run or "e" in run or "E" in run:
                number = float(run)
                if number in (_INF, -_INF):
                    raise OctaveError(f"number {run[:20]!r} is out of range", line=line)
                return number
            try:
                return int(run)
            except ValueError:  # more digits than sys.get_int_max_str_digits()
                raise OctaveError("integer too long to read", line=line) from None
        if _NEEDS_NORM.search(run) is None:
            return run
    return normalize_bare(run)

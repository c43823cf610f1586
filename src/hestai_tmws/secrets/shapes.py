"""Redacting JSON-like data in one batch: copy it with its strings collected, then fill them in.

`redaction.redact_obj` copies the data with every string to redact replaced by a `_Slot`
(an index into the collected texts), redacts the texts in one `redact_many` batch, and fills
the copy. A string already known clean (or empty) stays in the copy as it is: redacting it
would return it unchanged. Most strings of an archive are, since the same texts pass three
stages, so the copied containers that hold no slot are remembered as final and the fill
does not rebuild them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hestai_tmws.secrets.model import MARKER_PREFIX


class _Slot(int):
    """Where a string collected for batch redaction goes back (distinct from real ints)."""


class Collected:
    """The strings of one value to redact, and which copied containers hold a slot."""

    __slots__ = ("_dirty", "_key_kind", "_known_clean", "_marker", "texts")

    def __init__(
        self,
        *,
        known_clean: Callable[[str], bool],
        key_kind: Callable[[str], str | None],
        marker: Callable[[str], str],
    ) -> None:
        self.texts: list[str] = []
        self._dirty: set[int] = set()
        self._known_clean = known_clean
        self._key_kind = key_kind
        self._marker = marker

    def _slot(self, text: str) -> str | _Slot:
        if not text or self._known_clean(text):
            return text
        self.texts.append(text)
        return _Slot(len(self.texts) - 1)

    def _done(self, out: Any, before: int) -> Any:
        if len(self.texts) > before:
            self._dirty.add(id(out))
        return out

    def collect(self, obj: Any) -> Any:
        """A copy of `obj` (tuples become lists, keys strings) with slots for its texts; the
        value of a secret-named key has every string replaced by its marker."""
        if isinstance(obj, str):
            return self._slot(obj)
        if isinstance(obj, dict):
            before = len(self.texts)
            out: dict[Any, Any] = {}
            for key, value in obj.items():
                skey = str(key)
                kind = self._key_kind(skey)
                out[self._slot(skey)] = (
                    self._wholesale(value, kind) if kind else self.collect(value)
                )
            return self._done(out, before)
        if isinstance(obj, list | tuple):
            before = len(self.texts)
            return self._done([self.collect(v) for v in obj], before)
        return obj

    def _wholesale(self, obj: Any, kind: str) -> Any:
        if isinstance(obj, str):
            return obj if not obj or obj.startswith(MARKER_PREFIX) else self._marker(kind)
        if isinstance(obj, dict):
            before = len(self.texts)
            out: dict[Any, Any] = {}
            for k, v in obj.items():
                out[self._slot(str(k))] = self._wholesale(v, kind)
            return self._done(out, before)
        if isinstance(obj, list | tuple):
            before = len(self.texts)
            return self._done([self._wholesale(v, kind) for v in obj], before)
        return obj  # numbers, booleans, None: token counts and flags are not secrets

    def fill(self, shape: Any, clean: list[str]) -> Any:
        """`shape` (from `collect`) with each slot replaced by its redacted text."""
        if isinstance(shape, _Slot):
            return clean[shape]
        if isinstance(shape, dict):
            if id(shape) not in self._dirty:
                return shape
            return {self.fill(k, clean): self.fill(v, clean) for k, v in shape.items()}
        if isinstance(shape, list):
            if id(shape) not in self._dirty:
                return shape
            return [self.fill(v, clean) for v in shape]
        return shape
